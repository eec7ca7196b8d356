// Taking, verifying and restoring backups of a SQLite register
// (docs/BACKUP.md). A backup is one file (the SQLite database, or its
// encryption, see encrypted_file.h) plus "<file>.manifest.json".
//
// Threads: every function blocks (file and database I/O): never call them on
// the io_context thread. Different backups may be taken concurrently.
// Errors are values: kConflict (target exists, register in use), kNotFound,
// kIo, kPermission (wrong key), kInvalidInput (a damaged or foreign backup;
// the message says what does not match).
#pragma once

#include <string>

#include "backup/manifest.h"
#include "base/result.h"

namespace qayd::backup {

struct BackupOptions {
  std::string db;               // the live SQLite register file
  std::string out;              // the backup file to write
  std::string public_key_file;  // when set, the backup is encrypted for this key
  bool overwrite = false;       // replace an existing `out`
};

// A consistent online snapshot of `db` while other connections keep writing
// (every transaction committed before the call is in it). Written under a
// temporary name, fsynced, then renamed to `out`; then the manifest.
Result<Manifest> TakeBackup(const BackupOptions& opts);

struct VerifyOptions {
  std::string key_file;     // secret key: needed to check an encrypted backup's contents
  std::string scratch_dir;  // where the checked copy is made; default: the backup's folder
};

struct VerifyReport {
  Manifest manifest;
  bool contents_checked = false;  // false: encrypted and no key given (size and hash only)
  std::string integrity;          // "ok" when contents were checked
  BackupCounts counts;            // found in the copy (when contents were checked)
};

// Checks size and SHA-256 against the manifest; then (unencrypted, or with
// the key) decrypts/copies to a scratch file, runs SQLite's integrity and
// foreign-key checks and the store's own check, and compares schema version,
// counts and last event with the manifest. The scratch copy is removed.
Result<VerifyReport> VerifyBackup(const std::string& file, const VerifyOptions& opts);

struct RestoreOptions {
  std::string key_file;  // secret key, for encrypted backups
};

struct RestoreReport {
  VerifyReport verified;
  std::string previous_kept_as;  // where the register that was replaced now lies ("" if none)
};

// Verifies `from` completely (as VerifyBackup), then puts it in place at
// `db`. Refuses (kConflict) while any connection has `db` open, e.g. a
// running qaydd. The register it replaces is kept as
// "<db>.before-restore-<UTC time>", never deleted.
Result<RestoreReport> RestoreBackup(const std::string& from, const std::string& db,
                                    const RestoreOptions& opts);

// "YYYY-MM-DDTHH:MM:SSZ" and "YYYYMMDDTHHMMSSZ" forms of a time in ms since the epoch.
std::string IsoUtc(int64_t ms);
std::string CompactUtc(int64_t ms);

}  // namespace qayd::backup
