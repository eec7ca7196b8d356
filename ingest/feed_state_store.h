// Where a feed's state (ETag, Last-Modified, cursor, counters, last error)
// lives between polls and restarts. The daemon uses the register's store
// (Txn::GetFeedState/PutFeedState); tests may use the in-memory variant.
//
// Threads: implementations are safe to call from several pollers at once.
// Calls block (store I/O): worker threads only.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "base/result.h"
#include "store/store.h"

namespace qayd::ingest {

class FeedStateStore {
 public:
  virtual ~FeedStateStore() = default;
  // An empty state (feed_id set) when the feed was never saved.
  virtual Result<FeedState> Load(const std::string& feed_id) = 0;
  // Durable once it returns ok.
  virtual Status Save(const FeedState& state) = 0;
};

// Through the register: one write transaction per call. `store` must outlive it.
std::unique_ptr<FeedStateStore> MakeStoreFeedStateStore(Store* store);

// In memory, for tests and `qayd` one-shot commands.
class MemoryFeedStateStore : public FeedStateStore {
 public:
  Result<FeedState> Load(const std::string& feed_id) override;
  Status Save(const FeedState& state) override;

 private:
  std::mutex mu_;
  std::map<std::string, FeedState> states_;
};

}  // namespace qayd::ingest
