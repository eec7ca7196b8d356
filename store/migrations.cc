#include "store/migrations.h"

#include <chrono>

#include "store/schema.h"

namespace qayd::store {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::vector<Migration> Build() {
  std::vector<Migration> m;
  m.push_back({1, "core tables", ForDialect(SchemaV1Tables(), "sqlite") + SchemaV1SqliteTriggers(),
               ForDialect(SchemaV1Tables(), "postgres") + SchemaV1PostgresTriggers()});
  m.push_back({2, "vocabularies and secondary indexes", ForDialect(SchemaV2(), "sqlite"),
               ForDialect(SchemaV2(), "postgres")});
  m.push_back({3, "partial indexes for the write path", SchemaV3(), SchemaV3()});
  m.push_back({4, "quarantine by source record", SchemaV4(), SchemaV4()});
  return m;
}

// Serialises concurrent openers of one PostgreSQL database.
constexpr const char* kPgMigrationLock = "SELECT pg_advisory_xact_lock(7170001)";

}  // namespace

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> migrations = Build();
  return migrations;
}

Result<int> CurrentSchemaVersion(sql::Conn& conn) {
  bool pg = std::string(conn.dialect()) == "postgres";
  auto st = conn.Prepare(pg ? "SELECT to_regclass('schema_migrations') IS NOT NULL"
                            : "SELECT COUNT(*) FROM sqlite_master WHERE name='schema_migrations'");
  if (!st.ok()) return st.status();
  auto row = (*st)->Step();
  if (!row.ok()) return row.status();
  bool exists = *row && (*st)->Int(0) != 0;
  (*st)->Reset();
  if (!exists) return 0;
  auto q = conn.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!q.ok()) return q.status();
  auto r = (*q)->Step();
  if (!r.ok()) return r.status();
  int v = static_cast<int>((*q)->Int(0));
  (*q)->Reset();
  return v;
}

Status ApplyMigrations(sql::Conn& conn, int target) {
  bool pg = std::string(conn.dialect()) == "postgres";
  Status s = conn.Exec(pg ? "BEGIN" : "BEGIN IMMEDIATE");
  if (!s.ok()) return s;
  auto fail = [&conn](Status st) {
    (void)conn.Exec("ROLLBACK");  // the migration's own error is the one to report
    return st;
  };
  if (pg && !(s = conn.Exec(kPgMigrationLock)).ok()) return fail(s);
  s = conn.Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
      "name TEXT NOT NULL, applied_at_ms BIGINT NOT NULL)");
  if (!s.ok()) return fail(s);
  auto current = CurrentSchemaVersion(conn);
  if (!current.ok()) return fail(current.status());
  const auto& all = Migrations();
  if (*current > static_cast<int>(all.size())) {
    return fail(Error(ErrorCode::kInternal, "database schema version " + std::to_string(*current) +
                                                " is newer than this program's " +
                                                std::to_string(all.size())));
  }
  for (const Migration& m : all) {
    if (m.version <= *current || m.version > target) continue;
    s = conn.Exec(pg ? m.postgres : m.sqlite);
    if (!s.ok()) {
      return fail(Error(s.code(), "migration " + std::to_string(m.version) + ": " + s.message()));
    }
    auto ins = conn.Prepare(
        "INSERT INTO schema_migrations(version, name, applied_at_ms) VALUES (?, ?, ?)");
    if (!ins.ok()) return fail(ins.status());
    (*ins)->Bind(1, m.version);
    (*ins)->Bind(2, m.name);
    (*ins)->Bind(3, NowMs());
    auto r = (*ins)->Step();
    (*ins)->Reset();
    if (!r.ok()) return fail(r.status());
    if (!pg && !(s = conn.Exec("PRAGMA user_version = " + std::to_string(m.version))).ok()) {
      return fail(s);
    }
  }
  s = conn.Exec("COMMIT");
  if (!s.ok()) return fail(s);
  return Status::Ok();
}

}  // namespace qayd::store
