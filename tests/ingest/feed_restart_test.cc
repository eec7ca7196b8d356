// A feed against the real register: SQLite in a temporary directory, the real
// pipeline and matching engine, feed state persisted through the store. A
// crash between the pipeline's commit and the poller's state save must lose
// nothing and duplicate nothing after a restart, and the restarted poller must
// resume from the saved ETag and cursor.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "config/config.h"
#include "fake_feed_server.h"
#include "ingest/feed_poller.h"
#include "ingest/validate.h"
#include "matching/engine.h"
#include "pipeline/pipeline.h"
#include "store/store.h"

namespace qayd::ingest {
namespace {

namespace fs = std::filesystem;
using testing::FakeFeedServer;
using testing::FakeResponse;
using testing::SeenRequest;

// The register as the daemon holds it.
struct Register {
  explicit Register(const std::string& path) {
    auto s = OpenStore(path);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    store = std::move(*s);
    engine = std::make_unique<matching::Engine>(DefaultConfig().matching);
    EXPECT_TRUE(LoadIndex(store.get(), engine.get()).ok());
    pipeline = std::make_unique<Pipeline>(store.get(), engine.get());
    states = MakeStoreFeedStateStore(store.get());
  }
  Counts counts() {
    auto txn = store->Begin(Store::Mode::kRead);
    EXPECT_TRUE(txn.ok());
    return (*txn)->GetCounts().value();
  }
  std::unique_ptr<Store> store;
  std::unique_ptr<matching::Engine> engine;
  std::unique_ptr<Pipeline> pipeline;
  std::unique_ptr<FeedStateStore> states;
};

TEST(FeedRestart, CrashBeforeStateSaveThenRestartLosesAndDuplicatesNothing) {
  const fs::path dir = fs::temp_directory_path() / ("qayd-restart-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string db = (dir / "register.db").string();

  FakeFeedServer server([](const SeenRequest& r) {
    FakeResponse resp;
    resp.content_type = "application/x-ndjson";
    if (r.headers.count("if-none-match") && r.headers.at("if-none-match") == "\"v1\"") {
      resp.status = 304;
      return resp;
    }
    resp.headers = {"ETag: \"v1\""};
    resp.body =
        "{\"source_record_id\":\"101\",\"name\":\"محمد خالد العلي\",\"seq\":1,"
        "\"date_of_death\":\"2024-01-05\",\"sex\":\"male\"}\n"
        "{\"source_record_id\":\"102\",\"name\":\"فاطمة حسن\",\"seq\":2,\"sex\":\"female\"}\n"
        "{\"source_record_id\":\"103\",\"name\":\"Yusuf Ibrahim\",\"seq\":3,,}\n"
        "{\"source_record_id\":\"104\",\"name\":\"سامر نور الدين\",\"seq\":4}\n"
        "{\"source_record_id\":\"105\",\"name\":\"Huda Saleh\",\"seq\":5,\"age\":\"200\"}\n";
    return resp;
  });
  FeedSettings feed;
  feed.id = "partner";
  feed.url = server.Url("/feed");
  feed.timeout_s = 5;
  feed.cursor_param = "since";
  feed.cursor_field = "seq";
  feed.field_map = {{"seq", ""}};
  auto fetcher = MakeCurlFetcher();
  PollerOptions options;
  options.validate.today = *ParseFuzzyDate("2026-11-28");

  {  // First run: the pipeline commits, then the process "dies" before the state save.
    Register reg(db);
    RecordSink crashing =
        [&](std::vector<IncomingRecord> batch) -> Result<std::vector<RecordOutcome>> {
      auto out = reg.pipeline->Process(std::move(batch));
      EXPECT_TRUE(out.ok());
      return Error(ErrorCode::kUnavailable, "killed after the commit");
    };
    FeedPoller poller(feed, crashing, reg.states.get(), fetcher.get(), options);
    EXPECT_EQ(poller.PollOnce().message(), "sink: killed after the commit");
    Counts c = reg.counts();
    EXPECT_EQ(c.reports, 3);
    EXPECT_EQ(c.quarantined, 2);
    FeedState st = reg.states->Load("partner").value();
    EXPECT_EQ(st.etag, "");
    EXPECT_EQ(st.cursor, "");
  }
  {  // Restart: the same records arrive again; the store recognises them.
    Register reg(db);
    std::vector<RecordOutcome> outcomes;
    RecordSink sink = [&](std::vector<IncomingRecord> batch) -> Result<std::vector<RecordOutcome>> {
      auto out = reg.pipeline->Process(std::move(batch));
      if (out.ok()) outcomes.insert(outcomes.end(), out->begin(), out->end());
      return out;
    };
    FeedPoller poller(feed, sink, reg.states.get(), fetcher.get(), options);
    ASSERT_TRUE(poller.PollOnce().ok());
    EXPECT_EQ(server.requests().at(1).target, "/feed");  // nothing saved: no cursor yet
    EXPECT_EQ(server.requests().at(1).headers.count("if-none-match"), 0u);
    ASSERT_EQ(outcomes.size(), 5u);
    EXPECT_EQ(outcomes[0].decision, "duplicate");
    EXPECT_EQ(outcomes[1].decision, "duplicate");
    EXPECT_EQ(outcomes[2].decision, "rejected");
    EXPECT_EQ(outcomes[2].error,
              "feed partner record 3: (record): malformed JSON at offset 57: Missing a name for "
              "object member.");
    EXPECT_EQ(outcomes[3].decision, "duplicate");
    EXPECT_EQ(outcomes[4].decision, "rejected");
    EXPECT_EQ(outcomes[4].error, "feed partner record 5: age: out of range 0..120: 200");
    EXPECT_EQ(reg.counts().reports, 3);  // no report counted twice
    FeedState st = reg.states->Load("partner").value();
    EXPECT_EQ(st.etag, "\"v1\"");
    EXPECT_EQ(st.cursor, "4");  // highest seq among valid records
    EXPECT_EQ(st.records_ok, 3);
    EXPECT_EQ(st.records_rejected, 2);
  }
  {  // Another restart resumes from the saved ETag and cursor.
    Register reg(db);
    int calls = 0;
    RecordSink sink = [&](std::vector<IncomingRecord> batch) -> Result<std::vector<RecordOutcome>> {
      ++calls;
      return reg.pipeline->Process(std::move(batch));
    };
    FeedPoller poller(feed, sink, reg.states.get(), fetcher.get(), options);
    ASSERT_TRUE(poller.PollOnce().ok());
    const SeenRequest last = server.requests().back();
    EXPECT_EQ(last.target, "/feed?since=4");
    EXPECT_EQ(last.headers.at("if-none-match"), "\"v1\"");
    EXPECT_EQ(calls, 0);
    EXPECT_EQ(reg.counts().reports, 3);
    EXPECT_GT(reg.states->Load("partner")->last_success_ms, 0);
  }
  fs::remove_all(dir);
}

TEST(StoreVocabularies, CodesAndBothLabelsAreAcceptedWithSuggestions) {
  const fs::path dir = fs::temp_directory_path() / ("qayd-vocab-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  {
    auto store = OpenStore((dir / "register.db").string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto vocab = LoadVocabularies(store->get());
    ASSERT_TRUE(vocab.ok()) << vocab.status().ToString();
    ValidateOptions o;
    o.vocab = *vocab;
    for (const char* p : {"Russian forces", "russian_forces", "القوات الروسية"}) {
      Report r;
      r.source = "s";
      r.source_record_id = "1";
      r.names.push_back({.full = "A"});
      r.perpetrator = p;
      std::vector<FieldError> errors;
      ValidateReport(r, o, &errors);
      EXPECT_EQ(errors, std::vector<FieldError>{}) << p;
    }
    EXPECT_EQ(ClosestEntry("Rusian forces", o.vocab.perpetrators), "Russian forces");
    EXPECT_EQ(ClosestEntry("Khan Yunis", o.vocab.governorates), "Khan Younis");
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace qayd::ingest
