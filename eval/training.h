// Training matching weights on the evaluation data (data/gaza-moh), and the
// training that produces the shipped defaults
// (config/matching_weights_trained.h, scripts/train-defaults.sh).
//
// Errors: a missing or broken file is an error Status. Threads: pure
// functions (each builds its own Engine).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/result.h"
#include "config/config.h"
#include "matching/train.h"
#include "model/report.h"

namespace qayd::eval {

// The records of a task's lists: "drift" (releases 2024-01-05 and
// 2024-03-29), "cross-script" (English names of 2024-02-19 and 2024-03-29) or
// "all" (the three lists), in file order.
Status LoadTrainingReports(const std::string& task, const std::string& data_dir,
                           std::vector<Report>* out);

// The command the shipped defaults come from (relative to the repository).
inline constexpr const char* kDefaultsCommand =
    "qayd train --task all --seed 1 --max-pairs 300000 --header "
    "config/matching_weights_trained.h";

// Its training: EM over candidate pairs of every list in data_dir, with the
// default settings (the comparison levels EM counts depend only on policy
// settings, never on the weights it estimates).
Result<matching::TrainResult> TrainDefaults(const std::string& data_dir);

// The estimates among `trained` that ship as defaults (kEstimatedWeights of
// config/matching_weights.h); the others are printed for comparison only.
std::map<std::string, double> ShippedEstimates(const std::map<std::string, double>& trained);

// Settings with the estimated weights of `trained` put over `base`'s.
MatchingSettings WithWeights(const MatchingSettings& base,
                             const std::map<std::string, double>& trained);

}  // namespace qayd::eval
