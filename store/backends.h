// Constructors of the two Store backends and the code they share. Internal to
// store/; callers use OpenStore (store.h).
#pragma once

#include <memory>
#include <string>

#include "store/sql.h"
#include "store/store.h"

namespace qayd::store {

// `schema_version` < 0 means the current version (tests pass lower versions).
// `writer_lock`: see StoreOptions.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, int schema_version,
                                               bool writer_lock = true);
// Read-only (see OpenStore): no lock, nothing created or migrated.
Result<std::unique_ptr<Store>> OpenSqliteStoreReadOnly(const std::string& path);
Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& conninfo, int pool_size,
                                                 int schema_version);

// Streams non-absorbed victims with their reports on `conn` (inside a
// snapshot transaction the caller opened): one query, ordered by victim id.
Status ScanVictimsOn(sql::Conn& conn, const VictimVisitor& visit);
// Streams the reports of victims neither absorbed nor unidentified, with their
// victim's id, without raw payloads, in no order (Store::ScanIndexedReports).
Status ScanIndexedReportsOn(sql::Conn& conn, const IndexedReportVisitor& visit);

// Logical invariants of the register ("" when all hold): every report of a
// victim sits on a non-absorbed victim, absorbed victims name a survivor,
// non-absorbed victims hold at least one report.
Result<std::string> CheckRegisterInvariants(sql::Conn& conn);

}  // namespace qayd::store
