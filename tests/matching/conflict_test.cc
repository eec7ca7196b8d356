// Caps: hard conflicts and thin evidence hold a pair at review however high
// its score; placeholder dates of birth neither confirm nor refute.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "config/config.h"
#include "matching/engine.h"
#include "test_reports.h"

namespace qayd::matching {
namespace {

using testing::MakeReport;

// Four rare parts: far above auto_merge when everything agrees.
constexpr const char* kName = "هاني جلال عبد الستار الفرا";

const Cap* FindCap(const Explanation& why, const std::string& rule) {
  for (const auto& c : why.caps) {
    if (c.rule == rule) return &c;
  }
  return nullptr;
}

class ConflictTest : public ::testing::Test {
 protected:
  explicit ConflictTest(MatchingSettings s = DefaultConfig().matching)
      : settings_(s), engine_(settings_) {}
  Explanation Why(const Report& a, const Report& b) { return engine_.ScorePair(a, b); }
  double cap() const { return settings_.auto_merge - 0.5; }
  double merge() const { return settings_.auto_merge; }
  // The pair is held just below auto_merge by `rule`, and says why.
  void ExpectCapped(const Report& a, const Report& b, const std::string& rule) {
    Explanation why = Why(a, b);
    EXPECT_DOUBLE_EQ(why.total, cap());
    const Cap* c = FindCap(why, rule);
    ASSERT_NE(c, nullptr) << why.ToJson();
    EXPECT_GT(c->score_before, merge());
    EXPECT_NE(why.ToJson().find("\"caps\":[{\"rule\":\"" + why.caps[0].rule + "\""),
              std::string::npos);
    double sum = 0;
    for (const auto& f : why.fields) sum += f.weight;
    EXPECT_NEAR(sum, why.total, 1e-9);
  }
  void ExpectMerges(const Report& a, const Report& b) {
    Explanation why = Why(a, b);
    EXPECT_GE(why.total, merge()) << why.ToJson();
    EXPECT_TRUE(why.caps.empty()) << why.ToJson();
  }
  MatchingSettings settings_;
  Engine engine_;
};

TEST_F(ConflictTest, DatesOfBirth57YearsApartAreCappedAtReview) {
  Report a = MakeReport(kName, "1965-03-14", Sex::kMale);
  Report b = MakeReport(kName, "2022-03-14", Sex::kMale);
  ExpectCapped(a, b, "date_of_birth");
  Explanation why = Why(a, b);
  EXPECT_EQ(FindCap(why, "date_of_birth")->reason,
            "capped at review: dates of birth 57 years apart");
  for (const auto& f : why.fields) {
    if (f.field == "date_of_birth") {
      EXPECT_EQ(f.detail.rfind("1965-03-14 (", 0), 0u) << f.detail;
    }
  }
}

TEST_F(ConflictTest, APlaceholderDateOfBirthIsNoConflict) {
  Report a = MakeReport(kName, "2000-01-01", Sex::kMale);
  Report b = MakeReport(kName, "2022-03-14", Sex::kMale);
  ExpectMerges(a, b);
  // a placeholder weighs as a missing date: neither confirms nor refutes
  Report none = MakeReport(kName, "", Sex::kMale);
  EXPECT_DOUBLE_EQ(Why(a, b).total, Why(none, b).total);
}

TEST_F(ConflictTest, SwappedDayAndMonthOrAYearApartIsNoConflict) {
  ExpectMerges(MakeReport(kName, "1985-03-07"), MakeReport(kName, "1985-07-03"));
  ExpectMerges(MakeReport(kName, "1985-03-07"), MakeReport(kName, "1986-03-07"));
  Explanation two = Why(MakeReport(kName, "1985-03-07"), MakeReport(kName, "1987-03-07"));
  EXPECT_NE(FindCap(two, "date_of_birth"), nullptr);
}

TEST_F(ConflictTest, YearOnlyDatesConflictBeyondTheirWiderTolerance) {
  ExpectMerges(MakeReport(kName, "1985"), MakeReport(kName, "1988"));
  ExpectCapped(MakeReport(kName, "1985"), MakeReport(kName, "1995"), "date_of_birth");
}

TEST_F(ConflictTest, AgesFarApartAreCapped) {
  Report a = MakeReport(kName, "", Sex::kFemale);
  a.age = *ParseAge("14");
  Report b = a;
  b.age = *ParseAge("25");
  ExpectCapped(a, b, "age");
  b.age = *ParseAge("15");
  ExpectMerges(a, b);
}

TEST_F(ConflictTest, DifferentFamilyNamesAreCapped) {
  Report a = MakeReport("هاني جلال عبد الستار الفرا", "1970-04-20");
  Report b = MakeReport("هاني جلال عبد الستار المدهون", "1970-04-20");
  ExpectCapped(a, b, "family_name");
}

TEST_F(ConflictTest, AbuAndTheArticleAreNoFamilyConflict) {
  ExpectMerges(MakeReport("هاني جلال عبد الستار ابو حطب", "1970-04-20"),
               MakeReport("هاني جلال عبد الستار حطب", "1970-04-20"));
  ExpectMerges(MakeReport("هاني جلال عبد الستار الفرا", "1970-04-20"),
               MakeReport("هاني جلال عبد الستار فرا", "1970-04-20"));
}

TEST_F(ConflictTest, TransliterationVariantsAreNoFamilyConflict) {
  // across scripts, the same consonants with other vowels
  Explanation why = Why(MakeReport("هاني جلال عبد الستار المدهون", "1970-04-20"),
                        MakeReport("Hani Jalal Abd al-Sattar al-Madhan", "1970-04-20"));
  EXPECT_EQ(FindCap(why, "family_name"), nullptr) << why.ToJson();
}

TEST_F(ConflictTest, DifferentFatherNamesAreCapped) {
  // cousins: same first, grandfather and family name
  Report a = MakeReport("هاني جلال عبد الستار الفرا", "1970-04-20");
  Report b = MakeReport("هاني منذر عبد الستار الفرا", "1970-04-20");
  ExpectCapped(a, b, "father_name");
}

TEST_F(ConflictTest, SexConflictIsCapped) {
  // a weight that would otherwise let the pair merge
  MatchingSettings s = DefaultConfig().matching;
  s.weights["sex.disagree"] = -1;
  Engine engine(s);
  Explanation why = engine.ScorePair(MakeReport(kName, "1970-04-20", Sex::kMale),
                                     MakeReport(kName, "1970-04-20", Sex::kFemale));
  EXPECT_DOUBLE_EQ(why.total, s.auto_merge - 0.5);
  EXPECT_NE(FindCap(why, "sex"), nullptr);
}

TEST_F(ConflictTest, DeathDatesAndPlacesFarApartAreCapped) {
  Report a = MakeReport(kName, "1970-04-20");
  Report b = a;
  a.date_of_death = *ParseFuzzyDate("2023-11-02");
  b.date_of_death = *ParseFuzzyDate("2021-05-10");
  ExpectCapped(a, b, "date_of_death");
  b.date_of_death = *ParseFuzzyDate("2023-11-20");
  ExpectMerges(a, b);
  a.place_of_death.governorate = "Rafah";
  b.place_of_death.governorate = "Gaza";
  ExpectCapped(a, b, "place_of_death");
}

TEST(ConflictRules, EveryRuleThatFiresIsExplained) {
  MatchingSettings s = DefaultConfig().matching;
  s.weights["sex.disagree"] = 0;
  Engine engine(s);
  Explanation why =
      engine.ScorePair(MakeReport("هاني جلال عبد الستار الفرا", "1970-04-20", Sex::kMale),
                       MakeReport("هاني جلال عبد الستار المدهون", "1970-04-20", Sex::kFemale));
  ASSERT_EQ(why.caps.size(), 2u) << why.ToJson();
  EXPECT_EQ(why.caps[0].rule, "family_name");
  EXPECT_EQ(why.caps[1].rule, "sex");
  EXPECT_DOUBLE_EQ(why.total, s.auto_merge - 0.5);
}

TEST_F(ConflictTest, ThinNamesNeedADateOrPlace) {
  // three parts, no date: however rare, a name alone is not enough
  ExpectCapped(MakeReport("نزار عبد الستار الفرا"), MakeReport("نزار عبد الستار الفرا"),
               "evidence");
  // the same with an agreeing exact date of birth merges
  ExpectMerges(MakeReport("نزار عبد الستار الفرا", "1971-08-09"),
               MakeReport("نزار عبد الستار الفرا", "1971-08-09"));
  // an agreeing placeholder date is no evidence
  ExpectCapped(MakeReport("نزار عبد الستار الفرا", "2000-01-01"),
               MakeReport("نزار عبد الستار الفرا", "2000-01-01"), "evidence");
  // a place agreeing is
  Report a = MakeReport("نزار عبد الستار الفرا");
  a.place_of_death.governorate = "Gaza";
  a.place_of_death.locality = "Jabalia";
  ExpectMerges(a, a);
  // four agreeing parts identify a person
  ExpectMerges(MakeReport(kName), MakeReport(kName));
}

TEST_F(ConflictTest, APlaceholderDateAgainstNoneNeedsADateOfDeathOrPlace) {
  // four identical parts; one side's date is a placeholder, the other has none
  ExpectCapped(MakeReport(kName, "2000-01-01"), MakeReport(kName), "placeholder_against_undated");
  ExpectCapped(MakeReport(kName), MakeReport(kName, "1990-01-01"), "placeholder_against_undated");
  // no date on either side, a real date against none, the same placeholder
  // on both sides: the four parts suffice, as before
  ExpectMerges(MakeReport(kName), MakeReport(kName));
  ExpectMerges(MakeReport(kName, "1971-08-09"), MakeReport(kName));
  ExpectMerges(MakeReport(kName, "2000-01-01"), MakeReport(kName, "2000-01-01"));
  // a locality of death that agrees is evidence
  Report a = MakeReport(kName, "2000-01-01");
  a.place_of_death.governorate = "Gaza";
  a.place_of_death.locality = "Jabalia";
  Report b = MakeReport(kName);
  b.place_of_death = a.place_of_death;
  ExpectMerges(a, b);
}

TEST(ConflictRules, PlaceholderAgainstUndatedCanBeTurnedOff) {
  ConfigLoad load = ParseConfig(
      R"({"matching": {"evidence": {"placeholder_against_undated": false}}})", "t.json");
  ASSERT_TRUE(load.ok()) << load.errors[0].ToString();
  const MatchingSettings& s = load.config.matching;
  EXPECT_FALSE(s.evidence.placeholder_against_undated);
  EXPECT_NE(s.version(), DefaultConfig().matching.version());
  Engine engine(s);
  Explanation why = engine.ScorePair(MakeReport(kName, "2000-01-01"), MakeReport(kName));
  EXPECT_TRUE(why.caps.empty()) << why.ToJson();
  EXPECT_GE(why.total, s.auto_merge) << why.ToJson();
}

TEST(ConflictRules, TheyCanBeDisabledAndTunedInTheConfig) {
  ConfigLoad load = ParseConfig(R"({"matching": {
      "conflicts": {"date_of_birth": {"enabled": false},
                    "approximate_date_of_birth": {"tolerance": 20}},
      "evidence": {"enabled": true, "name_parts": 3},
      "placeholder_dates": {"dates": ["1999-09-09"], "january_first": "never"}}})",
                                "t.json");
  ASSERT_TRUE(load.ok()) << load.errors[0].ToString();
  const MatchingSettings& s = load.config.matching;
  EXPECT_FALSE(s.conflicts.date_of_birth.enabled);
  EXPECT_EQ(s.conflicts.approximate_date_of_birth.tolerance, 20);
  EXPECT_NE(s.version(), DefaultConfig().matching.version());
  Engine engine(s);
  Explanation far =
      engine.ScorePair(MakeReport(kName, "1965-03-14"), MakeReport(kName, "2022-03-14"));
  EXPECT_EQ(FindCap(far, "date_of_birth"), nullptr);
  // three agreeing parts now suffice
  Explanation three =
      engine.ScorePair(MakeReport("نزار عبد الستار الفرا"), MakeReport("نزار عبد الستار الفرا"));
  EXPECT_TRUE(three.caps.empty()) << three.ToJson();
  // the configured placeholder weighs as missing; 2000-01-01 is no longer listed
  Explanation listed =
      engine.ScorePair(MakeReport(kName, "1999-09-09"), MakeReport(kName, "1970-04-20"));
  Explanation none = engine.ScorePair(MakeReport(kName), MakeReport(kName, "1970-04-20"));
  EXPECT_DOUBLE_EQ(listed.total, none.total);
}

TEST(ConflictRules, TheConfigRejectsUnknownKeysAndBadValues) {
  for (const char* text : {
           R"({"matching": {"conflicts": {"nickname": {"enabled": true}}}})",
           R"({"matching": {"conflicts": {"sex": {"tolerance": 3}}}})",
           R"({"matching": {"conflicts": {"date_of_birth": {"tolerance": -1}}}})",
           R"({"matching": {"evidence": {"name_parts": 7}}})",
           R"({"matching": {"evidence": {"placeholder_against_undated": 1}}})",
           R"({"matching": {"placeholder_dates": {"dates": ["2000-13-01"]}}})",
           R"({"matching": {"placeholder_dates": {"january_first": "sometimes"}}})",
       }) {
    ConfigLoad load = ParseConfig(text, "t.json");
    ASSERT_FALSE(load.ok()) << text;
    EXPECT_EQ(load.errors[0].path.rfind("matching.", 0), 0u) << load.errors[0].ToString();
  }
}

// 1 January is "year only" where the register uses it far more than other
// days; a date held by many reports is a placeholder.
TEST(PlaceholderDates, JanuaryFirstCountsAsAYearWhereARegisterUsesIt) {
  MatchingSettings s = DefaultConfig().matching;
  Engine engine(s);
  // a register where one date in four is 1 January
  for (int i = 0; i < 400; ++i) {
    char dob[16];
    std::snprintf(dob, sizeof dob, "%04d-%02d-%02d", 1940 + i % 70, i % 4 == 0 ? 1 : 1 + i % 12,
                  i % 4 == 0 ? 1 : 1 + i % 28);
    engine.Upsert(i + 1, i + 1, MakeReport("سمير خالد حسن عيسى", dob));
  }
  // an exact day 40 years away conflicts; a 1 January 3 years away does not
  Explanation jan =
      engine.ScorePair(MakeReport(kName, "1982-01-01"), MakeReport(kName, "1985-06-07"));
  EXPECT_TRUE(jan.caps.empty()) << jan.ToJson();
  Explanation day =
      engine.ScorePair(MakeReport(kName, "1982-02-01"), MakeReport(kName, "1985-06-07"));
  EXPECT_NE(FindCap(day, "date_of_birth"), nullptr) << day.ToJson();
  // and a 1 January 20 years away does
  Explanation far =
      engine.ScorePair(MakeReport(kName, "1962-01-01"), MakeReport(kName, "1985-06-07"));
  EXPECT_NE(FindCap(far, "date_of_birth"), nullptr) << far.ToJson();
}

}  // namespace
}  // namespace qayd::matching
