#include "base/json_parse.h"

#include <gtest/gtest.h>

#include <string>

namespace qayd {
namespace {

std::string Nested(size_t depth, char open = '[', char close = ']') {
  return std::string(depth, open) + std::string(depth, close);
}

TEST(JsonParse, ParsesAnOrdinaryDocument) {
  rapidjson::Document doc;
  ASSERT_TRUE(ParseJsonLimited(R"({"a":[1,{"b":"c"}]})", &doc).ok());
  ASSERT_TRUE(doc.IsObject());
  EXPECT_STREQ(doc["a"][1]["b"].GetString(), "c");
}

TEST(JsonParse, FourHundredThousandNestedArraysAreAnErrorNotACrash) {
  rapidjson::Document doc;
  JsonErrorAt where;
  Status s = ParseJsonLimited(Nested(400000), &doc, {}, &where);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(s.message(), "JSON nested deeper than 64 levels at offset 64");
  EXPECT_EQ(where.what, "nested deeper than 64 levels");
  EXPECT_TRUE(doc.IsNull());
}

TEST(JsonParse, DepthLimitCountsObjectsAndArraysAlike) {
  rapidjson::Document doc;
  EXPECT_TRUE(ParseJsonLimited(Nested(kJsonMaxDepth), &doc).ok());
  std::string mixed;
  for (size_t i = 0; i <= kJsonMaxDepth; ++i) mixed += i % 2 ? "{\"k\":" : "[";
  for (size_t i = kJsonMaxDepth + 1; i-- > 0;) mixed += i % 2 ? "}" : "]";
  Status s = ParseJsonLimited(mixed, &doc);
  EXPECT_NE(s.message().find("nested deeper than 64 levels"), std::string::npos) << s.message();
  EXPECT_FALSE(ParseJsonLimited(Nested(3), &doc, {.max_depth = 2}).ok());
}

TEST(JsonParse, DeepUnbalancedInputFailsAtTheLimitToo) {
  rapidjson::Document doc;
  EXPECT_FALSE(ParseJsonLimited(std::string(400000, '['), &doc).ok());
  EXPECT_FALSE(ParseJsonLimited(std::string(400000, '{'), &doc).ok());
}

TEST(JsonParse, SizeLimit) {
  rapidjson::Document doc;
  Status s = ParseJsonLimited("[1,2,3]", &doc, {.max_bytes = 4});
  EXPECT_EQ(s.message(), "JSON text of 7 bytes is larger than the limit of 4 bytes");
  EXPECT_TRUE(ParseJsonLimited("[1,2,3]", &doc, {.max_bytes = 7}).ok());
}

TEST(JsonParse, SyntaxErrorNamesOffsetAndProblem) {
  rapidjson::Document doc;
  JsonErrorAt where;
  Status s = ParseJsonLimited("[1 2]", &doc, {}, &where);
  EXPECT_EQ(s.message(),
            "malformed JSON at offset 3: Missing a comma or ']' after an array element.");
  EXPECT_EQ(where.offset, 3u);
}

TEST(JsonParse, StopWhenDoneReadsOneValue) {
  rapidjson::Document doc;
  EXPECT_FALSE(ParseJsonLimited("{} x", &doc).ok());
  EXPECT_TRUE(ParseJsonLimited<rapidjson::kParseStopWhenDoneFlag>("{} x", &doc).ok());
  EXPECT_TRUE(doc.IsObject());
}

struct CountingHandler : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, CountingHandler> {
  int values = 0;
  bool Default() {
    ++values;
    return true;
  }
};

TEST(JsonParse, SaxFormAppliesTheSameLimit) {
  CountingHandler h;
  EXPECT_TRUE(ParseJsonSax("[1,[2,3]]", &h).ok());
  EXPECT_EQ(h.values, 7);  // two arrays opened and closed, three numbers
  CountingHandler deep;
  EXPECT_FALSE(ParseJsonSax(Nested(400000, '{', '}'), &deep).ok());
}

}  // namespace
}  // namespace qayd

namespace qayd {
namespace {

TEST(JsonParse, RecursiveParserIsBoundedByTheLimitToo) {
  rapidjson::Document doc;
  const std::string deep = std::string(400000, '[') + std::string(400000, ']');
  rapidjson::MemoryStream ms(deep.data(), deep.size());
  rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> in(ms);
  rapidjson::BaseReaderHandler<> h;
  Status s = ParseJsonStream<0, false>(in, &h);
  EXPECT_EQ(s.message(), "JSON nested deeper than 64 levels at offset 65");
}

}  // namespace
}  // namespace qayd
