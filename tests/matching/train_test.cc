#include "matching/train.h"

#include <gtest/gtest.h>

#include "config/config.h"
#include "test_reports.h"

namespace qayd::matching {
namespace {

using testing::MakeReport;

TEST(Train, LearnsThatDisagreementsSeparateAndPrintsConfig) {
  // Pairs of one person in two spellings, plus relatives sharing parts.
  std::vector<Report> reports;
  const char* first[] = {"سعيد", "هاني", "نور", "رائد", "وليد", "خالد", "امين", "سناء"};
  const char* family[] = {"حمدونه", "الفرا", "ابو حطب", "كسكين", "الحسين", "شهاب", "مسعود", "عبيد"};
  for (int f = 0; f < 8; ++f) {
    for (int k = 0; k < 3; ++k) {
      std::string name = std::string(first[(f + k) % 8]) + " حامد محمد " + family[f];
      std::string dob = std::to_string(1960 + f * 3 + k * 7) + "-0" + std::to_string(1 + k) + "-1" +
                        std::to_string(f);
      reports.push_back(MakeReport(name, dob));
      reports.push_back(MakeReport(name, dob));  // the same person again
    }
  }
  TrainResult r = TrainWeights(reports, DefaultConfig().matching);
  EXPECT_GT(r.pairs, 20u);
  // 24 true pairs among the candidate pairs (relatives share father and
  // grandfather, so most candidate pairs are not matches)
  double truth = 24.0 / static_cast<double>(r.pairs);
  EXPECT_GT(r.match_share, truth / 2);
  EXPECT_LT(r.match_share, truth * 2);
  EXPECT_LT(r.weights.at("name.first.disagree"), -2);
  EXPECT_LT(r.weights.at("dob.disagree"), 0);
  std::string json = r.ToConfigJson();
  EXPECT_EQ(json.rfind("{\"matching\": {\"weights\": {", 0), 0u);
  EXPECT_NE(json.find("\"name.first.disagree\""), std::string::npos);
}

TEST(Train, EmptyInputGivesNoWeights) {
  TrainResult r = TrainWeights({}, DefaultConfig().matching);
  EXPECT_EQ(r.pairs, 0u);
  EXPECT_TRUE(r.weights.empty());
}

}  // namespace
}  // namespace qayd::matching
