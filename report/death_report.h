// The periodic death-toll report (issue 8): the monthly (or year-to-date)
// tables computed from the deduplicated register, each figure carrying the
// ids of the victims behind it. Methodology: docs/REPORTS.md.
//
// Counted victims: states active, provisional (awaiting review: counted and
// flagged) and unidentified (people killed, never matched by name); absorbed
// victims never. Civilians: every counted victim (the record model has no
// combatant flag). Children: under 18 at death; women: adult females.
//
// Threads: BuildDeathReport() blocks on the store (never call it on the
// io_context); ComputeDeathReport() is a pure function.
// Errors: store failures are returned as Status; bad requests as kInvalidInput.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "model/date.h"
#include "report/victim_facts.h"
#include "report/vocabulary_resolver.h"
#include "store/store.h"

namespace qayd::report {

enum class CountBy { kDeath = 0, kDocumented };  // which date puts a victim in a month
const char* CountByName(CountBy by);

struct ReportRequest {
  int year = 0;
  int month = 0;       // 1..12; 0: the year `year`, months 1..last_month (year to date)
  int last_month = 12;  // year reports only: the last month included
  CountBy by = CountBy::kDeath;
};

// Parses "YYYY-MM" (a month) or "YYYY" (year to date: through the current
// UTC month for the current year, else the whole year). kInvalidInput else.
Result<ReportRequest> ParsePeriod(const std::string& text, CountBy by);

// One number of the report and the victims behind it (ascending ids).
struct Figure {
  std::vector<int64_t> victim_ids;
  int64_t pending = 0;  // how many of them a pending review item touches
  int64_t count() const { return static_cast<int64_t>(victim_ids.size()); }
};

struct PartyRow {
  Resolved party;  // top-level party
  std::string group;  // "main" or "other" (values outside the vocabulary: "other")
  Figure total, children, women;
};

struct PlaceRow {
  Resolved place;  // code "" = not recorded
  Figure victims;
  int share_percent = 0;  // of the period's total, rounded half up
};

struct Massacre {
  std::string incident_id;
  Resolved party;        // the party most of its victims are attributed to
  Resolved governorate;  // most common place of death
  FuzzyDate date;        // earliest date of death
  Figure victims;
};

struct MassacreRow {  // massacres by party
  Resolved party;
  std::string group;
  std::vector<std::string> incident_ids;
  Figure victims;
};

struct TwoDateVictim {
  int64_t victim_id = 0;
  FuzzyDate died, documented;
};

struct MonthPoint {
  int year = 0, month = 0;
  Figure victims;
};

struct DeathReport {
  ReportRequest request;
  std::string period_label;  // "2024-03" or "2024 (January-March)"
  Figure total, children, women;
  Figure provisional;   // counted victims still awaiting review
  Figure unidentified;  // counted victims in the unidentified archive
  std::vector<PartyRow> main_parties, other_parties;  // vocabulary order, then values outside it
  PartyRow main_total, other_total;
  std::vector<PlaceRow> by_governorate, by_origin;    // largest first
  std::vector<PartyRow> torture;                      // only `total` used; parties with deaths
  Figure torture_total;
  Figure medical, media, civil_defense;
  std::vector<Massacre> massacres;                    // earliest first
  std::vector<MassacreRow> massacres_by_party;
  // Victims documented in the period who died before it. Counted in this
  // period when request.by == kDocumented; otherwise listed only (they are
  // counted in the month of their death).
  std::vector<TwoDateVictim> two_dates;
  Figure two_dates_figure;
  bool two_dates_counted = false;
  std::vector<MonthPoint> series;  // last 12 months (month report) or the year's months
  // Pending review items (pending or unsure) touching a counted victim.
  std::vector<int64_t> pending_review_items;
  int64_t figures = 0, figures_pending = 0;  // figures shown; of them depending on review
};

struct PendingReview {
  int64_t item_id = 0;
  std::vector<int64_t> victim_ids;  // provisional victim and candidates
};

// Everything the computation needs, read from the store.
struct RegisterSnapshot {
  std::vector<VictimFacts> victims;
  std::vector<VocabularyEntry> perpetrators, governorates;
  std::vector<PendingReview> pending;
};

Result<RegisterSnapshot> ReadSnapshot(Store* store);
DeathReport ComputeDeathReport(const RegisterSnapshot& snapshot, const ReportRequest& request);
Result<DeathReport> BuildDeathReport(Store* store, const ReportRequest& request);

// round(100 * part / whole), halves up; 0 when whole is 0.
int SharePercent(int64_t part, int64_t whole);

}  // namespace qayd::report
