// The matching engine's weights: name, default, meaning. The single table of
// weight defaults; config validation accepts exactly these names under
// "matching.weights". Owned by the matching engine (see docs/MATCHING.md).
#pragma once

namespace qayd {

struct WeightDefault {
  const char* name;
  double value;
  const char* meaning;
};

inline constexpr WeightDefault kMatchingWeights[] = {
    {"name.part.exact", 4.0, "an aligned name part agrees exactly (scaled by rarity)"},
    {"name.part.near", 2.0, "an aligned name part agrees closely"},
    {"name.part.disagree", -4.0, "an aligned name part disagrees"},
    {"dob.exact", 5.0, "dates of birth agree to the day"},
    {"dob.same_year", 2.0, "dates of birth in the same year"},
    {"dob.disagree", -5.0, "dates of birth more than a year apart"},
    {"sex.disagree", -10.0, "sexes disagree"},
};

}  // namespace qayd
