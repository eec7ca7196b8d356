#include "ingest/feed_manager.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "collecting_sink.h"
#include "fake_feed_server.h"

namespace qayd::ingest {
namespace {

using testing::CollectingSink;
using testing::FakeFeedServer;
using testing::FakeResponse;
using testing::SeenRequest;

FeedSettings Feed(const std::string& id, const std::string& url) {
  FeedSettings f;
  f.id = id;
  f.url = url;
  f.poll_interval_s = 3600;
  f.timeout_s = 5;
  return f;
}

bool WaitFor(const std::function<bool()>& done) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

TEST(FeedManager, ReloadTouchesOnlyChangedFeeds) {
  FakeFeedServer server([](const SeenRequest& r) {
    FakeResponse resp;
    resp.body = "{\"source_record_id\":\"" + r.target.substr(1) + "\",\"name\":\"N\"}\n";
    return resp;
  });
  auto fetcher = MakeCurlFetcher();
  MemoryFeedStateStore states;
  CollectingSink sink;
  FeedManager manager({sink.fn(), &states, fetcher.get(), {}});

  FeedChanges c1 = manager.Apply({Feed("a", server.Url("/a")), Feed("b", server.Url("/b"))});
  EXPECT_EQ(c1.added, (std::vector<std::string>{"a", "b"}));
  ASSERT_TRUE(WaitFor([&] { return sink.size() == 2; }));
  auto a_before = manager.poller("a");
  auto b_before = manager.poller("b");

  FeedSettings b2 = Feed("b", server.Url("/b2"));
  FeedChanges c2 = manager.Apply({Feed("a", server.Url("/a")), b2, Feed("c", server.Url("/c"))});
  EXPECT_EQ(c2.unchanged, (std::vector<std::string>{"a"}));
  EXPECT_EQ(c2.restarted, (std::vector<std::string>{"b"}));
  EXPECT_EQ(c2.added, (std::vector<std::string>{"c"}));
  EXPECT_EQ(manager.poller("a"), a_before);  // same poller object, still running
  EXPECT_NE(manager.poller("b"), b_before);
  EXPECT_EQ(manager.poller("b")->settings().url, server.Url("/b2"));
  ASSERT_TRUE(WaitFor([&] { return sink.size() == 4; }));
  EXPECT_EQ(a_before->polls(), 1);  // untouched by the reload

  FeedChanges c3 = manager.Apply({Feed("c", server.Url("/c"))});
  EXPECT_EQ(c3.removed, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(manager.feed_ids(), (std::vector<std::string>{"c"}));
  EXPECT_EQ(manager.poller("a"), nullptr);
  EXPECT_EQ(manager.states().size(), 1u);

  const auto start = std::chrono::steady_clock::now();
  manager.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_TRUE(manager.feed_ids().empty());
  EXPECT_TRUE(manager.Apply({Feed("d", server.Url("/d"))}).added.empty());
  // Per target: /a, /b, /b2, /c each fetched exactly once.
  EXPECT_EQ(server.requests().size(), 4u);
}

TEST(FeedManager, StopsManyHangingFeedsAtOnce) {
  FakeFeedServer server([](const SeenRequest&) {
    FakeResponse resp;
    resp.delay_ms = 30000;
    return resp;
  });
  auto fetcher = MakeCurlFetcher();
  MemoryFeedStateStore states;
  CollectingSink sink;
  FeedManager manager({sink.fn(), &states, fetcher.get(), {}});
  std::vector<FeedSettings> feeds;
  for (const char* id : {"f1", "f2", "f3", "f4"}) {
    feeds.push_back(Feed(id, server.Url(std::string("/") + id)));
    feeds.back().timeout_s = 60;
  }
  manager.Apply(feeds);
  ASSERT_TRUE(WaitFor([&] { return !server.requests().empty(); }));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // all four connected
  const auto start = std::chrono::steady_clock::now();
  manager.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(2500));
  EXPECT_EQ(sink.size(), 0u);
}

}  // namespace
}  // namespace qayd::ingest
