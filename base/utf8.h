// UTF-8 well-formedness (RFC 3629: no overlongs, no surrogates, <= U+10FFFF).
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace qayd {

// Byte offset of the first byte of the first invalid sequence, or nullopt when
// `text` is well-formed UTF-8.
std::optional<size_t> FindInvalidUtf8(std::string_view text);

// `text` with each byte of an invalid sequence written as "\xNN" (four
// characters) and NUL as "\u0000": for quoting untrusted text (a JSON key, a
// header) in an error message, so that the answer stays valid UTF-8 JSON.
std::string PrintableUtf8(std::string_view text);

// Strips a leading UTF-8 byte order mark (EF BB BF) if present.
std::string_view StripBom(std::string_view text);

}  // namespace qayd
