// The candidates of a review item as proposed now (the review screen, the
// decision check and what-if all use this one computation).
// Blocking (store reads, scoring); thread-safe as the engine is.
#pragma once

#include <vector>

#include "base/result.h"
#include "matching/engine.h"
#include "store/store.h"

namespace qayd::review {

// The engine's Match of the item's report against the register now, without
// the item's own provisional victim; then the item's queued candidates that
// are no longer proposed (followed to their survivor when merged away),
// scored against their best report. Best first. Each candidate's score is
// its explanation's total (one computation).
Result<std::vector<matching::Candidate>> ProposeCandidates(const matching::Engine& engine, Txn& txn,
                                                           const ReviewItem& item,
                                                           const Report& report);

// The victim `id` now stands for: itself, or the survivor it was merged into.
Result<int64_t> Survivor(Txn& txn, int64_t id);

}  // namespace qayd::review
