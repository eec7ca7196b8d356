// Canonical field values of a victim, each taken from the earliest report
// (lowest id) that has it, with the id of that report: what the register
// publishes for a person, traceable to its source.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "model/report.h"

namespace qayd {

struct CanonicalVictim {
  std::string name;                // primary spelling of the earliest named report
  std::vector<NameSpelling> names;  // every distinct spelling, in report order
  Sex sex = Sex::kUnknown;
  Age age;
  FuzzyDate date_of_birth, date_of_death;
  Place place_of_death;
  std::string governorate_of_origin, cause, perpetrator;
  std::vector<std::string> roles;
  bool died_under_torture = false;
  // field name -> report id the value came from; only fields that have a value.
  std::map<std::string, int64_t> sources;
};

// `reports` in any order; the result does not depend on it.
CanonicalVictim ComputeCanonical(const std::vector<Report>& reports);

}  // namespace qayd
