// Weight estimation by expectation-maximisation (Fellegi-Sunter with
// conditional independence) over candidate pairs of a set of reports:
// unlabelled pairs from the engine's own blocking, plus optional labelled
// pairs (reviewed decisions) whose match probability is held fixed.
//
// Estimates m and u per comparison level of the name roles, date of birth and
// sex, and turns them into weights log2(m/u) under the names of
// config/matching_weights.h. Token-frequency weights stay computed at run
// time. Threads: pure function; builds its own Engine.
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
  int max_iterations = 50;
  size_t max_pairs = 300000;  // candidate pairs used at most
  double initial_match_share = 0.1;
};

struct TrainResult {
  std::map<std::string, double> weights;  // only the estimated names
  double match_share = 0;                 // estimated share of candidate pairs that match
  size_t pairs = 0;
  int iterations = 0;
  // {"matching": {"weights": {...}}}
  std::string ToConfigJson() const;
};

TrainResult TrainWeights(const std::vector<Report>& reports, const MatchingSettings& base,
                         const std::vector<LabeledPair>& labeled = {},
                         const TrainOptions& options = {});

}  // namespace qayd::matching
