// A register created by schema version 1 opens under the current version with
// its data intact; a register newer than the program is refused. Compiled per
// backend like the conformance suite.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "store/store.h"
#include "store/testing.h"
#include "tests/store/store_test_support.h"

namespace qayd {
namespace {

using testing_support::MakeReport;
using testing_support::TestDatabase;

class StoreMigration : public ::testing::TestWithParam<std::string> {};

TEST_P(StoreMigration, VersionOneDatabaseOpensUnderCurrentVersionWithDataIntact) {
  ASSERT_GE(SchemaVersion(), 2);
  TestDatabase db(GetParam());
  ASSERT_FALSE(db.location().empty());
  int64_t survivor = 0, absorbed = 0, merge_seq = 0, report = 0;
  Victim before;
  {
    auto old = OpenStoreAtVersion(db.location(), 1);
    ASSERT_TRUE(old.ok()) << old.status().ToString();
    EXPECT_EQ(db.RawQuery("SELECT MAX(version) FROM schema_migrations"), "1");
    auto t = (*old)->Begin(Store::Mode::kWrite);
    ASSERT_TRUE(t.ok());
    Report r = MakeReport("moh", "m1", "Old Record");
    r.submitter_contact = "+970 1";
    report = (*t)->AcceptReport(r)->report_id;
    survivor = *(*t)->CreateVictim(report, VictimState::kActive, "engine", "{}");
    auto r2 = (*t)->AcceptReport(MakeReport("moh", "m2", "Second"));
    absorbed = *(*t)->CreateVictim(r2->report_id, VictimState::kProvisional, "engine", "{}");
    merge_seq = *(*t)->MergeVictims(survivor, absorbed, "monitor", "{}");
    ASSERT_TRUE((*t)->PutMeta("install", "2024").ok());
    before = *(*t)->GetVictim(survivor);
    ASSERT_TRUE((*t)->Commit().ok());
    // Vocabularies arrive with migration 2 (own Txn: a failed statement aborts
    // a PostgreSQL transaction).
    auto reader = (*old)->Begin(Store::Mode::kRead);
    EXPECT_FALSE((*reader)->Vocabulary("cause").ok());
  }
  EXPECT_EQ(db.RawQuery("SELECT COUNT(*) FROM vocabulary"), "");
  auto now = OpenStore(db.location());
  ASSERT_TRUE(now.ok()) << now.status().ToString();
  EXPECT_EQ(db.RawQuery("SELECT MAX(version) FROM schema_migrations"),
            std::to_string(SchemaVersion()));
  if (GetParam() == "sqlite") {
    EXPECT_EQ(db.RawQuery("PRAGMA user_version"), std::to_string(SchemaVersion()));
  }
  auto t = (*now)->Begin(Store::Mode::kWrite);
  ASSERT_TRUE(t.ok());
  Victim after = *(*t)->GetVictim(survivor);
  EXPECT_EQ(after.report_ids, before.report_ids);
  EXPECT_EQ(after.state, before.state);
  EXPECT_EQ((*t)->GetReport(report)->names.front().full, "Old Record");
  EXPECT_EQ((*t)->GetContact(report)->second, "+970 1");
  EXPECT_EQ(*(*t)->GetMeta("install"), "2024");
  EXPECT_EQ((*t)->Vocabulary("cause")->size(), 12u);
  // The old merge can still be undone under the new schema.
  ASSERT_TRUE((*t)->UndoMerge(merge_seq, "monitor", "migration check").ok());
  EXPECT_EQ((*t)->GetVictim(absorbed)->state, VictimState::kProvisional);
  ASSERT_TRUE((*t)->Commit().ok());
  EXPECT_EQ((*now)->IntegrityCheck().value(), "ok");
}

TEST_P(StoreMigration, DatabaseNewerThanProgramIsRefused) {
  TestDatabase db(GetParam());
  ASSERT_FALSE(db.location().empty());
  { ASSERT_TRUE(OpenStore(db.location()).ok()); }
  ASSERT_TRUE(db.RawExec("INSERT INTO schema_migrations(version, name, applied_at_ms) "
                         "VALUES (99, 'from the future', 0)")
                  .ok());
  auto s = OpenStore(db.location());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), ErrorCode::kInternal);
  EXPECT_NE(s.status().message().find("newer"), std::string::npos);
}

TEST_P(StoreMigration, CommitNeverClaimsWhatAnEarlierDatabaseErrorLost) {
  TestDatabase db(GetParam());
  ASSERT_FALSE(db.location().empty());
  auto old = OpenStoreAtVersion(db.location(), 1);  // no vocabulary table yet
  ASSERT_TRUE(old.ok());
  Status committed;
  {
    auto t = (*old)->Begin(Store::Mode::kWrite);
    ASSERT_TRUE(t.ok());
    EXPECT_FALSE((*t)->Vocabulary("cause").ok());  // a database error
    (void)(*t)->PutMeta("after-error", "x");       // may fail: PostgreSQL aborted the txn
    committed = (*t)->Commit();
  }
  auto r = (*old)->Begin(Store::Mode::kRead);
  ASSERT_TRUE(r.ok());
  std::string stored = (*r)->GetMeta("after-error").value();
  // Whatever the backend does after an error, Commit() ok <=> the write is there.
  EXPECT_EQ(committed.ok(), stored == "x") << committed.ToString();
  if (GetParam() == "postgres") {
    EXPECT_FALSE(committed.ok());
  }
}

TEST(StoreLocation, PostgresLocationsAreRecognised) {
  EXPECT_TRUE(IsPostgresLocation("postgresql://u@h/db"));
  EXPECT_TRUE(IsPostgresLocation("postgres://h/db"));
  EXPECT_TRUE(IsPostgresLocation("host=127.0.0.1 port=5432"));
  EXPECT_TRUE(IsPostgresLocation("dbname=qayd"));
  EXPECT_FALSE(IsPostgresLocation("/var/lib/qayd/register.db"));
  EXPECT_FALSE(IsPostgresLocation("register.db"));
  EXPECT_FALSE(OpenStoreAtVersion("/tmp/x.db", 0).ok());
}

TEST(StoreFiles, SqliteFileIsPrivate) {
  testing_support::TempDir dir;
  std::string path = dir.path() + "/new/state/qayd.db";
  auto s = OpenStore(path);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat((dir.path() + "/new/state").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  EXPECT_EQ(std::string((*s)->backend()), "sqlite");
  // The WAL and shared-memory files the first write creates are private too.
  auto t = (*s)->Begin(Store::Mode::kWrite);
  ASSERT_TRUE(t.ok());
  ASSERT_TRUE((*t)->PutMeta("k", "v").ok());
  ASSERT_TRUE((*t)->Commit().ok());
  for (const char* suffix : {"-wal", "-shm"}) {
    ASSERT_EQ(::stat((path + suffix).c_str(), &st), 0) << suffix;
    EXPECT_EQ(st.st_mode & 0777, 0600u) << suffix;
  }
}

INSTANTIATE_TEST_SUITE_P(Backend, StoreMigration, ::testing::Values(QAYD_STORE_BACKEND));

}  // namespace
}  // namespace qayd
