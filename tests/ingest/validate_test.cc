#include "ingest/validate.h"

#include <gtest/gtest.h>

#include "ingest/record_parser.h"

namespace qayd::ingest {
namespace {

using Errors = std::vector<FieldError>;

ValidateOptions Opts() {
  ValidateOptions o;
  o.today = *ParseFuzzyDate("2026-11-28");
  return o;
}

// Parses one qayd JSON record (source "test") and validates it.
Errors Check(const std::string& json, const ValidateOptions& o = Opts()) {
  ParseOptions po;
  po.source = "test";
  auto parsed = ParseRecords(json, po);
  EXPECT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->records.size(), 1u);
  ValidateRecords(&parsed->records, o);
  return parsed->records[0].errors;
}

TEST(Validate, ValidRecordHasNoErrors) {
  EXPECT_EQ(Check(R"({"source_record_id":"1","name":"محمد خالد","sex":"male","age":"34",)"
                  R"("date_of_birth":"1990-01-01","date_of_death":"2024-01-05",)"
                  R"("perpetrator":"russian_forces","cause":"Air-Strike",)"
                  R"("place_of_death":{"governorate":"Idlib"}})"),
            Errors{});
}

TEST(Validate, RequiredFields) {
  Report r;
  std::vector<FieldError> errors;
  ValidateReport(r, Opts(), &errors);
  EXPECT_EQ(errors,
            (Errors{{"source", "required"},
                    {"source_record_id", "required"},
                    {"names", "required: a name, or \"identification\": \"unidentified\""}}));
  EXPECT_EQ(Check(R"({"identification":"unidentified","sex":"m"})"), Errors{});
}

TEST(Validate, DatesInTheFutureAndDeathBeforeBirth) {
  EXPECT_EQ(Check(R"({"name":"A","date_of_death":"2027-01-02"})"),
            (Errors{{"date_of_death", "in the future: 2027-01-02 (today is 2026-11-28)"}}));
  EXPECT_EQ(Check(R"({"name":"A","date_documented":"2026-12"})"),
            (Errors{{"date_documented", "in the future: 2026-12 (today is 2026-11-28)"}}));
  EXPECT_EQ(Check(R"({"name":"A","date_of_death":"2026-11"})"), Errors{});
  EXPECT_EQ(Check(R"({"name":"A","date_of_birth":"2003-01-01","date_of_death":"2001-05-01"})"),
            (Errors{{"date_of_death", "before date_of_birth (2001-05-01 < 2003-01-01)"}}));
  // Same year with year precision: could be consistent.
  EXPECT_EQ(Check(R"({"name":"A","date_of_birth":"2003","date_of_death":"2003-01-01"})"), Errors{});
  // A day that does not exist is found by the parser.
  EXPECT_EQ(
      Check(R"({"name":"A","date_of_death":"2023-02-29"})"),
      (Errors{{"date_of_death", "not a date: \"2023-02-29\" (use YYYY-MM-DD, YYYY-MM or YYYY)"}}));
}

TEST(Validate, TodayDefaultsToTheCurrentDate) {
  ValidateOptions o;  // today unset
  const FuzzyDate today = TodayUtc();
  EXPECT_EQ(Check(R"({"name":"A","date_of_death":")" + today.ToString() + R"("})", o), Errors{});
  const std::string next_year = std::to_string(today.year + 1);
  EXPECT_EQ(Check(R"({"name":"A","date_of_death":")" + next_year + R"("})", o),
            (Errors{{"date_of_death",
                     "in the future: " + next_year + " (today is " + today.ToString() + ")"}}));
}

TEST(Validate, AgeRangeAndConsistency) {
  EXPECT_EQ(Check(R"({"name":"A","age":"130"})"), (Errors{{"age", "out of range 0..120: 130"}}));
  EXPECT_EQ(Check(R"({"name":"A","age":"-3"})"), (Errors{{"age", "out of range 0..120: -3"}}));
  EXPECT_EQ(Check(R"({"name":"A","age":"20",)"
                  R"("date_of_birth":"1990-06-15","date_of_death":"2024-01-05"})"),
            (Errors{{"age",
                     "20 does not match date_of_birth 1990-06-15 and date_of_death "
                     "2024-01-05 (age 33)"}}));
  // Year difference (34) is within the one year of slack.
  EXPECT_EQ(Check(R"({"name":"A","age":"34",)"
                  R"("date_of_birth":"1990-06-15","date_of_death":"2024-01-05"})"),
            Errors{});
  EXPECT_EQ(Check(R"({"name":"A","age":"child","date_of_birth":"1990",)"
                  R"("date_of_death":"2024"})"),
            (Errors{{"age",
                     "child does not match date_of_birth 1990 and date_of_death 2024 "
                     "(age 33 to 34)"}}));
  EXPECT_EQ(Check(R"({"name":"A","age":"30-40","date_of_birth":"1990",)"
                  R"("date_of_death":"2024-01"})"),
            Errors{});
}

TEST(Validate, VocabulariesWithSuggestions) {
  EXPECT_EQ(Check(R"({"name":"A","perpetrator":"Rusian forces","cause":"shellling",)"
                  R"("place_of_death":{"governorate":"Xyzzy"},"governorate_of_origin":"Aleppp"})"),
            (Errors{{"perpetrator",
                     "not in the vocabulary: 'Rusian forces' (did you mean 'Russian forces'?)"},
                    {"cause", "not in the vocabulary: 'shellling' (did you mean 'Shelling'?)"},
                    {"place_of_death.governorate", "not in the vocabulary: 'Xyzzy'"},
                    {"governorate_of_origin",
                     "not in the vocabulary: 'Aleppp' (did you mean 'Aleppo'?)"}}));
  // Vocabularies come from the caller (e.g. the store); an empty list is no check.
  ValidateOptions o = Opts();
  o.vocab = Vocabularies{.perpetrators = {"Party A"}, .causes = {}, .governorates = {}};
  EXPECT_EQ(Check(R"({"name":"A","perpetrator":"party a","cause":"anything"})", o), Errors{});
  EXPECT_EQ(ClosestEntry("Party B", o.vocab.perpetrators), "Party A");
  EXPECT_EQ(ClosestEntry("Totally else", o.vocab.perpetrators), "");
}

TEST(Validate, InvalidUtf8IsRejectedWithOffsetNotMangled) {
  const std::string json =
      "{\"name\":\"Ahm\xFF"
      "d\",\"notes\":\"ok\"}";
  ParseOptions po;
  po.source = "test";
  auto parsed = ParseRecords(json, po);
  ASSERT_TRUE(parsed.ok());
  ValidateRecords(&parsed->records, Opts());
  const auto& rec = parsed->records[0];
  EXPECT_EQ(rec.errors, (Errors{{"names[0].full", "invalid UTF-8 at byte 3"}}));
  EXPECT_EQ(rec.report.raw_payload, json);  // verbatim, bytes untouched

  // Bad bytes in a key: the record-level offset, and the key named in printable form
  // (an answer that quotes it stays valid JSON).
  EXPECT_EQ(Check("{\"name\":\"A\",\"n\xC3\":1}"),
            (Errors{{"n\\xC3", "unknown field"}, {"", "invalid UTF-8 at byte 14 of the record"}}));
}

TEST(Validate, FieldLengths) {
  const std::string long_name(201, 'a');
  const std::string long_notes(10001, 'n');
  EXPECT_EQ(Check(R"({"name":")" + long_name + R"(","notes":")" + long_notes + R"("})"),
            (Errors{{"names[0].full", "too long: 201 bytes (max 200)"},
                    {"notes", "too long: 10001 bytes (max 10000)"}}));
  EXPECT_EQ(Check(R"({"name":{"first":")" + std::string(200, 'b') + R"("}})"), Errors{});
  EXPECT_EQ(Check(R"({"name":{"first":")" + std::string(201, 'b') + R"("}})"),
            (Errors{{"names[0].full", "too long: 201 bytes (max 200)"},
                    {"names[0].first", "too long: 201 bytes (max 200)"}}));
}

}  // namespace
}  // namespace qayd::ingest
