#include "backup/pg_backup.h"

#include <libpq-fe.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <optional>

#include "backup/encrypted_file.h"
#include "backup/file_util.h"
#include "backup/keys.h"
#include "backup/sha256.h"
#include "backup/sqlite_file.h"
#include "base/log.h"
#include "store/store.h"

extern char** environ;

namespace qayd::backup {
namespace {

struct PgCloser {
  void operator()(PGconn* c) const { PQfinish(c); }
};
using PgPtr = std::unique_ptr<PGconn, PgCloser>;

Result<PgPtr> Connect(const std::string& location) {
  PgPtr conn(PQconnectdb(location.c_str()));
  if (!conn || PQstatus(conn.get()) != CONNECTION_OK) {
    return Error(ErrorCode::kUnavailable,
                 std::string("cannot connect to PostgreSQL: ") +
                     (conn ? PQerrorMessage(conn.get()) : "out of memory"));
  }
  return conn;
}

Result<std::string> Query1(PGconn* c, const std::string& sql) {
  PGresult* r = PQexec(c, sql.c_str());
  const ExecStatusType st = PQresultStatus(r);
  if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
    std::string msg = PQresultErrorMessage(r);
    PQclear(r);
    return Error(ErrorCode::kIo, sql + ": " + msg);
  }
  std::string v = (st == PGRES_TUPLES_OK && PQntuples(r) > 0) ? PQgetvalue(r, 0, 0) : "";
  PQclear(r);
  return v;
}

Result<DatabaseCheck> ReadPgFacts(PGconn* c) {
  DatabaseCheck f;
  struct {
    const char* sql;
    int64_t* out;
  } queries[] = {{"SELECT count(*) FROM reports", &f.counts.reports},
                 {"SELECT count(*) FROM victims", &f.counts.victims},
                 {"SELECT count(*) FROM history", &f.counts.history_events},
                 {"SELECT coalesce(max(seq), 0) FROM history", &f.last_event_seq}};
  for (const auto& q : queries) {
    auto v = Query1(c, q.sql);
    if (!v.ok()) return v.status();
    *q.out = std::stoll(*v);
  }
  auto version = Query1(c, "SELECT coalesce(max(version), 0) FROM schema_migrations");
  if (!version.ok()) return version.status();
  f.schema_version = std::stoi(*version);
  return f;
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Runs pg_dump; returns its exit status (127 when it cannot be started).
int RunPgDump(const std::string& location, const std::string& snapshot, const std::string& out) {
  std::vector<std::string> args = {"pg_dump",       "--format=custom",
                                   "--no-password", "--snapshot=" + snapshot,
                                   "--file=" + out, "--dbname=" + location};
  std::vector<char*> argv;
  for (auto& s : args) argv.push_back(s.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawnp(&pid, "pg_dump", nullptr, nullptr, argv.data(), environ) != 0) return 127;
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return 127;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string Mismatch(const char* what, int64_t manifest, int64_t found) {
  return std::string(what) + " " + std::to_string(found) + " in the database, " +
         std::to_string(manifest) + " in the manifest";
}

}  // namespace

Result<Manifest> TakePostgresBackup(const BackupOptions& opts) {
  if (!opts.overwrite && Exists(opts.out)) {
    return Error(ErrorCode::kConflict, opts.out + " exists; choose another name");
  }
  std::optional<PublicKey> key;
  if (!opts.public_key_file.empty()) {
    auto k = ReadPublicKey(opts.public_key_file);
    if (!k.ok()) return k.status();
    key = *k;
  }
  auto conn = Connect(opts.db);
  if (!conn.ok()) return conn.status();
  PGconn* c = conn->get();
  auto begun = Query1(c, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
  if (!begun.ok()) return begun.status();
  auto snapshot = Query1(c, "SELECT pg_export_snapshot()");
  if (!snapshot.ok()) return snapshot.status();
  auto facts = ReadPgFacts(c);
  if (!facts.ok()) return facts.status();
  Manifest m;
  m.created_at_ms = NowMs();
  m.created_at = IsoUtc(m.created_at_ms);
  m.backend = "postgres";
  m.source = PQdb(c);
  auto slash = opts.out.find_last_of('/');
  m.file = slash == std::string::npos ? opts.out : opts.out.substr(slash + 1);
  m.schema_version = facts->schema_version;
  m.counts = facts->counts;
  m.last_event_seq = facts->last_event_seq;

  const std::string dump_tmp = TempNameBeside(opts.out);
  int rc = RunPgDump(opts.db, *snapshot, dump_tmp);
  // Ends the read-only transaction that exported the snapshot: pg_dump is done
  // with it, and whatever the COMMIT says, the dump's own result decides.
  (void)Query1(c, "COMMIT");
  if (rc != 0) {
    RemoveQuietly(dump_tmp);
    return Error(ErrorCode::kIo, "pg_dump failed with exit status " + std::to_string(rc));
  }
  Status s = FsyncPath(dump_tmp);
  auto plain_sha = Sha256File(dump_tmp);
  if (!s.ok() || !plain_sha.ok()) {
    RemoveQuietly(dump_tmp);
    return s.ok() ? plain_sha.status() : s;
  }
  m.plain_sha256 = *plain_sha;
  std::string final_tmp = dump_tmp;
  if (key) {
    final_tmp = TempNameBeside(opts.out);
    s = EncryptFile(dump_tmp, final_tmp, *key);
    RemoveQuietly(dump_tmp);
    if (!s.ok()) return s;
    m.encrypted = true;
    m.key_fingerprint = key->Fingerprint();
  }
  auto sha = Sha256File(final_tmp);
  auto size = FileSize(final_tmp);
  if (!sha.ok() || !size.ok()) {
    RemoveQuietly(final_tmp);
    return sha.ok() ? size.status() : sha.status();
  }
  m.sha256 = *sha;
  m.size_bytes = *size;
  s = DurableRename(final_tmp, opts.out);
  if (!s.ok()) {
    RemoveQuietly(final_tmp);
    return s;
  }
  s = WriteManifest(ManifestPathFor(opts.out), m);
  if (!s.ok()) return s;
  log::Info("postgres backup written",
            {{"file", opts.out}, {"bytes", std::to_string(m.size_bytes)}});
  return m;
}

Result<DatabaseCheck> VerifyDatabase(const std::string& location,
                                     const std::string& manifest_path) {
  std::optional<Manifest> manifest;
  if (!manifest_path.empty()) {
    auto m = ReadManifest(manifest_path);
    if (!m.ok()) return m.status();
    manifest = *m;
  }
  DatabaseCheck f;
  if (IsPostgresLocation(location)) {
    // Read before the store's open, which would migrate an older schema.
    auto conn = Connect(location);
    if (!conn.ok()) return conn.status();
    auto facts = ReadPgFacts(conn->get());
    if (!facts.ok())
      return Error(ErrorCode::kInvalidInput, "not a qayd register: " + facts.status().message());
    f = *facts;
  } else {
    auto facts = ReadDbFacts(location);
    if (!facts.ok()) return facts.status();
    f.schema_version = facts->schema_version;
    f.counts = facts->counts;
    f.last_event_seq = facts->last_event_seq;
  }
  {
    auto store = OpenStore(location);
    if (!store.ok())
      return Error(store.status().code(), "the store cannot open it: " + store.status().message());
    auto check = (*store)->IntegrityCheck();
    if (!check.ok()) return check.status();
    if (*check != "ok") return Error(ErrorCode::kInvalidInput, "integrity check failed: " + *check);
  }
  if (manifest) {
    const Manifest& m = *manifest;
    std::string diff;
    if (m.schema_version != f.schema_version)
      diff = Mismatch("schema version", m.schema_version, f.schema_version);
    else if (m.counts.reports != f.counts.reports)
      diff = Mismatch("reports", m.counts.reports, f.counts.reports);
    else if (m.counts.victims != f.counts.victims)
      diff = Mismatch("victims", m.counts.victims, f.counts.victims);
    else if (m.counts.history_events != f.counts.history_events)
      diff = Mismatch("history events", m.counts.history_events, f.counts.history_events);
    else if (m.last_event_seq != f.last_event_seq)
      diff = Mismatch("last event", m.last_event_seq, f.last_event_seq);
    if (!diff.empty())
      return Error(ErrorCode::kInvalidInput, "does not match the manifest: " + diff);
  }
  return f;
}

}  // namespace qayd::backup
