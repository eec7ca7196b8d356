// Honest figures (docs/ACCURACY.md): k-fold cross-validation by person and
// transfer between tasks. What is fitted is the auto_merge threshold: the
// smallest on a grid whose precision on the fitting records reaches a target
// (precision first: a wrong merge removes a person from the count), and with
// CrossValidateTrained also the estimated weights (EM, matching/train.h) on
// the fitting folds' records only. Caps are the configured ones.
//
// Folds are by person: every scored incoming record of a national id falls in
// the same fold (a hash of the id and the seed), so the threshold scored on a
// fold was fitted without any of its people. Threads: pure functions over
// LinkOutcomes (eval/outcomes.h).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "eval/outcomes.h"
#include "eval/tasks.h"
#include "matching/train.h"

namespace qayd::eval {

struct FitOptions {
  double min_threshold = 8, max_threshold = 20, step = 0.25;  // the grid
  double target_precision = 0.998;
};

// The fitted threshold on the queries `which` of `o` (>= o.floor).
double FitThreshold(const LinkOutcomes& o, const std::vector<size_t>& which, const FitOptions& fit);

// The fold (0..folds-1) of a person: a hash of `key` (the national id) and
// the seed.
int FoldOf(const std::string& key, uint64_t seed, int folds);

struct CrossValidation {
  std::string task;
  int folds = 0;
  std::vector<double> thresholds;                      // fitted per fold
  std::vector<std::map<std::string, double>> weights;  // estimated per fold (trained only)
  LinkMetrics held_out;  // every fold scored at its own fitted threshold
  std::string ToText() const;
  std::string ToJson() const;
};

CrossValidation CrossValidate(const LinkOutcomes& o, int folds, uint64_t seed,
                              const FitOptions& fit);

// Cross-validation that refits the weights too: for each fold, EM over the
// existing and incoming records of the other folds' people (a record without
// a nine-digit id falls in the fold of its source record id), then the
// threshold on the other folds' queries matched with those weights, then the
// fold's queries scored at it. Matches every query once per fold.
CrossValidation CrossValidateTrained(const std::string& task, const std::vector<Report>& existing,
                                     const std::vector<Report>& incoming,
                                     const MatchingSettings& settings, int folds, uint64_t seed,
                                     const FitOptions& fit, const matching::TrainOptions& train,
                                     int64_t sample);

struct Transfer {
  std::string from, to;
  double threshold = 0;                   // fitted on every record of `from`
  std::map<std::string, double> weights;  // estimated on `from`'s records (trained only)
  LinkMetrics scored;                     // `to` decided at that threshold
  std::string ToText() const;
  std::string ToJson() const;
};

Transfer FitAndTransfer(const LinkOutcomes& from, const LinkOutcomes& to, const FitOptions& fit);

// A task's lists, for the trained transfer.
struct TaskRecords {
  std::string task;
  std::vector<Report> existing, incoming;
};

// Transfer that refits the weights too: EM over `from`'s records, the
// threshold on `from` matched with those weights, `to` scored with both.
Transfer FitAndTransferTrained(const TaskRecords& from, const TaskRecords& to,
                               const MatchingSettings& settings, const FitOptions& fit,
                               const matching::TrainOptions& train, int64_t sample, uint64_t seed);

}  // namespace qayd::eval
