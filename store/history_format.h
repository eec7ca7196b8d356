// Human-readable lines for a victim's history (`qayd history --db DB ID`):
//   #12 2024-03-01 10:15:02Z merge victim 7 absorbed 9 by monitor1 {"review_item":4,...}
// One line per event, in the order given. Details are printed as stored (JSON).
#pragma once

#include <string>
#include <vector>

#include "model/victim.h"
#include "store/store.h"

namespace qayd {

std::string FormatHistoryEvent(const HistoryEvent& e);
std::string FormatHistory(const std::vector<HistoryEvent>& events);

// Reads the victim and its history from `store` and formats them, headed by a
// summary line ("victim 7: active, 3 reports"). kNotFound for unknown ids.
Result<std::string> FormatVictimHistory(Store& store, int64_t victim_id);

}  // namespace qayd
