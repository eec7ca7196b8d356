// The PostgreSQL backend: a small pool of connections for transactions, and a
// dedicated connection holding the matcher's session advisory lock.
//
// Write transactions take a transaction-scoped advisory lock first, so writers
// (of all instances) are serialised like SQLite's: history seq numbers then
// become visible in commit order and EventsSince followers never skip one.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "store/backends.h"
#include "store/migrations.h"
#include "store/pg_conn.h"
#include "store/pg_txn.h"

namespace qayd::store {
namespace {

constexpr const char* kWriterLock = "SELECT pg_advisory_xact_lock(7170002)";
constexpr const char* kMatcherLockKey = "7170003";

class PgStore : public Store {
 public:
  PgStore(std::string conninfo, int pool_size)
      : conninfo_(std::move(conninfo)), pool_size_(pool_size < 1 ? 1 : pool_size) {}
  ~PgStore() override { ReleaseMatcherLock(); }

  Result<std::unique_ptr<Txn>> Begin(Mode mode) override {
    auto conn = Take();
    if (!conn.ok()) return conn.status();
    sql::Conn* raw = *conn;
    Status s = mode == Mode::kWrite ? raw->Exec(std::string("BEGIN; ") + kWriterLock)
                                    : raw->Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    if (!s.ok()) {
      (void)raw->Exec("ROLLBACK");  // BEGIN's error is the one to report
      Return(raw);
      return s;
    }
    return std::unique_ptr<Txn>(new PgTxn(*raw, [this, raw] { Return(raw); }));
  }

  Status ScanVictims(const VictimVisitor& visit) override {
    return InSnapshot([&](sql::Conn& c) { return ScanVictimsOn(c, visit); });
  }

  Status ScanIndexedReports(const IndexedReportVisitor& visit) override {
    return InSnapshot([&](sql::Conn& c) { return ScanIndexedReportsOn(c, visit); });
  }

  const char* backend() const override { return "postgres"; }

  Result<std::string> IntegrityCheck() override {
    std::string problems;
    Status s = InSnapshot([&](sql::Conn& c) -> Status {
      auto out = CheckRegisterInvariants(c);
      if (!out.ok()) return out.status();
      problems = std::move(*out);
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return problems.empty() ? std::string("ok") : problems;
  }

  Result<bool> TryAcquireMatcherLock() override {
    std::lock_guard<std::mutex> lock(matcher_mu_);
    if (matcher_) {
      // Still ours only while the session lives.
      if (sql::PostgresHealthy(*matcher_) && matcher_->Exec("SELECT 1").ok()) return true;
      matcher_.reset();
    }
    auto conn = sql::OpenPostgres(conninfo_);
    if (!conn.ok()) return conn.status();
    auto st = (*conn)->Prepare(std::string("SELECT pg_try_advisory_lock(") + kMatcherLockKey + ")");
    if (!st.ok()) return st.status();
    auto row = (*st)->Step();
    if (!row.ok()) return row.status();
    bool got = *row && (*st)->Int(0) == 1;
    (*st)->Reset();
    if (got) matcher_ = std::move(*conn);
    return got;
  }

  void ReleaseMatcherLock() override {
    std::lock_guard<std::mutex> lock(matcher_mu_);
    if (!matcher_) return;
    // Closing the connection below releases the lock anyway.
    (void)matcher_->Exec(std::string("SELECT pg_advisory_unlock(") + kMatcherLockKey + ")");
    matcher_.reset();
  }

 private:
  // Runs `scan` on a pooled connection inside a read-only snapshot.
  template <typename Scan>
  Status InSnapshot(Scan&& scan) {
    auto conn = Take();
    if (!conn.ok()) return conn.status();
    Status s = (*conn)->Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    if (s.ok()) s = scan(**conn);
    // Ends a read: what was read is the result (a broken connection is found
    // by the pool's next user).
    (void)(*conn)->Exec(s.ok() ? "COMMIT" : "ROLLBACK");
    Return(*conn);
    return s;
  }

  // A connection from the pool (waits up to 30 s when all are in use).
  Result<sql::Conn*> Take() {
    std::unique_lock<std::mutex> lock(mu_);
    if (!cv_.wait_for(lock, std::chrono::seconds(30),
                      [this] { return !idle_.empty() || open_ < pool_size_; })) {
      return Error(ErrorCode::kUnavailable, "no PostgreSQL connection free within 30 s");
    }
    if (!idle_.empty()) {
      sql::Conn* c = idle_.back().release();
      idle_.pop_back();
      return c;
    }
    ++open_;
    lock.unlock();
    auto conn = sql::OpenPostgres(conninfo_);
    if (!conn.ok()) {
      lock.lock();
      --open_;
      cv_.notify_one();
      return conn.status();
    }
    return conn->release();
  }

  void Return(sql::Conn* conn) {
    std::lock_guard<std::mutex> lock(mu_);
    if (sql::PostgresHealthy(*conn)) {
      idle_.emplace_back(conn);
    } else {
      delete conn;
      --open_;
    }
    cv_.notify_one();
  }

  std::string conninfo_;
  int pool_size_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<sql::Conn>> idle_;
  int open_ = 0;
  std::mutex matcher_mu_;
  std::unique_ptr<sql::Conn> matcher_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& conninfo, int pool_size,
                                                 int schema_version) {
  auto conn = sql::OpenPostgres(conninfo);
  if (!conn.ok()) return conn.status();
  int target = schema_version < 0 ? static_cast<int>(Migrations().size()) : schema_version;
  Status s = ApplyMigrations(**conn, target);
  if (!s.ok()) return s;
  return std::unique_ptr<Store>(new PgStore(conninfo, pool_size));
}

}  // namespace qayd::store
