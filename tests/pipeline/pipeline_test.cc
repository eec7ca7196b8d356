// The pipeline on a real SQLite register: acknowledgement, quarantine,
// idempotency, decisions, the inbox and following the change log.
#include "pipeline/pipeline.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "config/config.h"
#include "model/report_json.h"
#include "pipeline/batches.h"
#include "tests/support/test_dir.h"

namespace qayd {
namespace {

class PipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::FreshTestDir("qayd-pipeline");
    Reopen();
  }
  void TearDown() override {
    pipeline_.reset();
    engine_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Reopen() {
    pipeline_.reset();
    engine_.reset();
    store_.reset();
    auto s = OpenStore((dir_ / "r.db").string());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    engine_ = std::make_unique<matching::Engine>(DefaultConfig().matching);
    ASSERT_TRUE(LoadIndex(store_.get(), engine_.get()).ok());
    pipeline_ = std::make_unique<Pipeline>(store_.get(), engine_.get());
  }

  static IncomingRecord Rec(const std::string& json, bool valid = true) {
    IncomingRecord rec;
    EXPECT_EQ(ReportFromJsonText(json, &rec.report, &rec.errors), valid) << json;
    rec.report.raw_payload = json;
    rec.record_label = "test record " + rec.report.source_record_id;
    return rec;
  }

  std::vector<RecordOutcome> Process(std::vector<std::string> lines) {
    std::vector<IncomingRecord> batch;
    for (const auto& l : lines) batch.push_back(Rec(l));
    auto out = pipeline_->Process(std::move(batch));
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    return out.ok() ? *out : std::vector<RecordOutcome>{};
  }

  // A register of its own below the test's folder, to compare a run with.
  struct Register {
    std::unique_ptr<Store> store;
    std::unique_ptr<matching::Engine> engine;
    std::unique_ptr<Pipeline> pipeline;
  };
  Register OtherRegister(const std::string& name) {
    const auto dir = dir_ / name;
    std::filesystem::create_directories(dir);
    Register r;
    auto store = OpenStore((dir / "r.db").string());
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    if (!store.ok()) return r;
    r.store = std::move(*store);
    r.engine = std::make_unique<matching::Engine>(DefaultConfig().matching);
    r.pipeline = std::make_unique<Pipeline>(r.store.get(), r.engine.get());
    return r;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<matching::Engine> engine_;
  std::unique_ptr<Pipeline> pipeline_;
};

const char* kAhmad =
    R"({"source":"a","source_record_id":"1","name":"أحمد محمود حسن الشاعر","sex":"male","date_of_birth":"1984-03-12"})";
const char* kAhmadAgain =
    R"({"source":"b","source_record_id":"9","name":"احمد محمود حسن الشاعر","sex":"M","date_of_birth":"1984-03-12"})";
const char* kAhmadLatin =
    R"({"source":"c","source_record_id":"4","name":"Ahmed Mahmoud Hassan al-Shaer","sex":"male","date_of_birth":"1984-03-12"})";
const char* kBrother =
    R"({"source":"a","source_record_id":"2","name":"خالد محمود حسن الشاعر","sex":"male","date_of_birth":"1988-07-01"})";

TEST_F(PipelineTest, NewThenMergedAcrossSpellingsAndScripts) {
  auto out = Process({kAhmad, kBrother});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].decision, "new");
  EXPECT_EQ(out[1].decision, "new") << "a brother must not merge";
  EXPECT_NE(out[0].victim_id, out[1].victim_id);
  out = Process({kAhmadAgain, kAhmadLatin});
  EXPECT_EQ(out[0].decision, "merged");
  auto txn = store_->Begin(Store::Mode::kRead);
  ASSERT_TRUE(txn.ok());
  auto first = (*txn)->VictimOfReport(1);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(out[0].victim_id, *first);
  EXPECT_TRUE(out[1].decision == "merged" || out[1].decision == "review") << out[1].ToJson();
  if (out[1].decision == "merged") {
    EXPECT_EQ(out[1].victim_id, *first);
  }
  if (out[1].decision == "review") {
    ASSERT_FALSE(out[1].candidates.empty());
    EXPECT_EQ(out[1].candidates[0].victim_id, *first);
  }
}

// ProcessInBatches (the next batch normalised ahead on a helper thread)
// decides exactly as Process called batch by batch on the same batches.
TEST_F(PipelineTest, BatchesNormalisedAheadDecideAsProcessDoes) {
  const char* bad = R"({"source":"a","source_record_id":"7","name":"x","sex":"tall"})";
  auto records = [&] {
    std::vector<IncomingRecord> r;
    for (const char* l : {kAhmad, kBrother, kAhmadAgain, kAhmadLatin, kAhmad}) r.push_back(Rec(l));
    r.push_back(Rec(bad, false));
    r.push_back(Rec(kBrother));
    return r;
  };
  std::vector<RecordOutcome> ahead;
  std::vector<size_t> firsts;
  Status s = ProcessInBatches(pipeline_.get(), records(), 2,
                              [&](size_t first, std::vector<RecordOutcome>& out, double seconds) {
                                EXPECT_GE(seconds, 0);
                                firsts.push_back(first);
                                for (auto& o : out) ahead.push_back(std::move(o));
                                return true;
                              });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(firsts, (std::vector<size_t>{0, 2, 4, 6}));

  // The same batches through Process, into a register of their own.
  Register plain = OtherRegister("plain");
  ASSERT_TRUE(plain.pipeline);
  std::vector<IncomingRecord> all = records();
  std::vector<RecordOutcome> direct;
  for (size_t i = 0; i < all.size(); i += 2) {
    std::vector<IncomingRecord> batch;
    for (size_t j = i; j < std::min(all.size(), i + 2); ++j) batch.push_back(all[j]);
    auto out = plain.pipeline->Process(std::move(batch));
    ASSERT_TRUE(out.ok());
    for (auto& o : *out) direct.push_back(std::move(o));
  }
  ASSERT_EQ(ahead.size(), direct.size());
  for (size_t i = 0; i < ahead.size(); ++i) {
    EXPECT_EQ(ahead[i].ToJson(), direct[i].ToJson()) << i;
  }
  EXPECT_EQ(ahead[2].decision, "merged");
  EXPECT_EQ(ahead[4].decision, "duplicate");
  EXPECT_EQ(ahead[5].decision, "rejected");

  // Returning false stops after that batch.
  size_t batches = 0;
  s = ProcessInBatches(pipeline_.get(), records(), 2,
                       [&](size_t, std::vector<RecordOutcome>&, double) { return ++batches < 1; });
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(batches, 1u);
}

// A prepared record's copies share its normalised report: processing one
// copy must leave the other's intact (copied, not moved out) and both must
// decide alike.
TEST_F(PipelineTest, PreparedRecordsSharedByCopiesAreProcessedAlike) {
  std::vector<IncomingRecord> a;
  for (const char* l : {kAhmad, kBrother, kAhmadAgain}) a.push_back(Rec(l));
  PrepareRecords(&a);
  ASSERT_TRUE(a[0].prepared && a[0].prepared->ready());
  std::vector<IncomingRecord> b = a;
  EXPECT_EQ(a[0].prepared.get(), b[0].prepared.get());
  auto first = pipeline_->Process(std::move(a));
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(b[0].prepared && b[0].prepared->ready()) << "the copy's report was moved out";

  Register second = OtherRegister("second");
  ASSERT_TRUE(second.pipeline);
  auto again = second.pipeline->Process(std::move(b));
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(first->size(), again->size());
  for (size_t i = 0; i < first->size(); ++i) EXPECT_EQ((*first)[i].ToJson(), (*again)[i].ToJson());
  EXPECT_EQ((*first)[2].decision, "merged");
}

// Process's `next`: the following batch is matched during this one's commit
// and used only while nothing else changed the index; decisions are those of
// matching it then.
TEST_F(PipelineTest, ABatchMatchedAheadIsUsedOnlyWhileTheIndexIsUnchanged) {
  auto prepared = [&](std::vector<std::string> lines) {
    std::vector<IncomingRecord> v;
    for (const auto& l : lines) v.push_back(Rec(l));
    PrepareRecords(&v);
    return v;
  };
  // A batch of one report of someone unrelated.
  auto unrelated = [&](int n) {
    return prepared({R"({"source":"e","source_record_id":")" + std::to_string(n) +
                     R"(","name":"سمير علي","sex":"male"})"});
  };
  auto brother = [](const char* source) {
    return std::string(R"({"source":")") + source +
           R"(","source_record_id":"1","name":"خالد محمود حسن الشاعر","sex":"male","date_of_birth":"1988-07-01"})";
  };

  // Used: the next call gets those records and the index is as it was.
  std::vector<IncomingRecord> second = prepared({kAhmadAgain, kAhmadLatin});
  auto out = pipeline_->Process(prepared({kAhmad, kBrother}), &second);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(pipeline_->counts().matched_ahead, 0);
  auto again = pipeline_->Process(std::move(second));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(pipeline_->counts().matched_ahead, 1);
  EXPECT_EQ((*again)[0].decision, "merged");
  EXPECT_EQ((*again)[0].victim_id, (*out)[0].victim_id);

  // Dropped: another batch comes first; the brother's new report is matched
  // again and merges into his victim.
  std::vector<IncomingRecord> third = prepared({brother("d")});
  ASSERT_TRUE(pipeline_->Process(unrelated(1), &third).ok());
  ASSERT_TRUE(pipeline_->Process(unrelated(2)).ok());
  auto later = pipeline_->Process(std::move(third));
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(pipeline_->counts().matched_ahead, 1);
  EXPECT_EQ((*later)[0].decision, "merged");
  EXPECT_EQ((*later)[0].victim_id, (*out)[1].victim_id);

  // Dropped: a monitor's merge, followed, changed the index meanwhile. The
  // report matched ahead would have been proposed the absorbed victim.
  std::vector<IncomingRecord> fourth = prepared({brother("f")});
  ASSERT_TRUE(pipeline_->Process(unrelated(3), &fourth).ok());
  {
    auto txn = store_->Begin(Store::Mode::kWrite);
    const int64_t a = (*out)[0].victim_id, b = (*out)[1].victim_id;
    ASSERT_TRUE((*txn)->MergeVictims(a, b, "monitor1", "{}").ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  auto last = pipeline_->Process(std::move(fourth));
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(pipeline_->counts().matched_ahead, 1);
  EXPECT_EQ((*last)[0].decision, "merged");
  EXPECT_EQ((*last)[0].victim_id, (*out)[0].victim_id) << "never the absorbed victim";

  // Dropped by the caller: nothing is left reading the records.
  std::vector<IncomingRecord> unused = prepared({kAhmad});
  ASSERT_TRUE(pipeline_->Process(unrelated(4), &unused).ok());
  pipeline_->DropAhead();
  unused.clear();
}

TEST_F(PipelineTest, RedeliveryIsADuplicateAndBadRecordsAreQuarantined) {
  Process({kAhmad});
  auto bad = Rec(R"({"source":"a","source_record_id":"3","name":"x","date_of_birth":"2023-02-30"})", false);
  ASSERT_FALSE(bad.errors.empty());
  std::vector<IncomingRecord> batch;
  batch.push_back(Rec(kAhmad));
  batch.push_back(std::move(bad));
  batch.push_back(Rec(kBrother));
  auto out = pipeline_->Process(std::move(batch));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ((*out)[0].decision, "duplicate");
  EXPECT_EQ((*out)[1].decision, "rejected");
  EXPECT_EQ((*out)[1].error,
            "test record 3: date_of_birth: not a date: \"2023-02-30\" (use YYYY-MM-DD, YYYY-MM or YYYY)");
  EXPECT_EQ((*out)[2].decision, "new") << "one bad record never blocks the rest";
  auto txn = store_->Begin(Store::Mode::kRead);
  auto q = (*txn)->ListQuarantine(0, 10);
  ASSERT_TRUE(q.ok());
  ASSERT_EQ(q->size(), 1u);
  EXPECT_NE(q->front().raw.find("2023-02-30"), std::string::npos);
  EXPECT_NE(q->front().reasons.find("date_of_birth"), std::string::npos);
  auto counts = (*txn)->GetCounts();
  EXPECT_EQ(counts->reports, 2);
}

TEST_F(PipelineTest, UnidentifiedVictimsAreNeverMergedByName) {
  auto out = Process({R"({"source":"a","source_record_id":"1","name":"مجهول مجهول","sex":"male"})",
                      R"({"source":"a","source_record_id":"2","name":"مجهول مجهول","sex":"male"})"});
  EXPECT_EQ(out[0].decision, "unidentified");
  EXPECT_EQ(out[1].decision, "unidentified");
  EXPECT_NE(out[0].victim_id, out[1].victim_id);
}

TEST_F(PipelineTest, ReportsLeftInTheInboxAreMatchedAfterARestart) {
  // Accept without matching, as if the process died right after the commit.
  {
    auto txn = store_->Begin(Store::Mode::kWrite);
    ASSERT_TRUE(txn.ok());
    Report r = Rec(kAhmad).report;
    ASSERT_TRUE((*txn)->AcceptReport(r).ok());
    r = Rec(kAhmadAgain).report;
    ASSERT_TRUE((*txn)->AcceptReport(r).ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  Reopen();
  auto resumed = pipeline_->ResumePending();
  ASSERT_TRUE(resumed.ok()) << resumed.status().ToString();
  EXPECT_EQ(*resumed, 2);
  auto txn = store_->Begin(Store::Mode::kRead);
  EXPECT_EQ((*txn)->GetCounts()->pending_match, 0);
  EXPECT_EQ(*(*txn)->VictimOfReport(1), *(*txn)->VictimOfReport(2)) << "the two spellings merged";
  EXPECT_EQ(*(*txn)->GetResolution(1), Resolution::kAttached);
  EXPECT_EQ(*pipeline_->ResumePending(), 0);
}

TEST_F(PipelineTest, FollowsMergesMadeOutsideThePipeline) {
  auto out = Process({kAhmad, kBrother});
  const int64_t a = out[0].victim_id, b = out[1].victim_id;
  {
    auto txn = store_->Begin(Store::Mode::kWrite);
    ASSERT_TRUE((*txn)->MergeVictims(a, b, "monitor1", "{}").ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  ASSERT_TRUE(pipeline_->FollowChanges().ok());
  // The brother's report now belongs to victim a in the index: a new report of
  // him is proposed under a, never under the absorbed b.
  auto res = engine_->Match(Rec(R"({"source":"z","source_record_id":"1","name":"خالد محمود حسن الشاعر","sex":"male","date_of_birth":"1988-07-01"})").report);
  ASSERT_FALSE(res.candidates.empty());
  EXPECT_EQ(res.candidates[0].victim_id, a);
}

TEST_F(PipelineTest, DecisionLinesAreJson) {
  auto out = Process({kAhmad});
  EXPECT_EQ(out[0].ToJson(),
            "{\"source\":\"a\",\"source_record_id\":\"1\",\"decision\":\"new\",\"victim_id\":" +
                std::to_string(out[0].victim_id) + ",\"score\":0.0,\"candidates\":[],\"error\":null}");
}

}  // namespace
}  // namespace qayd
