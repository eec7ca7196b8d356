// SQLite-level helpers on register files, using the sqlite3 C API directly.
// Internal to backup/. Blocking; thread-safe (each call has its own handles).
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>

#include "backup/manifest.h"
#include "base/result.h"

namespace qayd::backup {

struct DbFacts {
  int schema_version = 0;  // PRAGMA user_version (set by the store's migrations)
  BackupCounts counts;
  int64_t last_event_seq = 0;
};

// Copies the live register `src` into the new file `dst` (mode 0600) with the
// online backup API in one step: one read snapshot of the source, so writers
// (WAL mode) go on committing meanwhile. The copy is switched to
// journal_mode=DELETE (one self-contained file) and fsynced.
Status OnlineCopy(const std::string& src, const std::string& dst);

// Opens `path` read-only without changing it (immutable=1). kInvalidInput when
// it is not a SQLite database.
Result<DbFacts> ReadDbFacts(const std::string& path);
// PRAGMA integrity_check and foreign_key_check: "ok" or the problems found.
Result<std::string> RawIntegrityCheck(const std::string& path);

// An exclusive hold on a register file: no other connection (in this process
// or another) has it open while this object lives. Used by restore.
class ExclusiveHold {
 public:
  ~ExclusiveHold();
  ExclusiveHold(const ExclusiveHold&) = delete;
  ExclusiveHold& operator=(const ExclusiveHold&) = delete;
  // kConflict "in use" when another connection has the file open. The file's
  // WAL is checkpointed and removed (journal_mode=DELETE) while held.
  static Result<std::unique_ptr<ExclusiveHold>> Take(const std::string& path);

 private:
  explicit ExclusiveHold(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

}  // namespace qayd::backup
