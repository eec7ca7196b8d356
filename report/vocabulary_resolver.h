// Maps values as reported (codes, English or Arabic labels, near spellings)
// to entries of the store's controlled vocabularies, and perpetrator units to
// their top-level party ("main" or "other" group, see docs/STORE.md).
// Immutable after construction; safe to share between threads.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "store/store.h"

namespace qayd::report {

// A resolved value: the vocabulary entry, or for a value the vocabulary does
// not know, a synthetic entry with code "?"+value and the value as label.
struct Resolved {
  std::string code, label_en, label_ar;
  bool in_vocabulary = false;
  int order = 1 << 20;  // seeded order in the vocabulary (unknown values last)
};

class VocabularyResolver {
 public:
  // `entries` of one kind, in seeded order.
  explicit VocabularyResolver(std::vector<VocabularyEntry> entries);

  // Exact code, label_en, label_ar (case- and punctuation-insensitive); else
  // the entry whose label or code words are all among the value's words (the
  // most specific wins); else a synthetic entry. Empty value: code "".
  Resolved Resolve(const std::string& value) const;

  // For perpetrators: the top-level party of an entry (itself when its parent
  // is "main" or "other"). Unknown codes map to themselves.
  Resolved TopLevel(const Resolved& r) const;
  // "main", "other", or "" for codes not in the vocabulary.
  std::string Group(const std::string& code) const;
  const std::vector<VocabularyEntry>& entries() const { return entries_; }

 private:
  Resolved FromEntry(size_t index) const;

  std::vector<VocabularyEntry> entries_;
  std::map<std::string, size_t> by_key_;  // normalised code/labels -> index
};

}  // namespace qayd::report
