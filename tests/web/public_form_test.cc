// The relatives' public submission form (POST /api/v1/public/submissions) and
// the vocabulary endpoint, end to end: real SQLite register, engine, pipeline,
// server on 127.0.0.1:0 and a real HTTP client.
#include "web/public_form.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "model/report_json.h"
#include "tests/web/http_client.h"
#include "tests/web/test_register.h"

namespace qayd::testing {
namespace {

constexpr char kMonitorPass[] = "monitor-pass-1";
constexpr char kAdminPass[] = "admin-pass-123";
constexpr char kForm[] = "/api/v1/public/submissions";

std::string FormBody(const std::string& name, const std::string& extra = "") {
  return "{\"name\":\"" + name +
         "\",\"sex\":\"male\",\"age\":\"34\",\"date_of_death\":\"2024-01-03\","
         "\"governorate\":\"Gaza\",\"locality\":\"Jabalia\",\"what_happened\":\"shelling of the "
         "house\",\"relation\":\"brother\",\"contact\":\"+970-555-0199\"" +
         extra + "}";
}

class PublicFormTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MatchingSettings m = DefaultConfig().matching;
    m.auto_merge = 1000;  // every candidate pair goes to review
    m.review = -1000;
    reg_ = std::make_unique<TestRegister>(m);
    reg_->config().submissions.rate_limit_per_minute = 100;
    ASSERT_TRUE(reg_->Start().ok());
    ASSERT_TRUE(reg_->AddUser("mona", "monitor", kMonitorPass).ok());
    ASSERT_TRUE(reg_->AddUser("ada", "admin", kAdminPass).ok());
  }

  HttpResult Submit(const std::string& body) {
    HttpClient c(reg_->port());
    return c.Send("POST", kForm, body, {{"content-type", "application/json"}});
  }

  // The stored report id of a reference, or 0.
  int64_t ReportOf(const std::string& reference) {
    auto txn = reg_->store()->Begin(Store::Mode::kRead);
    if (!txn.ok()) return 0;
    auto id = (*txn)->FindReport("public-form", reference);
    return id.ok() ? *id : 0;
  }

  std::unique_ptr<TestRegister> reg_;
};

TEST_F(PublicFormTest, AcceptsAFormAndAnswersOnlyAReference) {
  auto first = reg_->Ingest({Record("moh", "1", "محمد أحمد حسن الخطيب",
                                    "\"date_of_death\":\"2024-01-03\",\"sex\":\"male\"")});
  ASSERT_TRUE(first.ok());
  HttpResult r = Submit(FormBody("محمد احمد حسن الخطيب"));
  ASSERT_EQ(r.status, 201) << r.body;
  ASSERT_TRUE(r.json.IsObject());
  std::string ref = r.json["reference"].GetString();
  EXPECT_TRUE(std::regex_match(ref, std::regex("PF-[A-Z2-9]{12}"))) << ref;
  // Never matching details.
  for (const char* word : {"victim", "score", "candidate", "decision", "review", "merged"}) {
    EXPECT_EQ(r.body.find(word), std::string::npos) << word << " in " << r.body;
  }
  int64_t report = ReportOf(ref);
  ASSERT_GT(report, 0);
  auto txn = reg_->store()->Begin(Store::Mode::kRead);
  ASSERT_TRUE(txn.ok());
  auto stored = (*txn)->GetReport(report);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->names.at(0).full, "محمد احمد حسن الخطيب");
  EXPECT_EQ(stored->notes, "shelling of the house");
  EXPECT_EQ(stored->place_of_death.locality, "Jabalia");
  // The contact is stored apart, not in the report nor its raw payload.
  EXPECT_TRUE(stored->submitter_contact.empty());
  EXPECT_EQ(stored->raw_payload.find("555-0199"), std::string::npos);
  auto contact = (*txn)->GetContact(report);
  ASSERT_TRUE(contact.ok());
  EXPECT_EQ(contact->first, "brother");
  EXPECT_EQ(contact->second, "+970-555-0199");
  // Two references differ.
  HttpResult again = Submit(FormBody("سعيد خالد"));
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_NE(std::string(again.json["reference"].GetString()), ref);
}

TEST_F(PublicFormTest, RejectsMalformedJsonUnknownFieldsAndWrongTypes) {
  for (const std::string& body :
       {std::string("{\"name\":"), std::string("[1,2]"), std::string("not json"),
        FormBody("x", ",\"source\":\"moh\""), std::string("{\"name\":42}")}) {
    HttpResult r = Submit(body);
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_EQ(r.error_code(), "bad_request") << body;
  }
}

TEST_F(PublicFormTest, RejectsOversizeBodies) {
  std::string big = FormBody("علي", ",\"locality\":\"" + std::string(70 * 1024, 'a') + "\"");
  HttpResult r = Submit(big);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.error_code(), "body_too_large");
}

TEST_F(PublicFormTest, RejectsInvalidUtf8) {
  HttpResult r = Submit(FormBody(std::string("\xd9\x85\xff\xfe")));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.error_code(), "bad_request");
  EXPECT_NE(r.body.find("UTF-8"), std::string::npos);
}

TEST_F(PublicFormTest, InvalidFieldsAreNamedAndNothingIsStored) {
  HttpResult r = Submit(FormBody("علي", ",\"date_of_birth\":\"2999-01-01\""));
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.error_code(), "invalid_record");
  ASSERT_TRUE(r.json["error"]["fields"].IsArray());
  EXPECT_EQ(std::string(r.json["error"]["fields"][0]["field"].GetString()), "date_of_birth");
  HttpResult missing = Submit("{\"relation\":\"mother\"}");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.error_code(), "invalid_record");
  auto txn = reg_->store()->Begin(Store::Mode::kRead);
  ASSERT_TRUE(txn.ok());
  auto counts = (*txn)->GetCounts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->reports, 0);
}

TEST_F(PublicFormTest, ScriptInANameIsStoredAsTextAndServedAsJsonText) {
  const std::string name = "<script>alert(1)</script> محمد";
  auto first = reg_->Ingest({Record("moh", "1", name, "\"date_of_death\":\"2024-01-03\"")});
  ASSERT_TRUE(first.ok());
  HttpResult r = Submit("{\"name\":\"" + name + "\",\"date_of_death\":\"2024-01-03\"}");
  ASSERT_EQ(r.status, 201) << r.body;
  int64_t report = ReportOf(r.json["reference"].GetString());
  auto txn = reg_->store()->Begin(Store::Mode::kRead);
  ASSERT_TRUE(txn.ok());
  auto stored = (*txn)->GetReport(report);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->names.at(0).full, name);  // kept verbatim, as text
  txn->reset();
  // The review API hands it out as a JSON string (the UI writes it with textContent).
  HttpClient mona(reg_->port());
  ASSERT_EQ(mona.Login("mona", kMonitorPass).status, 200);
  HttpResult q = mona.Get("/api/v1/review/queue");
  ASSERT_EQ(q.status, 200) << q.body;
  EXPECT_EQ(q.headers["content-type"].rfind("application/json", 0), 0u);
  ASSERT_TRUE(q.json["items"].IsArray());
  ASSERT_EQ(q.json["items"].Size(), 1u);
  EXPECT_EQ(std::string(q.json["items"][0]["name"].GetString()), name);
}

TEST_F(PublicFormTest, BurstBeyondTheRateLimitIs429UntilTheWindowPasses) {
  reg_->config().submissions.rate_limit_per_minute = 3;
  for (int i = 0; i < 3; ++i) {
    HttpResult r = Submit(FormBody("علي " + std::to_string(i)));
    ASSERT_EQ(r.status, 201) << i << r.body;
  }
  // Malformed posts count too: the limit is on posts, not on good ones.
  HttpResult over = Submit(FormBody("علي 4"));
  EXPECT_EQ(over.status, 429);
  EXPECT_EQ(over.error_code(), "rate_limited");
  ASSERT_TRUE(over.headers.count("retry-after"));
  int retry = std::stoi(over.headers["retry-after"]);
  EXPECT_GE(retry, 1);
  EXPECT_LE(retry, 60);
  EXPECT_EQ(Submit("garbage").status, 429);
  reg_->now_ms += 61 * 1000;
  EXPECT_EQ(Submit(FormBody("علي 5")).status, 201);
}

TEST_F(PublicFormTest, VocabularyHasBothLanguages) {
  HttpClient c(reg_->port());
  HttpResult r = c.Get("/api/v1/vocabulary");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto& gov = r.json["kinds"]["governorate"];
  ASSERT_TRUE(gov.IsArray());
  ASSERT_GT(gov.Size(), 5u);
  bool found = false;
  for (const auto& e : gov.GetArray()) {
    EXPECT_GT(e["label_en"].GetStringLength(), 0u);
    EXPECT_GT(e["label_ar"].GetStringLength(), 0u);
    if (std::string(e["label_en"].GetString()) == "Gaza") found = true;
  }
  EXPECT_TRUE(found);
  EXPECT_TRUE(r.json["kinds"]["cause"].IsArray());
  EXPECT_TRUE(r.json["kinds"]["perpetrator"].IsArray());
}

}  // namespace
}  // namespace qayd::testing

namespace qayd::testing {
namespace {

// Issue 22: ages and dates as people write them in the region.
TEST(PublicFormDigits, ArabicIndicDigitsAndDayMonthYearDatesAreRead) {
  IncomingRecord rec;
  std::string error;
  ASSERT_TRUE(web::BuildPublicFormRecord(
      "{\"name\":\"محمد احمد\",\"age\":\"١٢ سنة\",\"date_of_birth\":\"٠٤/٠٥/٢٠١٢\","
      "\"date_of_death\":\"٢٠٢٤/٠٥/٠٤\"}",
      "ref-1", &rec, &error))
      << error;
  EXPECT_TRUE(rec.errors.empty()) << FieldErrorsToJson(rec.errors);
  EXPECT_EQ(rec.report.date_of_death.ToString(), "2024-05-04");
  EXPECT_EQ(rec.report.date_of_birth.ToString(), "2012-05-04");
  EXPECT_EQ(rec.report.age.min, 12);
  // Latin digits, dots, one-digit day and month; a year and month only.
  rec = IncomingRecord{};
  ASSERT_TRUE(web::BuildPublicFormRecord(
      "{\"name\":\"x y\",\"date_of_death\":\"4.5.2024\",\"date_of_birth\":\"1990/7\"}", "ref-2",
      &rec, &error));
  EXPECT_EQ(rec.report.date_of_death.ToString(), "2024-05-04");
  EXPECT_EQ(rec.report.date_of_birth.ToString(), "1990-07");
  // Nonsense stays nonsense: the record's own validation names the field.
  rec = IncomingRecord{};
  ASSERT_TRUE(web::BuildPublicFormRecord("{\"name\":\"x y\",\"date_of_death\":\"yesterday\"}",
                                         "ref-3", &rec, &error));
  ASSERT_FALSE(rec.errors.empty());
  EXPECT_EQ(rec.errors.front().field, "date_of_death");
}

}  // namespace
}  // namespace qayd::testing
