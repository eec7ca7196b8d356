#include <chrono>
#include <ctime>
#include <optional>

#include "backup/backup.h"
#include "backup/encrypted_file.h"
#include "backup/file_util.h"
#include "backup/keys.h"
#include "backup/sha256.h"
#include "backup/sqlite_file.h"
#include "base/log.h"
#include "store/store.h"

namespace qayd::backup {
namespace {

std::string FormatUtc(int64_t ms, const char* fmt) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, fmt, &tm);
  return buf;
}

std::string BaseName(const std::string& path) {
  auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

std::string IsoUtc(int64_t ms) { return FormatUtc(ms, "%Y-%m-%dT%H:%M:%SZ"); }
std::string CompactUtc(int64_t ms) { return FormatUtc(ms, "%Y%m%dT%H%M%SZ"); }

Result<Manifest> TakeBackup(const BackupOptions& opts) {
  if (IsPostgresLocation(opts.db)) {
    return Error(ErrorCode::kInvalidInput,
                 "qayd backup copies SQLite registers; for PostgreSQL use pg_dump or "
                 "pg_basebackup with WAL archiving (docs/BACKUP.md)");
  }
  if (!opts.overwrite && Exists(opts.out)) {
    return Error(ErrorCode::kConflict, opts.out + " exists; choose another name");
  }
  if (!Exists(opts.db))
    return Error(ErrorCode::kNotFound, "register " + opts.db + " does not exist");
  std::optional<PublicKey> key;
  if (!opts.public_key_file.empty()) {
    auto k = ReadPublicKey(opts.public_key_file);
    if (!k.ok()) return k.status();
    key = *k;
  }
  const auto started = std::chrono::steady_clock::now();
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  const std::string plain_tmp = TempNameBeside(opts.out);
  Status s = OnlineCopy(opts.db, plain_tmp);
  if (!s.ok()) return s;

  Manifest m;
  m.file = BaseName(opts.out);
  m.created_at_ms = now_ms;
  m.created_at = IsoUtc(now_ms);
  m.backend = "sqlite";
  m.source = opts.db;
  auto fail = [&](Status st, const std::string& extra_tmp = "") {
    RemoveQuietly(plain_tmp);
    if (!extra_tmp.empty()) RemoveQuietly(extra_tmp);
    return st;
  };
  auto facts = ReadDbFacts(plain_tmp);
  if (!facts.ok()) return fail(facts.status());
  m.schema_version = facts->schema_version;
  m.counts = facts->counts;
  m.last_event_seq = facts->last_event_seq;
  auto plain_sha = Sha256File(plain_tmp);
  if (!plain_sha.ok()) return fail(plain_sha.status());
  m.plain_sha256 = *plain_sha;

  std::string final_tmp = plain_tmp;
  if (key) {
    final_tmp = TempNameBeside(opts.out);
    s = EncryptFile(plain_tmp, final_tmp, *key);
    if (!s.ok()) return fail(s, final_tmp);
    RemoveQuietly(plain_tmp);
    m.encrypted = true;
    m.key_fingerprint = key->Fingerprint();
  }
  auto sha = Sha256File(final_tmp);
  if (!sha.ok()) return fail(sha.status(), final_tmp);
  m.sha256 = *sha;
  auto size = FileSize(final_tmp);
  if (!size.ok()) return fail(size.status(), final_tmp);
  m.size_bytes = *size;
  s = DurableRename(final_tmp, opts.out);
  if (!s.ok()) return fail(s, final_tmp);
  s = WriteManifest(ManifestPathFor(opts.out), m);
  if (!s.ok()) return s;
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  log::Info("backup written", {{"file", opts.out},
                               {"bytes", std::to_string(m.size_bytes)},
                               {"reports", std::to_string(m.counts.reports)},
                               {"victims", std::to_string(m.counts.victims)},
                               {"encrypted", m.encrypted ? "yes" : "no"},
                               {"seconds", std::to_string(secs)}});
  return m;
}

}  // namespace qayd::backup
