// The facts of one counted victim that the death-toll report needs, taken
// from the victim's reports: each field from the earliest report that has it
// (reports ordered by received_at, then id), roles as the union of all
// reports, died_under_torture when any report says so.
// Plain value types; no personal data (no names, no contacts).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/report.h"
#include "model/victim.h"

namespace qayd::report {

// Child: under 18 at death. Adult: 18 or older. Unknown when neither the age
// nor date of birth + date of death decide it (e.g. a range 15-20).
enum class AgeClass { kUnknown = 0, kChild, kAdult };

struct VictimFacts {
  int64_t victim_id = 0;
  VictimState state = VictimState::kActive;
  Sex sex = Sex::kUnknown;
  AgeClass age_class = AgeClass::kUnknown;
  FuzzyDate date_of_death;
  FuzzyDate date_documented;
  std::string governorate;         // of death, as reported (resolved later)
  std::string origin;              // governorate of origin, as reported
  std::string perpetrator;         // as reported
  std::string cause;
  std::vector<std::string> roles;  // normalised: medical, media, civil_defense, ...
  bool died_under_torture = false;  // flag or cause "torture in detention"
  std::string incident_id;

  bool child() const { return age_class == AgeClass::kChild; }
  // A woman: female and adult (children are counted as children, not women).
  bool woman() const { return sex == Sex::kFemale && age_class == AgeClass::kAdult; }
  bool HasRole(const std::string& role) const;
};

// Age class from a reported age, else from date of birth at date of death.
AgeClass ClassifyAge(const Age& age, const FuzzyDate& date_of_birth, const FuzzyDate& date_of_death);

// Canonical facts of a victim from its reports (any order; may be empty).
VictimFacts FactsOf(const Victim& victim, const std::vector<Report>& reports);

// "Civil Defense", "civil-defense" -> "civil_defense": lower case, runs of
// spaces, hyphens and slashes become one '_'.
std::string NormaliseKey(const std::string& text);

}  // namespace qayd::report
