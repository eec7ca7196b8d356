// Migration 3: indexes that ingest appends to instead of writing at random.
// An automatic merge attaches a report to an existing victim, i.e. to a
// random victim id: an index keyed by victim id takes a write on a random
// page per merge, and each such page is logged and checkpointed again per
// transaction (docs/PERFORMANCE.md). The victim history finds attachments
// through the victim's reports instead (SqlTxn::VictimHistory); the inbox
// index holds the pending reports only.
#include "store/schema.h"

namespace qayd::store {

std::string SchemaV3() {
  // 3 is EventType::kReportAttached (model/victim.h; stored as its number).
  return R"SQL(
DROP INDEX reports_pending;
CREATE INDEX reports_pending ON reports(id) WHERE resolution = 0;
DROP INDEX history_by_victim;
CREATE INDEX history_by_victim ON history(victim_id) WHERE type <> 3;
CREATE INDEX history_attached_by_report ON history(report_id) WHERE type = 3;
)SQL";
}

}  // namespace qayd::store
