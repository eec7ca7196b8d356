// The counting rules of the death-toll report on hand-made snapshots: age and
// sex rules, share rounding, vocabulary resolution, the --by rule, massacres,
// pending review, and escaping in every output form.
#include <gtest/gtest.h>

#include "report/death_report.h"
#include "report/render.h"
#include "report/victim_facts.h"
#include "report/vocabulary_resolver.h"

namespace qayd::report {
namespace {

FuzzyDate D(const std::string& text) { return *ParseFuzzyDate(text); }
Age A(const std::string& text) { return *ParseAge(text); }

std::vector<VocabularyEntry> Perpetrators() {
  return {{"perpetrator", "syrian_regime", "Syrian regime forces", "قوات النظام السوري", "main"},
          {"perpetrator", "regime_security", "Syrian regime security services", "الأمن", "syrian_regime"},
          {"perpetrator", "russian_forces", "Russian forces", "القوات الروسية", "main"},
          {"perpetrator", "armed_opposition", "Armed opposition / Syrian National Army", "المعارضة", "main"},
          {"perpetrator", "other_parties", "Other parties", "جهات أخرى", "other"},
          {"perpetrator", "unidentified_landmines", "Landmines of unidentified origin", "ألغام", "other_parties"}};
}

std::vector<VocabularyEntry> Governorates() {
  return {{"governorate", "aleppo", "Aleppo", "حلب", "syria"},
          {"governorate", "idlib", "Idlib", "إدلب", "syria"},
          {"governorate", "hama", "Hama", "حماة", "syria"}};
}

TEST(ReportRules, ChildrenByAgeOrDateOfBirthAtDeath) {
  EXPECT_EQ(ClassifyAge(A("17"), {}, {}), AgeClass::kChild);
  EXPECT_EQ(ClassifyAge(A("18"), {}, {}), AgeClass::kAdult);
  EXPECT_EQ(ClassifyAge(A("child"), {}, {}), AgeClass::kChild);
  EXPECT_EQ(ClassifyAge(A("10-15"), {}, {}), AgeClass::kChild);
  EXPECT_EQ(ClassifyAge(A("15-20"), {}, {}), AgeClass::kUnknown);
  // Born 2006-03-10: 17 on 2024-03-09, 18 on 2024-03-10.
  EXPECT_EQ(ClassifyAge({}, D("2006-03-10"), D("2024-03-09")), AgeClass::kChild);
  EXPECT_EQ(ClassifyAge({}, D("2006-03-10"), D("2024-03-10")), AgeClass::kAdult);
  // Month precision on both sides: undecidable in the birthday month.
  EXPECT_EQ(ClassifyAge({}, D("2006-03"), D("2024-03")), AgeClass::kUnknown);
  EXPECT_EQ(ClassifyAge({}, D("2006-03"), D("2024-02")), AgeClass::kChild);
  EXPECT_EQ(ClassifyAge({}, D("2006"), D("2024-03-01")), AgeClass::kUnknown);
  EXPECT_EQ(ClassifyAge({}, D("2000"), D("2024-03-01")), AgeClass::kAdult);
  EXPECT_EQ(ClassifyAge({}, D("2006-03-10"), {}), AgeClass::kUnknown);
  // A reported age wins over the dates.
  EXPECT_EQ(ClassifyAge(A("30"), D("2010-01-01"), D("2024-03-01")), AgeClass::kAdult);
}

TEST(ReportRules, WomenAreAdultFemales) {
  VictimFacts f;
  f.sex = Sex::kFemale;
  f.age_class = AgeClass::kAdult;
  EXPECT_TRUE(f.woman());
  f.age_class = AgeClass::kChild;
  EXPECT_FALSE(f.woman());
  EXPECT_TRUE(f.child());
  f.age_class = AgeClass::kUnknown;
  EXPECT_FALSE(f.woman());
  f.sex = Sex::kMale;
  f.age_class = AgeClass::kAdult;
  EXPECT_FALSE(f.woman());
}

TEST(ReportRules, SharesRoundHalfUpToTheNearestPercent) {
  EXPECT_EQ(SharePercent(1, 8), 13);    // 12.5
  EXPECT_EQ(SharePercent(1, 3), 33);    // 33.3
  EXPECT_EQ(SharePercent(2, 3), 67);    // 66.7
  EXPECT_EQ(SharePercent(1, 200), 1);   // 0.5
  EXPECT_EQ(SharePercent(1, 201), 0);   // 0.497
  EXPECT_EQ(SharePercent(7, 7), 100);
  EXPECT_EQ(SharePercent(0, 0), 0);
}

TEST(ReportRules, CanonicalFactsComeFromTheEarliestReportThatHasThem) {
  Report late, early;
  late.id = 1;
  late.received_at_ms = 2000;
  late.sex = Sex::kFemale;
  late.age = A("40");
  late.place_of_death.governorate = "Hama";
  late.roles = {"Civil Defense"};
  early.id = 2;
  early.received_at_ms = 1000;
  early.place_of_death.governorate = "Idlib";
  early.died_under_torture = true;
  early.roles = {"medical"};
  Victim v;
  v.id = 9;
  v.state = VictimState::kProvisional;
  VictimFacts f = FactsOf(v, {late, early});
  EXPECT_EQ(f.victim_id, 9);
  EXPECT_EQ(f.state, VictimState::kProvisional);
  EXPECT_EQ(f.governorate, "Idlib");   // earliest received wins
  EXPECT_EQ(f.sex, Sex::kFemale);      // only the late report has it
  EXPECT_TRUE(f.woman());
  EXPECT_TRUE(f.died_under_torture);
  EXPECT_TRUE(f.HasRole("medical"));
  EXPECT_TRUE(f.HasRole("civil_defense"));  // union, normalised
}

TEST(ReportRules, VocabularyResolvesCodesLabelsAndNearSpellings) {
  VocabularyResolver v(Perpetrators());
  EXPECT_EQ(v.Resolve("syrian_regime").code, "syrian_regime");
  EXPECT_EQ(v.Resolve("Syrian regime forces").code, "syrian_regime");
  EXPECT_EQ(v.Resolve("القوات الروسية").code, "russian_forces");
  EXPECT_EQ(v.Resolve("Syrian regime security").code, "regime_security");
  EXPECT_EQ(v.Resolve("Syrian National Army").code, "armed_opposition");
  EXPECT_EQ(v.Resolve("unidentified landmines").code, "unidentified_landmines");
  EXPECT_EQ(v.TopLevel(v.Resolve("Syrian regime security")).code, "syrian_regime");
  EXPECT_EQ(v.Group("syrian_regime"), "main");
  EXPECT_EQ(v.Group("other_parties"), "other");
  const Resolved unknown = v.Resolve("Martians");
  EXPECT_FALSE(unknown.in_vocabulary);
  EXPECT_EQ(unknown.label_en, "Martians");
  EXPECT_EQ(v.Resolve("").code, "");
}

VictimFacts Victim_(int64_t id, const std::string& dod, Sex sex, const std::string& age,
                    const std::string& party, const std::string& gov) {
  VictimFacts f;
  f.victim_id = id;
  f.date_of_death = D(dod);
  f.sex = sex;
  f.age_class = ClassifyAge(A(age), {}, f.date_of_death);
  f.perpetrator = party;
  f.governorate = gov;
  return f;
}

TEST(ReportRules, ComputesTablesFromASnapshot) {
  RegisterSnapshot s;
  s.perpetrators = Perpetrators();
  s.governorates = Governorates();
  for (int i = 1; i <= 5; ++i) {  // a massacre in Idlib by a regime unit
    VictimFacts f = Victim_(i, "2024-03-12", i % 2 ? Sex::kMale : Sex::kFemale, i == 5 ? "9" : "30",
                            "Syrian regime security", "Idlib");
    f.incident_id = "inc-1";
    s.victims.push_back(f);
  }
  s.victims.push_back(Victim_(6, "2024-03-02", Sex::kMale, "12", "Russian forces", "Aleppo"));
  s.victims.push_back(Victim_(7, "2024-03-30", Sex::kFemale, "", "unidentified landmines", ""));
  VictimFacts absorbed = Victim_(8, "2024-03-02", Sex::kMale, "40", "Russian forces", "Aleppo");
  absorbed.state = VictimState::kAbsorbed;
  s.victims.push_back(absorbed);
  VictimFacts earlier = Victim_(9, "2023-11-20", Sex::kMale, "50", "Syrian regime forces", "Hama");
  earlier.date_documented = D("2024-03-15");
  earlier.died_under_torture = true;
  s.victims.push_back(earlier);
  s.victims.push_back(Victim_(10, "2024-04-01", Sex::kMale, "50", "Martians", "Hama"));
  s.pending.push_back({41, {6, 99}});
  s.pending.push_back({42, {10}});  // April only: does not touch March

  ReportRequest q;
  q.year = 2024;
  q.month = 3;
  DeathReport r = ComputeDeathReport(s, q);
  EXPECT_EQ(r.total.victim_ids, (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(r.children.victim_ids, (std::vector<int64_t>{5, 6}));
  EXPECT_EQ(r.women.victim_ids, (std::vector<int64_t>{2, 4}));
  ASSERT_EQ(r.main_parties.size(), 3u);  // every main party of the vocabulary, in its order
  EXPECT_EQ(r.main_parties[0].party.code, "syrian_regime");
  EXPECT_EQ(r.main_parties[0].total.count(), 5);
  EXPECT_EQ(r.main_parties[0].children.count(), 1);
  EXPECT_EQ(r.main_parties[0].women.count(), 2);
  EXPECT_EQ(r.main_parties[1].party.code, "russian_forces");
  EXPECT_EQ(r.main_parties[1].total.count(), 1);
  EXPECT_EQ(r.main_parties[2].total.count(), 0);
  EXPECT_EQ(r.main_total.total.count(), 6);
  EXPECT_EQ(r.other_total.total.count(), 1);
  ASSERT_EQ(r.by_governorate.size(), 3u);
  EXPECT_EQ(r.by_governorate[0].place.code, "idlib");
  EXPECT_EQ(r.by_governorate[0].share_percent, 71);  // 5/7
  EXPECT_EQ(r.by_governorate[1].place.code, "aleppo");
  EXPECT_EQ(r.by_governorate[1].share_percent, 14);  // 1/7
  EXPECT_EQ(r.by_governorate[2].place.code, "");     // not recorded
  ASSERT_EQ(r.massacres.size(), 1u);
  EXPECT_EQ(r.massacres[0].party.code, "syrian_regime");
  EXPECT_EQ(r.massacres[0].governorate.code, "idlib");
  EXPECT_EQ(r.massacres[0].victims.count(), 5);
  ASSERT_EQ(r.two_dates.size(), 1u);
  EXPECT_EQ(r.two_dates[0].victim_id, 9);
  EXPECT_FALSE(r.two_dates_counted);
  EXPECT_EQ(r.torture_total.count(), 0);  // victim 9 counts in November 2023
  EXPECT_EQ(r.pending_review_items, (std::vector<int64_t>{41}));
  EXPECT_EQ(r.total.pending, 1);
  EXPECT_EQ(r.children.pending, 1);
  EXPECT_EQ(r.women.pending, 0);
  EXPECT_GT(r.figures_pending, 0);
  EXPECT_LT(r.figures_pending, r.figures);
  ASSERT_EQ(r.series.size(), 12u);
  EXPECT_EQ(r.series.front().year, 2023);
  EXPECT_EQ(r.series.front().month, 4);
  EXPECT_EQ(r.series[7].victims.count(), 1);  // 2023-11
  EXPECT_EQ(r.series.back().victims.count(), 7);

  q.by = CountBy::kDocumented;
  DeathReport d = ComputeDeathReport(s, q);
  EXPECT_EQ(d.total.count(), 8);  // victim 9 documented in March
  EXPECT_TRUE(d.two_dates_counted);
  EXPECT_EQ(d.torture_total.victim_ids, (std::vector<int64_t>{9}));
  ASSERT_EQ(d.torture.size(), 1u);
  EXPECT_EQ(d.torture[0].party.code, "syrian_regime");

  ReportRequest year;
  year.year = 2024;
  year.last_month = 12;
  DeathReport y = ComputeDeathReport(s, year);
  EXPECT_EQ(y.total.count(), 8);  // March + April
  EXPECT_EQ(y.series.size(), 12u);
  ASSERT_FALSE(y.other_parties.empty());
  EXPECT_EQ(y.other_parties.back().party.label_en, "Martians");
  year.last_month = 3;
  EXPECT_EQ(ComputeDeathReport(s, year).total.count(), 7);
}

TEST(ReportRules, ParsesPeriods) {
  auto m = ParsePeriod("2024-03", CountBy::kDeath);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->year, 2024);
  EXPECT_EQ(m->month, 3);
  auto y = ParsePeriod("2019", CountBy::kDocumented);
  ASSERT_TRUE(y.ok());
  EXPECT_EQ(y->month, 0);
  EXPECT_EQ(y->last_month, 12);
  EXPECT_EQ(y->by, CountBy::kDocumented);
  EXPECT_FALSE(ParsePeriod("2024-13", CountBy::kDeath).ok());
  EXPECT_FALSE(ParsePeriod("2024-03-01", CountBy::kDeath).ok());
  EXPECT_FALSE(ParsePeriod("March", CountBy::kDeath).ok());
}

TEST(ReportRules, EveryOutputEscapesRegisterStrings) {
  RegisterSnapshot s;
  s.governorates = Governorates();
  VictimFacts f = Victim_(1, "2024-03-01", Sex::kMale, "30", "<script>alert(1)</script>",
                          "\"><img src=x onerror=alert(1)>");
  f.incident_id = "=HYPERLINK(\"x\")";
  s.victims.push_back(f);
  ReportRequest q;
  q.year = 2024;
  q.month = 3;
  DeathReport r = ComputeDeathReport(s, q);
  const std::string html = RenderHtml(r);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  const std::string md = RenderMarkdown(r);
  EXPECT_EQ(md.find("<script>"), std::string::npos);
  const std::string json = RenderJson(r);
  EXPECT_NE(json.find("\"label_en\":\"<script>alert(1)</script>\""), std::string::npos);
  const std::string csv = RenderCsv(r);
  EXPECT_NE(csv.find("\"\"\"><img src=x onerror=alert(1)>\""), std::string::npos);
  RenderOptions ar;
  ar.lang = "ar";
  const std::string html_ar = RenderHtml(r, ar);
  EXPECT_NE(html_ar.find("dir=\"rtl\""), std::string::npos);
  EXPECT_NE(html_ar.find("حصيلة الضحايا المدنيين"), std::string::npos);
}

}  // namespace
}  // namespace qayd::report
