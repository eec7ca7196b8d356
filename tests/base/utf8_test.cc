#include "base/utf8.h"

#include <gtest/gtest.h>

namespace qayd {
namespace {

TEST(Utf8, AcceptsArabicAndAscii) {
  EXPECT_EQ(FindInvalidUtf8("محمد Mohammed"), std::nullopt);
  EXPECT_EQ(FindInvalidUtf8(""), std::nullopt);
  EXPECT_EQ(FindInvalidUtf8("\xF0\x9F\x98\x80"), std::nullopt);  // U+1F600
}

TEST(Utf8, ReportsOffsetOfFirstBadByte) {
  EXPECT_EQ(FindInvalidUtf8("abc\xFF"), 3u);
  EXPECT_EQ(FindInvalidUtf8("ab\xC0\xAF"), 2u);        // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("\xED\xA0\x80"), 0u);      // surrogate
  EXPECT_EQ(FindInvalidUtf8("x\xD9"), 1u);             // truncated at end
  EXPECT_EQ(FindInvalidUtf8("\xD9\x85\xD8"), 2u);      // truncated second char
  EXPECT_EQ(FindInvalidUtf8("\xF4\x90\x80\x80"), 0u);  // > U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("\xE2\x82"), 0u);
}

TEST(Utf8, StripsBom) {
  EXPECT_EQ(StripBom("\xEF\xBB\xBFid,name"), "id,name");
  EXPECT_EQ(StripBom("id,name"), "id,name");
}

}  // namespace
}  // namespace qayd
