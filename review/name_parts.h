// Name-part alignment for the review screen: splits a spelling into
// first/father/grandfather/family/kunya and folds tokens for commonness
// counts (transliteration for display: review/transliterate.h).
// Threads: all functions are thread-safe.
#pragma once

#include <array>
#include <string>

#include "model/report.h"

namespace qayd::review {

inline constexpr std::array<const char*, 5> kPartNames = {"first", "father", "grandfather",
                                                          "family", "kunya"};

struct NameParts {
  std::array<std::string, 5> parts;  // in kPartNames order; empty when missing
};

// Uses the parts the source gave; otherwise splits `full` into parts as the
// matching engine does ("abd X", "abu/umm X", "X al-din" one part, ibn/bin/
// bint dropped) and gives them the engine's roles: first; the LAST part is the
// family name; father only with 3+ parts, grandfather with 4+. So "جمال النجار"
// is first + family, never first + father.
NameParts SplitName(const NameSpelling& name);

// A token folded for counting: lower case, Arabic letter forms folded,
// tashkeel and tatweel removed.
std::string FoldToken(const std::string& token);

// agree | near | disagree | missing, from NameSimilarity of the two parts.
const char* PartMark(const std::string& a, const std::string& b, double* similarity);

}  // namespace qayd::review
