// Looking up one history event by number (internal to qayd_review).
#pragma once

#include <cstdint>
#include <string>

#include "base/result.h"
#include "store/store.h"

namespace qayd::review {

// The history event `seq` when it is of `type`; else kNotFound with the
// stable code `code` ("no_such_merge: no merge event with that number").
Result<HistoryEvent> EventAt(Txn& txn, int64_t seq, EventType type, const std::string& code,
                             const std::string& what);

}  // namespace qayd::review
