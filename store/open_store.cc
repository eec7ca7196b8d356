// OpenStore: picks the backend from the location string.
#include "store/backends.h"
#include "store/migrations.h"
#include "store/testing.h"

namespace qayd {

bool IsPostgresLocation(const std::string& location) {
  return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0 ||
         location.find("host=") != std::string::npos ||
         location.find("dbname=") != std::string::npos;
}

Result<std::unique_ptr<Store>> OpenStore(const std::string& location, const StoreOptions& opts) {
  if (location.empty()) return Error(ErrorCode::kInvalidInput, "empty store location");
  if (IsPostgresLocation(location)) {
    return store::OpenPostgresStore(location, opts.pg_pool_size, -1);
  }
  if (opts.read_only) return store::OpenSqliteStoreReadOnly(location);
  return store::OpenSqliteStore(location, -1, opts.writer_lock);
}

Result<std::unique_ptr<Store>> OpenStore(const std::string& location) {
  return OpenStore(location, StoreOptions{});
}

int SchemaVersion() { return static_cast<int>(store::Migrations().size()); }

Result<std::unique_ptr<Store>> OpenStoreAtVersion(const std::string& location, int version) {
  if (version < 1 || version > SchemaVersion()) {
    return Error(ErrorCode::kInvalidInput, "no schema version " + std::to_string(version));
  }
  if (IsPostgresLocation(location)) return store::OpenPostgresStore(location, 2, version);
  return store::OpenSqliteStore(location, version);
}

}  // namespace qayd
