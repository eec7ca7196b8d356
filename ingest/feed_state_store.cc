#include "ingest/feed_state_store.h"

namespace qayd::ingest {
namespace {

class StoreFeedStateStore : public FeedStateStore {
 public:
  explicit StoreFeedStateStore(Store* store) : store_(store) {}

  Result<FeedState> Load(const std::string& feed_id) override {
    auto txn = store_->Begin(Store::Mode::kRead);
    if (!txn.ok()) return txn.status();
    auto state = (*txn)->GetFeedState(feed_id);
    if (!state.ok()) return state.status();
    FeedState s = std::move(*state);
    s.feed_id = feed_id;
    return s;
  }

  Status Save(const FeedState& state) override {
    auto txn = store_->Begin(Store::Mode::kWrite);
    if (!txn.ok()) return txn.status();
    Status s = (*txn)->PutFeedState(state);
    if (!s.ok()) return s;
    return (*txn)->Commit();
  }

 private:
  Store* store_;
};

}  // namespace

std::unique_ptr<FeedStateStore> MakeStoreFeedStateStore(Store* store) {
  return std::make_unique<StoreFeedStateStore>(store);
}

Result<FeedState> MemoryFeedStateStore::Load(const std::string& feed_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = states_.find(feed_id);
  if (it != states_.end()) return it->second;
  FeedState s;
  s.feed_id = feed_id;
  return s;
}

Status MemoryFeedStateStore::Save(const FeedState& state) {
  std::lock_guard<std::mutex> lock(mu_);
  states_[state.feed_id] = state;
  return Status::Ok();
}

}  // namespace qayd::ingest
