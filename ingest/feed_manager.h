// FeedManager: the set of running feed pollers, kept in step with the
// configuration. Apply() is the SIGHUP path: feeds whose FeedSettings are
// unchanged keep running untouched (same poller, same thread, no extra poll);
// changed feeds are stopped and restarted with the new settings (their saved
// state, keyed by feed id, carries over); removed feeds are stopped; new
// feeds are started.
//
// Threads: Apply(), Stop() and the accessors may be called from any thread
// (they serialise on a mutex), but Apply() and Stop() block while pollers
// stop (about a second at most): call them from a worker thread, not the
// io_context. Pollers run on their own threads (see feed_poller.h).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ingest/feed_poller.h"

namespace qayd::ingest {

struct FeedManagerDeps {
  RecordSink sink;                   // shared by every poller; must be thread-safe
  FeedStateStore* states = nullptr;  // must outlive the manager
  Fetcher* fetcher = nullptr;        // must outlive the manager
  PollerOptions options;
};

struct FeedChanges {
  std::vector<std::string> added, removed, restarted, unchanged;  // feed ids, in config order
};

class FeedManager {
 public:
  explicit FeedManager(FeedManagerDeps deps);
  ~FeedManager();  // Stop()
  FeedManager(const FeedManager&) = delete;
  FeedManager& operator=(const FeedManager&) = delete;

  // Makes the running set equal `feeds`. A repeated feed id keeps its first entry.
  FeedChanges Apply(const std::vector<FeedSettings>& feeds);
  // Stops every poller (shutdown); Apply() afterwards starts nothing.
  void Stop();

  std::vector<std::string> feed_ids() const;
  // The running poller of a feed (nullptr if none); stays valid while held.
  std::shared_ptr<FeedPoller> poller(const std::string& feed_id) const;
  std::vector<FeedState> states() const;

 private:
  const FeedManagerDeps deps_;
  mutable std::mutex mu_;
  bool stopped_ = false;                                        // guarded by mu_
  std::map<std::string, std::shared_ptr<FeedPoller>> pollers_;  // guarded by mu_
};

}  // namespace qayd::ingest
