// /metrics of a running qaydd, read as Prometheus would: the exposition
// passes `promtool check metrics`, numbers are in their shortest form, labels
// are short, and the operational gauges are there (build info, inbox,
// per-feed failure, spool files, matcher lock).
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <regex>
#include <thread>

#include "tests/support/daemon_harness.h"
#include "tests/support/run_command.h"

namespace qayd::testing {
namespace {

using namespace std::chrono_literals;

int Port(const DaemonHarness& d) {
  std::smatch m;
  const std::string log = d.Log();
  if (!std::regex_search(log, m, std::regex("http listening[^\\n]*port=\"?([0-9]+)"))) return 0;
  return std::stoi(m[1]);
}

TEST(DaemonMetricsTest, ExpositionPassesPromtoolWithShortLabelsAndTheOperationalGauges) {
  DaemonHarness d(R"({
  "store": {"sqlite_path": "@DIR@/register.db"},
  "http": {"listen": "127.0.0.1", "port": 0},
  "feeds": [{"id": "partner-a", "url": "http://127.0.0.1:9/feed.jsonl", "poll_interval_s": 1, "timeout_s": 1}],
  "submissions": {"spool_dir": "@DIR@/spool", "spool_scan_interval_s": 1},
  "daemon": {"drain_timeout_s": 5}
})");
  d.Start();
  ASSERT_TRUE(d.WaitNotify("READY=1", 30s)) << d.Log();
  const int port = Port(d);
  ASSERT_GT(port, 0) << d.Log();
  const std::string file = d.dir() + "/metrics.txt";
  const std::string fetch = "curl -sf --max-time 10 -o " + file +
                            " http://127.0.0.1:" + std::to_string(port) + "/metrics";

  // The per-feed gauges appear once the feed has failed and housekeeping ran.
  std::string text;
  const auto end = std::chrono::steady_clock::now() + 40s;
  while (std::chrono::steady_clock::now() < end) {
    ASSERT_EQ(RunCommand(fetch).code, 0);
    std::ifstream in(file);
    text.assign(std::istreambuf_iterator<char>(in), {});
    if (text.find("qayd_feed_failing{feed=\"partner-a\"} 1") != std::string::npos) break;
    std::this_thread::sleep_for(500ms);
  }
  EXPECT_NE(text.find("qayd_feed_failing{feed=\"partner-a\"} 1"), std::string::npos) << text;
  EXPECT_NE(text.find("qayd_feed_consecutive_failures{feed=\"partner-a\"} "), std::string::npos)
      << text;
  EXPECT_NE(text.find("qayd_inbox_pending 0"), std::string::npos) << text;
  EXPECT_NE(text.find("qayd_spool_files{state=\"waiting\"} 0"), std::string::npos) << text;
  EXPECT_TRUE(std::regex_search(
      text,
      std::regex("qayd_build_info\\{version=\"[0-9]+\\.[0-9]+\\.[0-9]+\",git=\"[^\"]*\"\\} 1")))
      << text;
  EXPECT_NE(text.find("qayd_match_latency_seconds_bucket{le=\"0.0005\"}"), std::string::npos)
      << text;

  // Every label value short: no 0.00050000000000000001.
  const std::regex label("=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), label);
       it != std::sregex_iterator(); ++it) {
    EXPECT_LE((*it)[1].length(), 40u) << (*it)[0];
  }
  // Every sample value in its shortest form (at most 17 significant digits, no long zero runs).
  EXPECT_FALSE(std::regex_search(text, std::regex("[0-9]\\.[0-9]*0000000000[0-9]"))) << text;

  CommandResult check = RunCommand("promtool check metrics < " + file + " 2>&1");
  EXPECT_EQ(check.code, 0) << check.out << "\n" << text;

  d.Signal(SIGTERM);
  EXPECT_EQ(d.WaitExit(15s), 0) << d.Log();
}

}  // namespace
}  // namespace qayd::testing
