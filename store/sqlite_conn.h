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

}  // namespace qayd::sql
