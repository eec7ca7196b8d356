// Name normalisation: one reported name -> name parts with cross-script keys.
//
// Steps (each recorded in `steps` for the explanation): NFKC and removal of
// vowel marks, tatweel and invisible characters (ICU); Arabic letter folding;
// PDF-extraction repairs (اال -> ال, هللا -> الله, a stray one-letter token joined
// back); Latin folding to ASCII (ICU Any-Latin; Latin-ASCII); dropping
// ibn/bin/bint/ben and "unknown" markers; compounds (عبد + X, X + al-Din,
// Abu/Umm + X are one part); parenthesised text as an alternative family name.
// Parts are then read by position: first, father, grandfather, family.
//
// Threads: safe from any thread. ICU transliterators and a token cache are
// thread_local; the first call on a thread pays ICU's set-up (~40 ms).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace qayd::matching {

struct NamePart {
  std::string display;  // folded spelling (Arabic letters or lowercase ASCII), compounds joined
  std::string key;      // cross-script consonant skeleton (see skeleton.h)
  std::string fine;     // same-script key: Arabic spelling without article, final ه/ي/ا;
                        // for Latin parts equal to `key`
  uint64_t vowels = 0;  // vowel sketch (skeleton.h) of a simple part; 0 for compounds
  bool arabic = false;
};

struct NormalizedName {
  std::string original;
  bool arabic = false;
  std::vector<NamePart> parts;  // in reported order
  NamePart alt_family;          // from "(...)" in the name; empty display if none
  bool unidentified = false;    // nothing usable ("مجهول", "unknown", particles only)
  std::vector<std::string> steps;

  // Role accessors; nullptr when the name has no such part.
  const NamePart* first() const { return parts.empty() ? nullptr : &parts[0]; }
  const NamePart* father() const { return parts.size() >= 3 ? &parts[1] : nullptr; }
  const NamePart* grandfather() const { return parts.size() >= 4 ? &parts[2] : nullptr; }
  const NamePart* family() const { return parts.size() >= 2 ? &parts.back() : nullptr; }
};

NormalizedName NormalizeName(const std::string& full);

// Removes this thread's token cache (tests, benchmarks).
void ClearNormalizerCache();

}  // namespace qayd::matching
