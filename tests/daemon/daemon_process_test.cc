// Process-level tests of qaydd: systemd notifications, reload, stop.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "tests/support/daemon_harness.h"
#include "tests/support/run_command.h"

namespace qayd::testing {
namespace {

using namespace std::chrono_literals;

std::string Config(double auto_merge, const std::string& extra = "") {
  return R"({
  "store": {"sqlite_path": "@DIR@/register.db"},
  "http": {"listen": "127.0.0.1", "port": 0},
  "matching": {"thresholds": {"auto_merge": )" +
         std::to_string(auto_merge) + R"(, "review": 4.0}},
  "daemon": {"drain_timeout_s": 5})" +
         extra + R"(
})";
}

TEST(DaemonProcessTest, NotifiesReadyAndFeedsTheWatchdog) {
  DaemonHarness d(Config(12));
  d.Start({"WATCHDOG_USEC=400000"});
  auto ready = d.WaitNotify("READY=1", 30s);
  ASSERT_TRUE(ready) << d.Log();
  EXPECT_NE(ready->find("STATUS=register: 0 reports, 0 victims, 0 awaiting review, 0 quarantined, "
                        "0 awaiting matching; since start: ingested 0"),
            std::string::npos)
      << *ready;
  // The log shows READY came after the listener was bound.
  EXPECT_NE(d.Log().find("http listening"), std::string::npos);
  EXPECT_TRUE(d.WaitNotify("WATCHDOG=1", 2s)) << d.Log();
  EXPECT_TRUE(d.WaitNotify("WATCHDOG=1", 2s)) << d.Log();
  d.Signal(SIGTERM);
  EXPECT_TRUE(d.WaitNotify("STOPPING=1", 5s));
  EXPECT_EQ(d.WaitExit(10s), 0);
}

// STATUS= counts the register, not only what this process ingested: after a
// restart the report ingested before is still counted.
TEST(DaemonProcessTest, StatusCountsTheWholeRegisterAcrossRestarts) {
  DaemonHarness d(Config(12, R"(,
  "submissions": {"spool_dir": "@DIR@/spool", "spool_scan_interval_s": 1})"));
  d.Start();
  ASSERT_TRUE(d.WaitNotify("READY=1", 30s)) << d.Log();
  {
    std::ofstream f(d.dir() + "/spool/.r.tmp");
    f << R"({"source_record_id": "r1", "names": [{"full": "Ahmad Hasan", "script": "latin"}], )"
         R"("sex": "male", "date_of_death": "2023-10-24"})"
      << "\n";
  }
  std::filesystem::rename(d.dir() + "/spool/.r.tmp", d.dir() + "/spool/r.jsonl");
  ASSERT_TRUE(d.WaitLog("spool file processed", 20s)) << d.Log();
  ASSERT_TRUE(std::filesystem::exists(d.dir() + "/spool/done/r.jsonl")) << d.Log();
  d.Signal(SIGTERM);
  ASSERT_EQ(d.WaitExit(10s), 0) << d.Log();
  d.Start();
  auto ready = d.WaitNotify("READY=1\nSTATUS=register: 1 reports, 1 victims", 30s);
  ASSERT_TRUE(ready) << d.Log();
  EXPECT_NE(ready->find("since start: ingested 0"), std::string::npos) << *ready;
  d.Signal(SIGTERM);
  EXPECT_EQ(d.WaitExit(10s), 0) << d.Log();
}

TEST(DaemonProcessTest, ReloadAppliesAValidChangedConfig) {
  DaemonHarness d(Config(12));
  d.Start();
  ASSERT_TRUE(d.WaitNotify("READY=1", 30s)) << d.Log();
  d.WriteConfig(Config(20));
  d.Signal(SIGHUP);
  EXPECT_TRUE(d.WaitNotify("RELOADING=1", 5s));
  auto ready = d.WaitNotify("READY=1", 5s);
  EXPECT_TRUE(ready);
  EXPECT_TRUE(d.WaitLog("msg=\"configuration reloaded\"", 5s)) << d.Log();
  EXPECT_NE(d.Log().find("auto_merge=20.000000"), std::string::npos) << d.Log();
  d.Signal(SIGTERM);
  EXPECT_EQ(d.WaitExit(10s), 0);
}

TEST(DaemonProcessTest, ReloadWithABrokenConfigKeepsTheOldOne) {
  DaemonHarness d(Config(12));
  d.Start();
  ASSERT_TRUE(d.WaitNotify("READY=1", 30s)) << d.Log();
  d.WriteConfig(R"({"http": {"prot": 1}})");
  d.Signal(SIGHUP);
  ASSERT_TRUE(d.WaitLog("reload rejected", 5s)) << d.Log();
  EXPECT_NE(d.Log().find("http.prot: unknown key"), std::string::npos) << d.Log();
  EXPECT_EQ(d.Log().find("configuration reloaded"), std::string::npos);
  EXPECT_TRUE(d.WaitNotify("READY=1", 5s));
  // Still serving with the old config: a valid reload afterwards works.
  d.WriteConfig(Config(15));
  d.Signal(SIGHUP);
  EXPECT_TRUE(d.WaitLog("auto_merge=15.000000", 5s)) << d.Log();
  d.Signal(SIGTERM);
  EXPECT_EQ(d.WaitExit(10s), 0);
}

TEST(DaemonProcessTest, SigtermExitsZeroWithinTheBound) {
  DaemonHarness d(Config(12));
  d.Start();
  ASSERT_TRUE(d.WaitNotify("READY=1", 30s)) << d.Log();
  const auto t0 = std::chrono::steady_clock::now();
  d.Signal(SIGTERM);
  EXPECT_EQ(d.WaitExit(6s), 0) << d.Log();  // drain_timeout_s is 5
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 6s);
  EXPECT_TRUE(d.WaitLog("qaydd stopped", 1s)) << d.Log();
}

TEST(DaemonProcessTest, StartupFailsWithABadConfig) {
  DaemonHarness d(R"({"matching": {"thresholds": {"auto_merge": 1, "review": 2}}})");
  d.Start();
  EXPECT_EQ(d.WaitExit(10s), 1);
  EXPECT_NE(d.Log().find("auto_merge: must be >="), std::string::npos) << d.Log();
}

}  // namespace
}  // namespace qayd::testing

namespace qayd::testing {
namespace {

int CheckConfig(const std::string& path, std::string* out) {
  CommandResult r = RunCommand(std::string(QAYDD_PATH) + " --check-config " + path + " 2>&1");
  *out += r.out;
  return r.code;
}

TEST(DaemonCheckConfigTest, ValidatesAndPrintsEveryProblem) {
  DaemonHarness d(R"({"http": {"prot": 1, "port": "x"},
  "matching": {"thresholds": {"auto_merge": 1, "review": 2}}})");
  std::string out;
  EXPECT_EQ(CheckConfig(d.config_path(), &out), 1);
  EXPECT_NE(out.find(":1:11: http.prot: unknown key"), std::string::npos) << out;
  EXPECT_NE(out.find("http.port: expected an integer, got a string"), std::string::npos) << out;
  EXPECT_NE(out.find("matching.thresholds.auto_merge: must be >="), std::string::npos) << out;
  out.clear();
  d.WriteConfig(R"({"http": {"port": 0}})");
  EXPECT_EQ(CheckConfig(d.config_path(), &out), 0) << out;
  out.clear();
  EXPECT_EQ(CheckConfig(std::string(QAYD_SOURCE_DIR) + "/config/qayd.example.json", &out), 0)
      << out;
}

}  // namespace
}  // namespace qayd::testing
