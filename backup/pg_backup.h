// PostgreSQL deployments: pg_dump with a manifest, and checking a database
// (typically a scratch database a dump was restored into) against one.
// Continuous protection (pg_basebackup + WAL archiving) is done with
// PostgreSQL's own tools: docs/BACKUP.md.
//
// Threads: blocking; call from a worker thread. Errors as in backup.h; a
// missing pg_dump or a failed dump is kIo with pg_dump's exit status.
#pragma once

#include <string>

#include "backup/backup.h"
#include "backup/manifest.h"
#include "base/result.h"

namespace qayd::backup {

// `pg_dump --format=custom` of opts.db taken inside one exported snapshot, so
// the manifest's counts are those of the dump; encrypted like a SQLite
// backup when opts.public_key_file is set. Restore with pg_restore.
Result<Manifest> TakePostgresBackup(const BackupOptions& opts);

struct DatabaseCheck {
  int schema_version = 0;
  BackupCounts counts;
  int64_t last_event_seq = 0;
};

// Opens `location` (PostgreSQL URL or SQLite file) through the store, runs
// its integrity check and reads schema version, counts and last event; when
// `manifest_path` is given, each must equal the manifest's (kInvalidInput
// naming the first difference). The store's open migrates an older schema:
// point it at a scratch database, not at a live register.
Result<DatabaseCheck> VerifyDatabase(const std::string& location, const std::string& manifest_path);

}  // namespace qayd::backup
