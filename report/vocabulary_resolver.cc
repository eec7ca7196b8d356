#include "report/vocabulary_resolver.h"

#include <set>
#include <sstream>

#include "report/victim_facts.h"

namespace qayd::report {
namespace {

std::set<std::string> Words(const std::string& normalised_key) {
  std::set<std::string> out;
  std::stringstream in(normalised_key);
  std::string w;
  while (std::getline(in, w, '_')) {
    if (!w.empty()) out.insert(w);
  }
  return out;
}

bool Contains(const std::set<std::string>& all, const std::set<std::string>& part) {
  if (part.empty()) return false;
  for (const std::string& w : part) {
    if (!all.count(w)) return false;
  }
  return true;
}

}  // namespace

VocabularyResolver::VocabularyResolver(std::vector<VocabularyEntry> entries)
    : entries_(std::move(entries)) {
  for (size_t i = 0; i < entries_.size(); ++i) {
    for (const std::string* s : {&entries_[i].code, &entries_[i].label_en, &entries_[i].label_ar}) {
      const std::string key = NormaliseKey(*s);
      if (!key.empty()) by_key_.emplace(key, i);  // first entry wins
    }
  }
}

Resolved VocabularyResolver::FromEntry(size_t i) const {
  Resolved r;
  r.code = entries_[i].code;
  r.label_en = entries_[i].label_en;
  r.label_ar = entries_[i].label_ar;
  r.in_vocabulary = true;
  r.order = static_cast<int>(i);
  return r;
}

Resolved VocabularyResolver::Resolve(const std::string& value) const {
  const std::string key = NormaliseKey(value);
  if (key.empty()) return Resolved{};
  if (auto it = by_key_.find(key); it != by_key_.end()) return FromEntry(it->second);
  // Word containment: "Syrian regime security" holds the words of the code
  // "regime_security"; "Syrian National Army" is one alternative of the label
  // "Armed opposition / Syrian National Army".
  const std::set<std::string> words = Words(key);
  size_t best = entries_.size();
  size_t best_size = 0;
  for (size_t i = 0; i < entries_.size(); ++i) {
    for (const std::string* s : {&entries_[i].code, &entries_[i].label_en}) {
      std::vector<std::string> alternatives;
      std::stringstream in(*s);
      std::string alt;
      while (std::getline(in, alt, '/')) alternatives.push_back(NormaliseKey(alt));
      alternatives.push_back(NormaliseKey(*s));
      for (const std::string& a : alternatives) {
        const std::set<std::string> need = Words(a);
        // Most words wins; on a tie the more specific entry (a unit of a party).
        const bool unit = entries_[i].parent != "main" && entries_[i].parent != "other";
        const bool better = need.size() > best_size ||
                            (need.size() == best_size && unit && best < entries_.size() &&
                             (entries_[best].parent == "main" || entries_[best].parent == "other"));
        if (Contains(words, need) && better) {
          best = i;
          best_size = need.size();
        }
      }
    }
  }
  if (best < entries_.size() && best_size >= 1 && (best_size >= 2 || words.size() == 1)) {
    return FromEntry(best);
  }
  Resolved r;
  r.code = "?" + value;
  r.label_en = value;
  r.label_ar = value;
  return r;
}

Resolved VocabularyResolver::TopLevel(const Resolved& r) const {
  if (!r.in_vocabulary) return r;
  size_t i = static_cast<size_t>(r.order);
  for (int depth = 0; depth < 8; ++depth) {
    const std::string& parent = entries_[i].parent;
    if (parent.empty() || parent == "main" || parent == "other") return FromEntry(i);
    auto it = by_key_.find(NormaliseKey(parent));
    if (it == by_key_.end() || entries_[it->second].code != parent) return FromEntry(i);
    i = it->second;
  }
  return FromEntry(i);
}

std::string VocabularyResolver::Group(const std::string& code) const {
  auto it = by_key_.find(NormaliseKey(code));
  if (it == by_key_.end() || entries_[it->second].code != code) return "";
  const std::string& parent = entries_[it->second].parent;
  if (parent == "main" || parent == "other") return parent;
  return "";
}

}  // namespace qayd::report
