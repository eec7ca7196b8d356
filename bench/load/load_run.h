// A load run against a running qaydd: for a fixed time, K submitter
// connections POST records to /api/v1/reports with a partner token while M
// monitor connections log in and work the review queue (list, claim next,
// open the item, decide with the CSRF token — or release it as "unsure" —
// and read victim views). Every answer is checked: any 5xx, connection
// error, malformed answer or 4xx the workflow does not expect is an error.
// Monitors decide from the generator's truth (national_id), so merges are
// correct. The daemon's RSS is sampled when `pid` is given; the JSON's
// rss.samples are [t_s, rss, anon, file, shmem] (KiB).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "bench/load/load_corpus.h"
#include "bench/load/rss_sampler.h"
#include "bench/load/stats.h"

namespace qayd::load {

struct LoadOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  std::string token;                                          // partner token, scope submit
  std::vector<std::pair<std::string, std::string>> monitors;  // one connection each
  int submitters = 4;
  int batch = 1;  // records per submission request
  double duration_s = 60;
  int timeout_ms = 30000;    // per request
  int idle_ms = 100;         // a monitor's pause when the queue is empty
  int unsure_percent = 10;   // share of claimed items released as "unsure"
  bool repeat_pool = false;  // after the last record, send the pool again: re-deliveries,
                             // answered "duplicate", so the register stops growing
  pid_t pid = 0;             // qaydd's pid for RSS samples (0: none)
  int rss_interval_ms = 5000;
  double warmup_s = -1;  // start of the steady part; < 0: 20 % of the run
};

struct DecidedItem {
  int64_t item_id = 0;
  std::string decision;  // same, different, unsure
  std::string user;
};

struct LoadResult {
  double elapsed_s = 0;
  StatsByClass stats;
  int64_t records_sent = 0, records_acked = 0, records_rejected = 0;
  std::map<std::string, int64_t> outcomes;   // pipeline decision -> count
  std::map<std::string, int64_t> decisions;  // review decision -> count
  int64_t review_merges = 0;                 // decisions "same" with merge_seq > 0
  bool pool_exhausted = false;
  std::vector<std::string> acked_ids;  // source_record_ids acknowledged (repeats when re-sent)
  std::vector<DecidedItem> decided;    // decisions the daemon acknowledged
  std::vector<RssSample> rss;
  double warmup_s = 0;

  int64_t errors() const;
  std::string ToJson(const LoadOptions& o) const;
  std::string Table() const;  // human-readable summary
};

LoadResult RunLoad(const LoadOptions& options, const std::vector<LoadRecord>& records);

}  // namespace qayd::load
