#include "matching/name_normalizer.h"

#include <absl/container/node_hash_map.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <memory>
#include <string_view>

#include "matching/skeleton.h"
#include "matching/utf8.h"

namespace qayd::matching {
namespace {

// ---------- UTF-8 / ICU helpers ----------

void AppendUtf8(std::u32string_view s, std::string* out) {
  for (char32_t c : s) {
    if (c < 0x80) {
      *out += static_cast<char>(c);
    } else if (c < 0x800) {
      *out += static_cast<char>(0xC0 | (c >> 6));
      *out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      *out += static_cast<char>(0xE0 | (c >> 12));
      *out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      *out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      *out += static_cast<char>(0xF0 | (c >> 18));
      *out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      *out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      *out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
}

std::string ToUtf8(std::u32string_view s) {
  std::string out;
  out.reserve(s.size() * 2);
  AppendUtf8(s, &out);
  return out;
}

bool IsArabicLetter(char32_t c) {
  return (c >= 0x0621 && c <= 0x064A) || c == U'پ' || c == U'چ' || c == U'ڤ' || c == U'گ';
}

// Arabic letter and digit folding (after NFKC).
char32_t FoldLetter(char32_t c) {
  switch (c) {
    case U'أ':
    case U'إ':
    case U'آ':
    case U'ٱ':
      return U'ا';
    case U'ى':
    case U'ئ':
    case U'ی':
      return U'ي';
    case U'ة':
      return U'ه';
    case U'ؤ':
      return U'و';
    case U'ک':
      return U'ك';
    default:
      if (c >= 0x0660 && c <= 0x0669) return U'0' + (c - 0x0660);
      if (c >= 0x06F0 && c <= 0x06F9) return U'0' + (c - 0x06F0);
      return c;
  }
}

// Decodes `text` if every code point is ASCII or a base Arabic letter
// (U+0621..U+064A): such text is already NFKC (nothing in it decomposes or
// composes with its neighbours; tests/matching check every pair) and holds
// no mark or format character. Returns false otherwise, or for invalid UTF-8.
bool DecodeSimple(std::string_view text, std::u32string* out) {
  out->clear();
  out->reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      out->push_back(b);
      ++i;
      continue;
    }
    if ((b & 0xE0) != 0xC0 || i + 1 >= text.size()) return false;
    const auto b1 = static_cast<unsigned char>(text[i + 1]);
    if ((b1 & 0xC0) != 0x80) return false;
    const char32_t c = static_cast<char32_t>(((b & 0x1F) << 6) | (b1 & 0x3F));
    if (c < 0x0621 || c > 0x064A) return false;
    out->push_back(c);
    i += 2;
  }
  return true;
}

// NFKC, then drops marks/tatweel/format characters and folds Arabic letters
// and digits. Returns code points.
std::u32string FoldText(const std::string& text, bool* changed_letters) {
  std::u32string out;
  if (DecodeSimple(text, &out)) {
    size_t w = 0;
    for (char32_t c : out) {
      if (c == 0x0640) continue;  // tatweel
      const char32_t f = FoldLetter(c);
      if (f != c) *changed_letters = true;
      out[w++] = f;
    }
    out.resize(w);
    return out;
  }
  out.clear();
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(text);
  if (U_SUCCESS(status)) {
    icu::UnicodeString n = nfkc->normalize(u, status);
    if (U_SUCCESS(status)) u = n;
  }
  out.reserve(u.length());
  for (int32_t i = 0; i < u.length();) {
    UChar32 c = u.char32At(i);
    i += U16_LENGTH(c);
    if ((c >= 0x064B && c <= 0x065F) || c == 0x0670 || (c >= 0x06D6 && c <= 0x06ED) ||
        c == 0x0640 || u_charType(c) == U_FORMAT_CHAR || u_charType(c) == U_NON_SPACING_MARK) {
      continue;
    }
    const char32_t f = FoldLetter(static_cast<char32_t>(c));
    if (f != static_cast<char32_t>(c)) *changed_letters = true;
    out += f;
  }
  return out;
}

icu::Transliterator* LatinTransliterator() {
  thread_local std::unique_ptr<icu::Transliterator> t = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> tr(icu::Transliterator::createInstance(
        "Any-Latin; Latin-ASCII; Lower", UTRANS_FORWARD, status));
    if (U_FAILURE(status)) tr.reset();
    return tr;
  }();
  return t.get();
}

// Lowercase ASCII for a non-Arabic name (ICU for anything beyond ASCII).
std::string ToLatinAscii(std::u32string_view s) {
  bool ascii = true;
  for (char32_t c : s) ascii = ascii && c < 0x80;
  std::string out;
  if (ascii) {
    for (char32_t c : s) out += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    return out;
  }
  std::string utf8 = ToUtf8(s);
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(utf8);
  if (icu::Transliterator* t = LatinTransliterator()) t->transliterate(u);
  u.toUTF8String(out);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

// ---------- tokens ----------

enum class TokenKind { kNormal, kAbdPrefix, kKunyaPrefix, kDin, kUnknownMarker, kParticle };

struct TokenInfo {
  TokenKind kind = TokenKind::kNormal;
  std::string display;  // folded token
  std::string key;      // skeleton of the token as a part (compounds inside resolved)
  std::string core;     // skeleton after dropping a leading article
  char kunya = 0;       // 'b' (abu) or 'm' (umm) for kKunyaPrefix
  uint64_t vowels = 0;  // vowel sketch of a simple (non-compound) token
  std::string note;     // normalisation step applied inside the token, if any
};

bool StartsWith(std::u32string_view s, std::u32string_view p) {
  return s.size() >= p.size() && s.substr(0, p.size()) == p;
}
bool EndsWith(std::u32string_view s, std::u32string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}
bool StartsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(0, p.size()) == p;
}
bool EndsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

std::string DropLeadingL(std::string s) {
  if (!s.empty() && s[0] == 'l') s.erase(0, 1);
  return s;
}

std::string ArabicCore(std::u32string_view t) {
  if (StartsWith(t, U"ال") && t.size() >= 4) {
    std::string k = ArabicSkeleton(t.substr(2));
    if (!k.empty()) return k;
  }
  return ArabicSkeleton(t);
}

std::string LatinCore(std::string_view t) {
  if ((StartsWith(t, "al") || StartsWith(t, "el")) && t.size() >= 5) {
    std::string k = LatinSkeleton(t.substr(2));
    if (!k.empty()) return k;
  }
  return LatinSkeleton(t);
}

TokenInfo ClassifyArabic(std::u32string_view t) {
  TokenInfo info;
  info.display = ToUtf8(t);
  if (t == U"مجهول" || t == U"مجهوله" || t == U"مجهولين") {
    info.kind = TokenKind::kUnknownMarker;
    return info;
  }
  if (t == U"بن" || t == U"بنت" || t == U"ابن" || t == U"ال") {
    info.kind = TokenKind::kParticle;
    return info;
  }
  info.core = ArabicCore(t);
  info.key = info.core;
  info.vowels = ArabicVowelSketch(StartsWith(t, U"ال") && t.size() >= 4 ? t.substr(2) : t);
  if (t == U"عبد") {
    info.kind = TokenKind::kAbdPrefix;
  } else if (t == U"ابو" || t == U"ام" || t == U"ابي") {
    info.kind = TokenKind::kKunyaPrefix;
    info.kunya = t == U"ام" ? 'm' : 'b';
  } else if (t == U"الدين") {
    info.kind = TokenKind::kDin;
  } else if (StartsWith(t, U"عبد") && t.size() >= 5) {
    info.key = "bd" + DropLeadingL(ArabicCore(t.substr(3)));
    info.note = "compound:abd-joined";
  } else if (StartsWith(t, U"ابو") && t.size() >= 5) {
    info.key = "b" + ArabicCore(t.substr(3));
    info.note = "kunya:abu-joined";
  } else if (EndsWith(t, U"الدين") && t.size() >= 7) {
    info.key = ArabicCore(t.substr(0, t.size() - 5)) + "dn";
    info.note = "compound:din-joined";
  }
  return info;
}

constexpr std::string_view kAbdForms[] = {
    "abd",   "abdal", "abdel", "abdul", "abdil",  "abdol",  "abdar", "abdur", "abdas",  "abdus",
    "abdan", "abdun", "abdat", "abdut", "abdash", "abdush", "abdaz", "abduz", "abdoul", "abdoel"};
constexpr std::string_view kAbuForms[] = {"abu", "abou", "abo", "aboo", "abuu"};
constexpr std::string_view kUmmForms[] = {"umm", "um", "oum", "om", "omm"};
constexpr std::string_view kDinForms[] = {
    "din",    "deen",  "dine",  "eddin",  "eddine", "eddeen", "uddin",  "uddine", "uddeen", "addin",
    "addine", "iddin", "aldin", "aldine", "aldeen", "eldin",  "eldine", "eldeen", "uldin",  "ddin"};
constexpr std::string_view kDinSuffixes[] = {
    "eddine", "eddin",  "eddeen", "uddine", "uddin",  "uddeen", "addine", "addin",
    "iddin",  "aldine", "aldin",  "aldeen", "eldine", "eldin",  "eldeen", "uldin"};
constexpr std::string_view kLatinParticles[] = {"ibn", "bin", "bint", "ben", "binti", "bent",
                                                "al",  "el",  "ar",   "as",  "ad",    "an",
                                                "at",  "ash", "az",   "ul",  "ud",    "ur"};
constexpr std::string_view kLatinUnknown[] = {"unknown", "unidentified", "majhool",
                                              "majhoul", "majhul",       "mjhwl"};
// Conventional abbreviations of one name (a spelling pattern, not a name list).
constexpr std::string_view kMuhammadAbbrev[] = {"mhd", "md", "mohd", "muhd", "mhmd"};

template <size_t N>
bool In(std::string_view t, const std::string_view (&set)[N]) {
  for (auto s : set) {
    if (s == t) return true;
  }
  return false;
}

TokenInfo ClassifyLatin(std::string t) {
  TokenInfo info;
  if (In(t, kLatinUnknown)) {
    info.kind = TokenKind::kUnknownMarker;
    info.display = t;
    return info;
  }
  if (In(t, kLatinParticles)) {
    info.kind = TokenKind::kParticle;
    info.display = t;
    return info;
  }
  if (In(t, kMuhammadAbbrev)) {
    info.note = "abbrev:" + t;
    t = "muhammad";
  }
  info.display = t;
  info.core = LatinCore(t);
  info.key = info.core;
  {
    std::string_view v = t;
    if ((StartsWith(v, "al") || StartsWith(v, "el")) && v.size() >= 5 &&
        !LatinSkeleton(v.substr(2)).empty()) {
      v = v.substr(2);
    }
    info.vowels = LatinVowelSketch(v);
  }
  if (In(t, kAbdForms)) {
    info.kind = TokenKind::kAbdPrefix;
    info.key = info.core = "bd";
  } else if (In(t, kAbuForms)) {
    info.kind = TokenKind::kKunyaPrefix;
    info.kunya = 'b';
  } else if (In(t, kUmmForms)) {
    info.kind = TokenKind::kKunyaPrefix;
    info.kunya = 'm';
  } else if (In(t, kDinForms)) {
    info.kind = TokenKind::kDin;
    info.core = "dn";
  } else if (StartsWith(t, "abd") && t.size() >= 5) {
    std::string rest = t.substr(3);
    size_t v = rest.find_first_not_of("aeiou");
    rest = v == std::string::npos ? "" : rest.substr(v);
    std::string k = DropLeadingL(LatinSkeleton(rest));
    if (!k.empty()) {
      info.key = "bd" + k;
      info.note = "compound:abd-joined";
    }
  } else {
    for (std::string_view abu : {"abou", "abu", "abo"}) {
      if (StartsWith(t, abu) && t.size() >= abu.size() + 3) {
        info.key = "b" + LatinCore(t.substr(abu.size()));
        info.note = "kunya:abu-joined";
        return info;
      }
    }
    for (auto suf : kDinSuffixes) {
      if (EndsWith(t, suf) && t.size() >= suf.size() + 2) {
        info.key = LatinCore(t.substr(0, t.size() - suf.size())) + "dn";
        info.note = "compound:din-joined";
        break;
      }
    }
  }
  return info;
}

struct TokenCache {
  // Node-based: Classify hands out references that must survive later inserts.
  absl::node_hash_map<std::string, TokenInfo> map;
};

TokenCache& Cache() {
  thread_local TokenCache cache;
  return cache;
}

const TokenInfo& Classify(const std::string& cache_key, bool arabic, std::u32string_view ar,
                          const std::string& latin) {
  TokenCache& cache = Cache();
  auto it = cache.map.find(cache_key);
  if (it != cache.map.end()) return it->second;
  TokenInfo info = arabic ? ClassifyArabic(ar) : ClassifyLatin(latin);
  return cache.map.emplace(cache_key, std::move(info)).first->second;
}

// Splits folded Arabic text into tokens (runs of Arabic letters) and applies
// the PDF repairs.
std::vector<std::u32string> ArabicTokens(std::u32string_view text,
                                         std::vector<std::string>* steps) {
  std::vector<std::u32string> out;
  for (size_t i = 0; i < text.size();) {
    if (!IsArabicLetter(text[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < text.size() && IsArabicLetter(text[j])) ++j;
    std::u32string t(text.substr(i, j - i));
    i = j;
    size_t p = t.find(U"هللا");
    if (p != std::u32string::npos) {
      t.replace(p, 4, U"الله");
      steps->push_back("pdf:هللا→الله");
    }
    if (StartsWith(t, U"اال") && t.size() >= 5) {
      t.erase(0, 1);
      steps->push_back("pdf:اال→ال");
    }
    // A one-letter token (other than the conjunction و) is a word broken by a
    // stray space: join it to the previous token.
    if (t.size() == 1 && t != U"و" && !out.empty()) {
      steps->push_back("pdf:join-broken:" + ToUtf8(out.back()) + "+" + ToUtf8(t));
      out.back() += t;
      continue;
    }
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<std::string> LatinTokens(std::string_view text) {
  std::vector<std::string> tokens;
  std::string cur;
  auto flush = [&] {
    bool has_letter = false;
    for (char c : cur) has_letter = has_letter || (c >= 'a' && c <= 'z');
    if (has_letter) tokens.push_back(cur);
    cur.clear();
  };
  for (char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      cur += c;
    } else if (c == '-' || c == '\'' || c == '`') {
      continue;  // joined spellings and ayn/hamza signs
    } else {
      flush();
    }
  }
  flush();
  return tokens;
}

// The same-script key of an Arabic part: its spelling without the article
// (also inside عبد/ابو compounds) and without a final ه, ي or ا, which PDF
// extraction and spelling habits drop or add.
std::string ArabicFine(const std::string& display) {
  std::u32string t = DecodeUtf8(display);  // written by AppendUtf8: well formed
  for (std::u32string_view prefix : {U"عبد", U"ابو"}) {
    if (StartsWith(t, prefix) && t.size() >= prefix.size() + 4 &&
        t.substr(prefix.size(), 2) == U"ال") {
      t.erase(prefix.size(), 2);
    }
  }
  if (StartsWith(t, U"ال") && t.size() >= 4) t.erase(0, 2);
  if (t.size() >= 3 && t.back() == U'ه') t.pop_back();
  if (t.size() >= 3 && (t.back() == U'ي' || t.back() == U'ا')) t.pop_back();
  return ToUtf8(t);
}

// Turns classified tokens into parts (compounds joined).
void BuildParts(const std::vector<const TokenInfo*>& toks, bool arabic,
                std::vector<NamePart>* parts, std::vector<std::string>* steps) {
  for (size_t i = 0; i < toks.size(); ++i) {
    const TokenInfo& t = *toks[i];
    if (!t.note.empty()) steps->push_back(t.note + ":" + t.display);
    NamePart p;
    p.arabic = arabic;
    bool has_next = i + 1 < toks.size() && toks[i + 1]->kind == TokenKind::kNormal;
    if (t.kind == TokenKind::kAbdPrefix && has_next) {
      const TokenInfo& n = *toks[++i];
      p.display = t.display + n.display;
      p.key = "bd" + DropLeadingL(n.core.empty() ? n.key : n.core);
      steps->push_back("compound:abd+" + n.display);
    } else if (t.kind == TokenKind::kKunyaPrefix && has_next) {
      const TokenInfo& n = *toks[++i];
      p.display = t.display + n.display;
      p.key = std::string(1, t.kunya) + n.core;
      steps->push_back(std::string("kunya:") + (t.kunya == 'b' ? "abu+" : "umm+") + n.display);
    } else {
      p.display = t.display;
      p.key = t.key;
      if (t.note.empty() && t.kind == TokenKind::kNormal) p.vowels = t.vowels;
    }
    if (i + 1 < toks.size() && toks[i + 1]->kind == TokenKind::kDin &&
        t.kind == TokenKind::kNormal) {
      const TokenInfo& d = *toks[++i];
      p.display += d.display;
      p.key = (t.core.empty() ? t.key : t.core) + "dn";
      p.vowels = 0;
      steps->push_back("compound:+al-din");
    }
    if (p.key.empty() && p.display.empty()) continue;
    p.fine = arabic ? ArabicFine(p.display) : p.key;
    parts->push_back(std::move(p));
  }
}

void NormalizeSegment(std::u32string_view text, bool arabic, std::vector<NamePart>* parts,
                      std::vector<std::string>* steps, int* unknown_markers) {
  std::vector<const TokenInfo*> toks;
  if (arabic) {
    thread_local std::string key;  // the cache key, reused: no allocation per token
    static const std::string kNoLatin;
    for (const auto& t : ArabicTokens(text, steps)) {
      key.clear();
      AppendUtf8(t, &key);
      toks.push_back(&Classify(key, true, t, kNoLatin));
    }
  } else {
    for (const auto& t : LatinTokens(ToLatinAscii(text))) {
      toks.push_back(&Classify(t, false, {}, t));
    }
  }
  std::vector<const TokenInfo*> kept;
  for (const TokenInfo* t : toks) {
    if (t->kind == TokenKind::kUnknownMarker) {
      ++*unknown_markers;
      continue;
    }
    if (t->kind == TokenKind::kParticle) {
      steps->push_back("drop-particle:" + t->display);
      continue;
    }
    kept.push_back(t);
  }
  BuildParts(kept, arabic, parts, steps);
}

}  // namespace

NormalizedName NormalizeName(const std::string& full) {
  if (Cache().map.size() > 200000) Cache().map.clear();  // bounded; never mid-name
  NormalizedName out;
  out.original = full;
  out.steps.reserve(8);
  bool changed = false;
  std::u32string text = FoldText(full, &changed);
  out.steps.push_back("nfkc");
  if (changed) out.steps.push_back("fold-letters");
  for (char32_t c : text) {
    if (IsArabicLetter(c)) {
      out.arabic = true;
      break;
    }
  }
  out.steps.push_back(out.arabic ? "script:arabic" : "script:latin");
  // Parenthesised text is an alternative family name: "X Y Z (W)".
  std::u32string main, alt;
  size_t open = text.find(U'(');
  if (open == std::u32string::npos) {
    main = std::move(text);
  } else {
    size_t close = text.find(U')', open);
    alt = text.substr(open + 1,
                      close == std::u32string::npos ? std::u32string::npos : close - open - 1);
    main = text.substr(0, open) + (close == std::u32string::npos ? U"" : text.substr(close + 1));
  }
  int unknown = 0;
  NormalizeSegment(main, out.arabic, &out.parts, &out.steps, &unknown);
  if (!alt.empty()) {
    std::vector<NamePart> alt_parts;
    NormalizeSegment(alt, out.arabic, &alt_parts, &out.steps, &unknown);
    if (!alt_parts.empty()) {
      out.alt_family = alt_parts.back();
      out.steps.push_back("alt-family:" + out.alt_family.display);
      if (out.parts.empty()) out.parts = alt_parts;
    }
  }
  out.unidentified = out.parts.empty();
  if (out.unidentified)
    out.steps.push_back(unknown ? "unidentified:unknown-marker" : "unidentified:no-name");
  std::string roles = "parts:";
  for (const auto& p : out.parts) {
    roles += ' ';
    roles += p.display;
    roles += '[';
    roles += p.key;
    roles += ']';
  }
  out.steps.push_back(roles);
  return out;
}

void ClearNormalizerCache() { Cache().map.clear(); }

}  // namespace qayd::matching
