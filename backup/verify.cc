#include <sys/stat.h>

#include <filesystem>

#include "backup/backup.h"
#include "backup/encrypted_file.h"
#include "backup/file_util.h"
#include "backup/keys.h"
#include "backup/sha256.h"
#include "backup/sqlite_file.h"
#include "backup/verify_internal.h"
#include "store/store.h"

namespace qayd::backup {
namespace {

Status Damaged(const std::string& file, const std::string& what) {
  return Error(ErrorCode::kInvalidInput, file + ": " + what);
}

std::string Mismatch(const char* what, int64_t manifest, int64_t found) {
  return std::string(what) + " " + std::to_string(found) + " in the backup, " +
         std::to_string(manifest) + " in the manifest";
}

void RemoveDb(const std::string& path) {
  RemoveQuietly(path);
  RemoveQuietly(path + "-wal");
  RemoveQuietly(path + "-shm");
  RemoveQuietly(path + "-journal");
}

// Checks the plain database at `scratch` against the manifest.
Status CheckContents(const std::string& file, const std::string& scratch, VerifyReport* report) {
  const Manifest& m = report->manifest;
  auto integrity = RawIntegrityCheck(scratch);
  if (!integrity.ok()) return Damaged(file, integrity.status().message());
  if (*integrity != "ok") return Damaged(file, "SQLite integrity check failed: " + *integrity);
  auto facts = ReadDbFacts(scratch);
  if (!facts.ok()) return Damaged(file, facts.status().message());
  if (facts->schema_version != m.schema_version) {
    return Damaged(file, Mismatch("schema version", m.schema_version, facts->schema_version));
  }
  if (facts->counts.reports != m.counts.reports) {
    return Damaged(file, Mismatch("reports", m.counts.reports, facts->counts.reports));
  }
  if (facts->counts.victims != m.counts.victims) {
    return Damaged(file, Mismatch("victims", m.counts.victims, facts->counts.victims));
  }
  if (facts->counts.history_events != m.counts.history_events) {
    return Damaged(
        file, Mismatch("history events", m.counts.history_events, facts->counts.history_events));
  }
  if (facts->last_event_seq != m.last_event_seq) {
    return Damaged(file, Mismatch("last event", m.last_event_seq, facts->last_event_seq));
  }
  report->counts = facts->counts;
  // The store's own check (adds the register's logical invariants). Opening
  // migrates an older schema; this is the scratch copy, so that is harmless.
  {
    auto store = OpenStore(scratch);
    if (!store.ok()) return Damaged(file, "the store cannot open it: " + store.status().message());
    auto check = (*store)->IntegrityCheck();
    if (!check.ok()) return Damaged(file, "store check failed: " + check.status().message());
    if (*check != "ok") return Damaged(file, "store check failed: " + *check);
  }
  report->integrity = "ok";
  report->contents_checked = true;
  return Status::Ok();
}

}  // namespace

Result<VerifyReport> VerifyInto(const std::string& file, const std::string& key_file,
                                const std::string& scratch, bool keep_scratch,
                                bool require_contents) {
  VerifyReport report;
  if (!Exists(file)) return Error(ErrorCode::kNotFound, "backup " + file + " does not exist");
  auto manifest = ReadManifest(ManifestPathFor(file));
  if (!manifest.ok()) {
    return Error(manifest.status().code(),
                 "cannot verify " + file + ": " + manifest.status().message());
  }
  report.manifest = *manifest;
  const Manifest& m = report.manifest;
  if (m.backend != "sqlite") {
    return Damaged(file, "a " + m.backend +
                             " backup; verify it with qayd verify-backup --db on a "
                             "scratch database it was restored into (docs/BACKUP.md)");
  }
  auto size = FileSize(file);
  if (!size.ok()) return size.status();
  if (*size != m.size_bytes) {
    return Damaged(file, "size is " + std::to_string(*size) + " bytes, the manifest says " +
                             std::to_string(m.size_bytes) +
                             (*size < m.size_bytes ? " (truncated)" : " (grown)"));
  }
  auto sha = Sha256File(file);
  if (!sha.ok()) return sha.status();
  if (*sha != m.sha256) {
    return Damaged(file, "SHA-256 differs from the manifest: the file was changed or damaged");
  }
  if (IsEncryptedFile(file) != m.encrypted) {
    return Damaged(file, m.encrypted ? "the manifest says encrypted but the file is not"
                                     : "the file is encrypted but the manifest says not");
  }
  if (m.encrypted && key_file.empty()) {
    if (require_contents) {
      return Error(ErrorCode::kPermission, file + " is encrypted (key " + m.key_fingerprint +
                                               "); give --key SECRET_KEY_FILE");
    }
    return report;  // size and hash checked; contents need the key
  }

  RemoveDb(scratch);
  Status s;
  if (m.encrypted) {
    auto key = ReadKeyPair(key_file);
    if (!key.ok()) return key.status();
    if (key->pub.Fingerprint() != m.key_fingerprint) {
      return Error(ErrorCode::kPermission, file + " was encrypted for key " + m.key_fingerprint +
                                               ", not for " + key_file + " (key " +
                                               key->pub.Fingerprint() + ")");
    }
    s = DecryptFile(file, scratch, *key);
    if (s.ok()) {
      auto plain_sha = Sha256File(scratch);
      if (!plain_sha.ok()) {
        s = plain_sha.status();
      } else if (*plain_sha != m.plain_sha256) {
        s = Damaged(file, "decrypted database differs from the manifest's SHA-256");
      }
    }
  } else {
    std::error_code ec;
    std::filesystem::copy_file(file, scratch, ec);
    if (ec) {
      s = Error(ErrorCode::kIo, "cannot copy " + file + " to " + scratch + ": " + ec.message());
    } else {
      ::chmod(scratch.c_str(), 0600);
    }
  }
  if (s.ok()) s = CheckContents(file, scratch, &report);
  if (!s.ok() || !keep_scratch) RemoveDb(scratch);
  if (!s.ok()) return s;
  return report;
}

Result<VerifyReport> VerifyBackup(const std::string& file, const VerifyOptions& opts) {
  std::string dir = opts.scratch_dir.empty() ? DirOf(file) : opts.scratch_dir;
  auto slash = file.find_last_of('/');
  std::string base = slash == std::string::npos ? file : file.substr(slash + 1);
  return VerifyInto(file, opts.key_file, TempNameBeside(dir + "/" + base) + ".verify", false,
                    false);
}

}  // namespace qayd::backup
