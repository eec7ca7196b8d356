// Export (JSON lines, CSV), canonical values, and history formatting on a
// SQLite register.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <sstream>

#include "store/canonical.h"
#include "store/export.h"
#include "store/history_format.h"
#include "tests/store/store_test_support.h"

namespace qayd {
namespace {

using testing_support::MakeReport;

TEST(Canonical, EarliestReportWithTheFieldWinsAndIsNamed) {
  Report a = MakeReport("s", "1", "أحمد");
  a.id = 12;
  a.names.front().script = Script::kArabic;
  a.sex = Sex::kUnknown;
  a.cause.clear();
  Report b = MakeReport("s", "2", "Ahmad");
  b.id = 30;
  b.sex = Sex::kFemale;
  b.cause = "shelling";
  b.date_of_death = {2024, 2, 0, DatePrecision::kMonth};
  Report c = MakeReport("s", "3", "Ahmad");
  c.id = 5;
  c.names.clear();
  c.sex = Sex::kMale;
  c.cause = "air_strike";
  CanonicalVictim v = ComputeCanonical({b, a, c});
  EXPECT_EQ(v.name, "أحمد");
  EXPECT_EQ(v.sources.at("name"), 12);
  EXPECT_EQ(v.sex, Sex::kMale);
  EXPECT_EQ(v.sources.at("sex"), 5);
  EXPECT_EQ(v.cause, "air_strike");
  EXPECT_EQ(v.date_of_death, c.date_of_death);
  ASSERT_EQ(v.names.size(), 2u);
  EXPECT_EQ(v.names[1].full, "Ahmad");
  EXPECT_EQ(v.sources.count("perpetrator"), 0u);
}

class ExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = OpenStore(dir_.path() + "/x.db");
    ASSERT_TRUE(s.ok());
    store_ = std::move(*s);
    auto t = store_->Begin().value();
    Report r1 = MakeReport("moh", "A-1", "Khaled, \"Abu Ali\"");
    r1.submitter_contact = "+970 secret";
    r1.raw_payload = "{\"raw\":\"payload-secret\"}";
    r1.roles = {"medical", "media"};
    auto a1 = t->AcceptReport(r1);
    v1_ = *t->CreateVictim(a1->report_id, VictimState::kActive, "engine", "{}");
    Report r2 = MakeReport("ngo", "B-9", "خالد");
    r2.names.front().script = Script::kArabic;
    r2.perpetrator = "isis";
    auto a2 = t->AcceptReport(r2);
    ASSERT_TRUE(t->AttachReport(a2->report_id, v1_, "monitor", "{}").ok());
    auto a3 = t->AcceptReport(MakeReport("moh", "C-2", "Sami"));
    v2_ = *t->CreateVictim(a3->report_id, VictimState::kProvisional, "engine", "{}");
    auto a4 = t->AcceptReport(MakeReport("moh", "D-4", "Gone"));
    int64_t v3 = *t->CreateVictim(a4->report_id, VictimState::kActive, "engine", "{}");
    merge_seq_ = *t->MergeVictims(v2_, v3, "monitor1", R"({"review_item":3})");
    ASSERT_TRUE(t->Commit().ok());
  }
  testing_support::TempDir dir_;
  std::unique_ptr<Store> store_;
  int64_t v1_ = 0, v2_ = 0, merge_seq_ = 0;
};

TEST_F(ExportTest, JsonLinesHoldReportsCanonicalFieldsAndSources) {
  std::ostringstream out;
  ASSERT_TRUE(ExportVictims(*store_, out, ExportFormat::kJsonLines).ok());
  std::string text = out.str();
  EXPECT_EQ(text.find("secret"), std::string::npos);
  std::istringstream in(text);
  std::vector<rapidjson::Document> docs;
  for (std::string line; std::getline(in, line);) {
    docs.emplace_back();
    docs.back().Parse(line.c_str());
    ASSERT_FALSE(docs.back().HasParseError()) << line;
  }
  ASSERT_EQ(docs.size(), 2u);  // the absorbed victim is not exported
  const auto& d = docs[0];
  EXPECT_EQ(d["victim_id"].GetInt64(), v1_);
  EXPECT_STREQ(d["state"].GetString(), "active");
  ASSERT_EQ(d["reports"].Size(), 2u);
  EXPECT_STREQ(d["reports"][0]["source"].GetString(), "moh");
  EXPECT_STREQ(d["reports"][1]["source_record_id"].GetString(), "B-9");
  EXPECT_STREQ(d["name"].GetString(), "Khaled, \"Abu Ali\"");
  EXPECT_EQ(d["names"].Size(), 2u);
  EXPECT_STREQ(d["perpetrator"].GetString(), "isis");
  EXPECT_EQ(d["canonical_sources"]["perpetrator"].GetInt64(),
            d["reports"][1]["report_id"].GetInt64());
  EXPECT_EQ(d["canonical_sources"]["name"].GetInt64(), d["reports"][0]["report_id"].GetInt64());
  EXPECT_STREQ(d["date_of_death"].GetString(), "2024-01-15");
  EXPECT_EQ(d["roles"].Size(), 2u);
  EXPECT_EQ(docs[1]["reports"].Size(), 2u);
}

TEST_F(ExportTest, CsvHasHeaderAndQuotesFields) {
  std::ostringstream out;
  ASSERT_TRUE(ExportVictims(*store_, out, ExportFormat::kCsv).ok());
  std::istringstream in(out.str());
  std::string header, row1, row2, extra;
  std::getline(in, header);
  std::getline(in, row1);
  std::getline(in, row2);
  EXPECT_FALSE(std::getline(in, extra));
  EXPECT_EQ(header.rfind("victim_id,state,corroboration,reports,name,names,sex,age,", 0), 0u);
  EXPECT_EQ(row1.rfind(std::to_string(v1_) + ",active,pending,moh:A-1 | ngo:B-9,"
                       "\"Khaled, \"\"Abu Ali\"\"\",",
                       0),
            0u)
      << row1;
  EXPECT_NE(row1.find(",medical | media,false"), std::string::npos) << row1;
  EXPECT_EQ(row2.rfind(std::to_string(v2_) + ",provisional,", 0), 0u);
  EXPECT_EQ(out.str().find("secret"), std::string::npos);
}

TEST_F(ExportTest, HistoryIsFormattedOneLinePerEvent) {
  auto text = FormatVictimHistory(*store_, v2_);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  std::istringstream in(*text);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  ASSERT_EQ(lines.size(), 3u) << *text;
  EXPECT_EQ(lines[0], "victim " + std::to_string(v2_) + ": provisional, 2 reports");
  EXPECT_NE(lines[1].find(" victim_created victim " + std::to_string(v2_)), std::string::npos);
  EXPECT_EQ(lines[2].rfind("#" + std::to_string(merge_seq_) + " ", 0), 0u) << lines[2];
  EXPECT_NE(lines[2].find(" merge victim "), std::string::npos);
  EXPECT_NE(lines[2].find(" by monitor1 "), std::string::npos);
  EXPECT_NE(lines[2].find("\"review_item\":3"), std::string::npos);
  EXPECT_EQ(FormatVictimHistory(*store_, 9999).status().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace qayd
