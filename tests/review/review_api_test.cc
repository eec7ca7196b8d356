// The review API over real HTTP, a real SQLite register and the real
// pipeline: undo of every decision kind puts the item back in the queue;
// skip releases the lease; the candidates are proposed again when the
// register changes under a pending item.
#include <gtest/gtest.h>

#include <set>

#include "tests/support/review_register_test.h"

namespace qayd::testing {
namespace {

class ReviewApiTest : public ReviewRegisterTest {
 protected:
  // Ingests one more spelling of the same person; returns its review item.
  int64_t NewItem(const std::string& id) {
    auto r = reg_->Ingest({Record("relatives", id, "محمد احمد حسن الخطيب", kDeath)});
    EXPECT_TRUE(r.ok());
    EXPECT_EQ((*r)[0].decision, "review");
    return ItemOfReport((*r)[0].report_id);
  }
  ReviewItem Get(int64_t item) {
    auto txn = reg_->store()->Begin(Store::Mode::kRead);
    return *(*txn)->GetReviewItem(item);
  }
  bool Queued(int64_t item, const std::string& user) {
    auto txn = reg_->store()->Begin(Store::Mode::kRead);
    ReviewFilter f;
    f.exclude_unsure_of = user;
    auto items = (*txn)->ListReviewItems(f);
    if (!items.ok()) return false;
    const std::vector<ReviewItem> list = std::move(*items);
    for (const auto& it : list) {
      if (it.id == item) return true;
    }
    return false;
  }
};

TEST_F(ReviewApiTest, UndoOfEveryDecisionKindPutsTheItemBackInTheQueue) {
  HttpClient mona = Monitor();
  for (const std::string decision : {"same", "different", "related", "unsure"}) {
    SCOPED_TRACE(decision);
    const int64_t item = NewItem("r-" + decision);
    ASSERT_GT(item, 0);
    const ReviewItem before = Get(item);
    ASSERT_EQ(mona.Post(Path(item, "/claim")).status, 200);
    std::string body = "{\"decision\":\"" + decision + "\"";
    if (decision == "related") body += ",\"relation\":\"sibling\",\"reason\":\"brothers\"";
    HttpResult d = mona.Post(Path(item, "/decision"), body + "}");
    ASSERT_EQ(d.status, 200) << d.body;
    EXPECT_FALSE(Queued(item, "mona"));

    HttpResult u = mona.Post(Path(item, "/undo"));
    ASSERT_EQ(u.status, 200) << u.body;
    EXPECT_EQ(std::string(u.json["undone"].GetString()), decision);
    // Back in the queue, for this monitor too, with nothing of the decision left.
    EXPECT_TRUE(Queued(item, "mona"));
    const ReviewItem after = Get(item);
    EXPECT_EQ(after.state, ReviewState::kPending);
    EXPECT_EQ(after.decision, "");
    auto txn = reg_->store()->Begin(Store::Mode::kRead);
    EXPECT_EQ(*(*txn)->GetResolution(after.report_id), Resolution::kReview);
    EXPECT_EQ(*(*txn)->VictimOfReport(after.report_id), before.provisional_victim_id);
    EXPECT_EQ((*txn)->GetVictim(before.provisional_victim_id)->state, VictimState::kProvisional);
    EXPECT_FALSE(*(*txn)->AreDifferent(before.provisional_victim_id, victim_));
    txn->reset();
    // A second undo has nothing left to undo.
    EXPECT_EQ(mona.Post(Path(item, "/undo")).error_code(), "nothing_to_undo");
    // The item can be decided again ("same" works: no constraint left behind).
    ASSERT_EQ(mona.Post(Path(item, "/claim")).status, 200);
    HttpResult again = mona.Post(Path(item, "/decision"), "{\"decision\":\"same\"}");
    EXPECT_EQ(again.status, 200) << again.body;
  }
}

TEST_F(ReviewApiTest, OnlyTheDeciderUndoes) {
  const int64_t item = NewItem("r1");
  HttpClient mona = Monitor(), omar = Monitor("omar");
  ASSERT_EQ(mona.Post(Path(item, "/claim")).status, 200);
  ASSERT_EQ(mona.Post(Path(item, "/decision"), "{\"decision\":\"different\"}").status, 200);
  EXPECT_EQ(omar.Post(Path(item, "/undo")).error_code(), "not_your_decision");
  EXPECT_EQ(mona.Post(Path(item, "/undo")).status, 200);
}

TEST_F(ReviewApiTest, UndoingTheMergeFromTheVictimPageRequeuesTheItem) {
  const int64_t item = NewItem("r1");
  HttpClient mona = Monitor();
  ASSERT_EQ(mona.Post(Path(item, "/claim")).status, 200);
  HttpResult d = mona.Post(Path(item, "/decision"), "{\"decision\":\"same\"}");
  ASSERT_EQ(d.status, 200);
  const int64_t seq = d.json["merge_seq"].GetInt64();
  HttpResult u = mona.Post("/api/v1/victims/" + std::to_string(victim_) + "/undo",
                           "{\"merge_seq\":" + std::to_string(seq) + "}");
  ASSERT_EQ(u.status, 200) << u.body;
  EXPECT_TRUE(Queued(item, "mona"));
  EXPECT_EQ(Get(item).state, ReviewState::kPending);
}

TEST_F(ReviewApiTest, SkipReleasesTheLease) {
  const int64_t item = NewItem("r1");
  HttpClient mona = Monitor(), omar = Monitor("omar");
  ASSERT_EQ(mona.Post(Path(item, "/claim")).status, 200);
  EXPECT_EQ(omar.Post(Path(item, "/claim")).error_code(), "claimed_by_other");
  HttpResult r = mona.Post(Path(item, "/release"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.json["released"].GetBool());
  EXPECT_EQ(omar.Post("/api/v1/review/next").status, 200);
  EXPECT_EQ(Get(item).claimed_by, "omar");
}

TEST_F(ReviewApiTest, CandidatesAreProposedAgainAfterASplit) {
  // The victim holds two reports; split one off: the item must offer the new victim.
  auto more = reg_->Ingest({Record("moh", "2", "محمد أحمد حسن الخطيب", kDeath)});
  ASSERT_TRUE(more.ok());
  const int64_t report2 = (*more)[0].report_id;
  {
    auto txn = reg_->store()->Begin();
    int64_t v2 = *(*txn)->VictimOfReport(report2);
    if (v2 != victim_) {
      ASSERT_TRUE((*txn)->MergeVictims(victim_, v2, "test", "{}").ok());
    }
    ASSERT_TRUE((*txn)->Commit().ok());
    reg_->engine()->Reassign(report2, victim_);
  }
  const int64_t item = NewItem("r1");
  HttpClient mona = Monitor();
  HttpResult s = mona.Post("/api/v1/victims/" + std::to_string(victim_) + "/split",
                           "{\"report_ids\":[" + std::to_string(report2) + "],\"reason\":\"x\"}");
  ASSERT_EQ(s.status, 200) << s.body;
  const int64_t split_off = s.json["new_victim_id"].GetInt64();
  HttpResult view = mona.Get(Path(item));
  ASSERT_EQ(view.status, 200);
  bool offered = false;
  for (const auto& c : view.json["candidates"].GetArray()) {
    offered = offered || c["victim_id"].GetInt64() == split_off;
  }
  EXPECT_TRUE(offered) << view.body;
  // And the queue's stored candidates follow.
  bool stored = false;
  for (const auto& c : Get(item).candidates) stored = stored || c.victim_id == split_off;
  EXPECT_TRUE(stored);
}

TEST_F(ReviewApiTest, AFamilyNameAloneFindsTheFamily) {
  auto r = reg_->Ingest({Record("moh", "7", "جمال أحمد حسن النجار", kDeath),
                         Record("moh", "8", "ليلى أحمد حسن النجار", kDeath)});
  ASSERT_TRUE(r.ok());
  HttpClient mona = Monitor();
  for (const std::string query : {"%D8%A7%D9%84%D9%86%D8%AC%D8%A7%D8%B1", "Najjar"}) {  // النجار
    SCOPED_TRACE(query);
    HttpResult found = mona.Get("/api/v1/search?name=" + query);
    ASSERT_EQ(found.status, 200) << found.body;
    std::set<int64_t> victims;
    for (const auto& x : found.json["results"].GetArray()) {
      victims.insert(x["victim_id"].GetInt64());
      EXPECT_TRUE(x.HasMember("state"));
      EXPECT_TRUE(x["report"]["record"].HasMember("date_of_death"));
    }
    EXPECT_TRUE(victims.count((*r)[0].victim_id));
    EXPECT_TRUE(victims.count((*r)[1].victim_id));
    EXPECT_FALSE(victims.count(victim_)) << "al-Khatib is not a Najjar";
  }
}

}  // namespace
}  // namespace qayd::testing
