#include "backup/sqlite_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>

#include "backup/file_util.h"
#include "store/sqlite_conn.h"

namespace qayd::backup {
namespace {

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using DbPtr = std::unique_ptr<sqlite3, DbCloser>;

Status SqlError(sqlite3* db, const std::string& what) {
  return Error(ErrorCode::kIo, what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

Result<DbPtr> Open(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  DbPtr db(raw);
  if (rc != SQLITE_OK) return SqlError(raw, "cannot open " + path);
  sqlite3_extended_result_codes(raw, 1);
  return db;
}

// Read-only, never writing a byte or a -wal/-shm file beside it.
Result<DbPtr> OpenImmutable(const std::string& path) {
  std::string u = "file:";
  for (char c : path) {
    if (c == '?' || c == '#' || c == '%') {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", static_cast<unsigned char>(c));
      u += hex;
    } else {
      u += c;
    }
  }
  u += "?immutable=1";
  return Open(u, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI);
}

Result<int64_t> QueryInt(sqlite3* db, const char* sql) {
  sqlite3_stmt* st = nullptr;
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, nullptr);
  if (rc != SQLITE_OK) {
    Status s = Error((rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT
                         ? ErrorCode::kInvalidInput
                         : ErrorCode::kIo,
                     std::string(sql) + ": " + sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return s;
  }
  rc = sqlite3_step(st);
  int64_t v = 0;
  if (rc == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
  Status s;
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    s = Error((rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT
                  ? ErrorCode::kInvalidInput
                  : ErrorCode::kIo,
              std::string(sql) + ": " + sqlite3_errmsg(db));
  }
  sqlite3_finalize(st);
  if (!s.ok()) return s;
  return v;
}

Status Exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  if (rc == SQLITE_OK) return Status::Ok();
  std::string msg = err ? err : sqlite3_errstr(rc);
  sqlite3_free(err);
  ErrorCode code = (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED ? ErrorCode::kConflict
                                                                              : ErrorCode::kIo;
  return Error(code, sql + ": " + msg);
}

}  // namespace

Status OnlineCopy(const std::string& src, const std::string& dst) {
  auto source = Open(src, SQLITE_OPEN_READWRITE);  // no CREATE: a missing register is an error
  if (!source.ok()) return source.status();
  sqlite3_busy_timeout(source->get(), 10000);
  // The copy starts as an empty 0600 file so the register never lies in a
  // world-readable file, even briefly.
  int fd = ::open(dst.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Error(ErrorCode::kIo, "cannot create " + dst + ": " + std::strerror(errno));
  ::close(fd);
  auto dest = Open(dst, SQLITE_OPEN_READWRITE);
  if (!dest.ok()) {
    RemoveQuietly(dst);
    return dest.status();
  }
  Status s = Exec(dest->get(), "PRAGMA synchronous=FULL");
  if (s.ok()) {
    sqlite3_backup* b = sqlite3_backup_init(dest->get(), "main", source->get(), "main");
    if (b == nullptr) {
      s = SqlError(dest->get(), "cannot start backup of " + src);
    } else {
      int rc = SQLITE_OK;
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
      // -1: all pages in one step, inside one read transaction on the source.
      while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
        if (std::chrono::steady_clock::now() > deadline) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      sqlite3_backup_finish(b);
      if (rc != SQLITE_DONE) {
        s = Error(ErrorCode::kIo, "backup of " + src + " failed: " + sqlite3_errstr(rc));
      }
    }
  }
  if (s.ok()) s = Exec(dest->get(), "PRAGMA journal_mode=DELETE");
  dest.value().reset();
  if (s.ok()) s = FsyncPath(dst);
  if (!s.ok()) RemoveQuietly(dst);
  return s;
}

Result<DbFacts> ReadDbFacts(const std::string& path) {
  auto db = OpenImmutable(path);
  if (!db.ok()) return db.status();
  DbFacts f;
  auto version = QueryInt(db->get(), "PRAGMA user_version");
  if (!version.ok()) {
    return Error(ErrorCode::kInvalidInput,
                 path + " is not a readable SQLite database (" + version.status().message() + ")");
  }
  f.schema_version = static_cast<int>(*version);
  struct {
    const char* sql;
    int64_t* out;
  } queries[] = {{"SELECT count(*) FROM reports", &f.counts.reports},
                 {"SELECT count(*) FROM victims", &f.counts.victims},
                 {"SELECT count(*) FROM history", &f.counts.history_events},
                 {"SELECT coalesce(max(seq), 0) FROM history", &f.last_event_seq}};
  for (const auto& q : queries) {
    auto v = QueryInt(db->get(), q.sql);
    if (!v.ok()) {
      return Error(ErrorCode::kInvalidInput,
                   path + " is not a qayd register (" + v.status().message() + ")");
    }
    *q.out = *v;
  }
  return f;
}

Result<std::string> RawIntegrityCheck(const std::string& path) {
  auto db = OpenImmutable(path);
  if (!db.ok()) return db.status();
  const std::string problems = sql::SqlitePhysicalProblems(db->get());
  return problems.empty() ? std::string("ok") : problems;
}

ExclusiveHold::~ExclusiveHold() { sqlite3_close_v2(db_); }

Result<std::unique_ptr<ExclusiveHold>> ExclusiveHold::Take(const std::string& path) {
  auto db = Open(path, SQLITE_OPEN_READWRITE);
  if (!db.ok()) return db.status();
  sqlite3_busy_timeout(db->get(), 0);
  // EXCLUSIVE locking mode before the first access: the connection takes the
  // file's exclusive lock and never shares it, which fails while any other
  // connection (the daemon's readers and writer keep a shared lock in WAL
  // mode) has the register open.
  Status s = Exec(db->get(), "PRAGMA locking_mode=EXCLUSIVE");
  if (s.ok()) s = Exec(db->get(), "BEGIN EXCLUSIVE");
  if (s.ok()) s = Exec(db->get(), "COMMIT");
  if (!s.ok()) {
    if (s.code() == ErrorCode::kConflict) {
      return Error(ErrorCode::kConflict,
                   "register " + path +
                       " is in use (qaydd or another qayd command has it open); stop it first "
                       "(systemctl stop qayd)");
    }
    return s;
  }
  s = Exec(db->get(), "PRAGMA journal_mode=DELETE");
  if (!s.ok()) return s;
  return std::unique_ptr<ExclusiveHold>(new ExclusiveHold(db->release()));
}

}  // namespace qayd::backup
