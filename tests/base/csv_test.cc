#include "base/csv.h"

#include <gtest/gtest.h>

namespace qayd {
namespace {

using Fields = std::vector<std::string>;

TEST(Csv, SplitsQuotedFieldsWithCommasQuotesAndNewlines) {
  const std::string text = "a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\n2,\"two\nlines\",z\n";
  auto rows = SplitCsv(text);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].fields, (Fields{"a", "b", "c"}));
  EXPECT_EQ(rows[1].fields, (Fields{"1", "x, y", "say \"hi\""}));
  EXPECT_EQ(rows[2].fields, (Fields{"2", "two\nlines", "z"}));
  EXPECT_EQ(rows[2].line, 3);
  EXPECT_EQ(text.substr(rows[1].begin, rows[1].end - rows[1].begin),
            "1,\"x, y\",\"say \"\"hi\"\"\"");
  for (const auto& r : rows) EXPECT_EQ(r.error, "");
}

TEST(Csv, ToleratesBomSkipsBlankLinesKeepsEmptyFields) {
  auto rows = SplitCsv("\xEF\xBB\xBFid,name\n\n7,\n,\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].fields, (Fields{"id", "name"}));
  EXPECT_EQ(rows[1].fields, (Fields{"7", ""}));
  EXPECT_EQ(rows[1].line, 3);
  EXPECT_EQ(rows[2].fields, (Fields{"", ""}));
}

TEST(Csv, LiteralDoubledQuotesInAnUnquotedFieldAsRealListsHaveThem) {
  auto rows = SplitCsv("id,name\n44,\xD9\x87 \"\"\xD8\xA7 ,x\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].error, "");
  EXPECT_EQ(rows[1].fields, (Fields{"44", "\xD9\x87 \"\"\xD8\xA7 ", "x"}));
}

TEST(Csv, LastRowWithoutNewline) {
  auto rows = SplitCsv("a\n1");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].fields, (Fields{"1"}));
}

TEST(Csv, MalformedRowsAreFlaggedPerRow) {
  auto rows = SplitCsv("a,b\n1,x\"y\n2,\"ok\"z\n3,\"open\n");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[1].error, "");  // a quote inside an unquoted field is literal
  EXPECT_EQ(rows[1].fields, (Fields{"1", "x\"y"}));
  EXPECT_EQ(rows[2].error, "text after a closing quote (column 2)");
  EXPECT_EQ(rows[3].error, "unterminated quoted field");
}

}  // namespace
}  // namespace qayd
