// BatchMatch: the batch's own earlier reports are proposed to later ones, the
// result equals Match where the batch adds nothing, and victim changes made
// meanwhile are seen.
#include <gtest/gtest.h>

#include <chrono>
#include <future>

#include "base/thread_pool.h"
#include "config/config.h"
#include "matching/engine.h"
#include "test_reports.h"

namespace qayd::matching {
namespace {

using testing::MakeReport;

class BatchMatchTest : public ::testing::Test {
 protected:
  BatchMatchTest() : engine_(DefaultConfig().matching), pool_(2) {
    engine_.Upsert(1, 101, MakeReport("هاني جلال عبد الستار الفرا", "1970-04-20", Sex::kMale));
    engine_.Upsert(2, 102, MakeReport("ياسمين عمر صبحي ابو حطب", "2003-02-11", Sex::kFemale));
    engine_.Upsert(3, 103, MakeReport("محمد احمد محمود سالم", "", Sex::kMale));
  }
  Engine engine_;
  ThreadPool pool_;
};

TEST_F(BatchMatchTest, SameAsMatchWhenTheBatchAddsNothing) {
  std::vector<Report> reports = {
      MakeReport("Hani Jalal Abdel Sattar al-Farra", "1970-04-20", Sex::kMale),
      MakeReport("نور عمر صبحي ابو حطب", "2005-07-30", Sex::kFemale),
      MakeReport("مجهول مجهول", "1990-01-01", Sex::kMale)};
  std::vector<const Report*> ptrs;
  for (const Report& r : reports) ptrs.push_back(&r);
  BatchMatch batch = engine_.MatchBatch(ptrs, &pool_);
  ASSERT_EQ(batch.size(), 3u);
  for (size_t i = 0; i < reports.size(); ++i) {
    MatchResult want = engine_.Match(reports[i]);
    MatchResult got = batch.Result(i);
    EXPECT_EQ(got.decision, want.decision) << i;
    EXPECT_DOUBLE_EQ(got.score, want.score) << i;
    ASSERT_EQ(got.candidates.size(), want.candidates.size()) << i;
    for (size_t c = 0; c < got.candidates.size(); ++c) {
      EXPECT_EQ(got.candidates[c].victim_id, want.candidates[c].victim_id);
      EXPECT_EQ(got.candidates[c].why.ToJson(), want.candidates[c].why.ToJson());
    }
    EXPECT_TRUE(batch.prepared(i).ready());
    EXPECT_GE(batch.seconds(i), 0);
  }
  EXPECT_EQ(batch.Result(0).decision, Decision::kMerge);
  EXPECT_EQ(batch.Result(1).decision, Decision::kNew);
  EXPECT_EQ(batch.Result(2).decision, Decision::kUnidentified);
}

TEST_F(BatchMatchTest, LaterReportMatchesAnEarlierOneOfTheSameBatch) {
  // Two reports of one person nobody has reported before, in one batch.
  std::vector<Report> reports = {MakeReport("خليل ابراهيم يوسف النجار", "1988-03-14", Sex::kMale),
                                 MakeReport("خليل إبراهيم يوسف النجار", "1988-03-14", Sex::kMale)};
  std::vector<const Report*> ptrs = {&reports[0], &reports[1]};
  BatchMatch batch = engine_.MatchBatch(ptrs, nullptr);
  MatchResult first = batch.Result(0);
  EXPECT_EQ(first.decision, Decision::kNew);
  batch.Resolved(0, 10, 110);
  MatchResult second = batch.Result(1);
  ASSERT_EQ(second.decision, Decision::kMerge);
  EXPECT_EQ(second.candidates.front().victim_id, 110);
  EXPECT_EQ(second.candidates.front().report_id, 10);

  // Without Resolved() the first is not proposed: the second would be new.
  BatchMatch unresolved = engine_.MatchBatch(ptrs, nullptr);
  EXPECT_EQ(unresolved.Result(0).decision, Decision::kNew);
  EXPECT_EQ(unresolved.Result(1).decision, Decision::kNew);

  // Indexed after the batch, the same report is found by Match.
  engine_.UpsertPrepared(10, 110, batch.prepared(0));
  EXPECT_EQ(engine_.Match(reports[1]).decision, Decision::kMerge);
}

TEST_F(BatchMatchTest, ARedoneDecisionKeepsTheIndexScoreAndItsExplanation) {
  // A brother (same first, father and family names) resolved earlier in the
  // batch is proposed to the later report, so its decision is redone; the
  // index's candidate keeps the score and the explanation it had.
  std::vector<Report> reports = {
      MakeReport("هاني جلال محمود الفرا", "1981-09-02", Sex::kMale),
      MakeReport("Hani Jalal Abdel Sattar al-Farra", "1970-04-20", Sex::kMale)};
  std::vector<const Report*> ptrs = {&reports[0], &reports[1]};
  BatchMatch batch = engine_.MatchBatch(ptrs, &pool_);
  batch.Result(0);
  batch.Resolved(0, 20, 120);
  MatchResult got = batch.Result(1);
  MatchResult want = engine_.Match(reports[1]);
  ASSERT_EQ(got.decision, Decision::kMerge);
  EXPECT_EQ(got.candidates_considered, want.candidates_considered + 1);  // the brother: redone
  ASSERT_FALSE(want.candidates.empty());
  EXPECT_EQ(got.candidates.front().victim_id, 101);
  EXPECT_EQ(got.candidates.front().score, want.candidates.front().score);
  EXPECT_EQ(got.score, want.score);
  EXPECT_EQ(got.candidates.front().why.ToJson(), want.candidates.front().why.ToJson());
  // Rendered by the worker that explained it first, not again by the caller.
  EXPECT_EQ(got.best_why_json, want.candidates.front().why.ToJson());
}

TEST_F(BatchMatchTest, SeesAVictimChangeMadeAfterTheBatchWasMade) {
  Report r = MakeReport("Hani Jalal Abdel Sattar al-Farra", "1970-04-20", Sex::kMale);
  BatchMatch batch = engine_.MatchBatch({&r}, &pool_);
  engine_.Reassign(1, 555);  // e.g. a monitor merged victim 101 into 555 meanwhile
  MatchResult m = batch.Result(0);
  ASSERT_EQ(m.decision, Decision::kMerge);
  EXPECT_EQ(m.candidates.front().victim_id, 555);
}

TEST_F(BatchMatchTest, ManyReportsOnThePoolAgreeWithMatch) {
  std::vector<Report> reports;
  for (int i = 0; i < 200; ++i) {
    reports.push_back(MakeReport(i % 2 ? "ياسمين عمر صبحي ابو حطب" : "Hani Jalal al-Farra",
                                 i % 2 ? "2003-02-11" : "1970-04-20",
                                 i % 2 ? Sex::kFemale : Sex::kMale));
  }
  std::vector<const Report*> ptrs;
  for (const Report& r : reports) ptrs.push_back(&r);
  BatchMatch batch = engine_.MatchBatch(ptrs, &pool_);
  for (size_t i = 0; i < reports.size(); ++i) {
    MatchResult want = engine_.Match(reports[i]);
    MatchResult got = batch.Result(i);
    EXPECT_EQ(got.decision, want.decision) << i;
    EXPECT_DOUBLE_EQ(got.score, want.score) << i;
  }
}

TEST_F(BatchMatchTest, CallerComputesWhenTheWorkersAreBusyAndADroppedBatchEnds) {
  ThreadPool pool(1);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  pool.Post([released] { released.wait(); });  // the only worker is blocked
  std::vector<Report> reports(300, MakeReport("Hani Jalal al-Farra", "1970-04-20", Sex::kMale));
  std::vector<const Report*> ptrs;
  for (const Report& r : reports) ptrs.push_back(&r);
  auto done = std::async(std::launch::async, [&] {
    BatchMatch batch = engine_.MatchBatch(ptrs, &pool);
    Decision d = batch.Result(0).decision;
    (void)batch.Result(5);
    return d;  // the batch is dropped with 294 reports never asked for
  });
  ASSERT_EQ(done.wait_for(std::chrono::seconds(30)), std::future_status::ready);
  EXPECT_EQ(done.get(), Decision::kMerge);
  release.set_value();
  pool.Stop();
  EXPECT_EQ(engine_.Match(reports[0]).decision, Decision::kMerge);
}

TEST_F(BatchMatchTest, ReportsAddedOneByOneWhileTheWorkersWait) {
  Report a = MakeReport("Hani Jalal Abdel Sattar al-Farra", "1970-04-20", Sex::kMale);
  Report b = MakeReport("نور عمر صبحي ابو حطب", "2005-07-30", Sex::kFemale);
  {
    BatchMatch batch = engine_.StartBatch(3, &pool_);
    EXPECT_EQ(batch.size(), 0u);
    EXPECT_EQ(batch.Add(&a), 0u);
    EXPECT_EQ(batch.Result(0).decision, Decision::kMerge);  // before the rest arrives
    EXPECT_EQ(batch.Add(&b), 1u);
    batch.Close();
    EXPECT_EQ(batch.size(), 2u);
    EXPECT_EQ(batch.Result(1).decision, Decision::kNew);
    EXPECT_THROW(batch.Add(&a), std::logic_error);  // closed
  }
  {
    // Never closed, workers waiting for more: dropping it must not hang.
    BatchMatch open = engine_.StartBatch(10, &pool_);
    open.Add(&a);
  }
  BatchMatch full = engine_.StartBatch(1, nullptr);
  full.Add(&a);
  EXPECT_THROW(full.Add(&b), std::logic_error);  // beyond the capacity
}

TEST(BatchMatchColdStart, AFirstBatchDecidesAsReportByReportWould) {
  // Into an empty register, every candidate is an earlier report of the
  // batch: the batch must score them with frequencies that count those
  // reports (as indexing them one by one does), or every shared name part
  // would look rare and relatives would merge.
  const char* names[] = {
      "محمد احمد حسن الخطيب", "محمد أحمد حسن الخطيب",  "محمد احمد حسن الخطيب",
      "علي احمد حسن الخطيب",  "محمد احمد علي النجار",  "Mohammed Ahmad Hassan al-Khatib",
      "محمد احمد حسن الخطيب", "محمود احمد حسن الخطيب", "محمد احمد حسن الخطيب"};
  const char* dobs[] = {"1990-01-01", "1990-01-01", "1985-05-05", "1992-02-02", "1990-01-01",
                        "1990-01-01", "",           "1990-01-01", "1990-01-01"};
  std::vector<Report> reports;
  for (size_t i = 0; i < std::size(names); ++i) {
    reports.push_back(MakeReport(names[i], dobs[i], Sex::kMale));
  }
  // Report by report: match, then index under the decided victim.
  Engine one(DefaultConfig().matching);
  std::vector<MatchResult> want;
  for (size_t i = 0; i < reports.size(); ++i) {
    MatchResult m = one.Match(reports[i]);
    const int64_t victim =
        m.decision == Decision::kMerge ? m.candidates.front().victim_id : 100 + int64_t(i);
    one.Upsert(int64_t(i) + 1, victim, reports[i]);
    want.push_back(std::move(m));
  }
  // The same as one batch.
  Engine batch_engine(DefaultConfig().matching);
  ThreadPool pool(2);
  std::vector<const Report*> ptrs;
  for (const Report& r : reports) ptrs.push_back(&r);
  BatchMatch batch = batch_engine.MatchBatch(ptrs, &pool);
  int merges = 0;
  for (size_t i = 0; i < reports.size(); ++i) {
    MatchResult got = batch.Result(i);
    EXPECT_EQ(got.decision, want[i].decision) << i;
    EXPECT_NEAR(got.score, want[i].score, 1e-9) << i;
    const int64_t victim =
        got.decision == Decision::kMerge ? got.candidates.front().victim_id : 100 + int64_t(i);
    merges += got.decision == Decision::kMerge;
    batch.Resolved(i, int64_t(i) + 1, victim);
  }
  EXPECT_GT(merges, 0);  // the batch does see its own earlier reports
}

}  // namespace
}  // namespace qayd::matching
