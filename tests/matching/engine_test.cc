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

// GroupByName renumbers the index's entries: every match gives what it gave
// before (decision, score, candidates), and entries are still found by report
// id afterwards (removed, replaced), including slots freed before the regroup.
TEST(EngineGroupByName, ChangesNoResultAndKeepsEntriesAddressable) {
  const char* families[] = {"الفرا", "ابو حطب", "سالم", "الكرد", "شعت"};
  const char* firsts[] = {"محمد", "احمد", "هاني", "ياسمين", "نور", "سعيد"};
  const char* fathers[] = {"جلال", "عمر", "محمود", "خليل"};
  Engine a(DefaultConfig().matching), b(DefaultConfig().matching);
  int64_t id = 0;
  std::vector<Report> queries;
  // Families innermost: the grouping moves nearly every entry.
  for (const char* first : firsts) {
    for (const char* father : fathers) {
      for (const char* fam : families) {
        ++id;
        const std::string name = std::string(first) + " " + father + " صبحي " + fam;
        const std::string dob = "19" + std::to_string(50 + id % 40) + "-0" +
                                std::to_string(1 + id % 9) + "-1" + std::to_string(id % 10);
        Report r = MakeReport(name, dob, id % 2 ? Sex::kMale : Sex::kFemale);
        a.Upsert(id, 1000 + id / 2, r);
        b.Upsert(id, 1000 + id / 2, r);
        if (id % 7 == 0) queries.push_back(r);
      }
    }
  }
  for (int64_t gone : {3, 17, 40, 41}) {  // freed slots before the regroup
    a.Remove(gone);
    b.Remove(gone);
  }
  const uint64_t epoch = b.epoch();
  b.GroupByName();
  EXPECT_NE(b.epoch(), epoch);  // a batch matched before it is not reused
  auto same = [&](const char* when) {
    for (const Report& q : queries) {
      MatchResult x = a.Match(q), y = b.Match(q);
      EXPECT_EQ(x.decision, y.decision) << when;
      EXPECT_EQ(x.score, y.score) << when;
      ASSERT_EQ(x.candidates.size(), y.candidates.size()) << when;
      for (size_t i = 0; i < x.candidates.size(); ++i) {
        EXPECT_EQ(x.candidates[i].victim_id, y.candidates[i].victim_id) << when;
        EXPECT_EQ(x.candidates[i].report_id, y.candidates[i].report_id) << when;
        EXPECT_EQ(x.candidates[i].score, y.candidates[i].score) << when;
      }
      EXPECT_EQ(a.Propose(q), b.Propose(q)) << when;
    }
  };
  same("after grouping");
  EXPECT_EQ(a.indexed_reports(), b.indexed_reports());
  // Entries found by report id after the renumbering.
  for (Engine* e : {&a, &b}) {
    e->Remove(7);
    e->Reassign(14, 5);
    e->Upsert(21, 77, MakeReport("هاني جلال صبحي الفرا", "1961-03-11", Sex::kMale));
    e->Upsert(500, 78, MakeReport("سعيد خليل صبحي شعت", "1970-01-15", Sex::kMale));
  }
  same("after changes");
  EXPECT_EQ(a.indexed_reports(), b.indexed_reports());
}

TEST(DecisionName, Names) {
  EXPECT_STREQ(DecisionName(Decision::kMerge), "merge");
  EXPECT_STREQ(DecisionName(Decision::kUnidentified), "unidentified");
}

}  // namespace
}  // namespace qayd::matching
