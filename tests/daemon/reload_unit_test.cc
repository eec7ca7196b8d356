// Which settings a reload may change (daemon/reload.h).
#include <gtest/gtest.h>

#include "config/config.h"
#include "daemon/reload.h"

namespace qayd::daemon {
namespace {

TEST(KeepRestartOnlyTest, KeepsRunningStoreListenerAndPoolAndNamesThem) {
  Config running = DefaultConfig();
  running.store.sqlite_path = "/var/lib/qayd/a.db";
  running.http.port = 8470;
  Config next = running;
  next.store.sqlite_path = "/var/lib/qayd/b.db";
  next.store.postgres = "postgresql://db/qayd";
  next.http.listen = "0.0.0.0";
  next.http.port = 9000;
  next.matching.threads = 3;
  next.matching.auto_merge = 20;     // reloadable
  next.backup.dir = "/srv/backups";  // reloadable

  const auto kept = KeepRestartOnly(running, &next);
  EXPECT_EQ(kept, (std::vector<std::string>{"store.sqlite_path", "store.postgres", "http.listen",
                                            "http.port", "matching.threads"}));
  EXPECT_EQ(next.store.location(), "/var/lib/qayd/a.db");
  EXPECT_EQ(next.http.listen, running.http.listen);
  EXPECT_EQ(next.http.port, 8470);
  EXPECT_EQ(next.matching.threads, running.matching.threads);
  EXPECT_EQ(next.matching.auto_merge, 20);
  EXPECT_EQ(next.backup.dir, "/srv/backups");
}

TEST(KeepRestartOnlyTest, NothingToKeepWhenOnlyReloadableSettingsChange) {
  Config running = DefaultConfig();
  Config next = running;
  next.logging.level = "debug";
  next.submissions.spool_dir = "/var/lib/qayd/spool2";
  EXPECT_TRUE(KeepRestartOnly(running, &next).empty());
  EXPECT_EQ(next.logging.level, "debug");
}

}  // namespace
}  // namespace qayd::daemon
