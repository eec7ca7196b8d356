// Decoding UTF-8 that is known to be well formed (the normaliser's output and
// the interned spellings and keys made from it): no validation; a stray byte
// decodes as itself. Header-only, for the scoring hot path. Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace qayd::matching {

// The code point at s[i] (i < s.size()) into *cp; returns where the next starts.
inline size_t NextCodePoint(std::string_view s, size_t i, char32_t* cp) {
  const auto c = static_cast<unsigned char>(s[i]);
  const size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  char32_t v = len > 1 ? static_cast<char32_t>(c & (0x7F >> len)) : c;
  for (size_t k = 1; k < len && i + k < s.size(); ++k) {
    v = (v << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  }
  *cp = v;
  return i + len;
}

// Up to `cap` code points of `s` into `out`; returns how many.
inline int DecodeUtf8(std::string_view s, uint32_t* out, int cap) {
  int n = 0;
  for (size_t i = 0; i < s.size() && n < cap;) {
    char32_t cp;
    i = NextCodePoint(s, i, &cp);
    out[n++] = cp;
  }
  return n;
}

// All of `s`.
inline std::u32string DecodeUtf8(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    char32_t cp;
    i = NextCodePoint(s, i, &cp);
    out.push_back(cp);
  }
  return out;
}

}  // namespace qayd::matching
