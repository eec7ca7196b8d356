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
  double ambiguity_margin;
  double first_disagree_cap;  // auto_merge - 0.5: differing first names never merge alone
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
  void AddDob(int32_t dob, int delta);
  uint64_t total_dobs = 0;
  double PartU(uint32_t key) const;
  double DobU(int32_t dob) const;
  // True when the date is held `share` times more often than an average day.
  bool DobPlaceholder(int32_t dob, double share) const;
};

// Score of `a` against `b`; fills `why` when non-null.
double Score(const Profile& a, const Profile& b, const Weights& w, const Frequencies& f,
             Explanation* why);

// Name-only similarity 0..1 of two normalised-name profiles (`qayd name-score`).
double NameProfileSimilarity(const NameProfile& a, const NameProfile& b);

}  // namespace qayd::matching
