// The spool folder (SubmissionSettings.spool_dir): partners and operators drop
// files there; each is ingested once and moved out of the way.
//
// Picked up: regular files whose name does not start with '.', seen unchanged
// (device, inode, size, modification time) by two consecutive scans and not
// modified during the last `settle_ms`. Writers should write to ".name.tmp" and
// rename into place; a writer that pauses for less than a scan interval is
// waited for. Symbolic links, FIFOs and devices are never opened (lstat, then
// O_NOFOLLOW | O_NONBLOCK and fstat): they are moved to failed/ with a report.
// Format by extension: .jsonl/.ndjson/.jsonlines -> JSON lines, .json -> a JSON
// array, .csv -> CSV. Records without a source get "spool:<file name>"; without
// a source_record_id, the record number. A file larger than `max_file_bytes`
// goes to failed/; a record larger than `max_record_bytes` is rejected (and
// quarantined with its first max_record_bytes bytes).
//
// Outcomes: once the sink accepted every record the file moves to done/;
// a file that cannot be read or parsed (or has an unknown extension, or is too
// large) moves to failed/. Either way "<name>.report.json" is written beside it
// (counts and per-record outcomes or the error). When the sink fails (store
// down) the file stays in place and is retried at the next scan.
//
// Crash safety: before a file's records are read, ".<name>.importing" (a
// marker, written and synced) says so. A scan that finds a file's marker still
// saying "importing" knows the process died on that file, and moves it to
// failed/ with a report instead of trying again: a file that crashes the daemon
// is set aside after one crash. A stop (Stop()) or a sink failure ends the
// import at a batch boundary and records in the marker how many records are
// done; the next scan (after a restart too) goes on from there if the file is
// unchanged, and from the start otherwise (the store keeps each record once
// and the quarantine each rejected one once).
//
// Threads: Start() runs scans on one worker thread; ScanOnce() may instead be
// called directly (tests, one-shot commands), not both. Stop() returns after
// the batch in progress (or between files), from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/result.h"
#include "ingest/feed_poller.h"
#include "ingest/record_parser.h"
#include "ingest/validate.h"
#include "pipeline/batches.h"

namespace qayd::ingest {

// Where a file's records go: `next` fills the next batch (parsing and
// validating it; a JSON-lines file is parsed a batch at a time), called on a
// thread of the sink's choosing, one call at a time, in order; `done` gets each
// batch's outcomes, in order, on the thread that called the sink, and returning
// false stops before the next batch. Returns a store failure: the batches given
// to `done` were stored, the others not. The daemon's sink is ProcessBatches
// (pipeline/batches.h), which parses batch k+1 while batch k is processed.
using SpoolSink = std::function<Status(const BatchSource& next, const BatchDone& done)>;

struct SpoolOptions {
  int64_t settle_ms = 1000;
  size_t batch_records = 1000;                  // per batch; at most 5,000 so that a stop is prompt
  int64_t max_file_bytes = int64_t{256} << 20;  // submissions.spool_max_file_bytes
  size_t max_record_bytes = kMaxRecordBytes;    // submissions.spool_max_record_bytes
  ValidateOptions validate;
  std::function<int64_t()> now_ms;  // clock; default: system clock
};

struct SpoolFileResult {
  std::string file;      // name as dropped
  std::string moved_to;  // path under done/ or failed/; empty when left for a retry
  std::string error;     // why it failed or was left
  int64_t records = 0, accepted = 0, rejected = 0;
  int64_t resumed_at = 0;  // records done by an earlier, stopped import
};

class Spool {
 public:
  // Creates done/ and failed/ under `dir` on first scan.
  Spool(std::string dir, SpoolSink sink, SpoolOptions options = {});
  // A sink called once per batch (tests, simple consumers).
  Spool(std::string dir, RecordSink sink, SpoolOptions options = {});
  ~Spool();  // Stop()
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;

  // Processes every ready file, in name order. kIo if the folder is unusable.
  Result<std::vector<SpoolFileResult>> ScanOnce();
  void Start(int interval_s);
  void Stop();
  // For a process about to exit with an import still in the sink (qaydd's drain
  // bound reached): records the last batch boundary as a clean stop, so the next
  // start resumes the file instead of setting it aside as a crash. Records of the
  // part in flight that did commit are re-delivered then and stored once
  // (idempotent on source and record id). Thread-safe; no-op when idle.
  void Interrupt();

  // What identifies a version of a file between scans.
  struct FileId {
    uint64_t dev = 0, ino = 0;
    int64_t size = 0, mtime_ns = 0;
    bool operator==(const FileId&) const = default;
  };

 private:
  SpoolFileResult Process(const std::string& name, const FileId& id);
  SpoolFileResult SetAside(const std::string& name, const std::string& why);
  int64_t Now() const;

  const std::string dir_;
  const SpoolSink sink_;
  const SpoolOptions options_;
  std::map<std::string, FileId> seen_;  // the previous scan's regular files (scanning thread)
  std::atomic<bool> stop_{false};
  // The import in the sink, for Interrupt(): its marker and last batch boundary.
  struct InFlight {
    std::string marker_path, file;
    FileId id;
    int64_t done = 0, accepted = 0, rejected = 0;
    bool active = false;
  };
  std::mutex in_flight_mu_;  // also serialises the marker writes of an import
  InFlight in_flight_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::thread worker_;
};

}  // namespace qayd::ingest
