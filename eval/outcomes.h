// What the engine did with each scored incoming record of a link task, kept
// so that the decision can be replayed offline at another auto_merge
// threshold (cross-validation, docs/ACCURACY.md).
//
// A record is matched once with auto_merge = `floor` and many candidates
// kept; every candidate carries its score before any cap and whether a cap
// rule held (Explanation::caps). For any threshold T >= floor the engine's
// decision is then: a capped candidate scores min(score, T - 0.5), the others
// their score; best first; merge when the best reaches T and no second victim
// is within the ambiguity margin above T; review down to `review`. This is
// exactly what matching with auto_merge = T decides.
//
// Threads: Collect builds its own Engine and runs two worker threads;
// Replay is pure.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "config/config.h"
#include "model/report.h"

namespace qayd::eval {

struct LinkMetrics;

struct CandidateOutcome {
  int64_t victim = 0;
  double score = 0;         // before caps
  bool capped = false;      // a cap rule held (only known when score > floor - 0.5)
  bool right = false;       // the victim holds the record's national id
  bool wrong = false;       // the victim holds another nine-digit id, still in the incoming list
  bool dropped = false;     // ... one the incoming list dropped (replaced): not scored
  std::string wrong_class;  // for wrong ones: why the engine liked it (ErrorClass)
};

struct QueryOutcome {
  std::string national_id;
  bool with_truth = false;      // a victim of the register holds the id
  bool blocking_found = false;  // the index proposed the right victim
  bool unidentified = false;
  int proposed = 0;
  std::vector<CandidateOutcome> candidates;  // score >= review
};

struct LinkOutcomes {
  std::string task;
  int64_t existing = 0, incoming = 0;
  double floor = 0;  // the auto_merge the records were matched with
  MatchingSettings settings;
  std::vector<QueryOutcome> queries;  // scored records only (nine-digit ids)
  double seconds = 0;
};

// `sample` indexes of 0..n-1 drawn with `seed`, ascending (all when sample is
// 0 or at least n).
std::vector<size_t> SampleIndexes(size_t n, int64_t sample, uint64_t seed);

// Matches each (sampled) incoming record against `existing` loaded one victim
// per record, with auto_merge = floor (<= settings.auto_merge).
LinkOutcomes Collect(const std::string& task, const std::vector<Report>& existing,
                     const std::vector<Report>& incoming, const MatchingSettings& settings,
                     double floor, int64_t sample, uint64_t seed);

// The metrics of the queries `which` (all when null) decided at auto_merge
// `threshold` (>= outcomes.floor).
LinkMetrics Replay(const LinkOutcomes& outcomes, double threshold,
                   const std::vector<size_t>* which = nullptr);

}  // namespace qayd::eval
