#include "ingest/feed_manager.h"

#include <set>

#include "base/log.h"

namespace qayd::ingest {

FeedManager::FeedManager(FeedManagerDeps deps) : deps_(std::move(deps)) {}

FeedManager::~FeedManager() { Stop(); }

FeedChanges FeedManager::Apply(const std::vector<FeedSettings>& feeds) {
  std::lock_guard<std::mutex> lock(mu_);
  FeedChanges changes;
  if (stopped_) return changes;
  std::set<std::string> wanted;
  std::vector<std::shared_ptr<FeedPoller>> to_stop;
  std::vector<const FeedSettings*> to_start;
  for (const FeedSettings& f : feeds) {
    if (!wanted.insert(f.id).second) {
      log::Error("feed listed twice; the first entry is used", {{"feed", f.id}});
      continue;
    }
    auto it = pollers_.find(f.id);
    if (it == pollers_.end()) {
      changes.added.push_back(f.id);
      to_start.push_back(&f);
    } else if (it->second->settings() == f) {
      changes.unchanged.push_back(f.id);
    } else {
      changes.restarted.push_back(f.id);
      to_stop.push_back(it->second);
      to_start.push_back(&f);
    }
  }
  for (auto it = pollers_.begin(); it != pollers_.end();) {
    if (wanted.count(it->first) == 0) {
      changes.removed.push_back(it->first);
      to_stop.push_back(it->second);
      it = pollers_.erase(it);
    } else {
      ++it;
    }
  }
  // Old pollers stop before their replacements start: one poller per feed id.
  for (auto& p : to_stop) p->RequestStop();
  for (auto& p : to_stop) p->Stop();
  for (const FeedSettings* f : to_start) {
    auto p =
        std::make_shared<FeedPoller>(*f, deps_.sink, deps_.states, deps_.fetcher, deps_.options);
    p->Start();
    pollers_[f->id] = std::move(p);
  }
  log::Info("feeds applied", {{"added", std::to_string(changes.added.size())},
                              {"removed", std::to_string(changes.removed.size())},
                              {"restarted", std::to_string(changes.restarted.size())},
                              {"unchanged", std::to_string(changes.unchanged.size())}});
  return changes;
}

void FeedManager::Stop() {
  std::map<std::string, std::shared_ptr<FeedPoller>> pollers;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopped_ = true;
    pollers.swap(pollers_);
  }
  for (auto& [id, p] : pollers) p->RequestStop();
  for (auto& [id, p] : pollers) p->Stop();
}

std::vector<std::string> FeedManager::feed_ids() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> ids;
  for (const auto& [id, p] : pollers_) ids.push_back(id);
  return ids;
}

std::shared_ptr<FeedPoller> FeedManager::poller(const std::string& feed_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = pollers_.find(feed_id);
  return it == pollers_.end() ? nullptr : it->second;
}

std::vector<FeedState> FeedManager::states() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<FeedState> out;
  for (const auto& [id, p] : pollers_) out.push_back(p->state());
  return out;
}

}  // namespace qayd::ingest
