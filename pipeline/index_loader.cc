// LoadIndex: the register into the engine's index at start-up. The store scan
// (SQL + JSON) runs on the calling thread; normalising and indexing run in
// chunks on a worker per extra core, and on the calling thread whenever the
// workers are behind, so both cores stay busy.
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "base/log.h"
#include "base/thread_pool.h"
#include "pipeline/pipeline.h"

namespace qayd {
namespace {

struct Item {
  int64_t report_id, victim_id;
  Report report;
};

void IndexChunk(matching::Engine* engine, const std::vector<Item>& chunk) {
  for (const Item& it : chunk) {
    engine->UpsertPrepared(it.report_id, it.victim_id, matching::Engine::Prepare(it.report));
  }
}

}  // namespace

Status LoadIndex(Store* store, matching::Engine* engine, int64_t* reports_loaded) {
  {
    auto txn = store->Begin(Store::Mode::kRead);
    if (txn.ok()) {
      auto counts = (*txn)->GetCounts();
      if (counts.ok()) engine->Reserve(static_cast<size_t>(counts->reports));
    }
  }
  constexpr size_t kChunk = 2048;
  const unsigned cores = std::max(2u, std::thread::hardware_concurrency());
  const int max_in_flight = static_cast<int>(cores) * 2;
  ThreadPool pool(cores - 1);
  std::mutex mu;
  std::condition_variable cv;
  int in_flight = 0;  // guarded by mu
  std::vector<Item> chunk;
  chunk.reserve(kChunk);
  auto flush = [&] {
    if (chunk.empty()) return;
    bool hand_off;
    {
      std::lock_guard lock(mu);
      hand_off = in_flight < max_in_flight;
      if (hand_off) ++in_flight;
    }
    if (!hand_off) {  // the workers are behind: do this chunk here
      IndexChunk(engine, chunk);
      chunk.clear();
      return;
    }
    pool.Post([&, c = std::move(chunk)] {
      IndexChunk(engine, c);
      std::lock_guard lock(mu);
      --in_flight;
      cv.notify_all();
    });
    chunk = std::vector<Item>();
    chunk.reserve(kChunk);
  };
  int64_t n = 0;
  Status s = store->ScanIndexedReports([&](int64_t victim_id, const Report& r) {
    chunk.push_back({r.id, victim_id, r});
    ++n;
    if (chunk.size() >= kChunk) flush();
    return true;
  });
  flush();
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return in_flight == 0; });
  }
  pool.Stop();
  // Reports with the same names next to each other in memory: about 1 s at
  // a million, for about 6% more reports/s at that size (docs/PERFORMANCE.md).
  using Clock = std::chrono::steady_clock;
  const auto grouping = Clock::now();
  engine->GroupByName();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - grouping);
  log::Info("index grouped by name", {{"ms", std::to_string(ms.count())}});
  if (reports_loaded != nullptr) *reports_loaded = n;
  return s;
}

}  // namespace qayd
