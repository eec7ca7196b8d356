// Fellegi-Sunter scoring of a pair of profiles (see docs/MATCHING.md).
//
// Score() is the hot loop: it compares interned ids and allocates nothing
// unless an Explanation is requested. Threads: pure; safe concurrently as long
// as the Frequencies are not being modified (the engine's shared lock).
#pragma once

#include <cstdint>
#include <vector>

#include "config/config.h"
#include "matching/engine.h"
#include "matching/profile.h"

namespace qayd::matching {

// Weights resolved from MatchingSettings (missing names take the defaults of
// config/matching_weights.h).
struct Weights {
  double name_m, agree_min, agree_max, spelling, near_factor, near_threshold;
  double disagree[kRoles];
  double shift;
  double dob_m, dob_exact_min, dob_exact_max, dob_same_year, dob_within_year, dob_disagree;
  double dob_far, dob_placeholder_share, dob_placeholder_disagree, dob_missing;
  double age_agree, age_disagree, sex_agree, sex_disagree, dod_near, dod_far;
  double gov_agree, gov_disagree, district_agree, locality_agree, locality_disagree;
  double dob_placeholder_agree, dob_placeholder_missing, dob_approximate_max,
      dob_approximate_disagree;
  double ambiguity_margin;
  double review_cap;  // auto_merge - 0.5: a capped pair goes to a human at most
  // Hard conflicts and the positive-evidence rule (config matching.conflicts,
  // matching.evidence); see docs/MATCHING.md.
  ConflictSettings conflicts;
  EvidenceSettings evidence;
  // Placeholder dates of birth (config matching.placeholder_dates), as days.
  static constexpr int kMaxPlaceholders = 32;
  int32_t placeholder_days[kMaxPlaceholders];
  int placeholders = 0;
  enum class JanuaryFirst : uint8_t { kAuto, kAlways, kNever } january_first = JanuaryFirst::kAuto;
  double january_first_share = 5.0;
  // 1 January of each year 1900..2099 as a day number (the hot loop's test).
  static constexpr int kFirstYear = 1900, kYears = 200;
  int32_t january_first_day[kYears];
  bool IsJanuaryFirst(int32_t dob, int year) const {
    return year >= kFirstYear && year < kFirstYear + kYears &&
           january_first_day[year - kFirstYear] == dob;
  }
  static Weights From(const MatchingSettings& s);
};

// Token and date frequencies of the indexed register (u of log2 m/u).
struct Frequencies {
  std::vector<uint32_t> key_count;  // by interned key id
  uint64_t total_parts = 0;
  // Exact dates of birth, by day: a flat array over 1900..2099 (dates outside
  // count as never seen), so the hot loop does no hashing.
  static constexpr int32_t kFirstDay = -25567;  // 1900-01-01
  static constexpr int32_t kDays = 73049;       // to 2099-12-31
  std::vector<uint32_t> dob_count;
  uint32_t DobCount(int32_t dob) const;
  void AddDob(int32_t dob, int16_t year, int delta);  // year: the date's (for 1 January)
  uint64_t total_dobs = 0;
  double PartU(uint32_t key) const;
  double DobU(int32_t dob) const;
  // True when the date is held `share` times more often than an average day.
  bool DobPlaceholder(int32_t dob, double share) const;
  // Exact dates of birth on 1 January (kept by AddDob).
  uint64_t january_first_dobs = 0;
};

// How a date of birth counts as evidence (docs/MATCHING.md "Placeholder dates").
enum class DobKind : uint8_t {
  kNone,         // no date of birth
  kPlaceholder,  // a listed placeholder or a date far more common than a day's share: no evidence
  kApproximate,  // a year only, or 1 January where the register uses it as "year unknown"
  kExact,        // a day
};
DobKind ClassifyDob(int32_t dob, int16_t year, const Weights& w, const Frequencies& f);

// The date-of-birth comparison Score and ScoreBound share.
struct DobComparison {
  const char* level = nullptr;  // null: nothing to compare (no weight)
  double weight = 0;
  bool compared = false;  // true: ages are not compared (dates were, or a placeholder hides them)
  bool evidence = false;  // an exact, non-placeholder date agrees
  bool placeholder_against_none = false;  // a placeholder on one side, no date on the other
  int conflict_years = 0;                 // > 0: irreconcilable dates this many years apart
};
DobComparison CompareDob(int32_t dob_a, int16_t year_a, int32_t dob_b, int16_t year_b,
                         const Weights& w, const Frequencies& f);
// The same with `ka` = ClassifyDob(dob_a, year_a, w, f), computed once for
// many comparisons (ScoreBound: one query against every candidate).
DobComparison CompareDob(DobKind ka, int32_t dob_a, int16_t year_a, int32_t dob_b, int16_t year_b,
                         const Weights& w, const Frequencies& f);

// Score of `a` against `b`; fills `why` when non-null.
double Score(const Profile& a, const Profile& b, const Weights& w, const Frequencies& f,
             Explanation* why);

// Name-only similarity 0..1 of two normalised-name profiles (`qayd name-score`).
double NameProfileSimilarity(const NameProfile& a, const NameProfile& b);

}  // namespace qayd::matching
