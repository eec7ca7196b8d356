// SQLite driver for the SQL layer (sql.h). Internal to store/.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>

#include "store/sql.h"

namespace qayd::sql {

// Opens the database file with the store's pragmas: WAL, synchronous=FULL,
// foreign_keys=ON, busy_timeout. A writing connection creates a missing file
// (mode 0600); `read_only` connections never create it and are opened with
// query_only=ON.
Result<std::unique_ptr<Conn>> OpenSqlite(const std::string& path, bool read_only);

// The raw handle, for the backup/integrity helpers of the SQLite backend.
sqlite3* SqliteHandle(Conn& conn);

// PRAGMA integrity_check and foreign_key_check on `db`: "" when both pass,
// else the problems, "; "-separated (a foreign key violation names its table
// and row; a check that cannot run, e.g. on a damaged file, is a problem
// too). The one physical check of the store (Store::IntegrityCheck) and of
// backup verification. Blocking; `db` used by this thread only meanwhile.
std::string SqlitePhysicalProblems(sqlite3* db);

}  // namespace qayd::sql
