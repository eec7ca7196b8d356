// Each task on a sample of the real data, against its bar.
#include "eval/tasks.h"

#include <gtest/gtest.h>

#include "config/config.h"
#include "eval/cross_validation.h"
#include "eval/outcomes.h"

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

// Matching once at a low threshold and replaying the decisions at a higher
// one decides exactly as matching at the higher one (what cross-validation
// relies on), caps included.
TEST(Tasks, ReplayAtAThresholdDecidesAsMatchingAtIt) {
  EvalOptions o = Options(1500);
  std::vector<Report> existing, incoming;
  ASSERT_TRUE(LoadLinkTask("drift", o.data_dir, &existing, &incoming).ok());
  LinkOutcomes low = Collect("drift", existing, incoming, o.settings, 8, o.sample, o.seed);
  for (double t : {12.0, 15.0}) {
    o.settings.auto_merge = t;
    LinkMetrics direct = RunLinkTask("drift", existing, incoming, o);
    LinkMetrics replayed = Replay(low, t);
    EXPECT_EQ(replayed.merges_correct, direct.merges_correct) << t;
    EXPECT_EQ(replayed.merges_wrong, direct.merges_wrong) << t;
    EXPECT_EQ(replayed.reviews, direct.reviews) << t;
    EXPECT_EQ(replayed.review_found, direct.review_found) << t;
    EXPECT_EQ(replayed.auto_found, direct.auto_found) << t;
  }
  EXPECT_LT(Replay(low, 30).merges_correct, Replay(low, 8).merges_correct);
}

TEST(Tasks, CrossValidationScoresEveryPersonOnceOnAFoldFittedWithoutThem) {
  EvalOptions o = Options(2000);
  std::vector<Report> existing, incoming;
  ASSERT_TRUE(LoadLinkTask("cross-script", o.data_dir, &existing, &incoming).ok());
  LinkOutcomes out = Collect("cross-script", existing, incoming, o.settings, 8, o.sample, o.seed);
  FitOptions fit;
  CrossValidation cv = CrossValidate(out, 5, 1, fit);
  SCOPED_TRACE(cv.ToText());
  ASSERT_EQ(cv.thresholds.size(), 5u);
  for (double t : cv.thresholds) {
    EXPECT_GE(t, fit.min_threshold);
    EXPECT_LE(t, fit.max_threshold);
  }
  EXPECT_EQ(cv.held_out.scored, static_cast<int64_t>(out.queries.size()));
  int64_t classed = 0;
  for (const auto& [cls, n] : cv.held_out.wrong_by_class) classed += n;
  EXPECT_EQ(classed, cv.held_out.merges_wrong);  // every wrong merge has a class
  EXPECT_GE(cv.held_out.precision(), 0.99);
  EXPECT_GE(cv.held_out.auto_recall(), 0.75);
  EXPECT_GE(cv.held_out.review_recall(), 0.95);
  // a stricter target fits higher thresholds and merges less
  fit.target_precision = 1.0;
  CrossValidation strict = CrossValidate(out, 5, 1, fit);
  EXPECT_LE(strict.held_out.merges_correct + strict.held_out.merges_wrong,
            cv.held_out.merges_correct + cv.held_out.merges_wrong);
  // the transfer figure: fitted on one task, scored on the other
  Transfer tr = FitAndTransfer(out, out, FitOptions{});
  EXPECT_EQ(tr.scored.scored, cv.held_out.scored);
}

// With trained weights, each fold re-estimates them by EM on the records of
// the other folds' people only: the estimates differ between folds (their
// data does) but stay in the basin of "the same person".
TEST(Tasks, CrossValidationRefitsTheWeightsOnTheFittingFoldsOnly) {
  EvalOptions o = Options(1000);
  std::vector<Report> existing, incoming;
  ASSERT_TRUE(LoadLinkTask("drift", o.data_dir, &existing, &incoming).ok());
  matching::TrainOptions train;
  train.max_pairs = 20000;
  CrossValidation cv = CrossValidateTrained("drift", existing, incoming, o.settings, 2, 1,
                                            FitOptions{}, train, o.sample);
  SCOPED_TRACE(cv.ToText());
  ASSERT_EQ(cv.weights.size(), 2u);
  EXPECT_NE(cv.weights[0], cv.weights[1]);
  for (const auto& w : cv.weights) {
    EXPECT_EQ(w.size(), 8u);  // the shipped estimates only, not the policy weights
    EXPECT_FALSE(w.count("name.first.disagree"));
    EXPECT_LT(w.at("dob.disagree"), -4);
    EXPECT_LT(w.at("sex.disagree"), -4);
    EXPECT_GT(w.at("name.m"), 0.8);
  }
  EXPECT_GT(cv.held_out.with_truth, 500);
  EXPECT_GE(cv.held_out.precision(), 0.995);
  EXPECT_GE(cv.held_out.auto_recall(), 0.90);
}

TEST(Tasks, MissingDataIsAnError) {
  EvalOptions o = Options(10);
  o.data_dir = "/nonexistent";
  EXPECT_FALSE(RunDrift(o).ok());
  EXPECT_FALSE(RunWords(o).ok());
  std::vector<Report> e, i;
  EXPECT_FALSE(LoadLinkTask("drift", o.data_dir, &e, &i).ok());
  EXPECT_FALSE(LoadLinkTask("nonsense", QAYD_DATA_DIR, &e, &i).ok());
}

}  // namespace
}  // namespace qayd::eval
