// The pipeline's two failure paths on a real SQLite register, with faults
// injected by FaultyStore: a batch whose commit fails leaves nothing in the
// store or the engine's index (the reports indexed while committing leave it
// again), and a batch whose decisions cannot be written is accepted into the
// inbox alone, where ResumePending matches it later. Also: following the
// change log does not read the pipeline's own batches back, yet still follows
// a change made outside it. And a correct-and-replay whose quarantine mark
// cannot be written stores nothing (report and mark are one transaction).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "base/log.h"
#include "config/config.h"
#include "ingest/quarantine_replay.h"
#include "model/report_json.h"
#include "pipeline/pipeline.h"
#include "tests/support/faulty_store.h"
#include "tests/support/incoming_batch.h"
#include "tests/support/test_dir.h"

namespace qayd {
namespace {

const char* kAhmad =
    R"({"source":"a","source_record_id":"1","name":"أحمد محمود حسن الشاعر","sex":"male","date_of_birth":"1984-03-12"})";
const char* kBrother =
    R"({"source":"a","source_record_id":"2","name":"خالد محمود حسن الشاعر","sex":"male","date_of_birth":"1988-07-01"})";
// Ahmad again, from another source and spelt without the hamza: merges.
const char* kAhmadAgain =
    R"({"source":"b","source_record_id":"9","name":"احمد محمود حسن الشاعر","sex":"M","date_of_birth":"1984-03-12"})";
// Ahmad's brother again, from another source.
const char* kBrotherAgain =
    R"({"source":"c","source_record_id":"5","name":"خالد محمود حسن الشاعر","sex":"male","date_of_birth":"1988-07-01"})";
// Someone not in the register.
const char* kFatima =
    R"({"source":"b","source_record_id":"10","name":"فاطمة علي يوسف النجار","sex":"female","date_of_birth":"1991-11-23"})";

class PipelineFaultsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::FreshTestDir("qayd-pipeline-faults");
    auto s = OpenStore((dir_ / "r.db").string());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    faulty_ = std::make_unique<testing::FaultyStore>(store_.get());
    engine_ = std::make_unique<matching::Engine>(DefaultConfig().matching);
    ASSERT_TRUE(LoadIndex(faulty_.get(), engine_.get()).ok());
    pipeline_ = std::make_unique<Pipeline>(faulty_.get(), engine_.get());
  }
  void TearDown() override {
    pipeline_.reset();
    engine_.reset();
    faulty_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  static std::vector<IncomingRecord> Batch(const std::vector<std::string>& lines) {
    return testing::IncomingBatch(lines);
  }

  Counts StoreCounts() {
    auto txn = store_->Begin(Store::Mode::kRead);
    EXPECT_TRUE(txn.ok()) << txn.status().ToString();
    if (!txn.ok()) return {};
    auto counts = (*txn)->GetCounts();
    EXPECT_TRUE(counts.ok()) << counts.status().ToString();
    return counts.ok() ? *counts : Counts{};
  }

  int64_t VictimOf(const std::string& source, const std::string& record_id) {
    auto txn = store_->Begin(Store::Mode::kRead);
    EXPECT_TRUE(txn.ok()) << txn.status().ToString();
    if (!txn.ok()) return -1;
    auto report = (*txn)->FindReport(source, record_id);
    EXPECT_TRUE(report.ok()) << source << "/" << record_id << ": " << report.status().ToString();
    if (!report.ok()) return -1;
    auto victim = (*txn)->VictimOfReport(*report);
    EXPECT_TRUE(victim.ok()) << victim.status().ToString();
    return victim.ok() ? *victim : -1;
  }

  // The register before the faults: Ahmad and his brother, two victims.
  void SeedRegister() {
    auto out = pipeline_->Process(Batch({kAhmad, kBrother}));
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    ASSERT_EQ(out->size(), 2u);
    ASSERT_EQ((*out)[0].decision, "new");
    ASSERT_EQ((*out)[1].decision, "new");
    ahmad_victim_ = (*out)[0].victim_id;
    ASSERT_NE(ahmad_victim_, 0);
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<testing::FaultyStore> faulty_;
  std::unique_ptr<matching::Engine> engine_;
  std::unique_ptr<Pipeline> pipeline_;
  int64_t ahmad_victim_ = 0;
};

TEST_F(PipelineFaultsTest, AFailedCommitLeavesNothingInTheIndexOrTheStore) {
  ASSERT_NO_FATAL_FAILURE(SeedRegister());
  const size_t indexed = engine_->indexed_reports();
  ASSERT_EQ(indexed, 2u);
  const Counts before = StoreCounts();
  ASSERT_EQ(before.reports, 2);
  ASSERT_EQ(before.victims, 2);

  faulty_->fail_next_commit = true;
  auto failed = pipeline_->Process(Batch({kAhmadAgain, kFatima}));
  EXPECT_FALSE(faulty_->fail_next_commit) << "the commit fault did not fire";
  ASSERT_FALSE(failed.ok()) << "a batch whose commit failed must not be acknowledged";
  EXPECT_EQ(failed.status().code(), ErrorCode::kIo);
  EXPECT_EQ(engine_->indexed_reports(), indexed)
      << "reports indexed while committing must leave the index when the commit fails";
  const Counts after = StoreCounts();
  EXPECT_EQ(after.reports, before.reports);
  EXPECT_EQ(after.victims, before.victims);
  EXPECT_EQ(after.active_victims, before.active_victims);
  EXPECT_EQ(after.history_events, before.history_events);
  EXPECT_EQ(after.pending_match, before.pending_match);
  EXPECT_EQ(after.pending_reviews, before.pending_reviews);

  // The sender retries: the batch is decided as if the failure never happened.
  auto out = pipeline_->Process(Batch({kAhmadAgain, kFatima}));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out->size(), 2u);
  EXPECT_EQ((*out)[0].decision, "merged") << (*out)[0].ToJson();
  EXPECT_EQ((*out)[0].victim_id, ahmad_victim_);
  EXPECT_EQ((*out)[1].decision, "new") << (*out)[1].ToJson();
  EXPECT_NE((*out)[1].victim_id, ahmad_victim_);
  EXPECT_EQ(engine_->indexed_reports(), indexed + 2);
  EXPECT_EQ(VictimOf("b", "9"), ahmad_victim_);
  EXPECT_EQ(VictimOf("b", "10"), (*out)[1].victim_id);
  const Counts retried = StoreCounts();
  EXPECT_EQ(retried.reports, before.reports + 2);
  EXPECT_EQ(retried.victims, before.victims + 1);
  EXPECT_EQ(retried.pending_match, 0);
}

TEST_F(PipelineFaultsTest, AFailedDecisionLeavesTheBatchInTheInbox) {
  ASSERT_NO_FATAL_FAILURE(SeedRegister());
  const size_t indexed = engine_->indexed_reports();
  const Counts before = StoreCounts();

  faulty_->fail_next_attach = true;
  auto out = pipeline_->Process(Batch({kAhmadAgain, kFatima}));
  EXPECT_FALSE(faulty_->fail_next_attach) << "the attach fault did not fire";
  ASSERT_TRUE(out.ok()) << "the batch is still accepted: " << out.status().ToString();
  ASSERT_EQ(out->size(), 2u);
  for (const RecordOutcome& o : *out) {
    EXPECT_EQ(o.decision, "pending") << o.ToJson();
    EXPECT_NE(o.report_id, 0) << o.ToJson();
    EXPECT_EQ(o.victim_id, 0) << o.ToJson();
  }
  const Counts inbox = StoreCounts();
  EXPECT_EQ(inbox.pending_match, 2);
  EXPECT_EQ(inbox.reports, before.reports + 2);
  EXPECT_EQ(inbox.victims, before.victims) << "no decision of the batch survives";
  EXPECT_EQ(engine_->indexed_reports(), indexed);
  EXPECT_EQ(VictimOf("b", "9"), 0);

  auto resumed = pipeline_->ResumePending();
  ASSERT_TRUE(resumed.ok()) << resumed.status().ToString();
  EXPECT_EQ(*resumed, 2);
  EXPECT_EQ(VictimOf("b", "9"), ahmad_victim_) << "the re-report joins Ahmad";
  const int64_t fatima = VictimOf("b", "10");
  EXPECT_NE(fatima, 0);
  EXPECT_NE(fatima, ahmad_victim_);
  EXPECT_EQ(StoreCounts().pending_match, 0);
  EXPECT_EQ(engine_->indexed_reports(), indexed + 2);
}

TEST_F(PipelineFaultsTest, FollowingSkipsItsOwnBatchesButNotAMonitorsMerge) {
  ASSERT_NO_FATAL_FAILURE(SeedRegister());
  const int64_t brother = VictimOf("a", "2");
  faulty_->events_read = 0;
  auto out = pipeline_->Process(Batch({kFatima}));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  out = pipeline_->Process(Batch({kAhmadAgain}));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)[0].decision, "merged");
  EXPECT_EQ(faulty_->events_read, 0) << "its own batches' events were read back";
  {  // A monitor merges the brother into Ahmad, outside the pipeline.
    auto txn = store_->Begin(Store::Mode::kWrite);
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE((*txn)->MergeVictims(ahmad_victim_, brother, "monitor1", "{}").ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  out = pipeline_->Process(Batch({kBrotherAgain}));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_GT(faulty_->events_read, 0) << "the merge was not read";
  EXPECT_EQ((*out)[0].decision, "merged") << (*out)[0].ToJson();
  EXPECT_EQ((*out)[0].victim_id, ahmad_victim_) << "the index still holds the absorbed victim";
}

TEST_F(PipelineFaultsTest, AReplayWhoseQuarantineMarkFailsStoresNothing) {
  int64_t entry = 0;
  {
    auto txn = store_->Begin(Store::Mode::kWrite);
    ASSERT_TRUE(txn.ok()) << txn.status().ToString();
    QuarantineRecord q;
    q.source = "a";
    q.source_record_id = "q1";
    q.raw = R"({"source_record_id":"q1","name":"فاطمة علي","date_of_death":"2001-13-40"})";
    q.reasons = R"([{"field":"date_of_death","problem":"not a date"}])";
    auto id = (*txn)->Quarantine(q);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    entry = *id;
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  const std::string corrected = R"({"name":"فاطمة علي يوسف النجار","date_of_death":"2024-01-13"})";
  auto replayed = [&] {
    auto txn = store_->Begin(Store::Mode::kRead);
    return (*txn)->GetQuarantined(entry)->replayed_report_id;
  };

  faulty_->fail_next_mark_replayed = true;
  auto failed = ingest::ReplayQuarantined(faulty_.get(), pipeline_.get(), {}, entry, corrected, 1);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().message(), "injected mark failure");
  EXPECT_FALSE(faulty_->fail_next_mark_replayed);
  EXPECT_EQ(StoreCounts().reports, 0) << "the report is not stored without its mark";
  EXPECT_EQ(replayed(), 0);

  auto ok = ingest::ReplayQuarantined(faulty_.get(), pipeline_.get(), {}, entry, corrected, 2);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->outcome.decision, "new");
  EXPECT_EQ(StoreCounts().reports, 1);
  EXPECT_EQ(replayed(), ok->outcome.report_id);

  auto twice = ingest::ReplayQuarantined(faulty_.get(), pipeline_.get(), {}, entry, corrected, 3);
  EXPECT_EQ(twice.status().code(), ErrorCode::kConflict);
  EXPECT_EQ(StoreCounts().reports, 1);
}

// Two replays of one quarantine entry at once: the one that commits second
// finds the mark in its own transaction and stores nothing (kConflict),
// logged as a refusal at info level, not as a fault.
TEST_F(PipelineFaultsTest, AReplayThatLostTheRaceStoresNothing) {
  int64_t entry = 0, first = 0;
  {
    auto txn = store_->Begin(Store::Mode::kWrite);
    ASSERT_TRUE(txn.ok()) << txn.status().ToString();
    QuarantineRecord q;
    q.source = "b";
    q.source_record_id = "10";
    q.raw = "{}";
    q.reasons = R"([{"field":"name","problem":"missing"}])";
    auto id = (*txn)->Quarantine(q);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    entry = *id;
    // The other replay, committed first.
    Report fatima;
    std::vector<FieldError> errors;
    ASSERT_TRUE(ReportFromJsonText(kFatima, &fatima, &errors));
    auto a = (*txn)->AcceptReport(fatima);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    first = a->report_id;
    ASSERT_TRUE((*txn)->MarkReplayed(entry, first).ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  char path[] = "/tmp/qayd-race-log-XXXXXX";
  const int log_fd = mkstemp(path);
  ASSERT_GE(log_fd, 0);
  log::SetFd(log_fd);
  // This replay's record differs from the first (a corrected date), so it
  // would be stored as a new version if the mark were not checked.
  auto batch = Batch({R"({"source":"b","source_record_id":"10","name":"فاطمة علي يوسف النجار","sex":"female","date_of_birth":"1991-11-24"})"});
  batch[0].replays_quarantine_id = entry;
  auto out = pipeline_->Process(std::move(batch));
  log::SetFd(2);
  std::ifstream in(path);
  const std::string logged((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  close(log_fd);
  unlink(path);
  EXPECT_EQ(out.status().code(), ErrorCode::kConflict);
  EXPECT_EQ(StoreCounts().reports, 1);
  auto txn = store_->Begin(Store::Mode::kRead);
  EXPECT_EQ((*txn)->GetQuarantined(entry)->replayed_report_id, first);
  EXPECT_NE(logged.find("level=info msg=\"batch refused\" error=conflict"), std::string::npos)
      << logged;
  EXPECT_EQ(logged.find("level=error"), std::string::npos) << logged;
}

}  // namespace
}  // namespace qayd
