// SIGHUP reload as a transaction, against the real qaydd: restart-only
// settings keep their running value everywhere (the backup scheduler keeps
// backing up the register the daemon writes), and a reload whose spool folder
// cannot be created changes nothing (the previous spool keeps working).
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/support/daemon_harness.h"

namespace qayd::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// The manifests in `dir` (newest last by name).
std::vector<std::string> Manifests(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() > 14 && name.compare(name.size() - 14, 14, ".manifest.json") == 0)
      out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool WaitFor(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    if (done()) return true;
    std::this_thread::sleep_for(50ms);
  }
  return done();
}

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string StoreAndBackup(const std::string& db, const std::string& backups, double auto_merge) {
  return R"({
  "store": {"sqlite_path": "@DIR@/)" +
         db + R"("},
  "http": {"listen": "127.0.0.1", "port": 0},
  "matching": {"thresholds": {"auto_merge": )" +
         std::to_string(auto_merge) + R"(, "review": 4.0}},
  "backup": {"dir": "@DIR@/)" +
         backups + R"(", "interval_s": 86400, "keep": 3},
  "daemon": {"drain_timeout_s": 5}
})";
}

TEST(DaemonReloadTest, RestartOnlySettingKeepsItsRunningValueEverywhere) {
  DaemonHarness d(StoreAndBackup("a.db", "backups1", 12));
  d.Start();
  ASSERT_TRUE(d.WaitNotify("READY=1", 30s)) << d.Log();
  // No backup yet in the folder: the first one is taken at once.
  ASSERT_TRUE(WaitFor([&] { return !Manifests(d.dir() + "/backups1").empty(); }, 20s)) << d.Log();

  // A new store location (restart-only) and a new backup folder (reloadable).
  d.WriteConfig(StoreAndBackup("b.db", "backups2", 20));
  d.Signal(SIGHUP);
  ASSERT_TRUE(d.WaitLog("msg=\"configuration reloaded\"", 10s)) << d.Log();
  EXPECT_NE(d.Log().find("need a restart; keeping their running values\" keys=store.sqlite_path"),
            std::string::npos)
      << d.Log();
  EXPECT_NE(d.Log().find("auto_merge=20.000000"), std::string::npos) << d.Log();

  // The scheduler took the new folder but backs up the register in use, a.db.
  ASSERT_TRUE(WaitFor([&] { return !Manifests(d.dir() + "/backups2").empty(); }, 20s)) << d.Log();
  const std::string manifest = Read(Manifests(d.dir() + "/backups2").back());
  EXPECT_NE(manifest.find(d.dir() + "/a.db"), std::string::npos) << manifest;
  EXPECT_EQ(manifest.find("b.db"), std::string::npos) << manifest;
  EXPECT_FALSE(fs::exists(d.dir() + "/b.db"));
  EXPECT_EQ(d.Log().find("backup failed"), std::string::npos) << d.Log();

  d.Signal(SIGTERM);
  EXPECT_EQ(d.WaitExit(15s), 0) << d.Log();
}

std::string WithSpool(const std::string& spool, double auto_merge) {
  return R"({
  "store": {"sqlite_path": "@DIR@/register.db"},
  "http": {"listen": "127.0.0.1", "port": 0},
  "submissions": {"spool_dir": ")" +
         spool + R"(", "spool_scan_interval_s": 1},
  "matching": {"thresholds": {"auto_merge": )" +
         std::to_string(auto_merge) + R"(, "review": 4.0}},
  "daemon": {"drain_timeout_s": 5}
})";
}

TEST(DaemonReloadTest, SpoolFolderThatCannotBeCreatedLeavesEverythingAsItWas) {
  DaemonHarness d(WithSpool("@DIR@/spool", 12));
  d.Start();
  ASSERT_TRUE(d.WaitNotify("READY=1", 30s)) << d.Log();
  ASSERT_TRUE(d.WaitLog("spool folder watched", 5s)) << d.Log();

  // The new spool folder would sit below a regular file: it cannot be created.
  std::ofstream(d.dir() + "/not-a-folder") << "x";
  d.WriteConfig(WithSpool("@DIR@/not-a-folder/spool", 20));
  d.Signal(SIGHUP);
  ASSERT_TRUE(d.WaitLog("reload rejected", 10s)) << d.Log();
  EXPECT_NE(d.Log().find("submissions.spool_dir: cannot create"), std::string::npos) << d.Log();
  EXPECT_TRUE(d.WaitNotify("READY=1", 5s));
  EXPECT_EQ(d.Log().find("configuration reloaded"), std::string::npos) << d.Log();
  EXPECT_EQ(d.Log().find("auto_merge=20"), std::string::npos) << d.Log();

  // The previous spool folder is still watched: a dropped file is ingested.
  const std::string spool = d.dir() + "/spool";
  {
    std::ofstream f(spool + "/.drop.tmp");
    f << R"({"source_record_id": "r1", "names": [{"full": "Ahmad Hasan", "script": "latin"}], )"
         R"("sex": "male", "date_of_death": "2023-10-24"})"
      << "\n";
  }
  fs::rename(spool + "/.drop.tmp", spool + "/drop.jsonl");
  EXPECT_TRUE(WaitFor([&] { return fs::exists(spool + "/done/drop.jsonl"); }, 20s)) << d.Log();

  // A valid reload afterwards applies (the running config was untouched).
  d.WriteConfig(WithSpool("@DIR@/spool", 15));
  d.Signal(SIGHUP);
  EXPECT_TRUE(d.WaitLog("auto_merge=15.000000", 10s)) << d.Log();
  d.Signal(SIGTERM);
  EXPECT_EQ(d.WaitExit(15s), 0) << d.Log();
}

}  // namespace
}  // namespace qayd::testing
