// Weight estimation by expectation-maximisation (Fellegi-Sunter with
// conditional independence) over candidate pairs of a set of reports:
// unlabelled pairs from the engine's own blocking, plus optional labelled
// pairs (reviewed decisions) whose match probability is held fixed.
//
// Estimates m and u per comparison level of the name roles (agree, near,
// disagree), the date of birth (exact, same year, within a year, 1-5 years,
// beyond five years) and sex, and turns them into weights log2(m/u) under the
// names of config/matching_weights.h (EstimatedWeightNames()). Everything else
// is policy (docs/MATCHING.md §6); token-frequency weights stay computed at
// run time. Deterministic: the same reports, base settings and options give
// the same weights. Threads: pure function; builds its own Engine.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "config/config.h"
#include "model/report.h"

namespace qayd::matching {

struct LabeledPair {
  size_t a = 0, b = 0;  // indexes into the reports vector
  bool same = false;
};

struct TrainOptions {
  int max_iterations = 100;
  size_t max_pairs = 300000;  // unlabelled candidate pairs used at most
  double initial_match_share = 0.02;
  uint64_t seed = 1;  // the order reports are visited in (which pairs, when capped)
};

struct TrainResult {
  std::map<std::string, double> weights;  // only the estimated names
  double match_share = 0;                 // estimated share of candidate pairs that match
  size_t reports = 0;
  size_t pairs = 0;          // unlabelled and labelled pairs used
  size_t labeled_pairs = 0;  // ... of which labelled
  int iterations = 0;
  // {"matching": {"weights": {...}}}
  std::string ToConfigJson() const;
  // config/matching_weights_trained.h: the shipped trained defaults, with
  // `command` (how it was produced) in its comment.
  std::string ToHeader(const std::string& command) const;
};

// The weight names TrainWeights estimates (docs/MATCHING.md §6).
const std::vector<std::string>& EstimatedWeightNames();

TrainResult TrainWeights(const std::vector<Report>& reports, const MatchingSettings& base,
                         const std::vector<LabeledPair>& labeled = {},
                         const TrainOptions& options = {});

}  // namespace qayd::matching
