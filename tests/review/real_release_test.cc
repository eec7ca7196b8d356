// The review screen's numbers on a register built from a real release (Gaza
// Ministry of Health, data/gaza-moh): the first rows of release
// 2024-01-05 as the register, then the records of release 2024-03-29 with
// the same ids (the same people, re-extracted from PDF with spelling drift),
// ingested through the real pipeline with the default settings. For every
// review item the API shows, each candidate's score equals the total of the
// explanation shown with it, the explanation's rows add up to that total,
// and what-if cuts the pending items by that same score.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <memory>
#include <set>

#include "eval/loaders.h"
#include "model/report_json.h"
#include "review/name_parts.h"
#include "review/what_if.h"
#include "tests/web/http_client.h"
#include "tests/web/test_register.h"

namespace qayd::testing {
namespace {

constexpr char kPass[] = "monitor-pass-1";
constexpr size_t kRegisterRows = 6000;
const std::string kMoh = std::string(QAYD_DATA_DIR) + "/gaza-moh/";

std::vector<std::string> AsRecords(const std::vector<Report>& reports) {
  std::vector<std::string> out;
  for (const Report& r : reports) out.push_back(ReportToJson(r));
  return out;
}

class RealReleaseTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    reg_ = new TestRegister(DefaultConfig().matching);
    ASSERT_TRUE(reg_->Start().ok());
    ASSERT_TRUE(reg_->AddUser("mona", "monitor", kPass).ok());
    auto old_release = eval::LoadGazaCsv(kMoh + "release-2024-01-05.csv");
    auto new_release = eval::LoadGazaCsv(kMoh + "release-2024-03-29.csv");
    ASSERT_TRUE(old_release.ok() && new_release.ok());
    old_release->resize(std::min(old_release->size(), kRegisterRows));
    std::set<std::string> ids;
    for (const Report& r : *old_release) ids.insert(r.national_id);
    std::vector<Report> incoming;
    for (const Report& r : *new_release) {
      if (ids.count(r.national_id)) incoming.push_back(r);
    }
    ASSERT_TRUE(reg_->Ingest(AsRecords(*old_release)).ok());
    ASSERT_TRUE(reg_->Ingest(AsRecords(incoming)).ok());
  }
  static void TearDownTestSuite() {
    mona_.reset();
    delete reg_;
    reg_ = nullptr;
  }
  // The item as the review screen gets it (one login: password hashing is slow on purpose).
  HttpResult Shown(int64_t item) {
    if (!mona_) {
      mona_ = std::make_unique<HttpClient>(reg_->port());
      EXPECT_EQ(mona_->Login("mona", kPass).status, 200);
    }
    return mona_->Get("/api/v1/review/items/" + std::to_string(item));
  }
  std::vector<ReviewItem> Pending() {
    auto txn = reg_->store()->Begin(Store::Mode::kRead);
    ReviewFilter f;
    f.limit = 100000;
    return *(*txn)->ListReviewItems(f);
  }

  static TestRegister* reg_;
  static std::unique_ptr<HttpClient> mona_;
};
TestRegister* RealReleaseTest::reg_ = nullptr;
std::unique_ptr<HttpClient> RealReleaseTest::mona_;

TEST_F(RealReleaseTest, EveryCandidateScoreEqualsTheExplanationShownWithIt) {
  const std::vector<ReviewItem> items = Pending();
  ASSERT_GE(items.size(), 20u) << "the release should queue items for review";
  int candidates = 0;
  for (const ReviewItem& item : items) {
    HttpResult view = Shown(item.id);
    ASSERT_EQ(view.status, 200) << view.body;
    for (const auto& c : view.json["candidates"].GetArray()) {
      ++candidates;
      ASSERT_TRUE(c.HasMember("comparison")) << "item " << item.id;
      const auto& why = c["comparison"]["explanation"];
      const double score = c["score"].GetDouble(), total = why["total"].GetDouble();
      EXPECT_NEAR(score, total, 0.0006)
          << "item " << item.id << " victim " << c["victim_id"].GetInt64();
      EXPECT_NEAR(c["comparison"]["score"].GetDouble(), score, 0.0006);
      double sum = 0;
      for (const auto& f : why["fields"].GetArray()) sum += f["weight"].GetDouble();
      EXPECT_NEAR(sum, total, 0.001 * (why["fields"].Size() + 1)) << "item " << item.id;
      // The candidate's report the explanation is about is among its reports.
      const int64_t b = c["comparison"]["report_b"].GetInt64();
      bool listed = false;
      for (const auto& r : c["reports"].GetArray()) listed = listed || r["id"].GetInt64() == b;
      EXPECT_TRUE(listed);
    }
  }
  EXPECT_GT(candidates, 0);
  std::cout << items.size() << " review items, " << candidates << " candidates checked\n";
}

// What-if's pending items are cut by the score the screen shows: the best
// candidate's as proposed now (the register changed since they were queued,
// so that score may differ from the queued one).
TEST_F(RealReleaseTest, WhatIfCutsPendingItemsByTheScoreTheScreenShows) {
  const MatchingSettings settings = DefaultConfig().matching;
  const std::vector<ReviewItem> items = Pending();
  int64_t merge = 0, queue = 0, below = 0;
  for (const ReviewItem& item : items) {
    HttpResult view = Shown(item.id);
    ASSERT_EQ(view.status, 200);
    double best = -1e300;
    for (const auto& c : view.json["candidates"].GetArray()) {
      best = std::max(best, c["score"].GetDouble());
    }
    (best >= settings.auto_merge ? merge : best >= settings.review ? queue : below)++;
  }
  auto result = review::RunWhatIf(reg_->store(), settings, settings);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->pending_items, static_cast<int64_t>(items.size()));
  EXPECT_EQ(result->current.pending_would_merge, merge);
  EXPECT_EQ(result->current.pending_would_queue, queue);
  EXPECT_EQ(result->current.pending_would_be_new, below);
}

TEST(NameRoles, ShortNamesAreAlignedByRoleAsTheEngineReadsThem) {
  auto split = [](const std::string& full) {
    NameSpelling n;
    n.full = full;
    return review::SplitName(n).parts;
  };
  // Two parts: first + family (never father).
  auto p = split("جمال النجار");
  EXPECT_EQ(p[0], "جمال");
  EXPECT_EQ(p[1], "");
  EXPECT_EQ(p[3], "النجار");
  p = split("Hassan al-Zoubi");
  EXPECT_EQ(p[0], "Hassan");
  EXPECT_EQ(p[1], "");
  EXPECT_EQ(p[3], "al-Zoubi");
  // Three parts: first, father, family; four: and grandfather.
  p = split("ليلى محمد النجار");
  EXPECT_EQ(p[1], "محمد");
  EXPECT_EQ(p[2], "");
  EXPECT_EQ(p[3], "النجار");
  p = split("محمد عبد الرحمن حسن ابو شرخ");
  EXPECT_EQ(p[0], "محمد");
  EXPECT_EQ(p[1], "عبد الرحمن");
  EXPECT_EQ(p[2], "حسن");
  EXPECT_EQ(p[3], "ابو شرخ");
  // The family name of a two-part name agrees with a four-part one.
  double sim = 0;
  EXPECT_STREQ(review::PartMark(split("جمال النجار")[3], split("جمال أحمد حسن النجار")[3], &sim),
               "agree");
}

}  // namespace
}  // namespace qayd::testing
