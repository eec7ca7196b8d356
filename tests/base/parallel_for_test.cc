// ParallelFor runs every index exactly once, with or without a pool, and
// does not wait on a pool whose workers are all busy.
#include "base/parallel_for.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <vector>

#include "base/thread_pool.h"

namespace qayd {
namespace {

TEST(ParallelForTest, EveryIndexOnceWithAPool) {
  ThreadPool pool(3);
  std::vector<std::atomic<int>> hits(10007);
  ParallelFor(
      &pool, hits.size(), [&](size_t i) { hits[i].fetch_add(1); }, 16);
  for (size_t i = 0; i < hits.size(); ++i) ASSERT_EQ(hits[i].load(), 1) << i;
}

TEST(ParallelForTest, EveryIndexOnceWithoutAPoolAndNothingForZero) {
  std::vector<int> hits(100, 0);
  ParallelFor(nullptr, hits.size(), [&](size_t i) { ++hits[i]; });
  for (int h : hits) EXPECT_EQ(h, 1);
  bool called = false;
  ParallelFor(nullptr, 0, [&](size_t) { called = true; });
  EXPECT_FALSE(called);
}

TEST(ParallelForTest, FinishesOnTheCallerWhenTheWorkersAreBusy) {
  ThreadPool pool(1);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  pool.Post([released] { released.wait(); });  // the only worker is blocked
  std::atomic<int> sum{0};
  auto done = std::async(std::launch::async, [&] {
    ParallelFor(&pool, 1000, [&](size_t i) { sum.fetch_add(static_cast<int>(i)); });
  });
  EXPECT_EQ(done.wait_for(std::chrono::seconds(20)), std::future_status::ready);
  release.set_value();
  done.wait();
  EXPECT_EQ(sum.load(), 999 * 1000 / 2);
}

}  // namespace
}  // namespace qayd
