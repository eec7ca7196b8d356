#include "store/sqlite_conn.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <unordered_map>

namespace qayd::sql {
namespace {

Status SqliteError(sqlite3* db, int rc, const std::string& what) {
  std::string msg = what + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  int primary = rc & 0xff;
  if (primary == SQLITE_CONSTRAINT) return Error(ErrorCode::kConflict, msg);
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) return Error(ErrorCode::kUnavailable, msg);
  if (primary == SQLITE_FULL || primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN) {
    return Error(ErrorCode::kIo, msg);
  }
  if (primary == SQLITE_READONLY || primary == SQLITE_PERM || primary == SQLITE_AUTH) {
    return Error(ErrorCode::kPermission, msg);
  }
  return Error(ErrorCode::kInternal, msg);
}

class SqliteStmt : public Stmt {
 public:
  SqliteStmt(sqlite3* db, sqlite3_stmt* st) : db_(db), st_(st) {}
  ~SqliteStmt() override { sqlite3_finalize(st_); }
  void Bind(int i, int64_t v) override { sqlite3_bind_int64(st_, i, v); }
  void Bind(int i, double v) override { sqlite3_bind_double(st_, i, v); }
  void Bind(int i, const std::string& v) override {
    sqlite3_bind_text(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  void BindNull(int i) override { sqlite3_bind_null(st_, i); }
  Result<bool> Step() override {
    int rc = sqlite3_step(st_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    Status s = SqliteError(db_, rc, "step");
    sqlite3_reset(st_);
    return s;
  }
  bool IsNull(int col) override { return sqlite3_column_type(st_, col) == SQLITE_NULL; }
  int64_t Int(int col) override { return sqlite3_column_int64(st_, col); }
  double Real(int col) override { return sqlite3_column_double(st_, col); }
  std::string Text(int col) override {
    const unsigned char* p = sqlite3_column_text(st_, col);
    if (!p) return {};
    return std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(st_, col));
  }
  void Reset() override {
    sqlite3_reset(st_);
    sqlite3_clear_bindings(st_);
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* st_;
};

class SqliteConn : public Conn {
 public:
  explicit SqliteConn(sqlite3* db) : db_(db) {}
  ~SqliteConn() override {
    cache_.clear();
    sqlite3_close_v2(db_);
  }
  Result<Stmt*> Prepare(const std::string& sql) override {
    auto it = cache_.find(sql);
    if (it != cache_.end()) {
      it->second->Reset();
      return it->second.get();
    }
    sqlite3_stmt* st = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &st, nullptr);
    if (rc != SQLITE_OK) return SqliteError(db_, rc, "prepare");
    auto stmt = std::make_unique<SqliteStmt>(db_, st);
    Stmt* raw = stmt.get();
    cache_.emplace(sql, std::move(stmt));
    return raw;
  }
  Status Exec(const std::string& sql) override {
    char* err = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      Status s = SqliteError(nullptr, rc, "exec");
      return Error(s.code(), "exec: " + msg);
    }
    return Status::Ok();
  }
  const char* dialect() const override { return "sqlite"; }
  sqlite3* db() { return db_; }

 private:
  sqlite3* db_;
  std::unordered_map<std::string, std::unique_ptr<SqliteStmt>> cache_;
};

}  // namespace

Result<std::unique_ptr<Conn>> OpenSqlite(const std::string& path, bool read_only) {
  // Create the file ourselves so it gets 0600 whatever the umask.
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    int fd = ::open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0) return Error(ErrorCode::kIo, "cannot create database file " + path);
    ::fchmod(fd, 0600);
    ::close(fd);
  }
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status s = SqliteError(db, rc, "open " + path);
    sqlite3_close_v2(db);
    return s;
  }
  auto conn = std::make_unique<SqliteConn>(db);
  sqlite3_busy_timeout(db, 10000);
  sqlite3_extended_result_codes(db, 1);
  std::string pragmas =
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
      "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536;";
  if (read_only) pragmas += "PRAGMA query_only=ON;";
  Status s = conn->Exec(pragmas);
  if (!s.ok()) return s;
  return std::unique_ptr<Conn>(std::move(conn));
}

sqlite3* SqliteHandle(Conn& conn) { return static_cast<SqliteConn&>(conn).db(); }

}  // namespace qayd::sql
