#include "ingest/feed_poller.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <utime.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "base/metrics.h"
#include "collecting_sink.h"
#include "fake_feed_server.h"
#include "ingest/import_marker.h"
#include "tests/support/test_dir.h"

namespace qayd::ingest {
namespace {

using testing::CollectingSink;
using testing::FakeFeedServer;
using testing::FakeResponse;
using testing::SeenRequest;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

const char* kJsonl =
    "{\"source_record_id\":\"1\",\"name\":\"محمد خالد\",\"date_of_death\":\"2024-01-05\"}\n"
    "{\"source_record_id\":\"2\",\"name\":\"Ahmad Youssef\",\"sex\":\"m\"}\n"
    "{\"source_record_id\":\"3\",\"name\":\"فاطمة العلي\",\"sex\":\"f\"}\n";

FeedSettings Feed(const std::string& url, const std::string& format = "jsonl") {
  FeedSettings f;
  f.id = "partner";
  f.url = url;
  f.format = format;
  f.timeout_s = 5;
  f.poll_interval_s = 3600;
  return f;
}

PollerOptions FastOptions() {
  PollerOptions o;
  o.backoff = {20, 100};
  o.validate.today = *ParseFuzzyDate("2026-11-28");
  return o;
}

// Waits up to `limit` for `done`; true if it happened.
template <typename F>
bool WaitFor(F done, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  const auto until = Clock::now() + limit;
  while (Clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

class FeedPollerTest : public ::testing::Test {
 protected:
  std::unique_ptr<Fetcher> fetcher_ = MakeCurlFetcher();
  MemoryFeedStateStore states_;
  CollectingSink sink_;
};

TEST_F(FeedPollerTest, ImportsThenSendsIfNoneMatchAndGets304) {
  FakeFeedServer server([](const SeenRequest& r) {
    FakeResponse resp;
    resp.content_type = "application/x-ndjson";
    if (r.headers.count("if-none-match") && r.headers.at("if-none-match") == "\"v1\"") {
      resp.status = 304;
      return resp;
    }
    resp.headers = {"ETag: \"v1\"", "Last-Modified: Wed, 21 Oct 2026 07:28:00 GMT"};
    resp.body = kJsonl;
    return resp;
  });
  FeedPoller poller(Feed(server.Url("/feed.jsonl")), sink_.fn(), &states_, fetcher_.get(),
                    FastOptions());
  ASSERT_TRUE(poller.PollOnce().ok());
  ASSERT_EQ(sink_.size(), 3u);
  EXPECT_EQ(sink_.received()[0].report.source, "partner");
  EXPECT_EQ(sink_.received()[2].report.names[0].full, "فاطمة العلي");
  FeedState st = states_.Load("partner").value();
  EXPECT_EQ(st.etag, "\"v1\"");
  EXPECT_EQ(st.last_modified, "Wed, 21 Oct 2026 07:28:00 GMT");
  EXPECT_EQ(st.records_ok, 3);
  EXPECT_GT(st.last_success_ms, 0);

  ASSERT_TRUE(poller.PollOnce().ok());
  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].headers.count("if-none-match"), 0u);
  EXPECT_EQ(reqs[1].headers.at("if-none-match"), "\"v1\"");
  EXPECT_EQ(reqs[1].headers.at("if-modified-since"), "Wed, 21 Oct 2026 07:28:00 GMT");
  EXPECT_EQ(sink_.size(), 3u);  // nothing imported twice
  EXPECT_EQ(states_.Load("partner")->records_ok, 3);
}

TEST_F(FeedPollerTest, CsvFeedWithFieldMapAndJsonFeedWithPath) {
  FakeFeedServer server([](const SeenRequest& r) {
    FakeResponse resp;
    if (r.target == "/list.csv") {
      resp.content_type = "text/csv; charset=utf-8";
      resp.body =
          "id,name_ar_raw,dob,sex\r\n900000001,\"خالد, العمر\",1990-03-04,M\r\n"
          "900000002,سعاد,1985-13-01,F\r\n";
    } else {
      resp.content_type = "application/json; charset=utf-8";
      resp.body = R"({"data":{"records":[{"rid":"x1","name":"Omar"},{"rid":"x2","name":"Huda"}]}})";
    }
    return resp;
  });
  FeedSettings csv = Feed(server.Url("/list.csv"), "csv");
  csv.field_map = {{"id", "source_record_id"}, {"name_ar_raw", "name"}, {"dob", "date_of_birth"}};
  FeedPoller p1(csv, sink_.fn(), &states_, fetcher_.get(), FastOptions());
  ASSERT_TRUE(p1.PollOnce().ok());
  ASSERT_EQ(sink_.size(), 2u);
  EXPECT_EQ(sink_.received()[0].report.source_record_id, "900000001");
  EXPECT_EQ(sink_.received()[0].report.names[0].full, "خالد, العمر");
  EXPECT_EQ(sink_.received()[1].errors,
            (std::vector<FieldError>{{"date_of_birth",
                                      "not a date: \"1985-13-01\" (use YYYY-MM-DD, YYYY-MM or "
                                      "YYYY) (feed field \"dob\")"}}));
  EXPECT_EQ(sink_.received()[1].record_label, "feed partner record 2");
  EXPECT_EQ(states_.Load("partner")->records_rejected, 1);

  FeedSettings json = Feed(server.Url("/api"), "json");
  json.id = "api";
  json.records_path = "data.records";
  json.field_map = {{"rid", "source_record_id"}};
  FeedPoller p2(json, sink_.fn(), &states_, fetcher_.get(), FastOptions());
  ASSERT_TRUE(p2.PollOnce().ok());
  ASSERT_EQ(sink_.size(), 4u);
  EXPECT_EQ(sink_.received()[3].report.source, "api");
  EXPECT_EQ(sink_.received()[3].report.source_record_id, "x2");
  EXPECT_EQ(sink_.received()[3].report.raw_payload, R"({"rid":"x2","name":"Huda"})");
}

TEST_F(FeedPollerTest, ServerErrorsBackOffThenRecover) {
  std::atomic<int> calls{0};
  FakeFeedServer server([&](const SeenRequest&) {
    FakeResponse resp;
    if (calls++ < 2) {
      resp.status = 500;
      resp.body = "oops";
      return resp;
    }
    resp.body = kJsonl;
    return resp;
  });
  FeedPoller poller(Feed(server.Url("/feed")), sink_.fn(), &states_, fetcher_.get(), FastOptions());
  const auto start = Clock::now();
  poller.Start();
  ASSERT_TRUE(WaitFor([&] { return sink_.size() == 3; }));
  poller.Stop();
  EXPECT_EQ(server.requests().size(), 3u);
  // Two backoff waits of at least initial/2 = 10 ms and 20 ms.
  EXPECT_GE(Clock::now() - start, std::chrono::milliseconds(30));
  FeedState st = poller.state();
  EXPECT_EQ(st.consecutive_failures, 0);
  EXPECT_EQ(st.last_error, "HTTP 500");
  EXPECT_GT(st.last_error_ms, 0);
  EXPECT_EQ(st.records_ok, 3);
  EXPECT_EQ(poller.last_delay_ms(), 3600 * 1000);  // back to the poll interval
}

TEST(Backoff, DoublesWithJitterUpToCap) {
  std::mt19937_64 rng(7);
  BackoffPolicy p{1000, 8000};
  for (int i = 0; i < 50; ++i) {
    const int64_t d1 = BackoffDelayMs(p, 1, rng);
    EXPECT_TRUE(d1 >= 500 && d1 <= 1000) << d1;
    const int64_t d3 = BackoffDelayMs(p, 3, rng);
    EXPECT_TRUE(d3 >= 2000 && d3 <= 4000) << d3;
    const int64_t d9 = BackoffDelayMs(p, 40, rng);
    EXPECT_TRUE(d9 >= 4000 && d9 <= 8000) << d9;
  }
}

TEST_F(FeedPollerTest, SlowServerTimesOut) {
  FakeFeedServer server([](const SeenRequest&) {
    FakeResponse resp;
    resp.delay_ms = 8000;
    resp.body = kJsonl;
    return resp;
  });
  FeedSettings f = Feed(server.Url("/slow"));
  f.timeout_s = 1;
  FeedPoller poller(f, sink_.fn(), &states_, fetcher_.get(), FastOptions());
  const double errors_before = metrics::Std().feed_errors->value();
  const auto start = Clock::now();
  Status s = poller.PollOnce();
  EXPECT_EQ(metrics::Std().feed_errors->value(), errors_before + 1);  // qayd_feed_errors_total
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(4));
  EXPECT_EQ(s.message(), "timed out after 1000 ms");
  EXPECT_EQ(sink_.size(), 0u);
  FeedState st = states_.Load("partner").value();
  EXPECT_EQ(st.last_error, "timed out after 1000 ms");
  EXPECT_EQ(st.consecutive_failures, 1);
}

TEST_F(FeedPollerTest, TruncatedBodyImportsNothing) {
  FakeFeedServer server([](const SeenRequest&) {
    FakeResponse resp;
    resp.body = kJsonl;
    resp.declared_length = static_cast<int64_t>(resp.body.size()) + 500;
    return resp;
  });
  FeedPoller poller(Feed(server.Url("/t")), sink_.fn(), &states_, fetcher_.get(), FastOptions());
  Status s = poller.PollOnce();
  EXPECT_EQ(s.message(), "truncated body: the connection closed early");
  EXPECT_EQ(sink_.size(), 0u);
  EXPECT_EQ(states_.Load("partner")->etag, "");
}

TEST_F(FeedPollerTest, MalformedRecordAmongManyIsRejectedAloneAndOthersArriveOnce) {
  FakeFeedServer server([](const SeenRequest&) {
    FakeResponse resp;
    resp.body =
        "{\"source_record_id\":\"1\",\"name\":\"A\"}\n"
        "{\"source_record_id\":\"2\",\"name\":\"B\"}\n"
        "{\"source_record_id\":\"3\",\"name\":\"C\",,}\n"
        "{\"source_record_id\":\"4\",\"name\":\"D\",\"date_of_birth\":\"2030-01-01\"}\n"
        "{\"source_record_id\":\"5\",\"name\":\"E\"}\n";
    resp.headers = {"ETag: \"m\""};
    return resp;
  });
  FeedPoller poller(Feed(server.Url("/m")), sink_.fn(), &states_, fetcher_.get(), FastOptions());
  ASSERT_TRUE(poller.PollOnce().ok());
  ASSERT_TRUE(poller.PollOnce().ok());  // 200 again (the server ignores If-None-Match)
  const auto got = sink_.received();
  ASSERT_EQ(got.size(), 10u);  // the poller delivers; the store dedups by source+id
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(got[i].report.source_record_id, std::to_string(i + 1));
    const bool bad = i == 2 || i == 3;
    EXPECT_EQ(got[i].errors.empty(), !bad) << i;
  }
  EXPECT_EQ(got[2].record_label, "feed partner record 3");
  EXPECT_EQ(got[2].errors.at(0).field, "");
  EXPECT_EQ(got[2].errors.at(0).problem,
            "malformed JSON at offset 35: Missing a name for object member.");
  EXPECT_EQ(got[2].report.raw_payload, "{\"source_record_id\":\"3\",\"name\":\"C\",,}");
  EXPECT_EQ(got[3].errors,
            (std::vector<FieldError>{
                {"date_of_birth", "in the future: 2030-01-01 (today is 2026-11-28)"}}));
  FeedState st = states_.Load("partner").value();
  EXPECT_EQ(st.records_ok, 6);
  EXPECT_EQ(st.records_rejected, 4);
}

TEST_F(FeedPollerTest, OversizedBodyIsAnError) {
  FakeFeedServer server([](const SeenRequest& r) {
    FakeResponse resp;
    resp.body = std::string(5000, ' ') + kJsonl;
    resp.close_delimited = r.target == "/chunked";
    return resp;
  });
  for (const char* path : {"/sized", "/chunked"}) {
    FeedSettings f = Feed(server.Url(path));
    f.max_body_bytes = 1000;
    FeedPoller poller(f, sink_.fn(), &states_, fetcher_.get(), FastOptions());
    EXPECT_EQ(poller.PollOnce().message(), "body larger than 1000 bytes") << path;
  }
  EXPECT_EQ(sink_.size(), 0u);
  EXPECT_EQ(states_.Load("partner")->last_error, "body larger than 1000 bytes");
}

TEST_F(FeedPollerTest, WrongContentTypeIsAnErrorShownInState) {
  FakeFeedServer server([](const SeenRequest&) {
    FakeResponse resp;
    resp.content_type = "text/html; charset=utf-8";
    resp.body = "<html><body>Login required</body></html>";
    return resp;
  });
  FeedPoller poller(Feed(server.Url("/f"), "json"), sink_.fn(), &states_, fetcher_.get(),
                    FastOptions());
  EXPECT_FALSE(poller.PollOnce().ok());
  EXPECT_EQ(sink_.size(), 0u);
  FeedState st = poller.state();
  EXPECT_EQ(st.last_error, "unexpected content type \"text/html\" for format json");
  EXPECT_EQ(st.consecutive_failures, 1);
  EXPECT_EQ(states_.Load("partner")->last_error, st.last_error);
}

TEST_F(FeedPollerTest, CursorParamCarriesTheHighestCursorFieldValue) {
  FakeFeedServer server([](const SeenRequest& r) {
    FakeResponse resp;
    if (r.target == "/feed") {
      resp.body =
          "{\"source_record_id\":\"a\",\"name\":\"A\",\"seq\":9}\n"
          "{\"source_record_id\":\"b\",\"name\":\"B\",\"seq\":10}\n"
          "{\"source_record_id\":\"c\",\"name\":\"C\",\"seq\":8}\n";
    } else {
      resp.body = "{\"source_record_id\":\"d\",\"name\":\"D\",\"seq\":11}\n";
    }
    return resp;
  });
  FeedSettings f = Feed(server.Url("/feed"));
  f.cursor_param = "since";
  f.cursor_field = "seq";
  f.field_map = {{"seq", ""}};
  FeedPoller poller(f, sink_.fn(), &states_, fetcher_.get(), FastOptions());
  ASSERT_TRUE(poller.PollOnce().ok());
  EXPECT_EQ(states_.Load("partner")->cursor, "10");
  ASSERT_TRUE(poller.PollOnce().ok());
  EXPECT_EQ(server.requests().at(1).target, "/feed?since=10");
  EXPECT_EQ(states_.Load("partner")->cursor, "11");
  EXPECT_EQ(sink_.size(), 4u);
}

TEST_F(FeedPollerTest, AuthHeaderFromFileOrEnvironment) {
  FakeFeedServer server([](const SeenRequest& r) {
    FakeResponse resp;
    auto it = r.headers.find("authorization");
    if (it == r.headers.end() || it->second != "Bearer s3cret") {
      resp.status = 403;
      return resp;
    }
    resp.body = kJsonl;
    return resp;
  });
  const fs::path dir = fs::temp_directory_path() / ("qayd-auth-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "token") << "Authorization: Bearer s3cret\n";
  FeedSettings f = Feed(server.Url("/a"));
  f.auth_header_file = (dir / "token").string();
  FeedPoller p1(f, sink_.fn(), &states_, fetcher_.get(), FastOptions());
  EXPECT_TRUE(p1.PollOnce().ok());

  ::setenv("QAYD_TEST_FEED_AUTH", "Authorization: Bearer wrong", 1);
  FeedSettings g = Feed(server.Url("/a"));
  g.id = "env";
  g.auth_header_env = "QAYD_TEST_FEED_AUTH";
  FeedPoller p2(g, sink_.fn(), &states_, fetcher_.get(), FastOptions());
  EXPECT_EQ(p2.PollOnce().message(), "HTTP 403");
  g.auth_header_env = "QAYD_TEST_FEED_AUTH_UNSET";
  FeedPoller p3(g, sink_.fn(), &states_, fetcher_.get(), FastOptions());
  EXPECT_EQ(p3.PollOnce().message(), "auth_header_env QAYD_TEST_FEED_AUTH_UNSET is not set");
  EXPECT_EQ(sink_.size(), 3u);
  fs::remove_all(dir);
}

TEST_F(FeedPollerTest, StopAbortsATransferPromptly) {
  FakeFeedServer server([](const SeenRequest&) {
    FakeResponse resp;
    resp.delay_ms = 20000;
    return resp;
  });
  FeedSettings f = Feed(server.Url("/hang"));
  f.timeout_s = 60;
  FeedPoller poller(f, sink_.fn(), &states_, fetcher_.get(), FastOptions());
  poller.Start();
  ASSERT_TRUE(WaitFor([&] { return server.requests().size() == 1; }));
  const auto start = Clock::now();
  poller.Stop();
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(2));
  EXPECT_EQ(sink_.size(), 0u);
  EXPECT_EQ(poller.state().consecutive_failures, 0);  // a shutdown is not a feed failure
}

TEST_F(FeedPollerTest, SinkFailureKeepsStateSoTheNextPollRetries) {
  FakeFeedServer server([](const SeenRequest& r) {
    FakeResponse resp;
    if (r.headers.count("if-none-match")) {
      resp.status = 304;
      return resp;
    }
    resp.headers = {"ETag: \"e1\""};
    resp.body = kJsonl;
    return resp;
  });
  FeedPoller poller(Feed(server.Url("/s")), sink_.fn(), &states_, fetcher_.get(), FastOptions());
  sink_.fail_next = 1;
  EXPECT_EQ(poller.PollOnce().message(), "sink: store down");
  FeedState st = states_.Load("partner").value();
  EXPECT_EQ(st.etag, "");
  EXPECT_EQ(st.last_error, "sink: store down");
  ASSERT_TRUE(poller.PollOnce().ok());
  EXPECT_EQ(server.requests().at(1).headers.count("if-none-match"), 0u);
  EXPECT_EQ(sink_.size(), 3u);
  EXPECT_EQ(states_.Load("partner")->etag, "\"e1\"");
}

class FolderFeedTest : public FeedPollerTest {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("qayd-folder-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  // Writes a file dated `age_s` seconds ago.
  void Write(const std::string& name, const std::string& text, int age_s = 60) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
    const time_t t = ::time(nullptr) - age_s;
    utimbuf times{t, t};
    ::utime((dir_ / name).c_str(), &times);
  }
  fs::path dir_;
};

TEST_F(FolderFeedTest, ImportsEachDailyFileOnceInNameOrder) {
  Write("2024-01-06.csv", "name,sex\nB1,m\nB2,f\n");
  Write("2024-01-05.jsonl", "{\"name\":\"A1\"}\n{\"name\":\"A2\"}\n");
  Write(".2024-01-07.csv.part", "name\nX\n");
  Write("readme.txt", "ignored");
  FeedSettings f = Feed(dir_.string());
  FeedPoller poller(f, sink_.fn(), &states_, fetcher_.get(), FastOptions());
  ASSERT_TRUE(poller.PollOnce().ok());
  auto got = sink_.received();
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0].report.names[0].full, "A1");
  EXPECT_EQ(got[0].report.source_record_id, "2024-01-05.jsonl:1");
  EXPECT_EQ(got[0].record_label, "feed partner 2024-01-05.jsonl record 1");
  EXPECT_EQ(got[3].report.source_record_id, "2024-01-06.csv:2");
  EXPECT_EQ(states_.Load("partner")->cursor, "2024-01-06.csv");

  Write("2024-01-08.csv", "name\nC1\n", 0);  // just written: not yet
  ASSERT_TRUE(poller.PollOnce().ok());
  EXPECT_EQ(sink_.size(), 4u);
  Write("2024-01-08.csv", "name\nC1\n", 5);
  ASSERT_TRUE(poller.PollOnce().ok());
  ASSERT_EQ(sink_.size(), 5u);
  EXPECT_EQ(sink_.received()[4].report.source_record_id, "2024-01-08.csv:1");
  EXPECT_EQ(states_.Load("partner")->cursor, "2024-01-08.csv");
}

TEST_F(FolderFeedTest, FileUrlIsConditionalOnModificationTime) {
  Write("feed.jsonl", kJsonl);
  FeedSettings f = Feed("file://" + (dir_ / "feed.jsonl").string());
  FeedPoller poller(f, sink_.fn(), &states_, fetcher_.get(), FastOptions());
  ASSERT_TRUE(poller.PollOnce().ok());
  ASSERT_TRUE(poller.PollOnce().ok());
  EXPECT_EQ(sink_.size(), 3u);
  Write("feed.jsonl", std::string(kJsonl) + "{\"source_record_id\":\"4\",\"name\":\"D\"}\n", 1);
  ASSERT_TRUE(poller.PollOnce().ok());
  EXPECT_EQ(sink_.size(), 7u);
}

// A feed body the process stopped in (a crash, a kill) is imported again at
// the next start; one it stopped in twice is set aside in <crash_dir>/failed/
// and not imported, so a poison body cannot stop the daemon at every restart.
class FeedCrashMarkerTest : public FeedPollerTest {
 protected:
  void SetUp() override { dir_ = qayd::testing::FreshTestDir("qayd-feed-crash"); }
  void TearDown() override { fs::remove_all(dir_); }
  PollerOptions Options() const {
    PollerOptions o = FastOptions();
    o.crash_dir = (dir_ / "feed-imports").string();
    return o;
  }
  // What a process that died `times` times while importing `body` leaves.
  void DieDuring(const std::string& body, int times) const {
    for (int i = 0; i < times; ++i) {
      ImportMarker m(Options().crash_dir, "feed-partner");
      ASSERT_TRUE(m.Begin(body).value());  // and never End()
    }
  }
  size_t SetAsideFiles() const {
    std::error_code ec;
    size_t n = 0;
    for (auto it = fs::directory_iterator(dir_ / "feed-imports" / "failed", ec);
         !ec && it != fs::directory_iterator(); ++it) {
      ++n;
    }
    return n;
  }
  static FakeFeedServer Serve() {
    return FakeFeedServer([](const SeenRequest&) {
      FakeResponse resp;
      resp.body = kJsonl;
      return resp;
    });
  }
  fs::path dir_;
};

TEST_F(FeedCrashMarkerTest, AnImportThatEndsLeavesNoMarker) {
  FakeFeedServer server = Serve();
  FeedPoller poller(Feed(server.Url("/f.jsonl")), sink_.fn(), &states_, fetcher_.get(), Options());
  ASSERT_TRUE(poller.PollOnce().ok());
  EXPECT_EQ(sink_.size(), 3u);
  EXPECT_FALSE(fs::exists(dir_ / "feed-imports" / ".feed-partner.importing"));
}

TEST_F(FeedCrashMarkerTest, OneInterruptedImportIsRetried) {
  FakeFeedServer server = Serve();
  DieDuring(kJsonl, 1);
  FeedPoller poller(Feed(server.Url("/f.jsonl")), sink_.fn(), &states_, fetcher_.get(), Options());
  ASSERT_TRUE(poller.PollOnce().ok());
  EXPECT_EQ(sink_.size(), 3u);
  EXPECT_EQ(SetAsideFiles(), 0u);
  EXPECT_FALSE(fs::exists(dir_ / "feed-imports" / ".feed-partner.importing"));
}

TEST_F(FeedCrashMarkerTest, ABodyInterruptedTwiceIsSetAsideNotImported) {
  FakeFeedServer server = Serve();
  DieDuring(kJsonl, 2);
  const double errors_before = metrics::Std().feed_errors->value();
  FeedPoller poller(Feed(server.Url("/f.jsonl")), sink_.fn(), &states_, fetcher_.get(), Options());
  Status s = poller.PollOnce();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("stopped twice"), std::string::npos) << s.ToString();
  EXPECT_EQ(sink_.size(), 0u);
  EXPECT_EQ(poller.state().consecutive_failures, 1);
  EXPECT_EQ(metrics::Std().feed_errors->value(), errors_before + 1);
  ASSERT_EQ(SetAsideFiles(), 1u);
  const fs::path kept = fs::directory_iterator(dir_ / "feed-imports" / "failed")->path();
  std::ifstream in(kept, std::ios::binary);
  std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(body, kJsonl);  // kept whole, to be corrected and replayed
  EXPECT_EQ(kept.extension(), ".jsonl");
  // Polled again: refused again, kept once.
  EXPECT_FALSE(poller.PollOnce().ok());
  EXPECT_EQ(SetAsideFiles(), 1u);
  EXPECT_EQ(sink_.size(), 0u);
}

TEST_F(FeedCrashMarkerTest, AnotherBodyFromTheFeedIsImported) {
  FakeFeedServer server = Serve();
  DieDuring("{\"source_record_id\":\"9\",\"name\":\"x\"}\n", 2);
  FeedPoller poller(Feed(server.Url("/f.jsonl")), sink_.fn(), &states_, fetcher_.get(), Options());
  ASSERT_TRUE(poller.PollOnce().ok());
  EXPECT_EQ(sink_.size(), 3u);
  EXPECT_EQ(SetAsideFiles(), 0u);
}

}  // namespace
}  // namespace qayd::ingest
