#include "model/report.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace qayd {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool ParseYears(std::string_view s, int* out) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (s.empty()) return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

}  // namespace

const char* ScriptName(Script s) {
  switch (s) {
    case Script::kUnknown: return "unknown";
    case Script::kArabic: return "arabic";
    case Script::kLatin: return "latin";
    case Script::kMixed: return "mixed";
  }
  return "unknown";
}

std::optional<Script> ParseScript(std::string_view t) {
  if (t == "unknown" || t.empty()) return Script::kUnknown;
  if (t == "arabic" || t == "ar") return Script::kArabic;
  if (t == "latin" || t == "en") return Script::kLatin;
  if (t == "mixed") return Script::kMixed;
  return std::nullopt;
}

const char* SexName(Sex s) {
  switch (s) {
    case Sex::kUnknown: return "unknown";
    case Sex::kMale: return "male";
    case Sex::kFemale: return "female";
  }
  return "unknown";
}

std::optional<Sex> ParseSex(std::string_view text) {
  std::string t = Lower(text);
  if (t.empty() || t == "unknown" || t == "u" || t == "?") return Sex::kUnknown;
  if (t == "male" || t == "m" || t == "ذكر") return Sex::kMale;
  if (t == "female" || t == "f" || t == "أنثى" || t == "انثى") return Sex::kFemale;
  return std::nullopt;
}

std::string Age::ToString() const {
  switch (kind) {
    case Kind::kUnknown: return "";
    case Kind::kExact: return std::to_string(min);
    case Kind::kRange: return std::to_string(min) + "-" + std::to_string(max);
    case Kind::kChild: return "child";
    case Kind::kAdult: return "adult";
  }
  return "";
}

std::optional<Age> ParseAge(std::string_view text) {
  std::string t = Lower(text);
  while (!t.empty() && t.back() == ' ') t.pop_back();
  while (!t.empty() && t.front() == ' ') t.erase(t.begin());
  Age a;
  if (t.empty()) return a;
  if (t == "child") {
    a.kind = Age::Kind::kChild;
    a.min = 0;
    a.max = 17;
    return a;
  }
  if (t == "adult") {
    a.kind = Age::Kind::kAdult;
    a.min = 18;
    a.max = 120;
    return a;
  }
  auto dash = t.find('-');
  if (dash != std::string::npos && dash > 0) {
    int lo = 0, hi = 0;
    if (!ParseYears(std::string_view(t).substr(0, dash), &lo) ||
        !ParseYears(std::string_view(t).substr(dash + 1), &hi) || lo > hi) {
      return std::nullopt;
    }
    a.kind = Age::Kind::kRange;
    a.min = lo;
    a.max = hi;
    return a;
  }
  int y = 0;
  if (!ParseYears(t, &y)) return std::nullopt;
  a.kind = Age::Kind::kExact;
  a.min = a.max = y;
  return a;
}

const char* IdentificationName(Identification i) {
  switch (i) {
    case Identification::kIdentified: return "identified";
    case Identification::kPartial: return "partial";
    case Identification::kUnidentified: return "unidentified";
  }
  return "identified";
}

}  // namespace qayd
