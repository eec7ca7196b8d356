#include <gtest/gtest.h>

#include "model/report_json.h"

namespace qayd {
namespace {

TEST(ReportJsonTest, ParsesTheRecordFormat) {
  Report r;
  std::vector<FieldError> errors;
  ASSERT_TRUE(ReportFromJsonText(R"({"source":"moh","source_record_id":"17",
      "name":"محمد أحمد الشاعر","names":[{"full":"Mohammed Ahmad al-Shaer","script":"latin"}],
      "sex":"M","age":34,"date_of_birth":"1990-01-01","date_of_death":"2024-01",
      "place_of_death":{"governorate":"Gaza","locality":"Shati"},"roles":["medical"],
      "died_under_torture":false,"submitter":{"relation":"brother","contact":"+970"}})",
                                 &r, &errors));
  EXPECT_TRUE(errors.empty());
  ASSERT_EQ(r.names.size(), 2u);
  EXPECT_EQ(r.names[0].full, "محمد أحمد الشاعر");
  EXPECT_EQ(r.names[1].script, Script::kLatin);
  EXPECT_EQ(r.sex, Sex::kMale);
  EXPECT_EQ(r.age.min, 34);
  EXPECT_EQ(r.date_of_death.precision, DatePrecision::kMonth);
  EXPECT_EQ(r.place_of_death.locality, "Shati");
  EXPECT_EQ(r.submitter_contact, "+970");
}

TEST(ReportJsonTest, NamesEveryBadField) {
  Report r;
  std::vector<FieldError> errors;
  EXPECT_FALSE(ReportFromJsonText(
      R"({"source":"x","source_record_id":"1","name":"a","sex":"yes","date_of_birth":"2023-02-30","colour":"red"})",
      &r, &errors));
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0], (FieldError{"sex", "unknown sex \"yes\" (male, female, unknown)"}));
  EXPECT_EQ(errors[1],
            (FieldError{"date_of_birth", "not a date: \"2023-02-30\" (use YYYY-MM-DD, YYYY-MM or YYYY)"}));
  EXPECT_EQ(errors[2], (FieldError{"colour", "unknown field"}));
}

TEST(ReportJsonTest, SyntaxErrorIsOneError) {
  Report r;
  std::vector<FieldError> errors;
  EXPECT_FALSE(ReportFromJsonText("{\"source\": ", &r, &errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "");
}

TEST(ReportJsonTest, RoundTripsAndKeepsContactOutByDefault) {
  Report r;
  std::vector<FieldError> errors;
  ASSERT_TRUE(ReportFromJsonText(R"({"source":"s","source_record_id":"9","name":"Fatima","sex":"female",
      "date_of_death":"2024-02-03","date_of_death_precision":"estimate","submitter":{"contact":"c"}})",
                                 &r, &errors));
  EXPECT_EQ(r.date_of_death.precision, DatePrecision::kEstimate);
  const std::string json = ReportToJson(r);
  EXPECT_EQ(json.find("contact"), std::string::npos);
  Report back;
  ASSERT_TRUE(ReportFromJsonText(json, &back, &errors)) << json;
  EXPECT_EQ(back.names, r.names);
  EXPECT_EQ(back.date_of_death, r.date_of_death);
  EXPECT_EQ(back.sex, r.sex);
  EXPECT_NE(ReportToJson(r, {.include_contact = true}).find("\"contact\":\"c\""), std::string::npos);
}

}  // namespace
}  // namespace qayd
