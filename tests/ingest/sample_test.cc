// The bundled sample feed (samples/feed.jsonl, made by scripts/make-sample.py)
// parses, and validation rejects exactly the two records meant to show the
// quarantine.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "ingest/record_parser.h"
#include "ingest/validate.h"

namespace qayd::ingest {
namespace {

TEST(SampleFeed, ParsesAndOnlyTheTwoDeliberateRecordsAreRejected) {
  std::ifstream in(std::string(QAYD_SOURCE_DIR) + "/samples/feed.jsonl", std::ios::binary);
  ASSERT_TRUE(in);
  std::stringstream body;
  body << in.rdbuf();
  FeedSettings feed;
  feed.id = "sample";
  auto parsed = ParseRecords(body.str(), ParseOptionsFor(feed));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  ValidateOptions vo;
  vo.today = *ParseFuzzyDate("2026-11-28");
  ValidateRecords(&parsed->records, vo);
  ASSERT_EQ(parsed->records.size(), 200u);

  std::set<std::string> ids;
  int unidentified = 0, latin = 0;
  std::vector<std::pair<std::string, std::vector<FieldError>>> rejected;
  for (const auto& rec : parsed->records) {
    ids.insert(rec.report.source_record_id);
    if (rec.report.identification == Identification::kUnidentified) ++unidentified;
    for (const auto& n : rec.report.names) latin += n.script == Script::kLatin;
    if (!rec.errors.empty()) rejected.emplace_back(rec.report.source_record_id, rec.errors);
  }
  EXPECT_EQ(ids.size(), 200u);
  EXPECT_EQ(unidentified, 5);
  EXPECT_GE(latin, 15);
  ASSERT_EQ(rejected.size(), 2u);
  EXPECT_EQ(rejected[0].first, "s0199");
  EXPECT_EQ(rejected[0].second,
            (std::vector<FieldError>{
                {"date_of_death", "before date_of_birth (1999-01-01 < 2001-03-04)"}}));
  EXPECT_EQ(rejected[1].first, "s0200");
  EXPECT_EQ(rejected[1].second,
            (std::vector<FieldError>{{"place_of_death.governorate",
                                      "not in the vocabulary: 'Khan Yunis' (did you mean 'Khan "
                                      "Younis'?)"}}));
}

}  // namespace
}  // namespace qayd::ingest
