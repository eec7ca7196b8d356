// UTF-8 checks for ingest (base/utf8.h): invalid text is reported with its
// byte offset, never repaired or replaced.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "base/utf8.h"

namespace qayd::ingest {

using ::qayd::FindInvalidUtf8;

// Strips a leading UTF-8 byte order mark (EF BB BF) if present.
std::string_view StripBom(std::string_view text);

}  // namespace qayd::ingest
