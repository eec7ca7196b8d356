// The evaluation tasks (docs/ACCURACY.md): linking an incoming release against
// an existing register, and ranking transliterations of single words.
//
// Truth comes from nine-digit national ids only (see eval/loaders.h). Threads:
// each call builds its own Engine; calls are independent.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/result.h"
#include "config/config.h"
#include "model/report.h"

namespace qayd::eval {

struct LinkMetrics {
  std::string task;
  int64_t existing = 0, incoming = 0;
  int64_t scored = 0;          // incoming records with a nine-digit id
  int64_t with_truth = 0;      // ... whose id is held by a victim of the register
  int64_t merges_correct = 0;  // automatic merges into a victim with the same id
  int64_t merges_wrong = 0;    // ... into a victim holding another nine-digit id
  int64_t merges_dropped = 0;  // ... into one whose id the incoming list dropped: not scored
  int64_t auto_found = 0;      // with_truth records auto-merged into the right victim
  int64_t review_found = 0;    // ... right victim merged or among the review candidates
  int64_t reviews = 0;         // review decisions among scored records
  int64_t blocking_found = 0;  // with_truth records whose victim the index proposed
  int64_t unidentified = 0;
  int64_t candidates_total = 0;                   // sum of proposals over scored records
  double auto_merge = 0;                          // the threshold decided at
  std::map<std::string, int64_t> wrong_by_class;  // wrong merges by error class
  double seconds = 0;
  double precision() const;
  double auto_recall() const;
  double review_recall() const;
  double review_load() const;
  double blocking_recall() const;
  std::string ToText() const;
  std::string ToJson() const;
};

struct WordMetrics {
  int64_t pairs = 0, rank1 = 0;
  double rank1_share() const { return pairs ? static_cast<double>(rank1) / pairs : 0; }
  std::string ToText() const;
  std::string ToJson() const;
};

struct EvalOptions {
  std::string data_dir;  // holds gaza-moh/ and translit/
  int64_t sample = 0;    // incoming records (or word pairs) drawn at random; 0 = all
  uint64_t seed = 1;
  MatchingSettings settings;  // thresholds and weights (defaults when weights empty)
};

// Adds `m`'s counts (not task, sizes or threshold) into `to`.
void AddInto(LinkMetrics* to, const LinkMetrics& m);

// Loads `existing` one victim per record, matches each (sampled) incoming record.
LinkMetrics RunLinkTask(const std::string& task, const std::vector<Report>& existing,
                        const std::vector<Report>& incoming, const EvalOptions& options);

// The existing and incoming records of a link task ("drift": release
// 2024-01-05 -> 2024-03-29; "cross-script": English names of 2024-02-19 ->
// 2024-03-29). A missing file or an unknown task is an error Status.
Status LoadLinkTask(const std::string& task, const std::string& data_dir,
                    std::vector<Report>* existing, std::vector<Report>* incoming);

// The named tasks; a missing file is an error Status.
Result<LinkMetrics> RunDrift(const EvalOptions& options);
Result<LinkMetrics> RunCrossScript(const EvalOptions& options);
Result<WordMetrics> RunWords(const EvalOptions& options);

}  // namespace qayd::eval
