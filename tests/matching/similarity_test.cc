#include "matching/similarity.h"

#include <gtest/gtest.h>

#include "matching/engine.h"

namespace qayd::matching {
namespace {

TEST(JaroWinkler, KnownValues) {
  EXPECT_DOUBLE_EQ(JaroWinkler("martha", "martha"), 1.0);
  EXPECT_NEAR(JaroWinkler("martha", "marhta"), 0.961, 0.001);
  EXPECT_NEAR(JaroWinkler("dixon", "dicksonx"), 0.813, 0.001);
  EXPECT_EQ(JaroWinkler("", "abc"), 0.0);
  EXPECT_EQ(JaroWinkler("abc", "xyz"), 0.0);
  EXPECT_GT(JaroWinkler("محمد", "محمود"), 0.9);  // code points, not bytes
}

TEST(NameSimilarity, SameNameAcrossScriptsBeatsAnotherName) {
  EXPECT_GT(NameSimilarity("محمد", "Muhammad"), 0.9);
  EXPECT_GT(NameSimilarity("عبد الرحمن", "Abdul Rahman"), 0.9);
  EXPECT_GT(NameSimilarity("يوسف", "Youssef"), NameSimilarity("يوسف", "Yasser"));
  EXPECT_GT(NameSimilarity("خليل ابراهيم المصري", "Khalil Ibrahim al-Masri"),
            NameSimilarity("خليل ابراهيم المصري", "Khaled Ibrahim al-Masri"));
  EXPECT_GT(NameSimilarity("محمود", "Mahmoud"), NameSimilarity("محمود", "Muhammad"));
  EXPECT_EQ(NameSimilarity("مجهول", "Muhammad"), 0.0);
}

}  // namespace
}  // namespace qayd::matching
