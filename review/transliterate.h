// Readable transliteration of personal names for the review screen, both ways:
//   ArabicToLatin("محمد عبدالرحمن النجار") == "Muhammad Abd al-Rahman al-Najar"
//   LatinToArabic("Ahmed al-Najjar")       == "أحمد النجار"
// Display only: the matching engine compares its own skeletons
// (matching/skeleton.h), never these strings.
//
// How: a table of common name words gives exact readable forms where the
// unvocalised spelling is ambiguous (محمد = Muhammad, not "mhmd"); other words
// go through name rules (ال -> al-, عبد ال -> Abd al-, ة/final ه -> a, long
// vowels ا/و/ي -> a/ou/i, a short "a" where a syllable needs one; al-/Abd/Abu
// prefixes, ch/kh/sh/th/gh/dh digraphs, long final syllables, -a/-aa/-i/-ou
// endings) written as ICU rule-based transliterators
// (icu::Transliterator::createFromRules), with ICU's Arabic-Latin / Latin-Arabic
// for letters the rules do not name. Not a scholarly romanisation: a monitor's
// reading aid.
//
// Threads: every function is safe from any thread. The ICU transliterators are
// built once (about 40 ms) and cloned under a mutex into one instance per
// thread, because an icu::Transliterator must not be used concurrently.
// Errors: none reported; if ICU cannot build the rules (a broken ICU install)
// the functions return "" and the screen shows no transliteration.
#pragma once

#include <string>
#include <string_view>

namespace qayd::review {

// Latin letters for the Arabic words of `name` (other text dropped); "" when
// the name holds no Arabic letter.
std::string ArabicToLatin(std::string_view name);

// Arabic letters for the Latin words of `name`; "" when it holds no Latin
// letter (a-z, with or without accents).
std::string LatinToArabic(std::string_view name);

// True when `text` holds an Arabic letter (what this unit reads as Arabic).
bool HasArabic(std::string_view text);

// The name in the other script: Latin for a name with Arabic letters, else
// Arabic for a name with Latin letters, else "".
std::string TransliterateName(std::string_view name);

}  // namespace qayd::review
