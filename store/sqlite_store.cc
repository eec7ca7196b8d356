// The SQLite backend: one writer connection behind a mutex held for a write
// Txn's lifetime (BEGIN IMMEDIATE), a pool of read-only connections so
// readers see a WAL snapshot without waiting for the writer, and a thread
// that checkpoints the WAL off the writer's commits (sqlite_checkpointer.h).
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <vector>

#include "store/backends.h"
#include "store/migrations.h"
#include "store/sql_txn.h"
#include "store/sqlite_checkpointer.h"
#include "store/sqlite_conn.h"

namespace qayd::store {
namespace {

// The writer's lock on a register: an exclusive flock on "<path>.lock", held
// while the descriptor is open (the kernel drops it when the process dies, so
// a crash leaves no stale lock). A separate file: closing any descriptor of the
// database file itself would drop SQLite's own POSIX locks.
class RegisterLock {
 public:
  static Result<std::unique_ptr<RegisterLock>> Take(const std::string& db_path) {
    const std::string path = db_path + ".lock";
    const int fd = ::open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0) {
      return Error(ErrorCode::kIo,
                   "cannot open the lock file " + path + ": " + std::strerror(errno));
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int err = errno;
      ::close(fd);
      if (err == EWOULDBLOCK) {
        return Error(ErrorCode::kUnavailable,
                     "register " + db_path +
                         " is in use by another process (qaydd or a qayd command writing it; "
                         "lock " +
                         path + "); stop it first, or use a read-only command");
      }
      return Error(ErrorCode::kIo, "cannot lock " + path + ": " + std::strerror(err));
    }
    // The holder's pid, for whoever wonders who holds it.
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) != 0 || ::write(fd, pid.data(), pid.size()) < 0) {
      // Diagnostics only; the lock is held either way.
    }
    return std::unique_ptr<RegisterLock>(new RegisterLock(fd));
  }
  ~RegisterLock() { ::close(fd_); }
  RegisterLock(const RegisterLock&) = delete;
  RegisterLock& operator=(const RegisterLock&) = delete;

 private:
  explicit RegisterLock(int fd) : fd_(fd) {}
  int fd_;
};

class SqliteStore : public Store {
 public:
  // `lock` is null for a read-only store (which also never checkpoints) and
  // for an administrative writer (StoreOptions::writer_lock).
  SqliteStore(std::string path, std::unique_ptr<sql::Conn> writer,
              std::unique_ptr<RegisterLock> lock, bool read_only)
      : lock_(std::move(lock)),
        read_only_(read_only),
        path_(std::move(path)),
        writer_(std::move(writer)),
        checkpointer_(path_) {
    if (!read_only_) checkpointer_.Attach(sql::SqliteHandle(*writer_));
  }
  ~SqliteStore() override {
    // The hook points at the checkpointer, which goes first.
    sqlite3_wal_hook(sql::SqliteHandle(*writer_), nullptr, nullptr);
  }

  Result<std::unique_ptr<Txn>> Begin(Mode mode) override {
    if (mode == Mode::kWrite) {
      if (read_only_)
        return Error(ErrorCode::kPermission, "register " + path_ + " is open read-only");
      std::unique_lock<std::mutex> lock(writer_mu_);
      Status s = writer_->Exec("BEGIN IMMEDIATE");
      if (!s.ok()) return s;
      auto* held = new std::unique_lock<std::mutex>(std::move(lock));
      return std::unique_ptr<Txn>(new SqlTxn(*writer_, [held] { delete held; }));
    }
    auto conn = TakeReader();
    if (!conn.ok()) return conn.status();
    sql::Conn* raw = conn->release();
    Status s = raw->Exec("BEGIN");
    if (!s.ok()) {
      delete raw;
      return s;
    }
    return std::unique_ptr<Txn>(new SqlTxn(*raw, [this, raw] { ReturnReader(raw); }));
  }

  Status ScanVictims(const VictimVisitor& visit) override {
    return InSnapshot([&](sql::Conn& c) { return ScanVictimsOn(c, visit); });
  }

  Status ScanIndexedReports(const IndexedReportVisitor& visit) override {
    return InSnapshot([&](sql::Conn& c) { return ScanIndexedReportsOn(c, visit); });
  }

  const char* backend() const override { return "sqlite"; }

  Result<std::string> IntegrityCheck() override {
    std::string problems;
    Status s = InSnapshot([&](sql::Conn& c) -> Status {
      problems = sql::SqlitePhysicalProblems(sql::SqliteHandle(c));
      auto logical = CheckRegisterInvariants(c);
      if (!logical.ok()) return logical.status();
      if (!logical->empty()) problems += (problems.empty() ? "" : "; ") + *logical;
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return problems.empty() ? std::string("ok") : problems;
  }

  Result<bool> TryAcquireMatcherLock() override { return true; }
  void ReleaseMatcherLock() override {}

 private:
  // Runs `scan` on a reader connection inside one read transaction (a snapshot).
  template <typename Scan>
  Status InSnapshot(Scan&& scan) {
    auto conn = TakeReader();
    if (!conn.ok()) return conn.status();
    Status s = (*conn)->Exec("BEGIN");
    if (s.ok()) s = scan(**conn);
    (void)(*conn)->Exec("COMMIT");  // ends a read: what was read is the result
    ReturnReader(conn->release());
    return s;
  }

  Result<std::unique_ptr<sql::Conn>> TakeReader() {
    {
      std::lock_guard<std::mutex> lock(readers_mu_);
      if (!readers_.empty()) {
        auto c = std::move(readers_.back());
        readers_.pop_back();
        return c;
      }
    }
    return sql::OpenSqlite(path_, /*read_only=*/true);
  }
  void ReturnReader(sql::Conn* conn) {
    std::lock_guard<std::mutex> lock(readers_mu_);
    readers_.emplace_back(conn);
  }

  std::unique_ptr<RegisterLock> lock_;  // first: released after everything else closed
  const bool read_only_;
  std::string path_;
  std::mutex writer_mu_;
  std::unique_ptr<sql::Conn> writer_;
  SqliteCheckpointer checkpointer_;  // after writer_: destroyed before it
  std::mutex readers_mu_;
  std::vector<std::unique_ptr<sql::Conn>> readers_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, int schema_version,
                                               bool writer_lock) {
  std::filesystem::path p(path);
  if (p.has_parent_path()) {
    std::error_code ec;
    std::filesystem::path parent = p.parent_path();
    if (!std::filesystem::exists(parent, ec)) {
      std::filesystem::create_directories(parent, ec);
      if (ec)
        return Error(ErrorCode::kIo, "cannot create " + parent.string() + ": " + ec.message());
      ::chmod(parent.c_str(), 0700);
    }
  }
  std::unique_ptr<RegisterLock> lock;
  if (writer_lock) {
    auto taken = RegisterLock::Take(path);
    if (!taken.ok()) return taken.status();
    lock = std::move(*taken);
  }
  auto writer = sql::OpenSqlite(path, /*read_only=*/false);
  if (!writer.ok()) return writer.status();
  int target = schema_version < 0 ? static_cast<int>(Migrations().size()) : schema_version;
  Status s = ApplyMigrations(**writer, target);
  if (!s.ok()) return s;
  return std::unique_ptr<Store>(new SqliteStore(path, std::move(*writer), std::move(lock), false));
}

Result<std::unique_ptr<Store>> OpenSqliteStoreReadOnly(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return Error(ErrorCode::kNotFound, "no register at " + path);
  }
  if (!S_ISREG(st.st_mode)) return Error(ErrorCode::kInvalidInput, path + " is not a file");
  auto conn = sql::OpenSqlite(path, /*read_only=*/true);
  if (!conn.ok()) return conn.status();
  auto version = CurrentSchemaVersion(**conn);
  if (!version.ok()) return version.status();
  const int current = static_cast<int>(Migrations().size());
  if (*version == 0) return Error(ErrorCode::kNotFound, path + " is not a qayd register (empty)");
  if (*version != current) {
    return Error(ErrorCode::kInvalidInput,
                 "register " + path + " is at schema version " + std::to_string(*version) +
                     ", this program reads version " + std::to_string(current) +
                     " (a writing open migrates it: start qaydd once)");
  }
  return std::unique_ptr<Store>(new SqliteStore(path, std::move(*conn), nullptr, true));
}

}  // namespace qayd::store
