// FeedPoller: polls one configured feed (FeedSettings) and hands its records
// to a sink (normally Pipeline::Process).
//
// Threads: each poller owns one worker thread (Start()); fetching (libcurl,
// blocking), parsing, validation and the sink all run on it, never on the
// io_context. Stop() sets a flag that aborts a transfer in progress (curl's
// progress callback) and wakes a sleeping worker, then joins: it returns within
// about a second unless the sink itself is busy (the sink call is not
// interrupted, so a batch is never half-applied by the poller).
//
// Each poll: conditional GET (If-None-Match / If-Modified-Since from the saved
// state; `cursor_param=<saved cursor>` when configured) -> content type check
// -> parse + validate -> sink, in batches -> save state. The state (ETag,
// Last-Modified, cursor, counters) is saved only after the sink returned ok
// for every batch, so a crash between fetch and save re-imports the same
// records on restart (the store deduplicates them by source + source_record_id)
// and never skips any. Failures are recorded in the state (last_error,
// consecutive_failures) and retried with exponential backoff and jitter.
//
// Folder feeds (url is a directory path): files are imported in name order,
// each file once; the state's cursor is the last imported file name.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "base/result.h"
#include "config/config.h"
#include "ingest/backoff.h"
#include "ingest/feed_state_store.h"
#include "ingest/fetcher.h"
#include "ingest/import_marker.h"
#include "ingest/validate.h"
#include "pipeline/pipeline.h"

namespace qayd::ingest {

// Receives a batch; returns one outcome per record, or a Status when nothing
// of the batch was acknowledged (the poller then retries the whole fetch).
using RecordSink = std::function<Result<std::vector<RecordOutcome>>(std::vector<IncomingRecord>)>;

struct PollerOptions {
  BackoffPolicy backoff;
  size_t batch_records = 1000;  // records per sink call
  ValidateOptions validate;
  int64_t folder_settle_ms = 1000;  // folder feeds skip files modified more recently
  std::function<int64_t()> now_ms;  // clock; default: system clock
  // Where each feed's crash marker lives (ingest/import_marker.h): a body the
  // process stopped in twice is set aside in <crash_dir>/failed/ instead of
  // imported again. Empty: no marker.
  std::string crash_dir;
};

class FeedPoller {
 public:
  // `state_store` and `fetcher` must outlive the poller.
  FeedPoller(FeedSettings feed, RecordSink sink, FeedStateStore* state_store, Fetcher* fetcher,
             PollerOptions options = {});
  ~FeedPoller();  // Stop()
  FeedPoller(const FeedPoller&) = delete;
  FeedPoller& operator=(const FeedPoller&) = delete;

  // Starts the worker: polls at once, then every poll_interval_s (backoff after failures).
  void Start();
  // Prompt shutdown; idempotent. The poller cannot be restarted.
  void Stop();
  // The first half of Stop() without the join: stopping many pollers at once
  // costs one abort time, not the sum. Stop() must still be called.
  void RequestStop();
  // Wakes the worker for an immediate poll.
  void PollNow();

  // One poll on the calling thread (tests, one-shot commands). Do not mix with Start().
  Status PollOnce();

  const FeedSettings& settings() const { return feed_; }
  // A snapshot of the state as last saved or attempted (for monitoring).
  FeedState state() const;
  int64_t polls() const { return polls_.load(); }
  // The delay chosen after the last poll (poll interval or backoff).
  int64_t last_delay_ms() const { return last_delay_ms_.load(); }

 private:
  void Run();
  Status PollUrl(FeedState* st);
  Status PollFolder(FeedState* st);
  // Parses, validates and sinks one body; fills the counters and the cursor.
  Status Import(std::string_view body, const std::string& format, const std::string& label,
                const std::string& id_prefix, FeedState* st);
  Result<std::vector<std::string>> AuthHeaders() const;
  int64_t Now() const;

  const FeedSettings feed_;
  const RecordSink sink_;
  FeedStateStore* const state_store_;
  Fetcher* const fetcher_;
  const PollerOptions options_;
  ImportMarker marker_;  // worker thread only

  std::atomic<bool> stop_{false};
  std::atomic<int64_t> polls_{0};
  std::atomic<int64_t> last_delay_ms_{0};
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool poll_now_ = false;      // guarded by mu_
  FeedState state_;            // guarded by mu_
  bool state_loaded_ = false;  // worker thread only
  std::mt19937_64 rng_;        // worker thread only
  std::thread worker_;
};

}  // namespace qayd::ingest
