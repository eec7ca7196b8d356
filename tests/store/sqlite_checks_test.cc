// The SQLite physical checks (store/sqlite_conn.h SqlitePhysicalProblems):
// one implementation behind Store::IntegrityCheck and backup verification
// (backup::RawIntegrityCheck), which report a broken reference alike.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>

#include "backup/sqlite_file.h"
#include "store/sqlite_conn.h"
#include "store/store.h"
#include "tests/support/test_dir.h"

namespace qayd::store {
namespace {

TEST(SqliteChecks, AForeignKeyViolationIsNamedByTheStoreAndByBackupVerification) {
  const auto dir = testing::FreshTestDir("qayd-sqlite-checks");
  const std::string path = (dir / "r.db").string();
  {
    auto s = OpenStore(path);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    auto check = (*s)->IntegrityCheck();
    ASSERT_TRUE(check.ok()) << check.status().ToString();
    EXPECT_EQ(*check, "ok");
  }
  auto clean = backup::RawIntegrityCheck(path);
  ASSERT_TRUE(clean.ok()) << clean.status().ToString();
  EXPECT_EQ(*clean, "ok");
  {
    // A membership row whose victim does not exist, written behind the
    // store's back (foreign keys off), as a damaged copy could hold it.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    const int rc = sqlite3_exec(db,
                                "PRAGMA foreign_keys=OFF;"
                                "INSERT INTO membership(report_id, victim_id) VALUES (41, 42);",
                                nullptr, nullptr, &err);
    EXPECT_EQ(rc, SQLITE_OK) << (err ? err : "");
    sqlite3_free(err);
    EXPECT_EQ(sql::SqlitePhysicalProblems(db).find("foreign key violation in membership row "),
              0u);
    sqlite3_close(db);
  }
  auto raw = backup::RawIntegrityCheck(path);
  ASSERT_TRUE(raw.ok()) << raw.status().ToString();
  EXPECT_NE(raw->find("foreign key violation in membership row "), std::string::npos) << *raw;
  {
    auto s = OpenStore(path);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    auto check = (*s)->IntegrityCheck();
    ASSERT_TRUE(check.ok()) << check.status().ToString();
    EXPECT_EQ(check->find("foreign key violation in membership row "), 0u) << *check;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace qayd::store
