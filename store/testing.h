// Test-only entry points of the store. Not for production code.
#pragma once

#include <memory>
#include <string>

#include "store/store.h"

namespace qayd {

// Opens (creating) a store migrated only up to schema `version` (1..
// SchemaVersion()), to build old-version databases for the migration test.
Result<std::unique_ptr<Store>> OpenStoreAtVersion(const std::string& location, int version);

}  // namespace qayd
