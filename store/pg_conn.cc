#include "store/pg_conn.h"

#include <libpq-fe.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <unordered_map>
#include <vector>

namespace qayd::sql {
namespace {

Status PgError(PGconn* conn, const PGresult* res, const std::string& what) {
  std::string msg = what + ": ";
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  const char* text = res ? PQresultErrorMessage(res) : nullptr;
  msg += (text && *text) ? text : PQerrorMessage(conn);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  return Error(PgErrorCode(PQstatus(conn) == CONNECTION_OK, state ? state : ""), msg);
}

// `?` -> $n outside quoted literals and identifiers.
std::string RewritePlaceholders(const std::string& sql, int* count) {
  std::string out;
  out.reserve(sql.size() + 16);
  char quote = 0;
  int n = 0;
  for (char c : sql) {
    if (quote) {
      if (c == quote) quote = 0;
      out += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      out += c;
    } else if (c == '?') {
      out += '$' + std::to_string(++n);
    } else {
      out += c;
    }
  }
  *count = n;
  return out;
}

class PgConn;

class PgStmt : public Stmt {
 public:
  PgStmt(PgConn* owner, std::string name, int nparams)
      : owner_(owner), name_(std::move(name)), params_(nparams) {}
  ~PgStmt() override { Finish(); }

  void Bind(int i, int64_t v) override { Set(i, std::to_string(v)); }
  void Bind(int i, double v) override {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    Set(i, buf);
  }
  void Bind(int i, const std::string& v) override { Set(i, v); }
  void BindNull(int i) override {
    if (i >= 1 && i <= static_cast<int>(params_.size())) params_[i - 1].reset();
  }
  Result<bool> Step() override;
  bool IsNull(int col) override { return PQgetisnull(row_, 0, col); }
  int64_t Int(int col) override {
    const char* v = PQgetvalue(row_, 0, col);
    if (*v == 't') return 1;  // booleans
    if (*v == 'f') return 0;
    return std::strtoll(v, nullptr, 10);
  }
  double Real(int col) override { return std::strtod(PQgetvalue(row_, 0, col), nullptr); }
  std::string Text(int col) override {
    return std::string(PQgetvalue(row_, 0, col), PQgetlength(row_, 0, col));
  }
  void Reset() override {
    Finish();
    for (auto& p : params_) p.reset();
  }
  void Finish();

 private:
  void Set(int i, std::string v) {
    if (i >= 1 && i <= static_cast<int>(params_.size())) params_[i - 1] = std::move(v);
  }

  PgConn* owner_;
  std::string name_;
  std::vector<std::optional<std::string>> params_;
  bool running_ = false;
  PGresult* row_ = nullptr;
};

class PgConn : public Conn {
 public:
  explicit PgConn(PGconn* c) : c_(c) {}
  ~PgConn() override {
    cache_.clear();
    PQfinish(c_);
  }
  Result<Stmt*> Prepare(const std::string& sql) override {
    if (active_) active_->Finish();
    auto it = cache_.find(sql);
    if (it != cache_.end()) {
      it->second->Reset();
      return it->second.get();
    }
    int n = 0;
    std::string text = RewritePlaceholders(sql, &n);
    std::string name = "q" + std::to_string(cache_.size() + 1);
    PGresult* res = PQprepare(c_, name.c_str(), text.c_str(), 0, nullptr);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
      Status s = PgError(c_, res, "prepare");
      PQclear(res);
      return s;
    }
    PQclear(res);
    auto stmt = std::make_unique<PgStmt>(this, name, n);
    Stmt* raw = stmt.get();
    cache_.emplace(sql, std::move(stmt));
    return raw;
  }
  Status Exec(const std::string& sql) override {
    if (active_) active_->Finish();
    PGresult* res = PQexec(c_, sql.c_str());
    ExecStatusType st = PQresultStatus(res);
    Status s;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      s = PgError(c_, res, "exec");
    } else if (sql == "COMMIT" && std::string(PQcmdStatus(res)) == "ROLLBACK") {
      // COMMIT of a transaction an earlier error aborted "succeeds" as ROLLBACK.
      s = Error(ErrorCode::kInternal,
                "commit: the transaction was aborted by an earlier error and rolled back");
    }
    PQclear(res);
    return s;
  }
  const char* dialect() const override { return "postgres"; }
  PGconn* raw() { return c_; }
  PgStmt* active_ = nullptr;

 private:
  PGconn* c_;
  std::unordered_map<std::string, std::unique_ptr<PgStmt>> cache_;
};

void PgStmt::Finish() {
  if (row_) {
    PQclear(row_);
    row_ = nullptr;
  }
  if (running_) {
    while (PGresult* r = PQgetResult(owner_->raw())) PQclear(r);
    running_ = false;
  }
  if (owner_->active_ == this) owner_->active_ = nullptr;
}

Result<bool> PgStmt::Step() {
  PGconn* c = owner_->raw();
  if (row_) {
    PQclear(row_);
    row_ = nullptr;
  }
  if (!running_) {
    if (owner_->active_ && owner_->active_ != this) owner_->active_->Finish();
    std::vector<const char*> values(params_.size());
    for (size_t i = 0; i < params_.size(); ++i) {
      values[i] = params_[i] ? params_[i]->c_str() : nullptr;
    }
    if (!PQsendQueryPrepared(c, name_.c_str(), static_cast<int>(values.size()), values.data(),
                             nullptr, nullptr, 0)) {
      return PgError(c, nullptr, "send");
    }
    PQsetSingleRowMode(c);
    running_ = true;
    owner_->active_ = this;
  }
  PGresult* res = PQgetResult(c);
  if (!res) {
    running_ = false;
    owner_->active_ = nullptr;
    return false;
  }
  ExecStatusType st = PQresultStatus(res);
  if (st == PGRES_SINGLE_TUPLE) {
    row_ = res;
    return true;
  }
  if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
    PQclear(res);
    Finish();
    return false;
  }
  Status s = PgError(c, res, "query");
  PQclear(res);
  Finish();
  return s;
}

void NoNotices(void*, const char*) {}

}  // namespace

ErrorCode PgErrorCode(bool connection_ok, std::string_view sqlstate) {
  // No SQLSTATE: libpq wrote the error itself, and every such error on a
  // statement is about the connection ("server closed the connection
  // unexpectedly" after a failed write leaves the status OK for a while).
  if (!connection_ok || sqlstate.empty()) return ErrorCode::kUnavailable;
  auto is = [&](std::string_view prefix) { return sqlstate.substr(0, prefix.size()) == prefix; };
  if (is("23")) return ErrorCode::kConflict;
  if (is("08") || is("57") || sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "55P03") {
    return ErrorCode::kUnavailable;
  }
  if (is("53") || is("58")) return ErrorCode::kIo;
  if (sqlstate == "42501") return ErrorCode::kPermission;
  return ErrorCode::kInternal;
}

Result<std::unique_ptr<Conn>> OpenPostgres(const std::string& conninfo) {
  PGconn* c = PQconnectdb(conninfo.c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(c);
    while (!msg.empty() && msg.back() == '\n') msg.pop_back();
    PQfinish(c);
    return Error(ErrorCode::kUnavailable, "cannot connect to PostgreSQL: " + msg);
  }
  PQsetNoticeProcessor(c, NoNotices, nullptr);
  auto conn = std::make_unique<PgConn>(c);
  Status s = conn->Exec("SET client_min_messages = warning; SET TIME ZONE 'UTC'");
  if (!s.ok()) return s;
  return std::unique_ptr<Conn>(std::move(conn));
}

bool PostgresHealthy(Conn& conn) {
  return PQstatus(static_cast<PgConn&>(conn).raw()) == CONNECTION_OK;
}

}  // namespace qayd::sql
