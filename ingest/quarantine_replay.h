// Correct-and-replay of a quarantined record (`qayd quarantine replay`,
// POST /api/v1/quarantine/{id}/replay).
//
// The record is re-read, either as received (the feed's own format and field
// names) or from a corrected text in qayd's record format (a JSON object, or
// a CSV header and one row), validated like any incoming record and, when
// valid, processed by the pipeline. The transaction that accepts it also
// marks the quarantine entry replayed with the report's id (never deleted):
// both are stored, or neither.
//
// Errors: kNotFound (no such entry), kConflict (already replayed, also by a
// replay that committed while this one was processed: nothing is stored),
// kInvalidInput (the text is not one record), store and pipeline failures as
// they come. A record that is still invalid is not an error: the result holds
// its field errors and nothing was written.
// Threads: as the Store and Pipeline given (Process serialises batches).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "config/config.h"
#include "pipeline/pipeline.h"
#include "store/store.h"

namespace qayd::ingest {

struct ReplayResult {
  std::string label;               // "quarantine 12": the record named in errors
  std::vector<FieldError> errors;  // non-empty: still invalid, nothing written
  RecordOutcome outcome;           // when errors is empty
};

// `corrected`: the corrected record in qayd's field names; nullopt replays
// the stored raw text with `feeds`' parse options for its source.
Result<ReplayResult> ReplayQuarantined(Store* store, Pipeline* pipeline,
                                       const std::vector<FeedSettings>& feeds, int64_t id,
                                       const std::optional<std::string>& corrected, int64_t now_ms);

}  // namespace qayd::ingest
