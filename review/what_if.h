// What-if: how would other matching settings have done on the reviewed pairs
// and on the pending queue? Reads the store; writes nothing.
//
// Labelled pairs come from decided review items: "same" gives one positive
// pair (the item's report against the victim it was merged into), "different"
// and "related" give one negative pair per candidate victim ruled out;
// "unsure" gives none. A pair's score is the best ScorePair of the item's
// report against the victim's reports (as the engine scores a victim).
// A pair is predicted "same" when its score >= auto_merge. A pending item's
// score is its best candidate's as the review screen shows it
// (ProposeCandidates): proposed now, so it may differ from the score it was
// queued with. pending_would_be_new counts the items that would not be
// queued now (best score below review); they stay in the queue regardless. Scoring uses an
// engine of its own with the register's index loaded (token rarity matters),
// so the cost grows with the register (one index load per run).
//
// Blocking (store reads, scoring): run on a worker thread. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "config/config.h"
#include "store/store.h"

namespace qayd::review {

struct SettingsOutcome {
  std::string version;  // MatchingSettings::version()
  double auto_merge = 0, review = 0;
  int64_t true_positives = 0, false_positives = 0, false_negatives = 0, true_negatives = 0;
  std::optional<double> precision, recall;  // none when undefined (0/0)
  // Pending review items re-decided: top candidate score vs the thresholds.
  int64_t pending_would_merge = 0, pending_would_queue = 0, pending_would_be_new = 0;
};

struct WhatIfResult {
  int64_t labelled_pairs = 0, positives = 0, negatives = 0;
  int64_t pending_items = 0;
  SettingsOutcome current, proposed;
  std::vector<std::string> warnings;  // e.g. fewer than 30 labelled pairs
  std::string ToJson() const;
  std::string ToText() const;  // for `qayd what-if`
};

inline constexpr int64_t kMinLabelledPairs = 30;

// Scores every labelled pair and pending item under both settings.
Result<WhatIfResult> RunWhatIf(Store* store, const MatchingSettings& current,
                               const MatchingSettings& proposed);

}  // namespace qayd::review
