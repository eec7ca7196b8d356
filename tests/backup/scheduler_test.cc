// The daemon's scheduled backups: runs on its own thread, prunes to `keep`,
// runs the post command with the backup's path and reports its exit status
// in /metrics; Stop() ends a hung post command.
#include "backup/scheduler.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include "backup/backup.h"
#include "backup/file_util.h"
#include "backup/keys.h"
#include "base/metrics.h"
#include "config/config.h"
#include "tests/backup/backup_test_support.h"
#include "tests/store/store_test_support.h"

namespace qayd::backup {
namespace {

using Clock = std::chrono::steady_clock;

int CountBackups(const std::string& dir, const std::string& suffix) {
  int n = 0;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind("qayd-", 0) == 0 && name.size() > suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      ++n;
    }
  }
  return n;
}

bool WaitFor(const std::function<bool()>& done, int seconds) {
  const auto deadline = Clock::now() + std::chrono::seconds(seconds);
  while (!done()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

class SchedulerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenStore(db());
    ASSERT_TRUE(store.ok());
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(backup_test::AddReport(**store, i).ok());
    store_ = std::move(*store);
    std::filesystem::create_directories(P("offsite"));
    config_.store.sqlite_path = db();
    config_.backup.dir = P("backups");
  }
  std::string db() const { return dir_.path() + "/register.db"; }
  std::string P(const std::string& name) const { return dir_.path() + "/" + name; }

  testing_support::TempDir dir_;
  std::unique_ptr<Store> store_;  // the register stays open, as in the daemon
  Config config_;
};

TEST_F(SchedulerTest, BacksUpPrunesAndRunsThePostCommand) {
  config_.backup.interval_s = 1;
  config_.backup.keep = 2;
  config_.backup.post_command =
      "cp \"$QAYD_BACKUP_FILE\" \"$QAYD_BACKUP_MANIFEST\" " + P("offsite") + "/ && exit 3";
  Scheduler scheduler;
  scheduler.Apply(config_);
  ASSERT_TRUE(WaitFor([&] { return scheduler.runs() >= 3; }, 30)) << "runs: " << scheduler.runs();
  scheduler.Stop();
  auto last = scheduler.last();
  ASSERT_TRUE(last.has_value());
  EXPECT_TRUE(last->ok) << last->error;
  EXPECT_EQ(last->post_command_status, 3);
  EXPECT_EQ(CountBackups(P("backups"), ".db"), 2) << "pruned to keep=2";
  EXPECT_EQ(CountBackups(P("backups"), ".db.manifest.json"), 2);
  EXPECT_GE(CountBackups(P("offsite"), ".db"), 3) << "every backup was copied off";
  for (const auto& e : std::filesystem::directory_iterator(P("backups"))) {
    const std::string path = e.path().string();
    if (path.size() > 3 && path.compare(path.size() - 3, 3, ".db") == 0) {
      auto v = VerifyBackup(path, {});
      EXPECT_TRUE(v.ok()) << v.status().ToString();
    }
  }
  const std::string metrics = metrics::Registry::Global().Exposition();
  EXPECT_NE(metrics.find("qayd_backup_post_command_exit_status 3"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("qayd_backup_last_status 0"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("qayd_backup_last_success_timestamp_seconds"), std::string::npos);
}

TEST_F(SchedulerTest, EncryptsWithTheConfiguredKeyAndReportsFailures) {
  ASSERT_TRUE(GenerateKeyFiles(P("key")).ok());
  config_.backup.interval_s = 3600;
  config_.backup.public_key_file = P("key.pub");
  Scheduler scheduler;
  scheduler.Apply(config_);  // no backup in the folder yet: one is due at once
  ASSERT_TRUE(WaitFor([&] { return scheduler.runs() >= 1; }, 30));
  auto last = scheduler.last();
  ASSERT_TRUE(last->ok) << last->error;
  EXPECT_EQ(last->file.substr(last->file.size() - 7), ".db.enc");
  auto v = VerifyBackup(last->file, {.key_file = P("key")});
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_TRUE(v->contents_checked);

  // The next one is an hour away; a trigger runs it now. A missing key fails it.
  config_.backup.public_key_file = P("missing.pub");
  scheduler.Apply(config_);
  scheduler.TriggerNow();
  ASSERT_TRUE(WaitFor([&] { return scheduler.runs() >= 2; }, 30));
  EXPECT_FALSE(scheduler.last()->ok);
  EXPECT_NE(scheduler.last()->error.find("missing.pub"), std::string::npos);
  EXPECT_NE(metrics::Registry::Global().Exposition().find("qayd_backup_last_status 1"),
            std::string::npos);
}

TEST_F(SchedulerTest, StopEndsAHungPostCommand) {
  config_.backup.interval_s = 3600;
  config_.backup.post_command = "sleep 60";
  Scheduler scheduler;
  scheduler.Apply(config_);
  ASSERT_TRUE(WaitFor([&] { return CountBackups(P("backups"), ".db.manifest.json") == 1; }, 30));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the post command is running
  const auto start = Clock::now();
  scheduler.Stop();
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(10));
  ASSERT_TRUE(scheduler.last().has_value());
  EXPECT_EQ(scheduler.last()->post_command_status, 128 + 15) << "SIGTERM";
}

TEST_F(SchedulerTest, DisabledWithoutAFolderOrOnPostgres) {
  Scheduler scheduler;
  Config off = config_;
  off.backup.dir.clear();
  scheduler.Apply(off);
  scheduler.TriggerNow();
  Config pg = config_;
  pg.store.postgres = "postgresql://localhost/none";
  scheduler.Apply(pg);
  scheduler.TriggerNow();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(scheduler.runs(), 0);
  EXPECT_FALSE(Exists(P("backups")));
  scheduler.Apply(config_);  // enabling starts at once (empty folder)
  EXPECT_TRUE(WaitFor([&] { return scheduler.runs() == 1; }, 30));
}

TEST(PruneTest, KeepsNewestAndLeavesOtherFilesAlone) {
  testing_support::TempDir dir;
  for (const char* name :
       {"qayd-20240101T000000Z.db", "qayd-20240102T000000Z.db", "qayd-20240103T000000Z.db.enc",
        "qayd-20240103T000000Z-1.db", "notes.txt", "qayd-manual.db"}) {
    std::ofstream(dir.path() + "/" + name) << "x";
  }
  std::ofstream(dir.path() + "/qayd-20240101T000000Z.db.manifest.json") << "{}";
  EXPECT_EQ(PruneBackups(dir.path(), 2), 2);
  EXPECT_FALSE(Exists(dir.path() + "/qayd-20240101T000000Z.db"));
  EXPECT_FALSE(Exists(dir.path() + "/qayd-20240101T000000Z.db.manifest.json"));
  EXPECT_FALSE(Exists(dir.path() + "/qayd-20240102T000000Z.db"));
  EXPECT_TRUE(Exists(dir.path() + "/qayd-20240103T000000Z.db.enc"));
  EXPECT_TRUE(Exists(dir.path() + "/qayd-20240103T000000Z-1.db"));
  EXPECT_TRUE(Exists(dir.path() + "/notes.txt"));
  EXPECT_TRUE(Exists(dir.path() + "/qayd-manual.db"));
}

TEST(BackupConfigTest, SectionParsesAndRangesAreChecked) {
  ConfigLoad ok = ParseConfig(
      R"({"backup": {"dir": "/var/backups/qayd", "interval_s": 3600, "keep": 7,
          "post_command": "rclone copy \"$QAYD_BACKUP_FILE\" offsite:qayd",
          "public_key_file": "/etc/qayd/backup.pub"}})",
      "qayd.json");
  ASSERT_TRUE(ok.ok()) << ok.errors[0].ToString();
  EXPECT_EQ(ok.config.backup.dir, "/var/backups/qayd");
  EXPECT_EQ(ok.config.backup.interval_s, 3600);
  EXPECT_EQ(ok.config.backup.keep, 7);
  EXPECT_EQ(ok.config.backup.public_key_file, "/etc/qayd/backup.pub");
  ConfigLoad bad = ParseConfig(R"({"backup": {"keep": 0, "folder": "x"}})", "qayd.json");
  ASSERT_EQ(bad.errors.size(), 2u);
  EXPECT_EQ(bad.errors[0].ToString(),
            "qayd.json:1:21: backup.keep: must be between 1 and 10000, got 0");
  EXPECT_EQ(bad.errors[1].path, "backup.folder");
  EXPECT_TRUE(DefaultConfig().backup.dir.empty()) << "off by default";
}

}  // namespace
}  // namespace qayd::backup
