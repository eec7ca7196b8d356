// Honest figures (docs/ACCURACY.md): k-fold cross-validation by person and
// transfer between tasks. What is fitted is the auto_merge threshold: the
// smallest on a grid whose precision on the fitting records reaches a target
// (precision first: a wrong merge removes a person from the count). Weights
// and caps are the configured ones; they are not refitted per fold.
//
// Folds are by person: every scored incoming record of a national id falls in
// the same fold (a hash of the id and the seed), so the threshold scored on a
// fold was fitted without any of its people. Threads: pure functions over
// LinkOutcomes (eval/outcomes.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "eval/outcomes.h"
#include "eval/tasks.h"

namespace qayd::eval {

struct FitOptions {
  double min_threshold = 8, max_threshold = 20, step = 0.25;  // the grid
  double target_precision = 0.998;
};

// The fitted threshold on the queries `which` of `o` (>= o.floor).
double FitThreshold(const LinkOutcomes& o, const std::vector<size_t>& which, const FitOptions& fit);

struct CrossValidation {
  std::string task;
  int folds = 0;
  std::vector<double> thresholds;  // fitted per fold
  LinkMetrics held_out;            // every fold scored at its own fitted threshold
  std::string ToText() const;
  std::string ToJson() const;
};

CrossValidation CrossValidate(const LinkOutcomes& o, int folds, uint64_t seed,
                              const FitOptions& fit);

struct Transfer {
  std::string from, to;
  double threshold = 0;  // fitted on every record of `from`
  LinkMetrics scored;    // `to` decided at that threshold
  std::string ToText() const;
  std::string ToJson() const;
};

Transfer FitAndTransfer(const LinkOutcomes& from, const LinkOutcomes& to, const FitOptions& fit);

}  // namespace qayd::eval
