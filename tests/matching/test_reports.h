// Small helpers for matching tests: reports from a name and a few fields.
#pragma once

#include <string>

#include "model/report.h"

namespace qayd::matching::testing {

inline Report MakeReport(const std::string& name, const std::string& dob = "",
                         Sex sex = Sex::kUnknown) {
  Report r;
  NameSpelling n;
  n.full = name;
  r.names.push_back(n);
  if (!dob.empty()) r.date_of_birth = *ParseFuzzyDate(dob);
  r.sex = sex;
  return r;
}

}  // namespace qayd::matching::testing
