// The SQLite backend: one writer connection behind a mutex held for a write
// Txn's lifetime (BEGIN IMMEDIATE), a pool of read-only connections so
// readers see a WAL snapshot without waiting for the writer, and a thread
// that checkpoints the WAL off the writer's commits (sqlite_checkpointer.h).
#include <sys/stat.h>

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

class SqliteStore : public Store {
 public:
  SqliteStore(std::string path, std::unique_ptr<sql::Conn> writer)
      : path_(std::move(path)), writer_(std::move(writer)), checkpointer_(path_) {
    checkpointer_.Attach(sql::SqliteHandle(*writer_));
  }
  ~SqliteStore() override {
    // The hook points at the checkpointer, which goes first.
    sqlite3_wal_hook(sql::SqliteHandle(*writer_), nullptr, nullptr);
  }

  Result<std::unique_ptr<Txn>> Begin(Mode mode) override {
    if (mode == Mode::kWrite) {
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
    auto conn = TakeReader();
    if (!conn.ok()) return conn.status();
    Status s = (*conn)->Exec("BEGIN");
    if (s.ok()) s = ScanVictimsOn(**conn, visit);
    (*conn)->Exec("COMMIT");
    ReturnReader(conn->release());
    return s;
  }

  const char* backend() const override { return "sqlite"; }

  Result<std::string> IntegrityCheck() override {
    auto conn = TakeReader();
    if (!conn.ok()) return conn.status();
    std::string problems;
    Status s = (*conn)->Exec("BEGIN");
    for (const char* pragma : {"PRAGMA integrity_check", "PRAGMA foreign_key_check"}) {
      if (!s.ok()) break;
      auto st = (*conn)->Prepare(pragma);
      if (!st.ok()) {
        s = st.status();
        break;
      }
      while (true) {
        auto row = (*st)->Step();
        if (!row.ok()) {
          s = row.status();
          break;
        }
        if (!*row) break;
        std::string line = (*st)->Text(0);
        if (std::string(pragma) == "PRAGMA foreign_key_check") {
          line = "foreign key violation in " + line + " row " + (*st)->Text(1);
        }
        if (line == "ok") continue;
        problems += (problems.empty() ? "" : "; ") + line;
      }
    }
    if (s.ok()) {
      auto logical = CheckRegisterInvariants(**conn);
      if (!logical.ok())
        s = logical.status();
      else if (!logical->empty())
        problems += (problems.empty() ? "" : "; ") + *logical;
    }
    (*conn)->Exec("COMMIT");
    ReturnReader(conn->release());
    if (!s.ok()) return s;
    return problems.empty() ? std::string("ok") : problems;
  }

  Result<bool> TryAcquireMatcherLock() override { return true; }
  void ReleaseMatcherLock() override {}

 private:
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

  std::string path_;
  std::mutex writer_mu_;
  std::unique_ptr<sql::Conn> writer_;
  SqliteCheckpointer checkpointer_;  // after writer_: destroyed before it
  std::mutex readers_mu_;
  std::vector<std::unique_ptr<sql::Conn>> readers_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, int schema_version) {
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
  auto writer = sql::OpenSqlite(path, /*read_only=*/false);
  if (!writer.ok()) return writer.status();
  int target = schema_version < 0 ? static_cast<int>(Migrations().size()) : schema_version;
  Status s = ApplyMigrations(**writer, target);
  if (!s.ok()) return s;
  return std::unique_ptr<Store>(new SqliteStore(path, std::move(*writer)));
}

}  // namespace qayd::store
