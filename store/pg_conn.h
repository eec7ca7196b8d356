// PostgreSQL (libpq) driver for the SQL layer (sql.h). Internal to store/.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "store/sql.h"

namespace qayd::sql {

// Connects with a libpq connection string or URL. kUnavailable when the
// server cannot be reached.
Result<std::unique_ptr<Conn>> OpenPostgres(const std::string& conninfo);

// The error code for a failed statement: kUnavailable (retry later) when the
// connection is gone or libpq wrote the error itself (no SQLSTATE); else by
// SQLSTATE class: 23 kConflict; 08, 57, serialization failure, deadlock and
// lock-not-available kUnavailable; 53, 58 kIo; 42501 kPermission; else kInternal.
ErrorCode PgErrorCode(bool connection_ok, std::string_view sqlstate);

// False once the server connection is broken (the pool then drops it).
bool PostgresHealthy(Conn& conn);

}  // namespace qayd::sql
