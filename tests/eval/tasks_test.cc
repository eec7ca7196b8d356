// Each task on a sample of the real data, against its bar.
#include "eval/tasks.h"

#include <gtest/gtest.h>

#include "config/config.h"

namespace qayd::eval {
namespace {

EvalOptions Options(int64_t sample) {
  EvalOptions o;
  o.data_dir = QAYD_DATA_DIR;
  o.sample = sample;
  o.seed = 7;
  o.settings = DefaultConfig().matching;
  return o;
}

TEST(Tasks, DriftMeetsItsBars) {
  auto m = RunDrift(Options(2000));
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  SCOPED_TRACE(m->ToText());
  EXPECT_GT(m->with_truth, 1000);
  EXPECT_GE(m->precision(), 0.995);
  EXPECT_GE(m->auto_recall(), 0.90);
  EXPECT_GE(m->review_recall(), 0.99);
  EXPECT_LE(m->review_load(), 0.10);
  EXPECT_GE(m->blocking_recall(), 0.995);
}

TEST(Tasks, CrossScriptMeetsItsBars) {
  auto m = RunCrossScript(Options(2000));
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  SCOPED_TRACE(m->ToText());
  EXPECT_GT(m->with_truth, 1000);
  EXPECT_GE(m->precision(), 0.99);
  EXPECT_GE(m->auto_recall(), 0.75);
  EXPECT_GE(m->review_recall(), 0.95);
  EXPECT_LE(m->review_load(), 0.15);
  EXPECT_GE(m->blocking_recall(), 0.995);
}

TEST(Tasks, WordsRankTheTrueTransliterationFirst) {
  auto m = RunWords(Options(0));
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_GT(m->pairs, 1000);
  EXPECT_GE(m->rank1_share(), 0.90) << m->ToText();
}

TEST(Tasks, MissingDataIsAnError) {
  EvalOptions o = Options(10);
  o.data_dir = "/nonexistent";
  EXPECT_FALSE(RunDrift(o).ok());
  EXPECT_FALSE(RunWords(o).ok());
}

}  // namespace
}  // namespace qayd::eval
