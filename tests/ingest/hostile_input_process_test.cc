// The running qaydd against hostile and interrupted input (issue 21, issue 23
// items 3 and 6): deeply nested JSON at every door answers an error and the
// daemon stays up; a daemon killed on a spool file sets the file aside at the
// next start instead of crashing again, and the file dropped again stores each
// record once and quarantines each rejected one once; SIGTERM during a long
// spool import exits within daemon.drain_timeout_s and the next start
// finishes the file, each record stored exactly once.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include "tests/support/daemon_harness.h"
#include "tests/support/run_command.h"
#include "tests/support/sqlite_count.h"
#include "tests/web/http_client.h"

namespace qayd::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string Config(int drain_timeout_s = 5) {
  return R"({
  "store": {"sqlite_path": "@DIR@/register.db"},
  "http": {"listen": "127.0.0.1", "port": 0},
  "submissions": {"spool_dir": "@DIR@/spool", "spool_scan_interval_s": 1},
  "daemon": {"drain_timeout_s": )" +
         std::to_string(drain_timeout_s) + R"(}
})";
}

uint16_t PortOf(const DaemonHarness& d) {
  std::smatch m;
  const std::string log = d.Log();
  if (!std::regex_search(log, m, std::regex("http listening[^\\n]*port=\"?([0-9]+)"))) return 0;
  return static_cast<uint16_t>(std::stoi(m[1].str()));
}

bool WaitFor(const std::function<bool()>& done, std::chrono::seconds bound) {
  const auto until = std::chrono::steady_clock::now() + bound;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(50ms);
  }
  return true;
}

// `n` records; every 50th is rejected (an unknown sex).
void WriteSpoolFile(const std::string& path, int n) {
  std::ofstream out(path + ".tmp");
  const char* first[] = {"Ahmad", "Khaled", "Omar", "Youssef", "Rami", "Samir", "Tarek", "Nabil"};
  const char* family[] = {"Haddad", "Khatib", "Najjar", "Masri", "Hallaq", "Shami", "Sabbagh"};
  for (int i = 1; i <= n; ++i) {
    out << R"({"source_record_id":"r)" << i << R"(","name":")" << first[i % 8] << " "
        << first[(i / 8) % 8] << " " << family[(i / 64) % 7] << " " << family[(i / 448) % 7]
        << R"(","sex":")" << (i % 50 == 0 ? "x" : "male") << R"(","date_of_birth":")"
        << (1950 + i % 60) << "-0" << (1 + i % 9) << "-1" << (i % 9) << R"("})"
        << "\n";
  }
  out.close();
  fs::rename(path + ".tmp", path);  // renamed into place, as writers should
}

TEST(HostileInputProcess, DeeplyNestedJsonAtEveryDoorIsAnErrorAndTheDaemonStaysUp) {
  DaemonHarness d(Config());
  const std::string db = d.dir() + "/register.db";
  CommandResult token =
      RunCommand(std::string(QAYD_PATH) + " token add partner --scope submit --db " + db);
  ASSERT_EQ(token.code, 0) << token.out;
  d.Start();
  ASSERT_TRUE(d.WaitNotify("READY=1", 60s)) << d.Log();
  const uint16_t port = PortOf(d);
  ASSERT_NE(port, 0) << d.Log();
  const std::string deep = std::string(400000, '[') + std::string(400000, ']');

  HttpClient anon(port);
  HttpResult login = anon.Send("POST", "/api/v1/login", deep);
  EXPECT_EQ(login.status, 400) << login.body;
  HttpClient partner(port);
  partner.bearer = token.trimmed();
  HttpResult reports = partner.Send("POST", "/api/v1/reports", deep);
  EXPECT_EQ(reports.status, 400) << reports.body;

  // The same as spool files (a feed body goes through the same parser).
  std::ofstream(d.dir() + "/spool/deep.jsonl")
      << deep << "\n{\"source_record_id\":\"ok\",\"name\":\"Ahmad Haddad\"}\n";
  std::ofstream(d.dir() + "/spool/deep.json") << deep;
  EXPECT_TRUE(
      WaitFor([&] { return fs::exists(d.dir() + "/spool/done/deep.jsonl.report.json"); }, 60s))
      << d.Log();
  EXPECT_TRUE(
      WaitFor([&] { return fs::exists(d.dir() + "/spool/failed/deep.json.report.json"); }, 60s))
      << d.Log();
  EXPECT_EQ(SqliteCount(db, "SELECT COUNT(*) FROM reports WHERE source = 'spool:deep.jsonl'"), 1);
  EXPECT_EQ(SqliteCount(db, "SELECT COUNT(*) FROM quarantine WHERE source = 'spool:deep.jsonl'"),
            1);

  EXPECT_EQ(HttpClient(port).Get("/healthz").status, 200);
  d.Signal(SIGTERM);
  EXPECT_EQ(d.WaitExit(30s), 0) << d.Log();
}

TEST(HostileInputProcess, KilledOnASpoolFileSetsItAsideAndTheFileDroppedAgainIsStoredOnce) {
  constexpr int kRecords = 40000;
  DaemonHarness d(Config());
  const std::string db = d.dir() + "/register.db";
  fs::create_directories(d.dir() + "/spool");
  WriteSpoolFile(d.dir() + "/spool/big.jsonl", kRecords);
  d.Start();
  ASSERT_TRUE(d.WaitNotify("READY=1", 60s)) << d.Log();
  int64_t at_kill = -1;
  ASSERT_TRUE(WaitFor(
      [&] { return (at_kill = SqliteCount(db, "SELECT COUNT(*) FROM reports")) > 0; }, 120s))
      << d.Log();
  d.Signal(SIGKILL);
  ASSERT_EQ(d.WaitExit(10s), 128 + SIGKILL);
  ASSERT_LT(at_kill, kRecords - kRecords / 50) << "the import finished before the kill";
  EXPECT_FALSE(fs::exists(d.dir() + "/spool/done/big.jsonl"));

  // The next start does not read the file again: it sets it aside.
  d.Start();
  ASSERT_TRUE(d.WaitNotify("READY=1", 60s)) << d.Log();
  ASSERT_TRUE(
      WaitFor([&] { return fs::exists(d.dir() + "/spool/failed/big.jsonl.report.json"); }, 60s))
      << d.Log();
  EXPECT_TRUE(d.WaitLog("spool file set aside after a crash during its import", 5s)) << d.Log();
  const int64_t stored = SqliteCount(db, "SELECT COUNT(*) FROM reports");

  // An operator who trusts the file drops it again: each record once, each
  // rejected record once in the quarantine.
  fs::rename(d.dir() + "/spool/failed/big.jsonl", d.dir() + "/spool/big.jsonl");
  ASSERT_TRUE(
      WaitFor([&] { return fs::exists(d.dir() + "/spool/done/big.jsonl.report.json"); }, 300s))
      << d.Log();
  EXPECT_GE(SqliteCount(db, "SELECT COUNT(*) FROM reports"), stored);
  EXPECT_EQ(SqliteCount(db, "SELECT COUNT(*) FROM reports"), kRecords - kRecords / 50);
  EXPECT_EQ(SqliteCount(db, "SELECT COUNT(DISTINCT source_record_id) FROM reports"),
            kRecords - kRecords / 50);
  EXPECT_EQ(SqliteCount(db, "SELECT COUNT(*) FROM quarantine"), kRecords / 50);
  EXPECT_EQ(SqliteCount(db, "SELECT COUNT(DISTINCT source_record_id) FROM quarantine"),
            kRecords / 50);
  d.Signal(SIGTERM);
  EXPECT_EQ(d.WaitExit(30s), 0) << d.Log();
}

TEST(HostileInputProcess, SigtermDuringASpoolImportStopsWithinTheDrainTimeoutAndTheRestResumes) {
  constexpr int kRecords = 60000;
  constexpr int kDrainS = 2;
  DaemonHarness d(Config(kDrainS));
  const std::string db = d.dir() + "/register.db";
  fs::create_directories(d.dir() + "/spool");
  WriteSpoolFile(d.dir() + "/spool/long.jsonl", kRecords);
  d.Start();
  ASSERT_TRUE(d.WaitNotify("READY=1", 60s)) << d.Log();
  ASSERT_TRUE(WaitFor([&] { return SqliteCount(db, "SELECT COUNT(*) FROM reports") > 0; }, 120s))
      << d.Log();
  const auto t0 = std::chrono::steady_clock::now();
  d.Signal(SIGTERM);
  const auto code = d.WaitExit(30s);
  const auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(code, 0) << d.Log();
  EXPECT_LT(took, std::chrono::seconds(kDrainS) + 1500ms)
      << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms";
  const int64_t at_stop = SqliteCount(db, "SELECT COUNT(*) FROM reports");
  ASSERT_LT(at_stop, kRecords - kRecords / 50) << "the import finished before the stop";
  EXPECT_TRUE(d.WaitLog("spool import stopped", 1s)) << d.Log();
  EXPECT_TRUE(fs::exists(d.dir() + "/spool/long.jsonl"));

  d.Start();
  ASSERT_TRUE(d.WaitNotify("READY=1", 60s)) << d.Log();
  ASSERT_TRUE(
      WaitFor([&] { return fs::exists(d.dir() + "/spool/done/long.jsonl.report.json"); }, 300s))
      << d.Log();
  EXPECT_EQ(SqliteCount(db, "SELECT COUNT(*) FROM reports"), kRecords - kRecords / 50);
  EXPECT_EQ(SqliteCount(db, "SELECT COUNT(DISTINCT source_record_id) FROM reports"),
            kRecords - kRecords / 50);
  EXPECT_EQ(SqliteCount(db, "SELECT COUNT(*) FROM reports WHERE version > 1"), 0);
  EXPECT_EQ(SqliteCount(db, "SELECT COUNT(*) FROM quarantine"), kRecords / 50);
  d.Signal(SIGTERM);
  EXPECT_EQ(d.WaitExit(30s), 0) << d.Log();
}

}  // namespace
}  // namespace qayd::testing
