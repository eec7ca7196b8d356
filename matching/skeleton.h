// Cross-script consonant skeletons: the key on which Arabic and Latin
// spellings of one name meet (محمد, Muhammad, Mohammed -> "mhmd").
//
// Both scripts are reduced to one consonant alphabet: vowels and the letters
// that double as long vowels (ا و ي / a e i o u w y), ayn and hamza are dropped;
// letter pairs Latin spellings confuse are folded (kh=x, q=k, th=t, dh=d,
// sh=ch, dj=j=g, gh; an h after d/t is dropped on both sides, as Latin dh/th
// is one letter); doubled letters collapse; a final h (ta marbuta, -ah)
// is dropped when at least two consonants remain. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace qayd::matching {

// Skeleton of one Arabic token given as folded code points (see FoldArabic).
std::string ArabicSkeleton(std::u32string_view token);
// Skeleton of one Latin token given as lowercase ASCII letters (digits are
// read as Arabizi: 7=h, 5=kh, 3=ayn, 2=hamza, 6=t, 9=s, 8=q).
std::string LatinSkeleton(std::string_view token);
// Collapses doubled letters and drops a final 'h' when the rest keeps at
// least two consonants; applied by both functions above.
std::string FinishSkeleton(std::string raw);

// Vowel sketches: which long vowels sit in which gap between the skeleton's
// consonants, so that two spellings with one skeleton but different long
// vowels (محمود vs Muhammad, عمر vs Ameer) can be told apart across scripts.
// Packed: consonant count in the low 4 bits, then 4 bits per gap (u-ish, i-ish,
// long u, long i) for up to 14 gaps; 0 when unknown (no check).
uint64_t ArabicVowelSketch(std::u32string_view token);
uint64_t LatinVowelSketch(std::string_view token);
// False when an Arabic long vowel (و ي, not a final ي) has no Latin vowel of
// its kind in the same gap, or a Latin long vowel (ee ii oo uu) no Arabic one.
bool VowelSketchesAgree(uint64_t arabic, uint64_t latin);

}  // namespace qayd::matching
