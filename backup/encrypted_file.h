// Encrypted backup files: readable only with the secret key, tampering and
// truncation detected.
//
// Layout: "QAYDENC1" | 8-byte fingerprint prefix of the public key |
// crypto_box_seal(32-byte stream key) (80 bytes) | secretstream header (24) |
// chunks of crypto_secretstream_xchacha20poly1305 (64 KiB of plaintext each,
// the last one tagged FINAL; the 16-byte file prefix is the additional data).
//
// Errors: kIo for files; kPermission "encrypted for another key" when the key
// does not fit; kInvalidInput for damaged, truncated or foreign files.
// Output files are created 0600 and fsynced; on failure they are removed.
#pragma once

#include <string>

#include "backup/keys.h"
#include "base/result.h"

namespace qayd::backup {

// True when the file starts with the encrypted-backup magic.
bool IsEncryptedFile(const std::string& path);
Status EncryptFile(const std::string& in_path, const std::string& out_path, const PublicKey& key);
Status DecryptFile(const std::string& in_path, const std::string& out_path, const KeyPair& key);

}  // namespace qayd::backup
