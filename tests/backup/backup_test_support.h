// Helpers for the backup tests: filling a register through the Store API,
// its export as a string, and file damage.
#pragma once

#include <cstdint>
#include <string>

#include "store/store.h"

namespace qayd::backup_test {

// Accepts report `i` (source "backup-test") and records it on a new victim,
// or (every third report) on the previous victim; commits. Returns the report id.
Result<int64_t> AddReport(Store& store, int i);
// `qayd export` (JSON lines) of the register.
std::string Export(Store& store);
// Flips the bits of one byte at `offset` (negative: from the end).
void FlipByte(const std::string& path, int64_t offset);
void Truncate(const std::string& path, int64_t new_size);
// Rewrites the manifest's size and SHA-256 to match the file as it is now:
// an attacker or a bug that rewrote both (only deeper checks can tell).
void ResealManifest(const std::string& backup_path);

}  // namespace qayd::backup_test
