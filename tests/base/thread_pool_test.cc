#include <gtest/gtest.h>

#include <atomic>
#include <future>

#include "base/result.h"
#include "base/thread_pool.h"

namespace qayd {
namespace {

TEST(ThreadPoolTest, RunsEveryQueuedTaskBeforeStopping) {
  std::atomic<int> n{0};
  {
    ThreadPool pool(2);
    for (int i = 0; i < 1000; ++i) pool.Post([&] { ++n; });
  }
  EXPECT_EQ(n.load(), 1000);
}

TEST(ThreadPoolTest, RefusesWorkAfterStop) {
  ThreadPool pool(1);
  pool.Stop();
  EXPECT_FALSE(pool.Post([] {}));
}

TEST(ThreadPoolTest, TryPostRefusesWhenTheQueueIsFull) {
  ThreadPool pool(1);
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::promise<void> started;
  ASSERT_TRUE(pool.Post([&started, gate] {
    started.set_value();
    gate.wait();
  }));
  started.get_future().wait();  // the one worker is busy; the queue is empty
  std::atomic<int> ran{0};
  EXPECT_TRUE(pool.TryPost([&] { ++ran; }, 2).ok());
  EXPECT_TRUE(pool.TryPost([&] { ++ran; }, 2).ok());
  Status full = pool.TryPost([&] { ++ran; }, 2);
  EXPECT_EQ(full.code(), ErrorCode::kUnavailable);
  EXPECT_EQ(full.message(), "queue full");
  EXPECT_EQ(pool.queued(), 2u);
  release.set_value();
  pool.Stop();
  EXPECT_EQ(ran.load(), 2);  // the refused task never ran
  Status stopped = pool.TryPost([] {}, 100);
  EXPECT_EQ(stopped.message(), "stopping");
}

TEST(ResultTest, CarriesValueOrStatus) {
  Result<int> ok = 5;
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, 5);
  Result<int> bad = Error(ErrorCode::kNotFound, "no victim 7");
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().ToString(), "not_found: no victim 7");
}

}  // namespace
}  // namespace qayd
