// The engine: index updates, decisions, exclusions.
#include "matching/engine.h"

#include <gtest/gtest.h>

#include <thread>

#include "config/config.h"
#include "test_reports.h"

namespace qayd::matching {
namespace {

using testing::MakeReport;

class EngineTest : public ::testing::Test {
 protected:
  EngineTest() : engine_(DefaultConfig().matching) {
    engine_.Upsert(1, 101, MakeReport("هاني جلال عبد الستار الفرا", "1970-04-20", Sex::kMale));
    engine_.Upsert(2, 102, MakeReport("ياسمين عمر صبحي ابو حطب", "2003-02-11", Sex::kFemale));
    engine_.Upsert(3, 103, MakeReport("محمد احمد محمود سالم", "", Sex::kMale));
    engine_.Upsert(4, 104, MakeReport("مجهول مجهول", "1990-01-01", Sex::kMale));
  }
  Engine engine_;
};

TEST_F(EngineTest, MergesVariantIntoItsVictim) {
  MatchResult r =
      engine_.Match(MakeReport("Hani Jalal Abdel Sattar al-Farra", "1970-04-20", Sex::kMale));
  EXPECT_EQ(r.decision, Decision::kMerge);
  ASSERT_FALSE(r.candidates.empty());
  EXPECT_EQ(r.candidates[0].victim_id, 101);
  EXPECT_EQ(r.candidates[0].report_id, 1);
  EXPECT_GE(r.candidates_considered, 1);
  EXPECT_FALSE(r.candidates[0].why.fields.empty());
}

TEST_F(EngineTest, SiblingIsNew) {
  MatchResult r = engine_.Match(MakeReport("نور عمر صبحي ابو حطب", "2005-07-30", Sex::kFemale));
  EXPECT_EQ(r.decision, Decision::kNew);
}

TEST_F(EngineTest, UnsureGoesToReview) {
  // A tiny register makes every token rare; thresholds set for it: a name with
  // a part missing and no date is between the bands.
  MatchingSettings s = DefaultConfig().matching;
  s.auto_merge = 40;
  s.review = 4;
  engine_.SetSettings(s);
  MatchResult r = engine_.Match(MakeReport("محمد احمد سالم", "", Sex::kMale));
  EXPECT_LT(r.score, 40);
  EXPECT_EQ(r.decision, Decision::kReview);
  ASSERT_FALSE(r.candidates.empty());
  EXPECT_EQ(r.candidates[0].victim_id, 103);
}

TEST_F(EngineTest, UnidentifiedNeverMergedByName) {
  EXPECT_EQ(engine_.Match(MakeReport("مجهول مجهول", "1990-01-01", Sex::kMale)).decision,
            Decision::kUnidentified);
  EXPECT_EQ(engine_.Match(MakeReport("unknown")).decision, Decision::kUnidentified);
  EXPECT_EQ(engine_.Match(MakeReport("")).decision, Decision::kUnidentified);
  EXPECT_TRUE(engine_.Propose(MakeReport("مجهول")).empty());
}

TEST_F(EngineTest, ExcludedVictimIsSkipped) {
  Report r = MakeReport("هاني جلال عبد الستار الفرا", "1970-04-20", Sex::kMale);
  MatchResult m = engine_.Match(r, [](int64_t v) { return v == 101; });
  EXPECT_EQ(m.decision, Decision::kNew);
  for (const auto& c : m.candidates) EXPECT_NE(c.victim_id, 101);
}

TEST_F(EngineTest, ReassignAndRemove) {
  Report r = MakeReport("هاني جلال عبد الستار الفرا", "1970-04-20", Sex::kMale);
  engine_.Reassign(1, 200);
  EXPECT_EQ(engine_.Match(r).candidates.at(0).victim_id, 200);
  EXPECT_EQ(engine_.indexed_reports(), 4u);
  engine_.Remove(1);
  EXPECT_EQ(engine_.indexed_reports(), 3u);
  EXPECT_EQ(engine_.Match(r).decision, Decision::kNew);
  // the freed slot is reused and found again
  engine_.Upsert(9, 300, r);
  EXPECT_EQ(engine_.Match(r).candidates.at(0).victim_id, 300);
}

TEST_F(EngineTest, UpsertReplacesTheReportsProfile) {
  engine_.Upsert(2, 102, MakeReport("سعيد حامد عبد الكريم حمدونه", "1998-11-11", Sex::kMale));
  EXPECT_EQ(
      engine_.Match(MakeReport("ياسمين عمر صبحي ابو حطب", "2003-02-11", Sex::kFemale)).decision,
      Decision::kNew);
  EXPECT_EQ(engine_.indexed_reports(), 4u);
}

TEST_F(EngineTest, BestReportOfAVictimCountsOnce) {
  engine_.Upsert(5, 101, MakeReport("Hani Jalal Abdulsattar Alfarra", "1970-04-20", Sex::kMale));
  MatchResult r = engine_.Match(MakeReport("هاني جلال عبدالستار الفرا", "1970-04-20", Sex::kMale));
  ASSERT_FALSE(r.candidates.empty());
  EXPECT_EQ(r.candidates[0].victim_id, 101);
  for (size_t i = 1; i < r.candidates.size(); ++i) EXPECT_NE(r.candidates[i].victim_id, 101);
}

TEST_F(EngineTest, ThresholdsFromSettings) {
  MatchingSettings s = DefaultConfig().matching;
  s.auto_merge = 1000;
  engine_.SetSettings(s);
  EXPECT_EQ(engine_.Match(MakeReport("هاني جلال عبد الستار الفرا", "1970-04-20")).decision,
            Decision::kReview);
}

TEST_F(EngineTest, ConcurrentMatchesAgree) {
  Report r = MakeReport("Hani Jalal Abdel Sattar al-Farra", "1970-04-20", Sex::kMale);
  int64_t ids[4] = {};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      for (int k = 0; k < 50; ++k) ids[i] = engine_.Match(r).candidates.at(0).victim_id;
    });
  }
  for (auto& t : threads) t.join();
  for (int64_t id : ids) EXPECT_EQ(id, 101);
}

TEST(DecisionName, Names) {
  EXPECT_STREQ(DecisionName(Decision::kMerge), "merge");
  EXPECT_STREQ(DecisionName(Decision::kUnidentified), "unidentified");
}

}  // namespace
}  // namespace qayd::matching
