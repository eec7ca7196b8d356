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

// How a statement whose single-column RETURNING clause was stripped reports
// its row (SQLite runs RETURNING through an ephemeral table; this is cheaper).
enum class Emulated { kNone, kInsertRowid, kUpdateChanges };

// Strips " RETURNING <column>" from single-row INSERT/UPDATE statements.
Emulated StripReturning(std::string* sql) {
  bool insert = sql->rfind("INSERT", 0) == 0, update = sql->rfind("UPDATE", 0) == 0;
  if (!insert && !update) return Emulated::kNone;
  if (sql->find("ON CONFLICT") != std::string::npos) return Emulated::kNone;
  auto pos = sql->rfind(" RETURNING ");
  if (pos == std::string::npos) return Emulated::kNone;
  std::string col = sql->substr(pos + 11);
  if (col.find_first_of(", ()") != std::string::npos) return Emulated::kNone;
  sql->erase(pos);
  return insert ? Emulated::kInsertRowid : Emulated::kUpdateChanges;
}

class SqliteStmt : public Stmt {
 public:
  SqliteStmt(sqlite3* db, sqlite3_stmt* st, Emulated emulated)
      : db_(db), st_(st), emulated_(emulated) {}
  ~SqliteStmt() override { sqlite3_finalize(st_); }
  void Bind(int i, int64_t v) override { sqlite3_bind_int64(st_, i, v); }
  void Bind(int i, double v) override { sqlite3_bind_double(st_, i, v); }
  void Bind(int i, const std::string& v) override {
    // Not copied: callers keep bound text alive until the statement is done.
    sqlite3_bind_text(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  }
  void BindNull(int i) override { sqlite3_bind_null(st_, i); }
  Result<bool> Step() override {
    if (emulated_row_ != 0) {
      emulated_row_ = -1;  // the one emulated row was delivered
      return false;
    }
    int rc = sqlite3_step(st_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) {
      if (emulated_ == Emulated::kInsertRowid) {
        emulated_value_ = sqlite3_last_insert_rowid(db_);
        emulated_row_ = 1;
        return true;
      }
      if (emulated_ == Emulated::kUpdateChanges && sqlite3_changes(db_) > 0) {
        emulated_value_ = sqlite3_changes(db_);
        emulated_row_ = 1;
        return true;
      }
      return false;
    }
    Status s = SqliteError(db_, rc, "step");
    sqlite3_reset(st_);
    return s;
  }
  bool IsNull(int col) override {
    if (emulated_row_ > 0) return false;
    return sqlite3_column_type(st_, col) == SQLITE_NULL;
  }
  int64_t Int(int col) override {
    if (emulated_row_ > 0) return emulated_value_;
    return sqlite3_column_int64(st_, col);
  }
  double Real(int col) override { return sqlite3_column_double(st_, col); }
  std::string Text(int col) override {
    const unsigned char* p = sqlite3_column_text(st_, col);
    if (!p) return {};
    return std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(st_, col));
  }
  void Reset() override {
    sqlite3_reset(st_);
    sqlite3_clear_bindings(st_);
    emulated_row_ = 0;
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* st_;
  Emulated emulated_;
  int emulated_row_ = 0;  // 1: an emulated row is current; -1: delivered
  int64_t emulated_value_ = 0;
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
    std::string text = sql;
    Emulated emulated = StripReturning(&text);
    sqlite3_stmt* st = nullptr;
    int rc = sqlite3_prepare_v3(db_, text.c_str(), static_cast<int>(text.size()),
                                SQLITE_PREPARE_PERSISTENT, &st, nullptr);
    if (rc != SQLITE_OK) return SqliteError(db_, rc, "prepare");
    auto stmt = std::make_unique<SqliteStmt>(db_, st, emulated);
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
  // Memory statistics cost a global mutex per allocation; the store needs none.
  // (No effect if SQLite was already initialised in this process.)
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
  // Create the file ourselves so it gets 0600 whatever the umask.
  struct stat st;
  if (!read_only && ::stat(path.c_str(), &st) != 0) {
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
      "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456;"
      "PRAGMA wal_autocheckpoint=10000;";
  if (read_only) pragmas += "PRAGMA query_only=ON;";
  Status s = conn->Exec(pragmas);
  if (!s.ok()) return s;
  return std::unique_ptr<Conn>(std::move(conn));
}

sqlite3* SqliteHandle(Conn& conn) { return static_cast<SqliteConn&>(conn).db(); }

std::string SqlitePhysicalProblems(sqlite3* db) {
  std::string problems;
  auto add = [&](const std::string& p) { problems += (problems.empty() ? "" : "; ") + p; };
  for (const std::string pragma : {"PRAGMA integrity_check", "PRAGMA foreign_key_check"}) {
    const bool foreign = pragma == "PRAGMA foreign_key_check";
    sqlite3_stmt* st = nullptr;
    int rc = sqlite3_prepare_v2(db, pragma.c_str(), -1, &st, nullptr);
    if (rc == SQLITE_OK) {
      while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        auto text = [&](int col) {
          const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(st, col));
          return std::string(t ? t : "");
        };
        if (foreign) {
          add("foreign key violation in " + text(0) + " row " + text(1));
        } else if (text(0) != "ok") {
          add(text(0));
        }
      }
    }
    if (rc != SQLITE_DONE) add(pragma + ": " + sqlite3_errmsg(db));
    sqlite3_finalize(st);
  }
  return problems;
}

}  // namespace qayd::sql
