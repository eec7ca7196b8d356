#include <gtest/gtest.h>

#include <fstream>

#include "config/config.h"
#include "config/matching_weights.h"

namespace qayd {
namespace {

std::vector<std::string> Errors(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& e : ParseConfig(text, "qayd.json").errors) out.push_back(e.ToString());
  return out;
}

TEST(ConfigTest, EmptyObjectGivesDefaults) {
  ConfigLoad load = ParseConfig("{}", "qayd.json");
  ASSERT_TRUE(load.ok());
  EXPECT_EQ(load.config.http.listen, "127.0.0.1");
  EXPECT_EQ(load.config.matching.weights.size(), std::size(kMatchingWeights));
  EXPECT_DOUBLE_EQ(load.config.matching.auto_merge, DefaultConfig().matching.auto_merge);
}

TEST(ConfigTest, ReadsEverySectionWithComments) {
  const std::string text = R"({
  // the embedded default store
  "store": {"sqlite_path": "/tmp/r.db"},
  /* loopback only */
  "http": {"listen": "127.0.0.1", "port": 9000},
  "feeds": [{"id": "moh", "url": "file:///srv/moh.jsonl", "format": "jsonl",
             "field_map": {"name_ar_raw": "name"}, "poll_interval_s": 60}],
  "submissions": {"spool_dir": "/tmp/spool"},
  "matching": {"thresholds": {"auto_merge": 20, "review": 5.5}, "max_candidates": 3},
  "logging": {"level": "debug"},
  "daemon": {"drain_timeout_s": 5}
})";
  ConfigLoad load = ParseConfig(text, "qayd.json");
  ASSERT_TRUE(load.ok()) << load.errors[0].ToString();
  const Config& c = load.config;
  EXPECT_EQ(c.store.sqlite_path, "/tmp/r.db");
  EXPECT_EQ(c.http.port, 9000);
  ASSERT_EQ(c.feeds.size(), 1u);
  EXPECT_EQ(c.feeds[0].field_map.at("name_ar_raw"), "name");
  EXPECT_EQ(c.feeds[0].poll_interval_s, 60);
  EXPECT_EQ(c.submissions.spool_dir, "/tmp/spool");
  EXPECT_DOUBLE_EQ(c.matching.auto_merge, 20);
  EXPECT_DOUBLE_EQ(c.matching.review, 5.5);
  EXPECT_EQ(c.matching.max_candidates, 3);
  EXPECT_EQ(c.logging.level, "debug");
  EXPECT_EQ(c.daemon.drain_timeout_s, 5);
}

TEST(ConfigTest, UnknownKeyIsNamedWithLineAndColumn) {
  EXPECT_EQ(Errors("{\n  \"http\": {\n    \"prot\": 8080\n  }\n}"),
            std::vector<std::string>{"qayd.json:3:5: http.prot: unknown key (expected one of: listen, "
                                     "port, static_dir, max_body_bytes, max_connections, "
                                     "max_queued_requests, request_deadline_ms, header_timeout_s, "
                                     "body_timeout_s, idle_timeout_s, trusted_proxies)"});
}

TEST(ConfigTest, TrustedProxiesAreAddressesOrRanges) {
  ConfigLoad load = ParseConfig(
      R"({"http": {"trusted_proxies": ["127.0.0.1", "10.0.0.0/8", "::1"], "max_connections": 64}})",
      "qayd.json");
  ASSERT_TRUE(load.ok()) << load.errors[0].ToString();
  EXPECT_EQ(load.config.http.trusted_proxies,
            (std::vector<std::string>{"127.0.0.1", "10.0.0.0/8", "::1"}));
  EXPECT_EQ(load.config.http.max_connections, 64);
  EXPECT_EQ(Errors(R"({"http": {"trusted_proxies": ["127.0.0.1", "proxy.local", 5, "10.0.0.0/40"]}})"),
            (std::vector<std::string>{
                "qayd.json:1:44: http.trusted_proxies[1]: \"proxy.local\" is not an IP address or "
                "ADDRESS/PREFIX",
                "qayd.json:1:59: http.trusted_proxies[2]: expected a string, got an integer",
                "qayd.json:1:62: http.trusted_proxies[3]: \"10.0.0.0/40\": the prefix must be 0..32"}));
}

TEST(ConfigTest, UnknownTopLevelKey) {
  EXPECT_EQ(Errors("{\"stor\": {}}"),
            std::vector<std::string>{"qayd.json:1:2: stor: unknown key (expected one of: store, http, "
                                     "feeds, submissions, matching, logging, daemon, backup)"});
}

TEST(ConfigTest, WrongTypeIsNamed) {
  EXPECT_EQ(Errors("{\"http\": {\"port\": \"8080\"}}"),
            std::vector<std::string>{"qayd.json:1:19: http.port: expected an integer, got a string"});
}

TEST(ConfigTest, OutOfRangeValue) {
  EXPECT_EQ(Errors("{\"http\": {\"port\": 70000}}"),
            std::vector<std::string>{"qayd.json:1:19: http.port: must be between 0 and 65535, got 70000"});
}

TEST(ConfigTest, AutoMergeBelowReviewIsAnError) {
  const std::string text =
      "{\n"
      "  \"matching\": {\n"
      "    \"thresholds\": {\"review\": 8, \"auto_merge\": 4}\n"
      "  }\n"
      "}\n";
  EXPECT_EQ(Errors(text), std::vector<std::string>{
                              "qayd.json:3:47: matching.thresholds.auto_merge: must be >= "
                              "matching.thresholds.review (8), got 4"});
}

TEST(ConfigTest, WeightRangeGivenBackwardsIsAnError) {
  // Scoring clamps a weight to [min, max]; a minimum above the maximum has no meaning.
  const std::string text =
      "{\n"
      "  \"matching\": {\"weights\": {\n"
      "    \"dob.exact_min\": 12,\n"
      "    \"name.agree_max\": 0.2}}\n"
      "}\n";
  EXPECT_EQ(Errors(text),
            (std::vector<std::string>{"qayd.json:4:23: matching.weights.name.agree_min: must be <= "
                                      "matching.weights.name.agree_max (0.2), got 0.5",
                                      "qayd.json:3:22: matching.weights.dob.exact_min: must be <= "
                                      "matching.weights.dob.exact_max (10), got 12"}));
}

TEST(ConfigTest, SyntaxErrorNamesLineAndColumn) {
  EXPECT_EQ(Errors("{\n  \"http\": {\"port\": 80\n  \"listen\": \"x\"}\n}"),
            std::vector<std::string>{
                "qayd.json:3:3: syntax error: Missing a comma or '}' after an object member."});
}

TEST(ConfigTest, DeepNestingIsASyntaxErrorNotACrash) {
  const std::string deep = std::string(400000, '[') + std::string(400000, ']');
  auto errors = Errors("{\"feeds\": " + deep + "}");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], "qayd.json:1:75: syntax error: nested deeper than 64 levels") << errors[0];
  // Spool limits are keys of their own, with bounds.
  EXPECT_EQ(Errors("{\"submissions\": {\"spool_max_file_bytes\": 10}}"),
            std::vector<std::string>{
                "qayd.json:1:42: submissions.spool_max_file_bytes: must be between 1024 and "
                "17179869184, got 10"});
}

TEST(ConfigTest, UnknownWeightRejected) {
  auto errors = Errors("{\"matching\": {\"weights\": {\"no.such.weight\": 1}}}");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].rfind("qayd.json:1:27: matching.weights.no.such.weight: unknown key", 0), 0u)
      << errors[0];
}

TEST(ConfigTest, EveryProblemIsReported) {
  auto errors = Errors(R"({"http": {"port": -1, "listen": 5}, "logging": {"level": "loud"}})");
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[2], "qayd.json:1:58: logging.level: must be one of debug, info, warning, error, got \"loud\"");
}

TEST(ConfigTest, FeedsNeedIdAndUrlAndUniqueIds) {
  auto errors = Errors(R"({"feeds": [{"id": "a", "url": "file:///x"}, {"id": "a", "url": "file:///y"}, {}]})");
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0], "qayd.json:1:45: feeds[1].id: duplicate feed id \"a\"");
  EXPECT_EQ(errors[1], "qayd.json:1:78: feeds[2].id: required");
  EXPECT_EQ(errors[2], "qayd.json:1:78: feeds[2].url: required");
}

TEST(ConfigTest, UnreadableFile) {
  ConfigLoad load = LoadConfig("/nonexistent/qayd.json");
  ASSERT_EQ(load.errors.size(), 1u);
  EXPECT_EQ(load.errors[0].ToString(), "/nonexistent/qayd.json: cannot read file");
}

TEST(ConfigTest, ExampleConfigIsValid) {
  ConfigLoad load = LoadConfig(std::string(QAYD_SOURCE_DIR) + "/config/qayd.example.json");
  for (const auto& e : load.errors) ADD_FAILURE() << e.ToString();
}

TEST(ConfigTest, VersionChangesWithThresholds) {
  Config a = DefaultConfig();
  Config b = a;
  b.matching.auto_merge += 1;
  EXPECT_NE(a.matching.version(), b.matching.version());
  EXPECT_EQ(a.matching.version(), DefaultConfig().matching.version());
}

}  // namespace
}  // namespace qayd
