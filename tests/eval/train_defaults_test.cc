// The shipped trained weights are reproducible: scripts/train-defaults.sh's
// training, rerun on data/, writes config/matching_weights_trained.h byte for
// byte (so nobody edits the file by hand and the data/ it came from is known).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "config/matching_weights_trained.h"
#include "eval/training.h"

namespace qayd::eval {
namespace {

TEST(TrainDefaults, RerunningTheTrainingReproducesTheShippedFile) {
  auto trained = TrainDefaults(QAYD_DATA_DIR);
  ASSERT_TRUE(trained.ok()) << trained.status().ToString();
  std::ifstream in(std::string(QAYD_SOURCE_DIR) + "/config/matching_weights_trained.h");
  ASSERT_TRUE(in.good());
  std::stringstream shipped;
  shipped << in.rdbuf();
  EXPECT_EQ(trained->ToHeader(kDefaultsCommand), shipped.str())
      << "rerun scripts/train-defaults.sh";
  // The training saw the three lists and the duplicates among them.
  EXPECT_EQ(trained->reports, 48668u);  // 14,138 + 14,140 + 20,390
  EXPECT_GT(trained->match_share, 0.01);
  // Every estimated name is a known weight, and the compiled table is this file.
  ASSERT_EQ(trained->weights.size(), std::size(kTrainedWeights));
  for (const auto& w : kTrainedWeights) {
    ASSERT_TRUE(trained->weights.count(w.name)) << w.name;
    EXPECT_NEAR(trained->weights.at(w.name), w.value, 0.0006) << w.name;
  }
}

}  // namespace
}  // namespace qayd::eval
