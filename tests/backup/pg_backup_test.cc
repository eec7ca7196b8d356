// PostgreSQL: `qayd backup` runs pg_dump in an exported snapshot while the
// register is written to; the dump restored (pg_restore) into a scratch
// database verifies against its manifest; a different database does not.
#include "backup/pg_backup.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <thread>

#include "tests/backup/backup_test_support.h"
#include "tests/store/store_test_support.h"

namespace qayd::backup {
namespace {

TEST(PgBackupTest, DumpRestoredIntoScratchVerifiesAgainstManifest) {
  testing_support::TestDatabase live("postgres");
  ASSERT_FALSE(live.location().empty());
  auto store = OpenStore(live.location());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(backup_test::AddReport(**store, i).ok());

  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::thread writer([&] {
    for (int i = 30; !stop && i < 3000; ++i) {
      if (!backup_test::AddReport(**store, i).ok()) return;
      ++written;
    }
  });
  testing_support::TempDir dir;
  const std::string file = dir.path() + "/register.dump";
  auto m = TakePostgresBackup({.db = live.location(), .out = file});
  stop = true;
  writer.join();
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->backend, "postgres");
  EXPECT_GE(m->counts.reports, 30);
  EXPECT_EQ(m->schema_version, SchemaVersion());

  testing_support::TestDatabase scratch("postgres");
  ASSERT_FALSE(scratch.location().empty());
  const std::string cmd =
      "pg_restore --no-owner --exit-on-error --dbname='" + scratch.location() + "' '" + file + "'";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  auto check = VerifyDatabase(scratch.location(), ManifestPathFor(file));
  ASSERT_TRUE(check.ok()) << check.status().ToString();
  EXPECT_EQ(check->counts, m->counts);

  // The live register has moved on (or has the same counts if the writer was
  // slow); a database that differs from the manifest is named as such.
  ASSERT_TRUE(backup_test::AddReport(**store, 5000 + 1).ok());
  auto moved = VerifyDatabase(live.location(), ManifestPathFor(file));
  ASSERT_FALSE(moved.ok());
  EXPECT_NE(moved.status().message().find("does not match the manifest"), std::string::npos)
      << moved.status().message();
}

}  // namespace
}  // namespace qayd::backup
