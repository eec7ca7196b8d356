#include <gtest/gtest.h>

#include "model/date.h"
#include "model/report.h"

namespace qayd {
namespace {

TEST(DateTest, ParsesFormsWithTheirPrecision) {
  auto d = ParseFuzzyDate("2024-01-05");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->precision, DatePrecision::kExact);
  EXPECT_EQ(d->ToString(), "2024-01-05");
  EXPECT_EQ(ParseFuzzyDate("2024-01")->precision, DatePrecision::kMonth);
  EXPECT_EQ(ParseFuzzyDate("2024")->precision, DatePrecision::kYear);
  EXPECT_EQ(ParseFuzzyDate("05/01/2024")->ToString(), "2024-01-05");
  EXPECT_EQ(ParseFuzzyDate("2024-01-05T10:00:00Z")->ToString(), "2024-01-05");
  EXPECT_FALSE(ParseFuzzyDate("")->known());
}

TEST(DateTest, RejectsDaysThatDoNotExist) {
  EXPECT_FALSE(ParseFuzzyDate("2023-02-29"));
  EXPECT_TRUE(ParseFuzzyDate("2024-02-29"));
  EXPECT_FALSE(ParseFuzzyDate("2024-13-01"));
  EXPECT_FALSE(ParseFuzzyDate("yesterday"));
  EXPECT_FALSE(ParseFuzzyDate("2024-1-5"));
}

TEST(DateTest, DaysSinceEpoch) {
  EXPECT_EQ(ParseFuzzyDate("1970-01-01")->DaysSinceEpoch(), 0);
  EXPECT_EQ(ParseFuzzyDate("2024-03-01")->DaysSinceEpoch() - ParseFuzzyDate("2024-02-01")->DaysSinceEpoch(), 29);
}

TEST(ReportFieldsTest, SexAndAge) {
  EXPECT_EQ(ParseSex("M"), Sex::kMale);
  EXPECT_EQ(ParseSex("female"), Sex::kFemale);
  EXPECT_EQ(ParseSex("ذكر"), Sex::kMale);
  EXPECT_FALSE(ParseSex("x"));
  EXPECT_EQ(ParseAge("34")->kind, Age::Kind::kExact);
  EXPECT_EQ(ParseAge("30-40")->max, 40);
  EXPECT_EQ(ParseAge("child")->kind, Age::Kind::kChild);
  EXPECT_FALSE(ParseAge("40-30"));
  EXPECT_FALSE(ParseAge("old"));
}

}  // namespace
}  // namespace qayd
