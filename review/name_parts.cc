#include "review/name_parts.h"

#include <unicode/unistr.h>

#include <memory>
#include <sstream>
#include <vector>

#include "matching/engine.h"
#include "matching/name_normalizer.h"

namespace qayd::review {
namespace {

std::vector<std::string> Tokens(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string t;
  while (in >> t) out.push_back(t);
  return out;
}

bool IsOneOf(const std::string& t, std::initializer_list<const char*> words) {
  std::string f = FoldToken(t);
  for (const char* w : words) {
    if (f == w) return true;
  }
  return false;
}

}  // namespace

std::string FoldToken(const std::string& token) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(token);
  icu::UnicodeString out;
  for (int32_t i = 0; i < u.length();) {
    UChar32 c = u.char32At(i);
    i += U16_LENGTH(c);
    if ((c >= 0x064B && c <= 0x065F) || c == 0x0670 || c == 0x0640 || c == 0x200C || c == 0x200D ||
        c == 0x200F || c == 0x200E) {
      continue;  // tashkeel, tatweel, invisible format characters
    }
    switch (c) {
      case 0x0623:
      case 0x0625:
      case 0x0622:
      case 0x0671:
        c = 0x0627;
        break;  // alef forms
      case 0x0649:
      case 0x0626:
      case 0x06CC:
        c = 0x064A;
        break;  // ى ئ ی -> ي
      case 0x0629:
        c = 0x0647;
        break;  // ة -> ه
      case 0x0624:
        c = 0x0648;
        break;  // ؤ -> و
      case 0x06A9:
        c = 0x0643;
        break;  // ک -> ك
      default:
        break;
    }
    out.append(c);
  }
  out.toLower();
  std::string s;
  out.toUTF8String(s);
  return s;
}

NameParts SplitName(const NameSpelling& name) {
  NameParts p;
  if (!name.first.empty() || !name.father.empty() || !name.family.empty()) {
    p.parts = {name.first, name.father, name.grandfather, name.family, name.kunya};
    return p;
  }
  // The spelling's own tokens, grouped as the engine groups them (عبد/abd +
  // X, ابو/abu/umm + X, X + الدين/al-din one part; ibn/bin/bint dropped).
  std::vector<std::string> raw = Tokens(name.full), parts;
  for (size_t i = 0; i < raw.size(); ++i) {
    const std::string& t = raw[i];
    if (IsOneOf(t, {"ibn", "bin", "bint", "ben", "بن", "بنت", "ابن"})) continue;
    if (i + 1 < raw.size() && IsOneOf(t, {"abd", "abdul", "abdel", "abdal", "عبد", "ابو", "abu",
                                          "abou", "ام", "umm", "um"})) {
      parts.push_back(t + " " + raw[i + 1]);
      ++i;
      continue;
    }
    if (!parts.empty() && IsOneOf(t, {"الدين", "al-din", "el-din", "ad-din", "ud-din", "aldin",
                                      "eldin", "eddin", "eddine", "uddin", "din", "deen"})) {
      parts.back() += " " + t;
      continue;
    }
    parts.push_back(t);
  }
  // Roles as the engine reads them (matching::NormalizedName): first, then
  // the family name LAST, father only with three parts or more, grandfather
  // with four or more. When the engine made a different number of parts
  // (a repaired PDF artefact, an "unknown" marker), its folded parts are
  // shown instead, so that the alignment always matches what was scored.
  matching::NormalizedName engine = matching::NormalizeName(name.full);
  if (engine.parts.size() != parts.size()) {
    parts.clear();
    for (const auto& part : engine.parts) parts.push_back(part.display);
  }
  const size_t n = parts.size();
  if (n >= 1) p.parts[0] = parts[0];
  if (n >= 3) p.parts[1] = parts[1];
  if (n >= 4) p.parts[2] = parts[2];
  if (n >= 2) p.parts[3] = parts[n - 1];
  return p;
}

const char* PartMark(const std::string& a, const std::string& b, double* similarity) {
  *similarity = 0;
  if (a.empty() || b.empty()) return "missing";
  if (FoldToken(a) == FoldToken(b)) {
    *similarity = 1;
    return "agree";
  }
  *similarity = matching::NameSimilarity(a, b);
  if (*similarity >= 0.92) return "agree";
  if (*similarity >= 0.75) return "near";
  return "disagree";
}

}  // namespace qayd::review
