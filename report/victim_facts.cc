#include "report/victim_facts.h"

#include <algorithm>
#include <cctype>

namespace qayd::report {

std::string NormaliseKey(const std::string& text) {
  std::string out;
  bool sep = false;
  for (unsigned char c : text) {
    if (c == ' ' || c == '-' || c == '_' || c == '/' || c == '\t' || c == '.' || c == ',' ||
        c == '\'' || c == '(' || c == ')') {
      sep = !out.empty();
      continue;
    }
    if (sep) out += '_';
    sep = false;
    out += static_cast<char>(c < 0x80 ? std::tolower(c) : c);
  }
  return out;
}

bool VictimFacts::HasRole(const std::string& role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

namespace {

AgeClass FromYears(int min, int max) {
  if (max < 18) return AgeClass::kChild;
  if (min >= 18) return AgeClass::kAdult;
  return AgeClass::kUnknown;
}

struct Ymd {
  int y, m, d;
};
Ymd Earliest(const FuzzyDate& d) { return {d.year, d.month ? d.month : 1, d.day ? d.day : 1}; }
Ymd Latest(const FuzzyDate& d) {
  const int m = d.month ? d.month : 12;
  int day = d.day;
  if (!day) {
    day = 28;
    while (day < 31 && IsValidCivilDate(d.year, m, day + 1)) ++day;
  }
  return {d.year, m, day};
}
// Completed years from birth `b` to death `x`.
int Completed(const Ymd& b, const Ymd& x) {
  int years = x.y - b.y;
  if (x.m < b.m || (x.m == b.m && x.d < b.d)) --years;
  return years;
}

// Age at death as a range when either date lacks precision.
void YearsBetween(const FuzzyDate& birth, const FuzzyDate& death, int* lo, int* hi) {
  *lo = Completed(Latest(birth), Earliest(death));
  *hi = Completed(Earliest(birth), Latest(death));
}

}  // namespace

AgeClass ClassifyAge(const Age& age, const FuzzyDate& dob, const FuzzyDate& dod) {
  switch (age.kind) {
    case Age::Kind::kChild: return AgeClass::kChild;
    case Age::Kind::kAdult: return AgeClass::kAdult;
    case Age::Kind::kExact:
    case Age::Kind::kRange: return FromYears(age.min, age.max);
    case Age::Kind::kUnknown: break;
  }
  if (!dob.known() || !dod.known()) return AgeClass::kUnknown;
  int lo = 0, hi = 0;
  YearsBetween(dob, dod, &lo, &hi);
  return FromYears(lo, hi);
}

VictimFacts FactsOf(const Victim& victim, const std::vector<Report>& reports) {
  std::vector<const Report*> order;
  for (const Report& r : reports) order.push_back(&r);
  std::stable_sort(order.begin(), order.end(), [](const Report* a, const Report* b) {
    if (a->received_at_ms != b->received_at_ms) return a->received_at_ms < b->received_at_ms;
    return a->id < b->id;
  });
  VictimFacts f;
  f.victim_id = victim.id;
  f.state = victim.state;
  Age age;
  FuzzyDate dob;
  bool have_sex = false;
  for (const Report* r : order) {
    if (!have_sex && r->sex != Sex::kUnknown) {
      f.sex = r->sex;
      have_sex = true;
    }
    if (!age.known() && r->age.known()) age = r->age;
    if (!dob.known() && r->date_of_birth.known()) dob = r->date_of_birth;
    if (!f.date_of_death.known() && r->date_of_death.known()) f.date_of_death = r->date_of_death;
    if (!f.date_documented.known() && r->date_documented.known()) {
      f.date_documented = r->date_documented;
    }
    if (f.governorate.empty()) f.governorate = r->place_of_death.governorate;
    if (f.origin.empty()) f.origin = r->governorate_of_origin;
    if (f.perpetrator.empty()) f.perpetrator = r->perpetrator;
    if (f.cause.empty()) f.cause = r->cause;
    if (f.incident_id.empty()) f.incident_id = r->incident_id;
    if (r->died_under_torture) f.died_under_torture = true;
    for (const std::string& role : r->roles) {
      std::string key = NormaliseKey(role);
      if (key == "civil_defence") key = "civil_defense";
      if (!key.empty() && !f.HasRole(key)) f.roles.push_back(key);
    }
  }
  if (NormaliseKey(f.cause) == "torture_in_detention") f.died_under_torture = true;
  f.age_class = ClassifyAge(age, dob, f.date_of_death);
  return f;
}

}  // namespace qayd::report
