// One number from a SQLite register, for tests that check what qaydd stored.
// SqliteCount opens `db` read-only (WAL lets it read while qaydd writes; waits
// up to 2 s on a lock), runs `sql` and returns the first column of the first
// row as an integer. Returns -1 when the file cannot be opened, the statement
// does not prepare (e.g. the table is not there yet) or yields no row.
#pragma once

#include <cstdint>
#include <string>

namespace qayd::testing {

int64_t SqliteCount(const std::string& db, const std::string& sql);

}  // namespace qayd::testing
