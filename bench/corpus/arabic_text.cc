#include "bench/corpus/arabic_text.h"

#include <sstream>

namespace qayd::bench {
namespace {

std::u32string Decode(const std::string& s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    char32_t cp;
    int n;
    if (c < 0x80) cp = c, n = 1;
    else if ((c >> 5) == 6) cp = c & 0x1f, n = 2;
    else if ((c >> 4) == 14) cp = c & 0x0f, n = 3;
    else cp = c & 0x07, n = 4;
    if (i + n > s.size()) break;
    for (int k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
    out.push_back(cp);
    i += n;
  }
  return out;
}

std::string Encode(const std::u32string& s) {
  std::string out;
  for (char32_t cp : s) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xc0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xe0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
      out += static_cast<char>(0xf0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    }
  }
  return out;
}

bool IsTashkeel(char32_t c) { return c >= 0x064B && c <= 0x0652; }
bool Chance(std::mt19937_64& rng, double p) {
  return static_cast<double>(rng() % 1000000) < p * 1e6;
}

constexpr char32_t kAlef = 0x0627, kLam = 0x0644, kHeh = 0x0647, kTehMarbuta = 0x0629;
constexpr char32_t kYeh = 0x064A, kAlefMaqsura = 0x0649;

}  // namespace

bool IsArabicWord(const std::string& w) {
  if (w.empty()) return false;
  for (char32_t c : Decode(w)) {
    if (!((c >= 0x0621 && c <= 0x064A) || IsTashkeel(c))) return false;
  }
  return true;
}

std::string FoldArabic(const std::string& w) {
  std::u32string out;
  for (char32_t c : Decode(w)) {
    if (IsTashkeel(c) || c == 0x0640) continue;
    if (c == 0x0623 || c == 0x0625 || c == 0x0622 || c == 0x0671) c = kAlef;
    else if (c == kAlefMaqsura || c == 0x0626) c = kYeh;
    else if (c == kTehMarbuta) c = kHeh;
    else if (c == 0x0624) c = 0x0648;
    out.push_back(c);
  }
  return Encode(out);
}

std::vector<std::string> NameParts(const std::string& raw) {
  std::vector<std::string> words;
  std::istringstream in(raw);
  std::string w;
  while (in >> w) {
    if (IsArabicWord(w)) words.push_back(w);
  }
  std::vector<std::string> parts;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string f = FoldArabic(words[i]);
    if (f == "بن" || f == "بنت") continue;
    if ((f == "عبد" || f == "ابو" || f == "ام" || f == "ال") && i + 1 < words.size()) {
      parts.push_back(words[i] + (f == "ال" ? "" : " ") + words[i + 1]);
      ++i;
      continue;
    }
    parts.push_back(words[i]);
  }
  return parts;
}

std::string ArabicDrift(const std::string& part, std::mt19937_64& rng, double strength) {
  std::u32string s = Decode(part);
  if (s.empty()) return part;
  // Compounds written joined or apart.
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    if (s[i] == U' ' && Chance(rng, 0.5 * strength)) {
      s.erase(i, 1);
      break;
    }
  }
  // Hamza on a word-initial alef written or dropped (not the article's alef).
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    const bool initial = i == 0 || s[i - 1] == U' ';
    const char32_t c = s[i];
    if (initial && (c == kAlef || c == 0x0623 || c == 0x0625) && s[i + 1] != kLam &&
        Chance(rng, 0.4 * strength)) {
      s[i] = c == kAlef ? (rng() % 2 ? 0x0623 : 0x0625) : kAlef;
    }
  }
  if (s.back() == kTehMarbuta && Chance(rng, 0.4 * strength)) s.back() = kHeh;
  else if (s.back() == kHeh && Chance(rng, 0.2 * strength)) s.back() = kTehMarbuta;
  else if (s.back() == kAlefMaqsura && Chance(rng, 0.4 * strength)) s.back() = kYeh;
  else if (s.back() == kYeh && Chance(rng, 0.2 * strength)) s.back() = kAlefMaqsura;
  // PDF artefacts.
  if (s.size() > 3 && s[0] == kAlef && s[1] == kLam && Chance(rng, 0.15 * strength)) {
    s.insert(s.begin() + 1, kAlef);  // ال -> اال
  }
  if (FoldArabic(Encode(s)).find("الله") != std::string::npos && Chance(rng, 0.3 * strength)) {
    std::string t = Encode(s);
    const auto pos = t.find("الله");
    if (pos != std::string::npos) t.replace(pos, std::string("الله").size(), "هللا");
    s = Decode(t);
  }
  if (s.size() >= 5 && Chance(rng, 0.04 * strength)) {
    s.insert(s.begin() + 2 + static_cast<long>(rng() % (s.size() - 3)), U' ');
  } else if (s.size() >= 5 && Chance(rng, 0.04 * strength)) {
    s.pop_back();
  }
  if (Chance(rng, 0.03 * strength)) s.insert(s.begin() + 1, 0x064E);  // a fatha
  return Encode(s);
}

std::string LatinDrift(const std::string& word, std::mt19937_64& rng, double strength) {
  std::string w = word;
  if (w.size() < 3) return w;
  auto replace_once = [&](const std::string& from, const std::string& to, double p) {
    const auto pos = w.find(from, 1);
    if (pos != std::string::npos && Chance(rng, p * strength)) w.replace(pos, from.size(), to);
  };
  replace_once("ou", "u", 0.3);
  replace_once("oo", "u", 0.3);
  replace_once("ee", "i", 0.3);
  replace_once("u", "o", 0.2);
  replace_once("o", "u", 0.2);
  replace_once("e", "a", 0.2);
  replace_once("a", "e", 0.15);
  replace_once("i", "e", 0.15);
  replace_once("y", "i", 0.15);
  replace_once("sh", "ch", 0.05);
  replace_once("j", "g", 0.05);
  for (size_t i = 1; i + 1 < w.size(); ++i) {
    if (w[i] == w[i + 1] && Chance(rng, 0.5 * strength)) {
      w.erase(i, 1);
      break;
    }
  }
  const char last = w.back();
  if (last == 'a' && Chance(rng, 0.3 * strength)) w += 'h';
  else if (w.size() > 3 && w.substr(w.size() - 2) == "ah" && Chance(rng, 0.3 * strength)) w.pop_back();
  if (w.rfind("Al-", 0) == 0 && Chance(rng, 0.4 * strength)) {
    const char* forms[] = {"al-", "El-", "Al ", "Al", "el "};
    w = forms[rng() % 5] + w.substr(3);
  }
  return w;
}

std::string FallbackLatin(const std::string& arabic_word) {
  std::string out;
  for (char32_t c : Decode(FoldArabic(arabic_word))) {
    switch (c) {
      case 0x0627: out += "a"; break;
      case 0x0628: out += "b"; break;
      case 0x062A: out += "t"; break;
      case 0x062B: out += "th"; break;
      case 0x062C: out += "j"; break;
      case 0x062D: out += "h"; break;
      case 0x062E: out += "kh"; break;
      case 0x062F: out += "d"; break;
      case 0x0630: out += "dh"; break;
      case 0x0631: out += "r"; break;
      case 0x0632: out += "z"; break;
      case 0x0633: out += "s"; break;
      case 0x0634: out += "sh"; break;
      case 0x0635: out += "s"; break;
      case 0x0636: out += "d"; break;
      case 0x0637: out += "t"; break;
      case 0x0638: out += "z"; break;
      case 0x0639: out += "a"; break;
      case 0x063A: out += "gh"; break;
      case 0x0641: out += "f"; break;
      case 0x0642: out += "q"; break;
      case 0x0643: out += "k"; break;
      case 0x0644: out += "l"; break;
      case 0x0645: out += "m"; break;
      case 0x0646: out += "n"; break;
      case 0x0647: out += "h"; break;
      case 0x0648: out += "ou"; break;
      case 0x064A: out += "i"; break;
      case U' ': out += " "; break;
      default: break;
    }
  }
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

}  // namespace qayd::bench
