// Backup, verify and restore of a SQLite register; damaged backups are
// detected by verify and refused by restore; a register in use is not
// overwritten.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "backup/backup.h"
#include "backup/file_util.h"
#include "backup/keys.h"
#include "backup/sha256.h"
#include "tests/backup/backup_test_support.h"
#include "tests/store/store_test_support.h"

namespace qayd::backup {
namespace {

using testing_support::TempDir;

class BackupRestoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenStore(db());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    for (int i = 0; i < 40; ++i) ASSERT_TRUE(backup_test::AddReport(**store, i).ok());
    live_export_ = backup_test::Export(**store);
  }
  std::string db() const { return dir_.path() + "/live/register.db"; }
  std::string P(const std::string& name) const { return dir_.path() + "/" + name; }
  Result<Manifest> Backup(const std::string& out, const std::string& pub = "") {
    BackupOptions o;
    o.db = db();
    o.out = out;
    o.public_key_file = pub;
    return TakeBackup(o);
  }
  std::string ExportOf(const std::string& path) {
    auto store = OpenStore(path);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? backup_test::Export(**store) : "";
  }

  TempDir dir_;
  std::string live_export_;
};

TEST_F(BackupRestoreTest, BackupHasManifestAndRestoresToTheSameExport) {
  auto m = Backup(P("b1.db"));
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->counts.reports, 40);
  EXPECT_EQ(m->counts.victims, 27);  // every third report joins the previous victim
  EXPECT_GE(m->counts.history_events, 40);
  EXPECT_EQ(m->schema_version, SchemaVersion());
  EXPECT_EQ(m->sha256.size(), 64u);
  EXPECT_EQ(m->plain_sha256, m->sha256);
  EXPECT_FALSE(m->encrypted);
  EXPECT_EQ(m->file, "b1.db");
  struct stat st;
  ASSERT_EQ(::stat(P("b1.db").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0077, 0u) << "the backup is not readable by others";
  EXPECT_TRUE(Exists(P("b1.db.manifest.json")));
  // No temporaries or -wal files left beside the backup.
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir_.path()))
    files += e.is_regular_file();
  EXPECT_EQ(files, 2);

  auto v = VerifyBackup(P("b1.db"), {});
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_TRUE(v->contents_checked);
  EXPECT_EQ(v->counts, m->counts);
  EXPECT_EQ(*Sha256File(P("b1.db")), m->sha256) << "verify does not modify the backup";

  auto r = RestoreBackup(P("b1.db"), P("restored/register.db"), {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->previous_kept_as.empty());
  EXPECT_EQ(ExportOf(P("restored/register.db")), live_export_);
}

TEST_F(BackupRestoreTest, RefusesToOverwriteAnExistingBackup) {
  ASSERT_TRUE(Backup(P("b.db")).ok());
  auto again = Backup(P("b.db"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), ErrorCode::kConflict);
}

TEST_F(BackupRestoreTest, MissingRegisterIsAnError) {
  BackupOptions o;
  o.db = P("nope.db");
  o.out = P("b.db");
  auto m = TakeBackup(o);
  ASSERT_FALSE(m.ok());
  EXPECT_FALSE(Exists(P("nope.db"))) << "backup never creates a register";
}

TEST_F(BackupRestoreTest, FlippedByteIsDetectedAndRefused) {
  ASSERT_TRUE(Backup(P("b.db")).ok());
  backup_test::FlipByte(P("b.db"), 5000);
  auto v = VerifyBackup(P("b.db"), {});
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.status().message().find("SHA-256 differs"), std::string::npos)
      << v.status().message();
  auto r = RestoreBackup(P("b.db"), P("restored.db"), {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("refusing to restore"), std::string::npos);
  EXPECT_FALSE(Exists(P("restored.db")));
}

TEST_F(BackupRestoreTest, DamageBehindARewrittenManifestIsFoundByTheIntegrityCheck) {
  ASSERT_TRUE(Backup(P("b.db")).ok());
  // Corrupt the page header of the second page (a b-tree page), then make
  // the manifest's hash agree: only opening the database can tell.
  backup_test::FlipByte(P("b.db"), 4096);
  backup_test::FlipByte(P("b.db"), 4097);
  backup_test::ResealManifest(P("b.db"));
  auto v = VerifyBackup(P("b.db"), {});
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), ErrorCode::kInvalidInput) << v.status().ToString();
  EXPECT_FALSE(RestoreBackup(P("b.db"), P("restored.db"), {}).ok());
  EXPECT_FALSE(Exists(P("restored.db")));
}

TEST_F(BackupRestoreTest, TruncatedBackupIsDetectedAndRefused) {
  ASSERT_TRUE(Backup(P("b.db")).ok());
  backup_test::Truncate(P("b.db"), *FileSize(P("b.db")) / 2);
  auto v = VerifyBackup(P("b.db"), {});
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.status().message().find("truncated"), std::string::npos) << v.status().message();
  // Even with a manifest rewritten to match, the half database fails its checks.
  backup_test::ResealManifest(P("b.db"));
  v = VerifyBackup(P("b.db"), {});
  ASSERT_FALSE(v.ok());
  auto r = RestoreBackup(P("b.db"), P("restored.db"), {});
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(Exists(P("restored.db")));
}

TEST_F(BackupRestoreTest, MissingManifestIsNamed) {
  ASSERT_TRUE(Backup(P("b.db")).ok());
  RemoveQuietly(P("b.db.manifest.json"));
  auto v = VerifyBackup(P("b.db"), {});
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.status().message().find("manifest"), std::string::npos) << v.status().message();
}

TEST_F(BackupRestoreTest, EncryptedBackupNeedsTheRightKey) {
  ASSERT_TRUE(GenerateKeyFiles(P("key")).ok());
  ASSERT_TRUE(GenerateKeyFiles(P("other")).ok());
  auto m = Backup(P("b.db.enc"), P("key.pub"));
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_TRUE(m->encrypted);
  EXPECT_NE(m->sha256, m->plain_sha256);
  EXPECT_EQ(m->key_fingerprint, ReadPublicKey(P("key.pub"))->Fingerprint());

  // Without a key: hash and size are checked, contents are not.
  auto hash_only = VerifyBackup(P("b.db.enc"), {});
  ASSERT_TRUE(hash_only.ok()) << hash_only.status().ToString();
  EXPECT_FALSE(hash_only->contents_checked);
  auto no_key = RestoreBackup(P("b.db.enc"), P("r0.db"), {});
  ASSERT_FALSE(no_key.ok());
  EXPECT_NE(no_key.status().message().find("--key"), std::string::npos);

  auto wrong = VerifyBackup(P("b.db.enc"), {.key_file = P("other")});
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().code(), ErrorCode::kPermission);
  EXPECT_NE(wrong.status().message().find(m->key_fingerprint), std::string::npos);
  EXPECT_FALSE(RestoreBackup(P("b.db.enc"), P("r1.db"), {.key_file = P("other")}).ok());
  EXPECT_FALSE(Exists(P("r1.db")));

  auto right = VerifyBackup(P("b.db.enc"), {.key_file = P("key")});
  ASSERT_TRUE(right.ok()) << right.status().ToString();
  EXPECT_TRUE(right->contents_checked);
  auto r = RestoreBackup(P("b.db.enc"), P("r2.db"), {.key_file = P("key")});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(ExportOf(P("r2.db")), live_export_);
}

TEST_F(BackupRestoreTest, TamperedEncryptedBackupIsRefusedEvenWithAMatchingManifest) {
  ASSERT_TRUE(GenerateKeyFiles(P("key")).ok());
  ASSERT_TRUE(Backup(P("b.enc"), P("key.pub")).ok());
  backup_test::FlipByte(P("b.enc"), -100);
  backup_test::ResealManifest(P("b.enc"));
  auto v = VerifyBackup(P("b.enc"), {.key_file = P("key")});
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.status().message().find("authentication"), std::string::npos) << v.status().message();
  EXPECT_FALSE(RestoreBackup(P("b.enc"), P("r.db"), {.key_file = P("key")}).ok());
  EXPECT_FALSE(Exists(P("r.db")));
}

TEST_F(BackupRestoreTest, RestoreRefusesARegisterInUseAndKeepsThePreviousOne) {
  ASSERT_TRUE(Backup(P("b.db")).ok());
  {
    auto live = OpenStore(db());
    ASSERT_TRUE(live.ok());
    ASSERT_TRUE(backup_test::AddReport(**live, 1000).ok());  // the store is open and has written
    auto r = RestoreBackup(P("b.db"), db(), {});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), ErrorCode::kConflict);
    EXPECT_NE(r.status().message().find("in use"), std::string::npos) << r.status().message();
    // The live register was not touched and still works.
    ASSERT_TRUE(backup_test::AddReport(**live, 1001).ok());
  }
  const std::string before = ExportOf(db());
  auto r = RestoreBackup(P("b.db"), db(), {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_FALSE(r->previous_kept_as.empty());
  EXPECT_EQ(ExportOf(db()), live_export_);
  EXPECT_EQ(ExportOf(r->previous_kept_as), before) << "the replaced register is kept intact";
}

TEST_F(BackupRestoreTest, RestoreRefusesAReadOnlyUser) {
  // Even an idle reader counts as in use.
  ASSERT_TRUE(Backup(P("b.db")).ok());
  auto live = OpenStore(db());
  ASSERT_TRUE(live.ok());
  auto txn = (*live)->Begin(Store::Mode::kRead);
  ASSERT_TRUE(txn.ok());
  ASSERT_TRUE((*txn)->GetCounts().ok());
  txn->reset();
  auto r = RestoreBackup(P("b.db"), db(), {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kConflict);
}

}  // namespace
}  // namespace qayd::backup
