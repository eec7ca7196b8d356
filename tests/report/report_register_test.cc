// The death-toll report of a register built through the real pipeline (see
// register_fixture.h): every table against the counts known from the
// fixture, in both counting rules and the year-to-date variant, and the same
// report through `qayd report` and the HTTP rendering.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "cli/cmd_report.h"
#include "register_fixture.h"
#include "report/death_report.h"
#include "report/render.h"
#include "report/report_http.h"

namespace qayd::report {
namespace {

class ReportRegisterTest : public ::testing::Test {
 protected:
  static void TearDownTestSuite() {
    delete reg_;
    reg_ = nullptr;
  }
  // The register is built once, by the first test (its failures show there).
  void SetUp() override {
    if (!reg_) {
      reg_ = new testing::FixtureRegister();
      testing::BuildFixtureRegister(reg_);
    }
    ASSERT_TRUE(reg_->store && reg_->victim_of.size() == 20u) << "the fixture register failed";
  }

  // Sorted victim ids of the given persons.
  static std::vector<int64_t> Ids(std::initializer_list<const char*> persons) {
    std::vector<int64_t> ids;
    for (const char* p : persons) ids.push_back(reg_->victim_of.at(p));
    std::sort(ids.begin(), ids.end());
    return ids;
  }
  static DeathReport Build(int month, CountBy by, int last_month = 12) {
    ReportRequest q;
    q.year = 2024;
    q.month = month;
    q.last_month = last_month;
    q.by = by;
    auto r = BuildDeathReport(reg_->store.get(), q);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : DeathReport{};
  }
  static const PartyRow* Party(const std::vector<PartyRow>& rows, const std::string& code) {
    for (const PartyRow& p : rows) {
      if (p.party.code == code) return &p;
    }
    return nullptr;
  }

  static testing::FixtureRegister* reg_;
};
testing::FixtureRegister* ReportRegisterTest::reg_ = nullptr;

TEST_F(ReportRegisterTest, DuplicatesAcrossScriptsAreOneVictimEach) {
  // 27 reports of 20 people: 7 duplicate reports, whoever decided them.
  EXPECT_EQ(reg_->victim_of.size(), 20u);
  EXPECT_EQ(reg_->auto_merged + reg_->monitor_merged, 7);
  std::printf("[ fixture ] duplicates merged by the engine: %d, by the monitor: %d\n",
              reg_->auto_merged, reg_->monitor_merged);
}

TEST_F(ReportRegisterTest, MonthByDateOfDeath) {
  const DeathReport r = Build(3, CountBy::kDeath);
  EXPECT_EQ(r.period_label, "2024-03");
  EXPECT_EQ(r.total.victim_ids, Ids({"P1", "P2", "P3", "P4", "P5a", "P5b", "P5c", "P5d", "P5e",
                                     "P7", "P8", "P9", "P10", "P11", "P12"}));
  EXPECT_EQ(r.children.victim_ids, Ids({"P3", "P4", "P5c", "P5d"}));
  EXPECT_EQ(r.women.victim_ids, Ids({"P2", "P5b", "P9"}));
  EXPECT_EQ(r.provisional.victim_ids, Ids({"P9"}));
  EXPECT_EQ(r.unidentified.victim_ids, Ids({"P11"}));

  // Main parties: every one of the vocabulary, in its order.
  std::vector<std::string> codes;
  for (const PartyRow& p : r.main_parties) codes.push_back(p.party.code);
  EXPECT_EQ(codes, (std::vector<std::string>{"syrian_regime", "russian_forces", "isis", "hts",
                                             "armed_opposition", "sdf", "international_coalition"}));
  const PartyRow* regime = Party(r.main_parties, "syrian_regime");
  ASSERT_NE(regime, nullptr);
  EXPECT_EQ(regime->total.victim_ids, Ids({"P1", "P5a", "P5b", "P5c", "P5d", "P5e"}));
  EXPECT_EQ(regime->children.victim_ids, Ids({"P5c", "P5d"}));
  EXPECT_EQ(regime->women.victim_ids, Ids({"P5b"}));
  EXPECT_EQ(regime->party.label_ar, "قوات النظام السوري");
  const PartyRow* russia = Party(r.main_parties, "russian_forces");
  EXPECT_EQ(russia->total.victim_ids, Ids({"P2", "P3"}));
  EXPECT_EQ(russia->children.victim_ids, Ids({"P3"}));
  EXPECT_EQ(russia->women.victim_ids, Ids({"P2"}));
  EXPECT_EQ(Party(r.main_parties, "isis")->children.victim_ids, Ids({"P4"}));
  EXPECT_EQ(Party(r.main_parties, "hts")->total.victim_ids, Ids({"P7"}));
  EXPECT_EQ(Party(r.main_parties, "sdf")->women.victim_ids, Ids({"P9"}));
  EXPECT_EQ(Party(r.main_parties, "armed_opposition")->total.count(), 0);
  EXPECT_EQ(r.main_total.total.count(), 11);
  EXPECT_EQ(r.main_total.children.count(), 4);
  EXPECT_EQ(r.main_total.women.count(), 3);

  EXPECT_EQ(Party(r.other_parties, "unidentified_landmines")->total.victim_ids, Ids({"P10"}));
  EXPECT_EQ(Party(r.other_parties, "unidentified_gunfire")->total.victim_ids, Ids({"P8"}));
  EXPECT_EQ(Party(r.other_parties, "?unknown")->total.victim_ids, Ids({"P11"}));
  EXPECT_EQ(Party(r.other_parties, "")->total.victim_ids, Ids({"P12"}));
  EXPECT_EQ(r.other_total.total.count(), 4);

  // Governorate of death: largest first, shares to the nearest percent.
  std::vector<std::tuple<std::string, int64_t, int>> gov;
  for (const PlaceRow& p : r.by_governorate) {
    gov.emplace_back(p.place.code, p.victims.count(), p.share_percent);
  }
  EXPECT_EQ(gov, (std::vector<std::tuple<std::string, int64_t, int>>{
                     {"idlib", 8, 53}, {"aleppo", 3, 20}, {"hama", 1, 7}, {"homs", 1, 7},
                     {"daraa", 1, 7}, {"", 1, 7}}));
  std::vector<std::tuple<std::string, int64_t, int>> origin;
  for (const PlaceRow& p : r.by_origin) {
    origin.emplace_back(p.place.code, p.victims.count(), p.share_percent);
  }
  EXPECT_EQ(origin, (std::vector<std::tuple<std::string, int64_t, int>>{
                        {"idlib", 4, 27}, {"aleppo", 3, 20}, {"hama", 3, 20}, {"", 2, 13},
                        {"rif_dimashq", 1, 7}, {"homs", 1, 7}, {"daraa", 1, 7}}));

  ASSERT_EQ(r.torture.size(), 1u);
  EXPECT_EQ(r.torture[0].party.code, "hts");
  EXPECT_EQ(r.torture_total.victim_ids, Ids({"P7"}));
  EXPECT_EQ(r.medical.victim_ids, Ids({"P8"}));
  EXPECT_EQ(r.media.victim_ids, Ids({"P9"}));
  EXPECT_EQ(r.civil_defense.victim_ids, Ids({"P10"}));

  ASSERT_EQ(r.massacres.size(), 1u);  // inc-saraqib has two victims only
  EXPECT_EQ(r.massacres[0].incident_id, "inc-ariha");
  EXPECT_EQ(r.massacres[0].party.code, "syrian_regime");
  EXPECT_EQ(r.massacres[0].governorate.code, "idlib");
  EXPECT_EQ(r.massacres[0].date.ToString(), "2024-03-12");
  EXPECT_EQ(r.massacres[0].victims.victim_ids, Ids({"P5a", "P5b", "P5c", "P5d", "P5e"}));
  ASSERT_EQ(r.massacres_by_party.size(), 1u);
  EXPECT_EQ(r.massacres_by_party[0].incident_ids.size(), 1u);

  EXPECT_FALSE(r.two_dates_counted);
  EXPECT_EQ(r.two_dates_figure.victim_ids, Ids({"P6", "P13b"}));

  ASSERT_EQ(r.series.size(), 12u);
  std::vector<int64_t> series;
  for (const MonthPoint& p : r.series) series.push_back(p.victims.count());
  EXPECT_EQ(series, (std::vector<int64_t>{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 15}));  // 2023-04..2024-03

  // The open review item (P9 vs P4) touches the figures that hold either.
  EXPECT_EQ(r.pending_review_items, (std::vector<int64_t>{reg_->open_review_item}));
  EXPECT_EQ(r.total.pending, 2);
  EXPECT_EQ(r.children.pending, 1);
  EXPECT_EQ(r.women.pending, 1);
  EXPECT_EQ(r.media.pending, 1);
  EXPECT_EQ(r.medical.pending, 0);
  EXPECT_EQ(regime->total.pending, 0);
  EXPECT_GT(r.figures_pending, 0);
  EXPECT_LT(r.figures_pending, r.figures);
}

TEST_F(ReportRegisterTest, MonthByDateOfDocumentation) {
  const DeathReport r = Build(3, CountBy::kDocumented);
  // P10 was documented in April; P6 and P13b died earlier, documented in March.
  EXPECT_EQ(r.total.victim_ids, Ids({"P1", "P2", "P3", "P4", "P5a", "P5b", "P5c", "P5d", "P5e",
                                     "P6", "P7", "P8", "P9", "P11", "P12", "P13b"}));
  EXPECT_EQ(r.women.victim_ids, Ids({"P2", "P5b", "P9", "P13b"}));
  EXPECT_TRUE(r.two_dates_counted);
  EXPECT_EQ(r.two_dates_figure.victim_ids, Ids({"P6", "P13b"}));
  EXPECT_EQ(r.torture_total.victim_ids, Ids({"P6", "P7"}));
  ASSERT_EQ(r.torture.size(), 2u);
  EXPECT_EQ(r.torture[0].party.code, "syrian_regime");  // regime security services roll up
  EXPECT_EQ(r.torture[1].party.code, "hts");
  EXPECT_EQ(r.civil_defense.count(), 0);
  EXPECT_EQ(Party(r.main_parties, "syrian_regime")->total.count(), 7);
}

TEST_F(ReportRegisterTest, YearToDate) {
  EXPECT_EQ(Build(0, CountBy::kDeath, 3).total.count(), 18);
  const DeathReport year = Build(0, CountBy::kDeath, 12);
  EXPECT_EQ(year.total.count(), 19);
  EXPECT_EQ(year.series.size(), 12u);
  EXPECT_EQ(year.series[3].victims.victim_ids, Ids({"P13d"}));  // April
  EXPECT_EQ(Party(year.main_parties, "syrian_regime")->total.count(), 9);
}

// Every figure object in the JSON carries exactly its victims.
void CheckFigures(const rapidjson::Value& v, int* figures) {
  if (v.IsObject()) {
    if (v.HasMember("count") && v.HasMember("victim_ids")) {
      ++*figures;
      EXPECT_EQ(v["count"].GetInt64(), static_cast<int64_t>(v["victim_ids"].Size()));
    }
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) CheckFigures(it->value, figures);
  } else if (v.IsArray()) {
    for (const auto& e : v.GetArray()) CheckFigures(e, figures);
  }
}

TEST_F(ReportRegisterTest, JsonAndHtmlLinkEveryFigureToItsVictims) {
  const DeathReport r = Build(3, CountBy::kDeath);
  rapidjson::Document doc;
  doc.Parse(RenderJson(r).c_str());
  ASSERT_FALSE(doc.HasParseError());
  int figures = 0;
  CheckFigures(doc, &figures);
  EXPECT_EQ(figures, r.figures);
  EXPECT_EQ(doc["total"]["count"].GetInt(), 15);
  EXPECT_EQ(doc["governorates"][0]["label_ar"].GetString(), std::string("إدلب"));
  EXPECT_EQ(doc["governorates"][0]["share_percent"].GetInt(), 53);
  EXPECT_EQ(doc["pending_review"]["item_ids"].Size(), 1u);

  RenderOptions opts;
  opts.victim_link = "/#/victims/{id}";
  const std::string html = RenderHtml(r, opts);
  size_t links = 0, lists = 0;
  for (size_t p = 0; (p = html.find("<a href=\"#v-", p)) != std::string::npos; ++p) ++links;
  for (size_t p = 0; (p = html.find("<details id=\"v-", p)) != std::string::npos; ++p) ++lists;
  EXPECT_GT(lists, 40u);
  EXPECT_GE(links, lists);  // table cells, plus chart bars linking to the same lists
  EXPECT_NE(html.find("href=\"/#/victims/" + std::to_string(reg_->victim_of.at("P8")) + "\""),
            std::string::npos);
  EXPECT_EQ(html.find("محمد"), std::string::npos);  // no names in the report
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST_F(ReportRegisterTest, QaydReportCommand) {
  const std::string md = reg_->dir + "/march.md";
  ASSERT_EQ(cli::CmdReport({"--db", reg_->db, "--month", "2024-03", "--out", md}), 0);
  const std::string text = ReadFile(md);
  EXPECT_NE(text.find("# Civilian death toll: 2024-03"), std::string::npos);
  EXPECT_NE(text.find("| Idlib | 8 | 53% |"), std::string::npos) << text;
  EXPECT_NE(text.find("| Civilians killed | 15\\* |"), std::string::npos) << text;

  const std::string csv = reg_->dir + "/march.csv";
  ASSERT_EQ(cli::CmdReport({"--db", reg_->db, "--month", "2024-03", "--by", "documented",
                            "--format", "csv", "--out", csv}),
            0);
  EXPECT_NE(ReadFile(csv).find("2024-03,documented,summary,Civilians killed,Victims,16,"),
            std::string::npos);

  const std::string html = reg_->dir + "/year.html";
  ASSERT_EQ(cli::CmdReport({"--db", reg_->db, "--year", "2024", "--format", "html", "--lang", "ar",
                            "--out", html}),
            0);
  EXPECT_NE(ReadFile(html).find("dir=\"rtl\""), std::string::npos);

  EXPECT_EQ(cli::CmdReport({"--db", reg_->db}), 2);
  EXPECT_EQ(cli::CmdReport({"--db", reg_->db, "--month", "2024-3"}), 2);
  EXPECT_EQ(cli::CmdReport({"--db", reg_->db, "--month", "2024-03", "--format", "pdf"}), 2);
  EXPECT_EQ(cli::CmdReport({"--db", reg_->db, "--month", "2024-03", "--year", "2024"}), 2);
}

TEST_F(ReportRegisterTest, HttpRendering) {
  HttpReply ok = RenderReportHttp(reg_->store.get(), {{"month", "2024-03"}});
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.content_type, "application/json");
  rapidjson::Document doc;
  doc.Parse(ok.body.c_str());
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_EQ(doc["total"]["count"].GetInt(), 15);

  HttpReply html = RenderReportHttp(reg_->store.get(),
                                    {{"month", "2024-03"}, {"format", "html"}, {"by", "documented"}});
  EXPECT_EQ(html.status, 200);
  EXPECT_EQ(html.content_type, "text/html; charset=utf-8");
  EXPECT_NE(html.body.find("<svg"), std::string::npos);

  EXPECT_EQ(RenderReportHttp(reg_->store.get(), {}).status, 400);
  EXPECT_EQ(RenderReportHttp(reg_->store.get(), {{"month", "2024-13"}}).status, 400);
  HttpReply bad = RenderReportHttp(reg_->store.get(), {{"month", "2024-03"}, {"by", "x"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("\"code\":\"invalid_input\""), std::string::npos) << bad.body;
}

}  // namespace
}  // namespace qayd::report
