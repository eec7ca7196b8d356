#include "model/report_json.h"

#include <gtest/gtest.h>

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
            (FieldError{"date_of_birth",
                        "not a date: \"2023-02-30\" (use YYYY-MM-DD, YYYY-MM or YYYY)"}));
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
  ASSERT_TRUE(
      ReportFromJsonText(R"({"source":"s","source_record_id":"9","name":"Fatima","sex":"female",
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
  EXPECT_NE(ReportToJson(r, {.include_contact = true}).find("\"contact\":\"c\""),
            std::string::npos);
}

}  // namespace
}  // namespace qayd

namespace qayd {
namespace {

TEST(ReportJsonLimits, DeepNestingIsAnErrorNotACrash) {
  Report r;
  std::vector<FieldError> errors;
  const std::string deep = std::string(400000, '[') + std::string(400000, ']');
  EXPECT_FALSE(ReportFromJsonText("{\"notes\":" + deep + "}", &r, &errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "");
  EXPECT_NE(errors[0].problem.find("JSON nested deeper than 64 levels"), std::string::npos);
}

TEST(ReportJsonLimits, NulInATextIsAnErrorNotATruncation) {
  Report r;
  std::vector<FieldError> errors;
  EXPECT_FALSE(ReportFromJsonText(R"({"name":"Nul\u0000Person","names":[{"first":"A\u0000B"}],
      "roles":["x\u0000"],"place_of_death":"G\u0000"})",
                                  &r, &errors));
  EXPECT_EQ(errors,
            (std::vector<FieldError>{{"name", "contains a NUL character (\\u0000)"},
                                     {"names[0].first", "contains a NUL character (\\u0000)"},
                                     {"roles", "contains a NUL character (\\u0000)"},
                                     {"place_of_death", "contains a NUL character (\\u0000)"}}));
  EXPECT_TRUE(r.names.empty());
  // A key with a NUL is not read as the key before it.
  errors.clear();
  Report k;
  EXPECT_FALSE(ReportFromJsonText(R"({"name\u0000x":"A"})", &k, &errors));
  EXPECT_EQ(errors, (std::vector<FieldError>{{"name\\u0000x", "unknown field"}}));
}

TEST(ReportJsonLimits, MinusOneIsAnUnknownAgeOnEveryChannel) {
  for (const char* text :
       {R"({"name":"A","age":-1})", R"({"name":"A","age":"-1"})", R"({"name":"A","age":" -1 "})"}) {
    Report r;
    std::vector<FieldError> errors;
    EXPECT_TRUE(ReportFromJsonText(text, &r, &errors)) << text;
    EXPECT_FALSE(r.age.known()) << text;
  }
  Report r;  // other negative ages are read as given; validation rejects them
  std::vector<FieldError> errors;
  EXPECT_TRUE(ReportFromJsonText(R"({"name":"A","age":"-2"})", &r, &errors));
  EXPECT_TRUE(r.age.known());
}

TEST(ReportJsonLimits, InvalidUtf8KeyIsEscapedSoTheErrorsAreValidJson) {
  Report r;
  std::vector<FieldError> errors;
  EXPECT_FALSE(ReportFromJsonText("{\"name\":\"A\",\"bad\xc3\x28key\":1}", &r, &errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "bad\\xC3(key");
  const std::string json = FieldErrorsToJson(errors);
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(json.c_str());
  EXPECT_FALSE(doc.HasParseError()) << json;
}

TEST(ReportJsonLimits, LargeIntegerSourceRecordIdIsKeptExactly) {
  Report r;
  std::vector<FieldError> errors;
  EXPECT_TRUE(
      ReportFromJsonText(R"({"name":"A","source_record_id":18446744073709551615})", &r, &errors));
  EXPECT_EQ(r.source_record_id, "18446744073709551615");
  Report big;
  EXPECT_FALSE(ReportFromJsonText(R"({"name":"A","source_record_id":123456789012345678901234})",
                                  &big, &errors));
  EXPECT_EQ(errors.back(),
            (FieldError{"source_record_id",
                        "integer too large to keep exactly (more than 20 digits): send it as a "
                        "string"}));
}

}  // namespace
}  // namespace qayd
