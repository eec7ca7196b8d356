#include "matching/skeleton.h"

namespace qayd::matching {

std::string FinishSkeleton(std::string raw) {
  std::string out;
  out.reserve(raw.size());
  for (char c : raw) {
    if (out.empty() || out.back() != c) out.push_back(c);
  }
  if (out.size() >= 3 && out.back() == 'h') out.pop_back();
  return out;
}

std::string ArabicSkeleton(std::u32string_view token) {
  std::string raw;
  char32_t prev = 0;
  for (char32_t c : token) {
    // د/ت followed by ه or ح is written dh/th in Latin, which reads as one letter.
    bool after_dt = prev == U'د' || prev == U'ت';
    prev = c;
    if (after_dt && (c == U'ه' || c == U'ح')) continue;
    switch (c) {
      case U'ب': raw += 'b'; break;
      case U'ت': case U'ث': case U'ط': raw += 't'; break;
      case U'ج': raw += 'j'; break;
      case U'ح': case U'ه': raw += 'h'; break;
      case U'خ': raw += 'x'; break;
      case U'د': case U'ذ': case U'ض': raw += 'd'; break;
      case U'ر': raw += 'r'; break;
      case U'ز': case U'ظ': raw += 'z'; break;
      case U'س': case U'ص': raw += 's'; break;
      case U'ش': raw += 'S'; break;
      case U'غ': raw += 'G'; break;
      case U'ف': raw += 'f'; break;
      case U'ق': case U'ك': raw += 'k'; break;
      case U'ل': raw += 'l'; break;
      case U'م': raw += 'm'; break;
      case U'ن': raw += 'n'; break;
      case U'پ': raw += 'b'; break;
      case U'چ': raw += 'S'; break;
      case U'ڤ': raw += 'f'; break;
      case U'گ': raw += 'j'; break;
      default: break;  // ا و ي ع ء and anything else: no consonant
    }
  }
  return FinishSkeleton(std::move(raw));
}

std::string LatinSkeleton(std::string_view t) {
  std::string raw;
  const size_t n = t.size();
  for (size_t i = 0; i < n; ++i) {
    char c = t[i];
    char next = i + 1 < n ? t[i + 1] : '\0';
    switch (c) {
      case 'k':
        if (next == 'h') { raw += 'x'; ++i; } else { raw += 'k'; }
        break;
      case 'g':
        if (next == 'h') { raw += 'G'; ++i; } else { raw += 'j'; }
        break;
      case 's':
        if (next == 'h') { raw += 'S'; ++i; } else { raw += 's'; }
        break;
      case 'c':
        if (next == 'h') { raw += 'S'; ++i; } else if (next == 'k') { raw += 'k'; ++i; } else { raw += 'k'; }
        break;
      case 't':
        if (next == 'h') { raw += 't'; ++i; } else { raw += 't'; }
        break;
      case 'd':
        if (next == 'h') { raw += 'd'; ++i; } else if (next == 'j') { raw += 'j'; ++i; } else { raw += 'd'; }
        break;
      case 'p':
        if (next == 'h') { raw += 'f'; ++i; } else { raw += 'b'; }
        break;
      case 'q': raw += 'k'; break;
      case 'v': raw += 'f'; break;
      case 'x': raw += 'x'; break;
      case '7': raw += 'h'; break;
      case '5': raw += 'x'; break;
      case '6': raw += 't'; break;
      case '9': raw += 's'; break;
      case '8': raw += 'k'; break;
      case 'a': case 'e': case 'i': case 'o': case 'u': case 'w': case 'y':
      case '2': case '3':
        break;
      default:
        if (c >= 'a' && c <= 'z') raw += c;
        break;
    }
  }
  return FinishSkeleton(std::move(raw));
}

}  // namespace qayd::matching
