// ComputeDeathReport: the tables of the death-toll report from a snapshot.
#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <tuple>

#include "report/death_report.h"

namespace qayd::report {
namespace {

const char* kMonthNames[] = {"January", "February", "March",     "April",   "May",      "June",
                             "July",    "August",   "September", "October", "November", "December"};

struct Ym {
  int year, month;
};

bool InMonth(const FuzzyDate& d, int year, int month) {
  return d.known() && d.year == year && d.month == month;
}

bool InPeriod(const FuzzyDate& d, const ReportRequest& q) {
  if (!d.known() || d.year != q.year) return false;
  if (q.month) return d.month == q.month;
  return d.month <= q.last_month;  // month 0 (year precision) counts in its year
}

bool BeforePeriod(const FuzzyDate& d, const ReportRequest& q) {
  if (!d.known()) return false;
  if (d.year != q.year) return d.year < q.year;
  return q.month && d.month != 0 && d.month < q.month;
}

// The date that puts a victim in a period under the counting rule.
const FuzzyDate& KeyDate(const VictimFacts& v, CountBy by) {
  if (by == CountBy::kDocumented && v.date_documented.known()) return v.date_documented;
  return v.date_of_death;
}

// The row a perpetrator value is counted in: a main party's units roll up to
// the party; other parties keep their detail (landmines, gunfire, ...).
struct PartyKey {
  Resolved party;
  std::string group;
};
PartyKey PartyOf(const VocabularyResolver& vocab, const std::string& value) {
  const Resolved r = vocab.Resolve(value);
  if (!r.in_vocabulary) return {r, "other"};
  const Resolved top = vocab.TopLevel(r);
  const std::string group = vocab.Group(top.code);
  if (group == "main") return {top, "main"};
  return {r, "other"};
}

auto PartyOrder(const std::string& group, const Resolved& r) {
  return std::make_tuple(group == "main" ? 0 : 1, r.order, r.code);
}

struct Tally {  // victims per row key
  Resolved label;
  std::string group;
  std::vector<const VictimFacts*> victims;
};

Figure FigureOf(const std::vector<const VictimFacts*>& vs,
                const std::function<bool(const VictimFacts&)>& keep = {}) {
  Figure f;
  for (const VictimFacts* v : vs) {
    if (!keep || keep(*v)) f.victim_ids.push_back(v->victim_id);
  }
  std::sort(f.victim_ids.begin(), f.victim_ids.end());
  return f;
}

PartyRow PartyRowOf(const Resolved& party, const std::string& group,
                    const std::vector<const VictimFacts*>& vs) {
  PartyRow row;
  row.party = party;
  row.group = group;
  row.total = FigureOf(vs);
  row.children = FigureOf(vs, [](const VictimFacts& v) { return v.child(); });
  row.women = FigureOf(vs, [](const VictimFacts& v) { return v.woman(); });
  return row;
}

std::vector<PlaceRow> PlaceTable(const std::vector<const VictimFacts*>& counted,
                                 const VocabularyResolver& vocab,
                                 std::string VictimFacts::*field) {
  std::map<std::string, Tally> by_code;
  for (const VictimFacts* v : counted) {
    Resolved r = vocab.Resolve(v->*field);
    Tally& t = by_code[r.code];
    t.label = r;
    t.victims.push_back(v);
  }
  std::vector<PlaceRow> rows;
  for (auto& [code, t] : by_code) {
    PlaceRow row;
    row.place = t.label;
    row.victims = FigureOf(t.victims);
    row.share_percent = SharePercent(row.victims.count(), static_cast<int64_t>(counted.size()));
    rows.push_back(std::move(row));
  }
  std::sort(rows.begin(), rows.end(), [](const PlaceRow& a, const PlaceRow& b) {
    return std::make_tuple(-a.victims.count(), a.place.order, a.place.code) <
           std::make_tuple(-b.victims.count(), b.place.order, b.place.code);
  });
  return rows;
}

template <typename T>
const T& Mode(const std::vector<T>& values, const std::function<bool(const T&, const T&)>& less) {
  size_t best = 0, best_n = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    size_t n = 0;
    for (const T& w : values) n += !less(values[i], w) && !less(w, values[i]);
    if (n > best_n || (n == best_n && less(values[i], values[best]))) {
      best = i;
      best_n = n;
    }
  }
  return values[best];
}

void ForEachFigure(DeathReport& r, const std::function<void(Figure&)>& fn) {
  for (Figure* f : {&r.total, &r.children, &r.women, &r.provisional, &r.unidentified,
                    &r.torture_total, &r.medical, &r.media, &r.civil_defense, &r.two_dates_figure}) {
    fn(*f);
  }
  for (auto* rows : {&r.main_parties, &r.other_parties}) {
    for (PartyRow& p : *rows) {
      fn(p.total), fn(p.children), fn(p.women);
    }
  }
  for (PartyRow* p : {&r.main_total, &r.other_total}) fn(p->total), fn(p->children), fn(p->women);
  for (auto* rows : {&r.by_governorate, &r.by_origin}) {
    for (PlaceRow& p : *rows) fn(p.victims);
  }
  for (PartyRow& p : r.torture) fn(p.total);
  for (Massacre& m : r.massacres) fn(m.victims);
  for (MassacreRow& m : r.massacres_by_party) fn(m.victims);
  for (MonthPoint& m : r.series) fn(m.victims);
}

}  // namespace

const char* CountByName(CountBy by) { return by == CountBy::kDeath ? "death" : "documented"; }

int SharePercent(int64_t part, int64_t whole) {
  if (whole <= 0) return 0;
  return static_cast<int>((200 * part + whole) / (2 * whole));
}

Result<ReportRequest> ParsePeriod(const std::string& text, CountBy by) {
  ReportRequest q;
  q.by = by;
  auto date = ParseFuzzyDate(text);
  const bool shape = (text.size() == 7 && text[4] == '-') || text.size() == 4;
  if (!date || !shape || date->precision == DatePrecision::kExact) {
    return Error(ErrorCode::kInvalidInput, "period must be YYYY-MM or YYYY, got \"" + text + "\"");
  }
  q.year = date->year;
  q.month = date->month;
  if (q.month == 0) {
    const FuzzyDate today = TodayUtc();
    q.last_month = today.year == q.year ? today.month : 12;
    if (today.year < q.year) q.last_month = 0;
  }
  return q;
}

DeathReport ComputeDeathReport(const RegisterSnapshot& snap, const ReportRequest& q) {
  DeathReport r;
  r.request = q;
  if (q.month) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d", q.year, q.month);
    r.period_label = buf;
  } else {
    r.period_label = std::to_string(q.year) + (q.last_month >= 1 && q.last_month < 12
                                                   ? std::string(" (January-") +
                                                         kMonthNames[q.last_month - 1] + ")"
                                                   : "");
  }
  const VocabularyResolver parties(snap.perpetrators);
  const VocabularyResolver places(snap.governorates);

  std::vector<const VictimFacts*> counted;
  for (const VictimFacts& v : snap.victims) {
    if (v.state == VictimState::kAbsorbed) continue;
    const bool two_dates = InPeriod(v.date_documented, q) && BeforePeriod(v.date_of_death, q);
    if (two_dates) r.two_dates.push_back({v.victim_id, v.date_of_death, v.date_documented});
    if (InPeriod(KeyDate(v, q.by), q)) counted.push_back(&v);
  }
  r.two_dates_counted = q.by == CountBy::kDocumented;
  std::sort(r.two_dates.begin(), r.two_dates.end(),
            [](const TwoDateVictim& a, const TwoDateVictim& b) { return a.victim_id < b.victim_id; });
  for (const TwoDateVictim& t : r.two_dates) r.two_dates_figure.victim_ids.push_back(t.victim_id);

  r.total = FigureOf(counted);
  r.children = FigureOf(counted, [](const VictimFacts& v) { return v.child(); });
  r.women = FigureOf(counted, [](const VictimFacts& v) { return v.woman(); });
  r.provisional =
      FigureOf(counted, [](const VictimFacts& v) { return v.state == VictimState::kProvisional; });
  r.unidentified =
      FigureOf(counted, [](const VictimFacts& v) { return v.state == VictimState::kUnidentified; });
  r.medical = FigureOf(counted, [](const VictimFacts& v) { return v.HasRole("medical"); });
  r.media = FigureOf(counted, [](const VictimFacts& v) { return v.HasRole("media"); });
  r.civil_defense =
      FigureOf(counted, [](const VictimFacts& v) { return v.HasRole("civil_defense"); });

  // Parties: every top-level main party and every other-party entry of the
  // vocabulary, then values outside it.
  std::map<std::string, Tally> tallies;
  for (size_t i = 0; i < parties.entries().size(); ++i) {
    const VocabularyEntry& e = parties.entries()[i];
    PartyKey k = PartyOf(parties, e.code);
    if (k.party.code != e.code) continue;  // a unit of a main party
    tallies[k.party.code] = Tally{k.party, k.group, {}};
  }
  std::map<int64_t, PartyKey> party_of;
  for (const VictimFacts* v : counted) {
    PartyKey k = PartyOf(parties, v->perpetrator);
    if (k.party.code.empty()) {
      k.party.label_en = "Not recorded";
      k.party.label_ar = "غير مسجل";
    }
    Tally& t = tallies[k.party.code];
    t.label = k.party;
    t.group = k.group;
    t.victims.push_back(v);
    party_of[v->victim_id] = k;
  }
  std::vector<const VictimFacts*> main_victims, other_victims;
  for (auto& [code, t] : tallies) {
    PartyRow row = PartyRowOf(t.label, t.group, t.victims);
    auto& all = t.group == "main" ? main_victims : other_victims;
    all.insert(all.end(), t.victims.begin(), t.victims.end());
    (t.group == "main" ? r.main_parties : r.other_parties).push_back(std::move(row));
  }
  auto by_party_order = [](const PartyRow& a, const PartyRow& b) {
    return PartyOrder(a.group, a.party) < PartyOrder(b.group, b.party);
  };
  std::sort(r.main_parties.begin(), r.main_parties.end(), by_party_order);
  std::sort(r.other_parties.begin(), r.other_parties.end(), by_party_order);
  r.main_total = PartyRowOf(Resolved{"main", "Main parties", "الأطراف الرئيسية", true, 0}, "main",
                            main_victims);
  r.other_total = PartyRowOf(Resolved{"other", "Other parties", "جهات أخرى", true, 0}, "other",
                             other_victims);

  // Places.
  r.by_governorate = PlaceTable(counted, places, &VictimFacts::governorate);
  r.by_origin = PlaceTable(counted, places, &VictimFacts::origin);

  // Torture by party.
  std::map<std::string, Tally> torture;
  std::vector<const VictimFacts*> tortured;
  for (const VictimFacts* v : counted) {
    if (!v->died_under_torture) continue;
    const PartyKey& k = party_of[v->victim_id];
    Tally& t = torture[k.party.code];
    t.label = k.party;
    t.group = k.group;
    t.victims.push_back(v);
    tortured.push_back(v);
  }
  for (auto& [code, t] : torture) r.torture.push_back(PartyRowOf(t.label, t.group, t.victims));
  std::sort(r.torture.begin(), r.torture.end(), by_party_order);
  r.torture_total = FigureOf(tortured);

  // Massacres: incidents with at least five counted victims.
  std::map<std::string, std::vector<const VictimFacts*>> incidents;
  for (const VictimFacts* v : counted) {
    if (!v->incident_id.empty()) incidents[v->incident_id].push_back(v);
  }
  std::map<std::string, MassacreRow> by_party;
  for (auto& [id, vs] : incidents) {
    if (vs.size() < 5) continue;
    Massacre m;
    m.incident_id = id;
    m.victims = FigureOf(vs);
    std::vector<PartyKey> keys;
    std::vector<Resolved> govs;
    for (const VictimFacts* v : vs) {
      keys.push_back(party_of[v->victim_id]);
      govs.push_back(places.Resolve(v->governorate));
      if (v->date_of_death.known() &&
          (!m.date.known() || v->date_of_death.DaysSinceEpoch() < m.date.DaysSinceEpoch())) {
        m.date = v->date_of_death;
      }
    }
    const PartyKey& pk = Mode<PartyKey>(keys, [](const PartyKey& a, const PartyKey& b) {
      return PartyOrder(a.group, a.party) < PartyOrder(b.group, b.party);
    });
    m.party = pk.party;
    m.governorate = Mode<Resolved>(govs, [](const Resolved& a, const Resolved& b) {
      return std::tie(a.order, a.code) < std::tie(b.order, b.code);
    });
    MassacreRow& row = by_party[pk.party.code];
    row.party = pk.party;
    row.group = pk.group;
    row.incident_ids.push_back(id);
    row.victims.victim_ids.insert(row.victims.victim_ids.end(), m.victims.victim_ids.begin(),
                                  m.victims.victim_ids.end());
    r.massacres.push_back(std::move(m));
  }
  std::sort(r.massacres.begin(), r.massacres.end(), [](const Massacre& a, const Massacre& b) {
    const int da = a.date.known() ? a.date.DaysSinceEpoch() : 1 << 30;
    const int db = b.date.known() ? b.date.DaysSinceEpoch() : 1 << 30;
    return std::tie(da, a.incident_id) < std::tie(db, b.incident_id);
  });
  for (auto& [code, row] : by_party) {
    std::sort(row.victims.victim_ids.begin(), row.victims.victim_ids.end());
    r.massacres_by_party.push_back(std::move(row));
  }
  std::sort(r.massacres_by_party.begin(), r.massacres_by_party.end(),
            [](const MassacreRow& a, const MassacreRow& b) {
              return PartyOrder(a.group, a.party) < PartyOrder(b.group, b.party);
            });

  // Monthly series.
  std::vector<Ym> months;
  if (q.month) {
    for (int back = 11; back >= 0; --back) {
      int idx = q.year * 12 + (q.month - 1) - back;
      months.push_back({idx / 12, idx % 12 + 1});
    }
  } else {
    for (int m = 1; m <= q.last_month; ++m) months.push_back({q.year, m});
  }
  for (const Ym& ym : months) {
    MonthPoint p;
    p.year = ym.year;
    p.month = ym.month;
    for (const VictimFacts& v : snap.victims) {
      if (v.state != VictimState::kAbsorbed && InMonth(KeyDate(v, q.by), ym.year, ym.month)) {
        p.victims.victim_ids.push_back(v.victim_id);
      }
    }
    std::sort(p.victims.victim_ids.begin(), p.victims.victim_ids.end());
    r.series.push_back(std::move(p));
  }

  // Pending review items that touch a counted victim (or a listed one).
  std::set<int64_t> shown(r.total.victim_ids.begin(), r.total.victim_ids.end());
  shown.insert(r.two_dates_figure.victim_ids.begin(), r.two_dates_figure.victim_ids.end());
  std::set<int64_t> touched;
  for (const PendingReview& p : snap.pending) {
    const bool relevant = std::any_of(p.victim_ids.begin(), p.victim_ids.end(),
                                      [&](int64_t id) { return shown.count(id) > 0; });
    if (!relevant) continue;
    r.pending_review_items.push_back(p.item_id);
    touched.insert(p.victim_ids.begin(), p.victim_ids.end());
  }
  std::sort(r.pending_review_items.begin(), r.pending_review_items.end());
  ForEachFigure(r, [&](Figure& f) {
    f.pending = std::count_if(f.victim_ids.begin(), f.victim_ids.end(),
                              [&](int64_t id) { return touched.count(id) > 0; });
    ++r.figures;
    if (f.pending > 0) ++r.figures_pending;
  });
  return r;
}

}  // namespace qayd::report
