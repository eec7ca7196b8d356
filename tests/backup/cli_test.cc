// The backup subcommands as the qayd executable runs them: exit codes and
// the files they leave.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "backup/file_util.h"
#include "cli/cmd_backup.h"
#include "tests/backup/backup_test_support.h"
#include "tests/store/store_test_support.h"

namespace qayd::cli {
namespace {

class BackupCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenStore(P("register.db"));
    ASSERT_TRUE(store.ok());
    for (int i = 0; i < 12; ++i) {
      auto id = backup_test::AddReport(**store, i);
      ASSERT_TRUE(id.ok()) << id.status().ToString();
    }
  }
  std::string P(const std::string& name) const { return dir_.path() + "/" + name; }
  testing_support::TempDir dir_;
};

TEST_F(BackupCliTest, KeygenBackupVerifyRestore) {
  ASSERT_EQ(CmdKeygen({"--out", P("key")}), 0);
  EXPECT_EQ(CmdKeygen({"--out", P("key")}), 1) << "never overwrites a key";
  ASSERT_EQ(
      CmdBackup({"--db", P("register.db"), "--out", P("b.enc"), "--public-key", P("key.pub")}), 0);
  EXPECT_EQ(CmdVerifyBackup({P("b.enc")}), 0) << "hash-only check without the key";
  EXPECT_EQ(CmdVerifyBackup({"--key", P("key"), P("b.enc")}), 0);
  EXPECT_EQ(CmdRestore({"--from", P("b.enc"), "--db", P("restored.db")}), 1) << "needs --key";
  ASSERT_EQ(CmdRestore({"--from", P("b.enc"), "--db", P("restored.db"), "--key", P("key")}), 0);
  EXPECT_TRUE(backup::Exists(P("restored.db")));
  struct stat st;
  ASSERT_EQ(::stat(P("restored.db").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0077, 0u);
  // Restoring again over the (closed) restored register keeps the previous one.
  ASSERT_EQ(CmdRestore({"--from", P("b.enc"), "--db", P("restored.db"), "--key", P("key")}), 0);
}

TEST_F(BackupCliTest, DamagedBackupFailsVerifyAndRestore) {
  ASSERT_EQ(CmdBackup({"--db", P("register.db"), "--out", P("b.db")}), 0);
  backup_test::FlipByte(P("b.db"), 3000);
  EXPECT_EQ(CmdVerifyBackup({P("b.db")}), 1);
  EXPECT_EQ(CmdRestore({"--from", P("b.db"), "--db", P("r.db")}), 1);
  EXPECT_FALSE(backup::Exists(P("r.db")));
}

TEST_F(BackupCliTest, VerifyDatabaseAgainstAManifest) {
  ASSERT_EQ(CmdBackup({"--db", P("register.db"), "--out", P("b.db")}), 0);
  ASSERT_EQ(CmdRestore({"--from", P("b.db"), "--db", P("scratch.db")}), 0);
  EXPECT_EQ(CmdVerifyBackup({"--db", P("scratch.db"), "--manifest", P("b.db.manifest.json")}), 0);
  {
    auto store = OpenStore(P("scratch.db"));
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(backup_test::AddReport(**store, 501).ok());
  }
  EXPECT_EQ(CmdVerifyBackup({"--db", P("scratch.db"), "--manifest", P("b.db.manifest.json")}), 1);
}

TEST_F(BackupCliTest, UsageErrors) {
  EXPECT_EQ(CmdBackup({"--out", P("x")}), 2);
  EXPECT_EQ(CmdBackup({"--db", P("register.db"), "--out", P("x"), "--bogus"}), 2);
  EXPECT_EQ(CmdVerifyBackup({}), 2);
  EXPECT_EQ(CmdRestore({"--from", P("x")}), 2);
  EXPECT_EQ(CmdKeygen({}), 2);
}

}  // namespace
}  // namespace qayd::cli
