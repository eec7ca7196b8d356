// The end-to-end benchmark driver behind qayd-bench (docs/PERFORMANCE.md).
//
// Build: a SQLite register from JSON lines, one victim per report, through
// the store's Txn API in large transactions (matching bypassed: the register
// is assumed deduplicated); writes `db + ".truth"` (victim id -> true id).
// Run: start-up (open store + LoadIndex), then ingest through
// Pipeline::Process in batches (what `qayd ingest` and the daemon do), then a
// match-latency pass timing Engine::Match per report on a sample.
// Batch: dedup a file against itself from an empty register.
// Each returns one JSON object (text) or a Status. Single-threaded callers.
#pragma once

#include <cstdint>
#include <string>

#include "base/result.h"

namespace qayd::bench {

struct DriverOptions {
  std::string db;             // SQLite file
  std::string input;          // JSON lines (register, incoming or batch file)
  size_t batch = 1000;        // records per Pipeline::Process call
  int64_t match_sample = 10000;  // reports timed one by one through Engine::Match
  size_t chunk = 50000;       // register build: reports per transaction
};

Result<std::string> BuildRegister(const DriverOptions& o);
Result<std::string> RunIngest(const DriverOptions& o);
Result<std::string> RunBatch(const DriverOptions& o);

}  // namespace qayd::bench
