// The SQLite WAL checkpoint thread (store/sqlite_checkpointer.h): it copies
// the log into the database file off the writer's commits, and the writer
// still bounds the log itself when the thread is behind.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include "store/sqlite_checkpointer.h"
#include "store/sqlite_conn.h"

namespace qayd::store {
namespace {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "qayd-ckpt-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string File(const char* name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

int64_t FileSize(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : -1;
}

// Writes `txns` transactions of ten 4 KiB rows through `conn`.
void Write(sql::Conn& conn, int txns) {
  ASSERT_TRUE(conn.Exec("CREATE TABLE IF NOT EXISTS t(b BLOB)").ok());
  for (int i = 0; i < txns; ++i) {
    ASSERT_TRUE(conn.Exec("BEGIN IMMEDIATE").ok());
    for (int k = 0; k < 10; ++k) {
      ASSERT_TRUE(conn.Exec("INSERT INTO t(b) VALUES (randomblob(4096))").ok());
    }
    ASSERT_TRUE(conn.Exec("COMMIT").ok());
  }
}

TEST(SqliteCheckpointer, TheThreadCopiesTheLogIntoTheDatabase) {
  TempDir dir;
  const std::string db = dir.File("r.db");
  auto writer = sql::OpenSqlite(db, /*read_only=*/false);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  const int64_t before = FileSize(db);
  {
    // Wakes after 50 pages; the writer itself would only act at a million.
    SqliteCheckpointer ckpt(db, 50, 1000000);
    ckpt.Attach(sql::SqliteHandle(**writer));
    Write(**writer, 20);  // ~200 pages of rows
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (ckpt.checkpoints() == 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_GE(ckpt.checkpoints(), 1);
    // Only a checkpoint moves pages from the log into the database file.
    EXPECT_GT(FileSize(db), before + 100 * 4096);
    sqlite3_wal_hook(sql::SqliteHandle(**writer), nullptr, nullptr);
  }
  auto reader = sql::OpenSqlite(db, /*read_only=*/true);
  ASSERT_TRUE(reader.ok());
  auto st = (*reader)->Prepare("SELECT COUNT(*) FROM t");
  ASSERT_TRUE(st.ok());
  ASSERT_TRUE(*(*st)->Step());
  EXPECT_EQ((*st)->Int(0), 200);
  (*st)->Reset();
}

TEST(SqliteCheckpointer, TheWriterBoundsTheLogWhenTheThreadIsBehind) {
  TempDir dir;
  const std::string db = dir.File("r.db");
  auto writer = sql::OpenSqlite(db, /*read_only=*/false);
  ASSERT_TRUE(writer.ok());
  const int64_t before = FileSize(db);
  {
    // The thread is never woken; the writer acts at 50 pages.
    SqliteCheckpointer ckpt(db, 1000000, 50);
    ckpt.Attach(sql::SqliteHandle(**writer));
    Write(**writer, 20);
    EXPECT_EQ(ckpt.checkpoints(), 0);
    EXPECT_GT(FileSize(db), before + 100 * 4096);
    // The log was restarted rather than grown: far smaller than all the rows.
    EXPECT_LT(FileSize(db + "-wal"), 150 * 4096);
    sqlite3_wal_hook(sql::SqliteHandle(**writer), nullptr, nullptr);
  }
}

}  // namespace
}  // namespace qayd::store
