// What-if on a register with known labels: the printed figures must match a
// computation by hand from the labels and the thresholds.
#include "pipeline/pipeline.h"
#include "review/what_if.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "review/review_service.h"
#include "tests/web/test_register.h"

namespace qayd::review {
namespace {

using qayd::testing::Record;
using qayd::testing::TestRegister;

const std::string kGaza =
    "\"sex\":\"male\",\"date_of_death\":\"2024-01-03\","
    "\"place_of_death\":{\"governorate\":\"Gaza\"}";

class WhatIfTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MatchingSettings m = DefaultConfig().matching;
    m.auto_merge = 1000;  // every candidate pair goes to review
    m.review = -1000;
    current_ = m;
    reg_ = std::make_unique<TestRegister>(m);
    ASSERT_TRUE(reg_->Start().ok());
    service_ = std::make_unique<ReviewService>(reg_->store(), reg_->engine(),
                                               [this] { return reg_->now_ms.load(); });
    // Two victims, then four reports that each become a review item.
    ASSERT_EQ(Ingest(Record("moh", "1", "محمد أحمد حسن الخطيب", kGaza)), "new");
    ASSERT_EQ(Ingest(Record("moh", "2", "سعيد خالد محمود العمر", kGaza)), "new");
    ASSERT_EQ(Ingest(Record("ngo", "a", "محمد احمد حسن الخطيب", kGaza)), "review");
    ASSERT_EQ(Ingest(Record("ngo", "b", "سعيد خالد محمود العمر",
                            "\"sex\":\"female\",\"date_of_death\":\"2023-05-01\"")),
              "review");
    ASSERT_EQ(Ingest(Record("ngo", "c", "محمد أحمد حسن الخطيب", kGaza)), "review");
    ASSERT_EQ(Ingest(Record("ngo", "d", "سعيد خالد محمود العمر", kGaza)), "review");
    auto txn = reg_->store()->Begin(Store::Mode::kRead);
    items_ = *(*txn)->ListReviewItems(ReviewFilter{});
    ASSERT_EQ(items_.size(), 4u);
  }

  std::string Ingest(const std::string& record) {
    auto out = reg_->Ingest({record});
    return out.ok() ? (*out)[0].decision : out.status().ToString();
  }
  void Decide(const ReviewItem& item, const std::string& decision) {
    Viewer v{"mona", false};
    ASSERT_TRUE(service_->Claim(item.id, v, 60000).ok());
    DecisionInput in;
    in.item_id = item.id;
    in.decision = decision;
    auto r = service_->Decide(in, v);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
  double BestScore(const Report& r, int64_t victim, const matching::Engine* engine = nullptr) {
    if (engine == nullptr) engine = reg_->engine();
    auto txn = reg_->store()->Begin(Store::Mode::kRead);
    double best = -1e300;
    Victim v = *(*txn)->GetVictim(victim);
    for (int64_t id : v.report_ids) {
      if (id == r.id) continue;
      best = std::max(best, engine->ScorePair(r, *(*txn)->GetReport(id)).total);
    }
    return best;
  }

  std::unique_ptr<TestRegister> reg_;
  std::unique_ptr<ReviewService> service_;
  MatchingSettings current_;
  std::vector<ReviewItem> items_;
};

TEST_F(WhatIfTest, FiguresMatchAHandComputation) {
  // Labels: item 0 same (1 positive), item 1 different (one negative per
  // candidate), item 2 unsure (no label, still pending), item 3 left pending.
  Decide(items_[0], "same");
  Decide(items_[1], "different");
  Decide(items_[2], "unsure");
  {
    // A decision records the candidates as proposed when it was made (the
    // register may have grown since the item was queued).
    auto read = reg_->store()->Begin(Store::Mode::kRead);
    items_[1] = *(*read)->GetReviewItem(items_[1].id);
  }
  const int64_t negatives = static_cast<int64_t>(items_[1].candidates.size());
  ASSERT_GE(negatives, 1);

  // Hand computation of the pair scores, as the engine scores a victim.
  auto txn = reg_->store()->Begin(Store::Mode::kRead);
  Report pos_report = *(*txn)->GetReport(items_[0].report_id);
  Report neg_report = *(*txn)->GetReport(items_[1].report_id);
  int64_t merged_into = *(*txn)->VictimOfReport(items_[0].report_id);
  txn->reset();
  double pos = BestScore(pos_report, merged_into);
  double neg_max = -1e300;
  for (const auto& c : items_[1].candidates)
    neg_max = std::max(neg_max, BestScore(neg_report, c.victim_id));
  ASSERT_GT(pos, neg_max) << "the engine should score the same person above the other";

  // 1. A threshold between the two: every label right.
  MatchingSettings mid = current_;
  mid.auto_merge = (pos + neg_max) / 2;
  mid.review = mid.auto_merge - 1;
  auto r = RunWhatIf(reg_->store(), current_, mid);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->labelled_pairs, 1 + negatives);
  EXPECT_EQ(r->positives, 1);
  EXPECT_EQ(r->negatives, negatives);
  EXPECT_EQ(r->pending_items, 2);  // the unsure one and the untouched one
  EXPECT_EQ(r->proposed.true_positives, 1);
  EXPECT_EQ(r->proposed.false_positives, 0);
  EXPECT_EQ(r->proposed.true_negatives, negatives);
  EXPECT_DOUBLE_EQ(*r->proposed.precision, 1.0);
  EXPECT_DOUBLE_EQ(*r->proposed.recall, 1.0);
  // Under the current settings (auto_merge 1000) nothing merges.
  EXPECT_EQ(r->current.true_positives, 0);
  EXPECT_FALSE(r->current.precision.has_value());
  EXPECT_DOUBLE_EQ(*r->current.recall, 0.0);
  EXPECT_EQ(r->current.pending_would_queue, 2);
  ASSERT_EQ(r->warnings.size(), 1u);  // fewer than 30 labelled pairs
  EXPECT_NE(r->warnings[0].find("fewer than 30"), std::string::npos);

  // 2. Everything merges (the conflict rules below off), but any pair still
  // capped at review, which never merges: precision = 1 / (1 + uncapped).
  MatchingSettings low = current_;
  low.auto_merge = -1000;
  low.review = -1000;
  // The negative pair differs in sex and date of death: hard conflicts that
  // hold a pair at review whatever the threshold (docs/MATCHING.md "Caps").
  low.conflicts.sex.enabled = false;
  low.conflicts.date_of_death.enabled = false;
  matching::Engine low_engine(low);
  ASSERT_TRUE(LoadIndex(reg_->store(), &low_engine).ok());
  int64_t uncapped = 0;
  for (const auto& c : items_[1].candidates) {
    uncapped += BestScore(neg_report, c.victim_id, &low_engine) >= low.auto_merge;
  }
  r = RunWhatIf(reg_->store(), current_, low);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->proposed.false_positives, uncapped);
  EXPECT_DOUBLE_EQ(*r->proposed.precision, 1.0 / static_cast<double>(1 + uncapped));
  EXPECT_DOUBLE_EQ(*r->proposed.recall, 1.0);
  EXPECT_EQ(r->proposed.pending_would_merge, 2);
  EXPECT_EQ(r->proposed.pending_would_queue, 0);

  // The printed form carries the same figures.
  std::string text = r->ToText();
  EXPECT_NE(text.find("labelled pairs: " + std::to_string(1 + negatives) + " (1 same, " +
                      std::to_string(negatives) + " different)"),
            std::string::npos)
      << text;
  char expected[64];
  std::snprintf(expected, sizeof expected, "precision %.3f  recall 1.000",
                1.0 / static_cast<double>(1 + uncapped));
  EXPECT_NE(text.find(expected), std::string::npos) << text;
  EXPECT_NE(text.find("precision n/a  recall 0.000"), std::string::npos) << text;  // current
  EXPECT_NE(text.find("2 would merge"), std::string::npos) << text;
  EXPECT_NE(text.find("warning: only"), std::string::npos);

  // Nothing was written: the queue is as it was.
  auto after = reg_->store()->Begin(Store::Mode::kRead);
  EXPECT_EQ((*after)->GetCounts()->pending_reviews, 2);
}

TEST_F(WhatIfTest, UndoneMergesAreNotLabels) {
  Decide(items_[0], "same");
  auto v = service_->Victim(items_[0].candidates[0].victim_id, Viewer{"mona", false});
  ASSERT_TRUE(v.ok());
  rapidjson::Document d;
  d.Parse(v->c_str());
  int64_t seq = d["merges"][0]["seq"].GetInt64();
  ASSERT_TRUE(service_->UndoMerge(seq, "wrong", Viewer{"mona", false}).ok());
  auto r = RunWhatIf(reg_->store(), current_, current_);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->labelled_pairs, 0);
}

}  // namespace
}  // namespace qayd::review
