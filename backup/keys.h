// Backup encryption keys: an X25519 key pair (libsodium crypto_box). The
// server needs only the public key; the secret key stays with the people
// who restore (docs/BACKUP.md, "Key handling").
//
// Files (one text line each):
//   KEYFILE      "qayd-backup-secret-key-v1 <64 hex secret> <64 hex public>", mode 0600
//   KEYFILE.pub  "qayd-backup-public-key-v1 <64 hex public>"
// Errors: kNotFound / kIo for files, kInvalidInput for malformed key files,
// kConflict when keygen would overwrite a file. Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "base/result.h"

namespace qayd::backup {

struct PublicKey {
  std::array<unsigned char, 32> bytes{};
  // First 16 hex digits of SHA-256 of the key: names a key in messages and manifests.
  std::string Fingerprint() const;
};

// Holds secret material; zeroed on destruction.
struct KeyPair {
  PublicKey pub;
  std::array<unsigned char, 32> secret{};
  KeyPair() = default;
  KeyPair(const KeyPair&) = default;
  KeyPair& operator=(const KeyPair&) = default;
  ~KeyPair();
};

// Writes a new key pair to `secret_path` (0600) and `secret_path + ".pub"`.
// Refuses (kConflict) if either file exists.
Result<PublicKey> GenerateKeyFiles(const std::string& secret_path);
Result<PublicKey> ReadPublicKey(const std::string& path);
Result<KeyPair> ReadKeyPair(const std::string& path);

}  // namespace qayd::backup
