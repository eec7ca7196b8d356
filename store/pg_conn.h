// PostgreSQL (libpq) driver for the SQL layer (sql.h). Internal to store/.
#pragma once

#include <memory>
#include <string>

#include "store/sql.h"

namespace qayd::sql {

// Connects with a libpq connection string or URL. kUnavailable when the
// server cannot be reached.
Result<std::unique_ptr<Conn>> OpenPostgres(const std::string& conninfo);

// False once the server connection is broken (the pool then drops it).
bool PostgresHealthy(Conn& conn);

}  // namespace qayd::sql
