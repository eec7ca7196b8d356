// The spool folder (SubmissionSettings.spool_dir): partners and operators drop
// files there; each is ingested once and moved out of the way.
//
// Picked up: regular files whose name does not start with '.' and that were
// not modified during the last `settle_ms` (default 1 s). Writers should
// write to ".name.tmp" and rename into place; slow copies are covered by the
// settle time. Format by extension: .jsonl/.ndjson/.jsonlines -> JSON lines,
// .json -> a JSON array, .csv -> CSV. Records without a source get
// "spool:<file name>"; without a source_record_id, the record number.
//
// Outcomes: once the sink accepted every record the file moves to done/;
// a file that cannot be read or parsed (or has an unknown extension) moves to
// failed/. Either way "<name>.report.json" is written beside it (counts and
// per-record outcomes or the error). When the sink fails (store down) the
// file stays in place and is retried at the next scan; records already
// accepted are deduplicated by the store then.
//
// Threads: Start() runs scans on one worker thread; ScanOnce() may instead be
// called directly (tests, one-shot commands), not both. Stop() returns
// promptly between files.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/result.h"
#include "ingest/feed_poller.h"
#include "ingest/validate.h"

namespace qayd::ingest {

struct SpoolOptions {
  int64_t settle_ms = 1000;
  size_t batch_records = 1000;
  ValidateOptions validate;
  std::function<int64_t()> now_ms;  // clock; default: system clock
};

struct SpoolFileResult {
  std::string file;      // name as dropped
  std::string moved_to;  // path under done/ or failed/; empty when left for a retry
  std::string error;     // why it failed or was left
  int64_t records = 0, accepted = 0, rejected = 0;
};

class Spool {
 public:
  // Creates done/ and failed/ under `dir` on first scan.
  Spool(std::string dir, RecordSink sink, SpoolOptions options = {});
  ~Spool();  // Stop()
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;

  // Processes every ready file, oldest name first. kIo if the folder is unusable.
  Result<std::vector<SpoolFileResult>> ScanOnce();
  void Start(int interval_s);
  void Stop();

 private:
  SpoolFileResult Process(const std::string& name);
  int64_t Now() const;

  const std::string dir_;
  const RecordSink sink_;
  const SpoolOptions options_;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::condition_variable wake_;
  std::thread worker_;
};

}  // namespace qayd::ingest
