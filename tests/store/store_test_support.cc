#include "tests/store/store_test_support.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>

#include "tests/support/run_command.h"

namespace qayd::testing_support {
namespace {

std::string RunScript(const std::string& args) {
  qayd::testing::CommandResult run = qayd::testing::RunCommand(
      std::string(QAYD_SOURCE_DIR) + "/scripts/pg-test-cluster.sh " + args + " 2>&1");
  const std::string out = run.trimmed();
  if (run.code != 0) {
    ADD_FAILURE() << "pg-test-cluster.sh " << args << " failed: " << out;
    return "";
  }
  // The URL is the last line.
  auto nl = out.rfind('\n');
  return nl == std::string::npos ? out : out.substr(nl + 1);
}

std::string WithDatabase(const std::string& url, const std::string& db) {
  std::string base = url, query;
  auto q = base.find('?');
  if (q != std::string::npos) {
    query = base.substr(q);
    base = base.substr(0, q);
  }
  auto slash = base.rfind('/');
  if (slash != std::string::npos && slash > base.find("://") + 2) base = base.substr(0, slash);
  return base + "/" + db + query;
}

std::string own_cluster_dir;
void StopOwnCluster() {
  if (!own_cluster_dir.empty()) RunScript("stop " + own_cluster_dir);
}

void NoNotices(void*, const char*) {}

bool PgExec(const std::string& url, const std::string& sql, std::string* error) {
  PGconn* c = PQconnectdb(url.c_str());
  bool ok = PQstatus(c) == CONNECTION_OK;
  PQsetNoticeProcessor(c, NoNotices, nullptr);
  if (ok) {
    PGresult* r = PQexec(c, sql.c_str());
    ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    if (!ok && error) *error = PQresultErrorMessage(r);
    PQclear(r);
  } else if (error) {
    *error = PQerrorMessage(c);
  }
  PQfinish(c);
  return ok;
}

}  // namespace

TempDir::TempDir() {
  char tmpl[] = "/tmp/qayd-store-test-XXXXXX";
  char* p = mkdtemp(tmpl);
  if (!p) std::abort();
  path_ = p;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string PostgresAdminUrl() {
  static std::mutex mu;
  static std::string url;
  std::lock_guard<std::mutex> lock(mu);
  if (!url.empty()) return url;
  if (const char* env = std::getenv("QAYD_TEST_PG_URL"); env && *env) {
    url = WithDatabase(env, "postgres");
    return url;
  }
  std::string base;
  if (const char* dir = std::getenv("QAYD_TEST_PG_DIR"); dir && *dir) {
    base = RunScript(std::string("start ") + dir);  // no-op when the fixture started it
  } else {
    char tmpl[] = "/tmp/qayd-pg-XXXXXX";
    char* p = mkdtemp(tmpl);
    if (!p) return "";
    own_cluster_dir = p;
    std::atexit(StopOwnCluster);
    base = RunScript("start " + own_cluster_dir);
  }
  if (base.empty()) return "";
  url = WithDatabase(base, "postgres");
  return url;
}

TestDatabase::TestDatabase(const std::string& backend) : backend_(backend) {
  if (backend == "sqlite") {
    dir_ = std::make_unique<TempDir>();
    location_ = dir_->path() + "/register/qayd.db";
    return;
  }
  std::string admin = PostgresAdminUrl();
  if (admin.empty()) return;
  static std::atomic<int> counter{0};
  dbname_ = "qayd_t_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
  std::string error;
  PgExec(admin, "DROP DATABASE IF EXISTS " + dbname_, nullptr);
  if (!PgExec(admin, "CREATE DATABASE " + dbname_, &error)) {
    ADD_FAILURE() << "CREATE DATABASE failed: " << error;
    return;
  }
  location_ = WithDatabase(admin, dbname_);
}

TestDatabase::~TestDatabase() {
  if (!dbname_.empty()) {
    PgExec(PostgresAdminUrl(), "DROP DATABASE IF EXISTS " + dbname_ + " WITH (FORCE)", nullptr);
  }
}

Status TestDatabase::RawExec(const std::string& sql) const {
  std::string error;
  if (backend_ == "postgres") {
    if (PgExec(location_, sql, &error)) return Status::Ok();
    return Error(ErrorCode::kConflict, error);
  }
  sqlite3* db = nullptr;
  sqlite3_open(location_.c_str(), &db);
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  if (err) error = err;
  sqlite3_free(err);
  sqlite3_close(db);
  return rc == SQLITE_OK ? Status::Ok() : Error(ErrorCode::kConflict, error);
}

std::string TestDatabase::RawQuery(const std::string& sql) const {
  std::string out;
  if (backend_ == "postgres") {
    PGconn* c = PQconnectdb(location_.c_str());
    PGresult* r = PQexec(c, sql.c_str());
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0) out = PQgetvalue(r, 0, 0);
    PQclear(r);
    PQfinish(c);
    return out;
  }
  sqlite3* db = nullptr;
  sqlite3_open(location_.c_str(), &db);
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
    out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

Report MakeReport(const std::string& source, const std::string& record_id, const std::string& name,
                  const std::string& payload_suffix) {
  Report r;
  r.source = source;
  r.source_record_id = record_id;
  r.received_at_ms = 1700000000000;
  r.source_type = "hospital";
  r.names.push_back({.full = name, .script = Script::kLatin});
  r.sex = Sex::kMale;
  r.age = {Age::Kind::kExact, 34, 34};
  r.date_of_death = {2024, 1, 15, DatePrecision::kExact};
  r.place_of_death.governorate = "gaza";
  r.raw_payload = "{\"id\":\"" + record_id + "\",\"name\":\"" + name + "\"" + payload_suffix + "}";
  return r;
}

}  // namespace qayd::testing_support
