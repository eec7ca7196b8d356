#include <gtest/gtest.h>

#include <atomic>

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
