// SHA-256 of files and strings (libsodium), as lower-case hex.
// Thread-safe. Errors: kNotFound / kIo for unreadable files.
#pragma once

#include <string>

#include "base/result.h"

namespace qayd::backup {

Result<std::string> Sha256File(const std::string& path);
std::string Sha256Hex(const std::string& data);

}  // namespace qayd::backup
