// The matching engine's weights: name, default, meaning. The single table of
// weight defaults; config validation accepts exactly these names under
// "matching.weights". Owned by the matching engine (see docs/MATCHING.md).
//
// Scores are Fellegi-Sunter log-likelihood ratios in bits (log2 m/u): +1 means
// a comparison outcome is twice as likely for the same person as for two
// different people. Name-part and date-of-birth agreement weights are not
// constants: they are log2(m/u) with u the frequency of the token (or exact
// date) in the indexed register, clamped to [agree_min, agree_max]; rare
// tokens therefore weigh more than common ones.
//
// Estimated, not hand-set: the weights named in kEstimatedWeights take their
// default from config/matching_weights_trained.h, the output of
// scripts/train-defaults.sh (EM over the candidate pairs of data/,
// matching/train.h). The others are policy, set by hand for reasons stated in
// docs/MATCHING.md §6 (name-part disagreements: relatives violate EM's
// conditional independence; thresholds, clamps, caps and evidence rules).
#pragma once

#include <string_view>

#include "config/matching_weights_trained.h"

namespace qayd {

// The shipped defaults that come from training (and that `qayd eval` refits
// per fold).
inline constexpr const char* kEstimatedWeights[] = {
    "name.m",       "dob.m",   "dob.same_year", "dob.within_year",
    "dob.disagree", "dob.far", "sex.agree",     "sex.disagree"};

// The trained value of `name` (a compile error when the generated file lacks it).
constexpr double Trained(std::string_view name) {
  for (const auto& t : kTrainedWeights) {
    if (name == t.name) return t.value;
  }
  throw "config/matching_weights_trained.h lacks a weight: rerun scripts/train-defaults.sh";
}

struct WeightDefault {
  const char* name;
  double value;
  const char* meaning;
};

inline constexpr WeightDefault kMatchingWeights[] = {
    {"name.m", Trained("name.m"),
     "probability that a name part agrees for the same person (m of log2 m/u)"},
    {"name.agree_min", 0.5, "smallest weight of an agreeing name part (very common token)"},
    {"name.agree_max", 12.0, "largest weight of an agreeing name part (rare token)"},
    {"name.spelling", -0.5, "added when parts agree only by cross-script key, not spelling"},
    {"name.near_factor", 0.4, "a near (similar, not equal) part gets this share of the agreement"},
    {"name.near_threshold", 0.88, "Jaro-Winkler similarity of keys from which parts are near"},
    {"name.first.disagree", -20.0, "first names differ (siblings share everything else)"},
    {"name.father.disagree", -10.0, "fathers' names differ"},
    {"name.grandfather.disagree", -6.0, "grandfathers' names differ"},
    {"name.family.disagree", -8.0, "family names differ (they are sometimes replaced)"},
    {"name.shift", -15.0, "parts shifted by one position (father and son)"},
    {"dob.m", Trained("dob.m"), "probability that exact dates of birth agree for the same person"},
    {"dob.exact_min", 1.0,
     "smallest weight of an exact date-of-birth agreement (placeholder dates)"},
    {"dob.exact_max", 10.0, "largest weight of an exact date-of-birth agreement"},
    {"dob.same_year", Trained("dob.same_year"), "dates of birth differ but in the same year"},
    {"dob.within_year", Trained("dob.within_year"), "dates of birth within a year of each other"},
    {"dob.disagree", Trained("dob.disagree"), "dates of birth more than a year apart"},
    {"dob.far", Trained("dob.far"), "added when dates of birth are more than five years apart"},
    {"dob.placeholder_share", 8.0,
     "a date of birth held this many times more often than an average day is a placeholder"},
    {"dob.placeholder_disagree", -4.0,
     "dates of birth differ and one is a placeholder (e.g. 2000-01-01): as if it were missing"},
    {"dob.placeholder_agree", 0.5, "both dates of birth are the same placeholder: little evidence"},
    {"dob.placeholder_missing", -4.0,
     "a placeholder date of birth on one side, none on the other: as dob.missing"},
    {"dob.approximate_max", 6.0,
     "largest weight of agreeing approximate dates (the same 1 January where that means a year)"},
    {"dob.approximate_disagree", -6.0,
     "approximate dates of birth (a year, or 1 January) more than a year apart"},
    {"dob.missing", -4.0,
     "only one side has a date of birth (reports without one come from other channels)"},
    {"age.agree", 1.0, "ages agree within a year (compared when dates of birth are not)"},
    {"age.disagree", -4.0, "ages more than two years apart"},
    {"sex.agree", Trained("sex.agree"), "sexes agree"},
    {"sex.disagree", Trained("sex.disagree"), "sexes disagree"},
    {"dod.near", 1.0, "dates of death within a week"},
    {"dod.far", -3.0, "dates of death more than a year apart"},
    {"place.governorate.agree", 0.5, "governorates of death agree"},
    {"place.governorate.disagree", -2.0, "governorates of death disagree"},
    {"place.district.agree", 1.0, "districts of death agree"},
    {"place.locality.agree", 2.0, "localities of death agree"},
    {"place.locality.disagree", -1.0, "localities of death disagree"},
    {"decision.ambiguity_margin", 2.0,
     "two victims above auto_merge closer than this: review instead of merge"},
};

// Weights that bound another one: scoring clamps to [min, max], so a
// minimum above its maximum is refused (config schema, what-if API).
struct WeightRange {
  const char* min;
  const char* max;
};
inline constexpr WeightRange kWeightRanges[] = {{"name.agree_min", "name.agree_max"},
                                                {"dob.exact_min", "dob.exact_max"}};

}  // namespace qayd
