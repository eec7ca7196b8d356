// The manifest written beside every backup ("<backup>.manifest.json"): what
// the backup holds and how to check it. Plain JSON, no personal data.
// Errors: ReadManifest returns kNotFound when the file is missing and
// kInvalidInput when it is not a qayd manifest.
#pragma once

#include <cstdint>
#include <string>

#include "base/result.h"

namespace qayd::backup {

// Row counts of the register's main tables, read in the backup's snapshot.
struct BackupCounts {
  int64_t reports = 0;         // all stored report versions
  int64_t victims = 0;         // all victim ids ever minted
  int64_t history_events = 0;  // the append-only history
  bool operator==(const BackupCounts&) const = default;
};

struct Manifest {
  int format = 1;
  std::string file;        // backup file name (no folder)
  std::string created_at;  // ISO 8601 UTC, e.g. "2024-03-29T10:00:00Z"
  int64_t created_at_ms = 0;
  std::string backend;  // "sqlite" or "postgres"
  std::string source;   // register file backed up (PostgreSQL: database name)
  int schema_version = 0;
  BackupCounts counts;
  int64_t last_event_seq = 0;  // newest history event in the snapshot
  int64_t size_bytes = 0;      // of the file as stored
  std::string sha256;          // of the file as stored (ciphertext when encrypted)
  bool encrypted = false;
  std::string key_fingerprint;  // public key it was encrypted for
  std::string plain_sha256;     // of the unencrypted database file
};

// "<backup_path>.manifest.json"
std::string ManifestPathFor(const std::string& backup_path);
std::string ManifestToJson(const Manifest& m);
Result<Manifest> ParseManifest(const std::string& json, const std::string& label);
Result<Manifest> ReadManifest(const std::string& path);
Status WriteManifest(const std::string& path, const Manifest& m);  // atomic, fsynced

}  // namespace qayd::backup
