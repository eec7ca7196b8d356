#include "matching/skeleton.h"

#include <algorithm>

namespace qayd::matching {

std::string FinishSkeleton(std::string raw) {
  std::string out;
  out.reserve(raw.size());
  for (char c : raw) {
    // h after d or t: Latin writes dh/th for one letter (ذ ض ث) while Arabic
    // د/ت + ه/ح is two; without short vowels neither side can tell, so both drop it.
    if (c == 'h' && !out.empty() && (out.back() == 'd' || out.back() == 't')) continue;
    if (out.empty() || out.back() != c) out.push_back(c);
  }
  if (out.size() >= 3 && out.back() == 'h') out.pop_back();
  return out;
}

std::string ArabicSkeleton(std::u32string_view token) {
  std::string raw;
  for (char32_t c : token) {
    switch (c) {
      case U'ب':
        raw += 'b';
        break;
      case U'ت':
      case U'ث':
      case U'ط':
        raw += 't';
        break;
      case U'ج':
        raw += 'j';
        break;
      case U'ح':
      case U'ه':
        raw += 'h';
        break;
      case U'خ':
        raw += 'x';
        break;
      case U'د':
      case U'ذ':
      case U'ض':
        raw += 'd';
        break;
      case U'ر':
        raw += 'r';
        break;
      case U'ز':
      case U'ظ':
        raw += 'z';
        break;
      case U'س':
      case U'ص':
        raw += 's';
        break;
      case U'ش':
        raw += 'S';
        break;
      case U'غ':
        raw += 'G';
        break;
      case U'ف':
        raw += 'f';
        break;
      case U'ق':
      case U'ك':
        raw += 'k';
        break;
      case U'ل':
        raw += 'l';
        break;
      case U'م':
        raw += 'm';
        break;
      case U'ن':
        raw += 'n';
        break;
      case U'پ':
        raw += 'b';
        break;
      case U'چ':
        raw += 'S';
        break;
      case U'ڤ':
        raw += 'f';
        break;
      case U'گ':
        raw += 'j';
        break;
      default:
        break;  // ا و ي ع ء and anything else: no consonant
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
        if (next == 'h') {
          raw += 'x';
          ++i;
        } else {
          raw += 'k';
        }
        break;
      case 'g':
        if (next == 'h') {
          raw += 'G';
          ++i;
        } else {
          raw += 'j';
        }
        break;
      case 's':
        if (next == 'h') {
          raw += 'S';
          ++i;
        } else {
          raw += 's';
        }
        break;
      case 'c':
        if (next == 'h') {
          raw += 'S';
          ++i;
        } else if (next == 'k') {
          raw += 'k';
          ++i;
        } else {
          raw += 'k';
        }
        break;
      case 't':
        if (next == 'h') {
          raw += 't';
          ++i;
        } else {
          raw += 't';
        }
        break;
      case 'd':
        if (next == 'h') {
          raw += 'd';
          ++i;
        } else if (next == 'j') {
          raw += 'j';
          ++i;
        } else {
          raw += 'd';
        }
        break;
      case 'p':
        if (next == 'h') {
          raw += 'f';
          ++i;
        } else {
          raw += 'b';
        }
        break;
      case 'q':
        raw += 'k';
        break;
      case 'v':
        raw += 'f';
        break;
      case 'x':
        raw += 'x';
        break;
      case '7':
        raw += 'h';
        break;
      case '5':
        raw += 'x';
        break;
      case '6':
        raw += 't';
        break;
      case '9':
        raw += 's';
        break;
      case '8':
        raw += 'k';
        break;
      case 'a':
      case 'e':
      case 'i':
      case 'o':
      case 'u':
      case 'w':
      case 'y':
      case '2':
      case '3':
        break;
      default:
        if (c >= 'a' && c <= 'z') raw += c;
        break;
    }
  }
  return FinishSkeleton(std::move(raw));
}

namespace {

constexpr uint8_t kU = 1, kI = 2, kLongU = 4, kLongI = 8;

// Consonants with the vowel bits of the gap after each; gap 0 precedes the
// first consonant. Mirrors FinishSkeleton: equal neighbours collapse (their
// gaps merge) and a final h goes when two consonants remain.
struct Sketcher {
  std::string cons;
  uint8_t gaps[32] = {};
  void Consonant(char c) {
    if (!cons.empty() && cons.back() == c) return;  // collapse; the gap stays open
    if (c == 'h' && !cons.empty() && (cons.back() == 'd' || cons.back() == 't')) return;
    if (cons.size() >= 30) return;
    cons += c;
  }
  void Vowel(uint8_t bits) { gaps[std::min<size_t>(cons.size(), 31)] |= bits; }
  uint64_t Pack() {
    if (cons.size() >= 3 && cons.back() == 'h') {
      gaps[cons.size() - 1] |= gaps[cons.size()];
      gaps[cons.size()] = 0;
      cons.pop_back();
    }
    if (cons.empty() || cons.size() > 14) return 0;
    uint64_t out = cons.size();
    for (size_t g = 0; g <= cons.size(); ++g)
      out |= static_cast<uint64_t>(gaps[g] & 0xF) << (4 + 4 * g);
    return out;
  }
};

}  // namespace

uint64_t ArabicVowelSketch(std::u32string_view token) {
  Sketcher s;
  for (size_t i = 0; i < token.size(); ++i) {
    char32_t c = token[i];
    if (c == U'و') {
      s.Vowel(kU | kLongU);
    } else if (c == U'ي') {
      if (i + 1 < token.size()) s.Vowel(kI | kLongI);  // a final ي may be alef maqsura
    } else {
      std::string k = ArabicSkeleton(std::u32string_view(&token[i], 1));
      if (!k.empty()) s.Consonant(k[0]);
    }
  }
  return s.Pack();
}

uint64_t LatinVowelSketch(std::string_view t) {
  Sketcher s;
  const size_t n = t.size();
  for (size_t i = 0; i < n; ++i) {
    char c = t[i];
    char next = i + 1 < n ? t[i + 1] : '\0';
    switch (c) {
      case 'a':
        break;
      case 'o':
      case 'u':
        s.Vowel(next == c ? kU | kLongU : kU);
        if (next == c) ++i;
        break;
      case 'e':
      case 'i':
        s.Vowel((next == 'e' || next == 'i') && next == c ? kI | kLongI : kI);
        if (next == c) ++i;
        break;
      case 'w':
        s.Vowel(kU);
        break;
      case 'y':
        s.Vowel(kI);
        break;
      case '2':
      case '3':
      case '\'':
        break;
      default: {
        // consonants (and digraphs) exactly as LatinSkeleton reads them
        size_t len = 1;
        if (next == 'h' &&
            (c == 'k' || c == 'g' || c == 's' || c == 'c' || c == 't' || c == 'd' || c == 'p'))
          len = 2;
        if ((c == 'd' && next == 'j') || (c == 'c' && next == 'k')) len = 2;
        std::string k = LatinSkeleton(t.substr(i, len));
        if (k.empty() && len == 2) k = LatinSkeleton(t.substr(i, 1));
        if (!k.empty()) s.Consonant(k[0]);
        i += len - 1;
      }
    }
  }
  return s.Pack();
}

bool VowelSketchesAgree(uint64_t arabic, uint64_t latin) {
  if (!arabic || !latin || (arabic & 0xF) != (latin & 0xF)) return true;
  size_t gaps = (arabic & 0xF) + 1;
  for (size_t g = 0; g < gaps; ++g) {
    uint64_t a = (arabic >> (4 + 4 * g)) & 0xF, l = (latin >> (4 + 4 * g)) & 0xF;
    if ((a & kLongU) && !(l & kU)) return false;
    if ((a & kLongI) && !(l & kI)) return false;
    if ((l & kLongU) && !(a & kLongU)) return false;
    if ((l & kLongI) && !(a & kLongI)) return false;
  }
  return true;
}

}  // namespace qayd::matching
