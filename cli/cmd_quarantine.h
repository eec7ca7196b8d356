// `qayd quarantine list|show ID|replay ID --db DB [...]`: the records that
// were rejected on ingest, kept verbatim with their reasons.
//
//   list   [--offset N] [--limit N]       id, source, record id, replayed, reasons
//   show   ID                             reasons and the verbatim record
//   replay ID [--file CORRECTED] [--config FILE]
//          re-parses the stored record (or the corrected file: one qayd JSON
//          record, or a CSV header + row), validates it and pushes it through
//          the pipeline; when accepted the quarantine entry is marked replayed
//          with the new report id. The source and source_record_id of the
//          quarantined record are kept (the idempotency key). With --config, a
//          feed whose id is the record's source lends its format and field map
//          to the stored record.
// Exit codes: 0 ok, 1 failure (not found, still invalid, store error), 2 usage.
#pragma once

#include <string>
#include <vector>

namespace qayd::cli {

int CmdQuarantine(const std::vector<std::string>& args);

}  // namespace qayd::cli
