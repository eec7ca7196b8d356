// `qayd` subcommands of the matching engine and its evaluation:
//   name-score                 nameA<TAB>nameB lines on stdin -> similarity 0..1 per line
//   eval [--data DIR] [--task drift|cross-script|words|all] [--sample N] [--seed S]
//        [--config FILE] [--json]        accuracy on the real data (docs/ACCURACY.md)
//   explain --a JSON --b JSON [--config FILE]   why two reports score as they do
//   train FILE... | --task T [--config FILE] [--header OUT.h]
//                                        EM weight estimate from JSONL report files or
//                                        data/; prints {"matching": {"weights": {...}}}
//                                        (the shipped estimated names) or writes
//                                        config/matching_weights_trained.h
// Each returns the exit code: 0 ok, 1 failure (eval: a bar not met), 2 usage.
#pragma once

#include <string>
#include <vector>

#include "matching/train.h"

namespace qayd::cli {

int CmdNameScore(const std::vector<std::string>& args);
int CmdEval(const std::vector<std::string>& args);
int CmdExplain(const std::vector<std::string>& args);
int CmdTrain(const std::vector<std::string>& args);
// Prints a training result: the shipped estimated weights as a config
// fragment on stdout, the others (policy) on stderr.
void PrintTrained(const matching::TrainResult& result);

}  // namespace qayd::cli
