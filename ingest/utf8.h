// UTF-8 well-formedness check (RFC 3629: no overlongs, no surrogates, <= U+10FFFF).
// Invalid text is reported with its byte offset, never repaired or replaced.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace qayd::ingest {

// Byte offset of the first byte of the first invalid sequence, or nullopt when
// `text` is well-formed UTF-8.
std::optional<size_t> FindInvalidUtf8(std::string_view text);

// Strips a leading UTF-8 byte order mark (EF BB BF) if present.
std::string_view StripBom(std::string_view text);

}  // namespace qayd::ingest
