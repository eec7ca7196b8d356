// Small text helpers for the synthetic corpus: splitting Arabic names into
// parts, folding, and the spelling variants of docs/DOMAIN.md (Arabic
// drift, PDF-extraction artefacts, Latin spelling drift).
// Pure functions except where an rng is passed; no locale or ICU.
#pragma once

#include <random>
#include <string>
#include <vector>

namespace qayd::bench {

// True when every code point is an Arabic letter (U+0621..U+064A) or tashkeel.
bool IsArabicWord(const std::string& w);
// Folds alef forms, ta marbuta, alef maqsura, hamza seats; drops tashkeel.
std::string FoldArabic(const std::string& w);
// Splits a raw Arabic name into parts: drops non-Arabic debris, joins
// "عبد X" and "ابو X" into one part (with a space), drops بن/بنت.
std::vector<std::string> NameParts(const std::string& raw);

// One Arabic re-report variant of a part (may return it unchanged): alef and
// ta marbuta drift, joined/split عبد and ابو, PDF artefacts (اال, هللا, a
// stray space, a dropped final letter), added tashkeel.
std::string ArabicDrift(const std::string& part, std::mt19937_64& rng, double strength);
// Latin spelling drift (vowels, doubled consonants, endings, article forms).
std::string LatinDrift(const std::string& word, std::mt19937_64& rng, double strength);
// A letter-by-letter Latin rendering for tokens with no known spelling.
std::string FallbackLatin(const std::string& arabic_word);

}  // namespace qayd::bench
