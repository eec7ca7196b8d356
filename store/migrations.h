// Versioned schema migrations, one ordered list for both backends (with
// per-backend SQL where the dialects differ). Internal to store/; tests use
// ApplyMigrations with a lower target to build old-version databases.
#pragma once

#include <string>
#include <vector>

#include "store/sql.h"

namespace qayd::store {

struct Migration {
  int version;        // 1, 2, ... in order
  std::string name;   // short description
  std::string sqlite;
  std::string postgres;
};

const std::vector<Migration>& Migrations();

// Brings the schema to `target` (<= Migrations().size()) in one transaction;
// records each step in schema_migrations (and PRAGMA user_version on SQLite).
// kInternal if the database is newer than this program.
Status ApplyMigrations(sql::Conn& conn, int target);

// The version the database is at (0 for an empty database).
Result<int> CurrentSchemaVersion(sql::Conn& conn);

}  // namespace qayd::store
