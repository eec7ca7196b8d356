// Two Pipeline objects (two instances) on one register, in one process:
// engine decisions of the other instance reach this one's index, a report
// the other instance matched meanwhile is never matched a second time, and
// the matcher's batch is never visible half-done.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>

#include "config/config.h"
#include "model/report_json.h"
#include "pipeline/pipeline.h"
#include "tests/support/incoming_batch.h"
#include "tests/support/test_dir.h"

namespace qayd {
namespace {

// Delegates to a real store; counts write transactions and runs a one-shot
// hook when the pipeline begins its first one (ResumePending: after reading
// the inbox, before it records its matching decisions).
class HookStore : public Store {
 public:
  explicit HookStore(Store* inner) : inner_(inner) {}
  Result<std::unique_ptr<Txn>> Begin(Mode mode) override {
    if (mode == Mode::kWrite && ++writes_ == 1 && on_decisions) {
      auto hook = std::move(on_decisions);
      on_decisions = nullptr;
      hook();
    }
    return inner_->Begin(mode);
  }
  Status ScanVictims(const VictimVisitor& visit) override { return inner_->ScanVictims(visit); }
  const char* backend() const override { return inner_->backend(); }
  Result<std::string> IntegrityCheck() override { return inner_->IntegrityCheck(); }
  Result<bool> TryAcquireMatcherLock() override { return inner_->TryAcquireMatcherLock(); }
  void ReleaseMatcherLock() override {}
  std::function<void()> on_decisions;
  int writes() const { return writes_; }

 private:
  Store* inner_;
  int writes_ = 0;
};

class PipelineInstancesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::FreshTestDir("qayd-multi-pipeline");
    auto s = OpenStore((dir_ / "r.db").string());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    hook_store_ = std::make_unique<HookStore>(store_.get());
    for (auto& e : engines_) e = std::make_unique<matching::Engine>(DefaultConfig().matching);
    one_ = std::make_unique<Pipeline>(hook_store_.get(), engines_[0].get());
    two_ = std::make_unique<Pipeline>(store_.get(), engines_[1].get());
  }
  void TearDown() override {
    one_.reset();
    two_.reset();
    hook_store_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  static std::vector<IncomingRecord> Batch(const std::vector<std::string>& lines) {
    return testing::IncomingBatch(lines);
  }
  // Engine decisions (kVictimCreated / kReportAttached) recorded for a report.
  int Decisions(int64_t report_id) {
    auto txn = store_->Begin(Store::Mode::kRead);
    EXPECT_TRUE(txn.ok());
    auto events = (*txn)->EventsSince(0, 100000);
    EXPECT_TRUE(events.ok());
    int n = 0;
    for (const auto& e : *events) {
      if (e.report_id == report_id &&
          (e.type == EventType::kVictimCreated || e.type == EventType::kReportAttached)) {
        ++n;
      }
    }
    return n;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<HookStore> hook_store_;
  std::unique_ptr<matching::Engine> engines_[2];
  std::unique_ptr<Pipeline> one_, two_;
};

const char* kAhmad =
    R"({"source":"a","source_record_id":"1","name":"أحمد محمود حسن الشاعر","sex":"male","date_of_birth":"1984-03-12"})";
const char* kNoName =
    R"({"source":"a","source_record_id":"2","sex":"male","date_of_death":"2024-01-05"})";
const char* kAhmadAgain =
    R"({"source":"b","source_record_id":"9","name":"احمد محمود حسن الشاعر","sex":"M","date_of_birth":"1984-03-12"})";

TEST_F(PipelineInstancesTest, FollowsTheEngineDecisionsOfAnotherInstance) {
  auto first = two_->Process(Batch({kAhmad}));
  ASSERT_TRUE(first.ok());
  ASSERT_EQ((*first)[0].decision, "new");
  ASSERT_TRUE(one_->FollowChanges().ok());
  auto again = one_->Process(Batch({kAhmadAgain}));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)[0].decision, "merged");
  EXPECT_EQ((*again)[0].victim_id, (*first)[0].victim_id);
}

TEST_F(PipelineInstancesTest, AReportMatchedMeanwhileIsNotMatchedAgain) {
  // Reports wait in the inbox (accepted where the matcher lock was not held).
  // Instance one reads them to match them; before its decisions are written,
  // instance two resumes the inbox and matches them.
  std::vector<int64_t> ids;
  {
    auto txn = store_->Begin(Store::Mode::kWrite);
    ASSERT_TRUE(txn.ok());
    for (IncomingRecord& rec : Batch({kAhmad, kNoName})) {
      auto accepted = (*txn)->AcceptReport(rec.report);
      ASSERT_TRUE(accepted.ok()) << accepted.status().ToString();
      ids.push_back(accepted->report_id);
    }
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  int64_t resumed = -1;
  hook_store_->on_decisions = [&] {
    auto r = two_->ResumePending();
    ASSERT_TRUE(r.ok());
    resumed = *r;
  };
  auto again = one_->ResumePending();
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(resumed, 2);
  auto txn = store_->Begin(Store::Mode::kRead);
  ASSERT_TRUE(txn.ok());
  auto counts = (*txn)->GetCounts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->victims, 2);
  EXPECT_EQ(counts->pending_match, 0);
  for (int64_t id : ids) EXPECT_EQ(Decisions(id), 1) << id;
}

TEST_F(PipelineInstancesTest, TheMatcherAcceptsAndDecidesInOneTransaction) {
  // No window in which another instance could see the batch pending: one
  // write transaction holds acceptance and decisions.
  auto out = one_->Process(Batch({kAhmad, kNoName}));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(hook_store_->writes(), 1);
  EXPECT_EQ((*out)[0].decision, "new");
  EXPECT_EQ((*out)[1].decision, "unidentified");
  auto txn = store_->Begin(Store::Mode::kRead);
  ASSERT_TRUE(txn.ok());
  EXPECT_EQ((*txn)->GetCounts()->pending_match, 0);
  for (const RecordOutcome& o : *out) EXPECT_EQ(Decisions(o.report_id), 1);
}

}  // namespace
}  // namespace qayd
