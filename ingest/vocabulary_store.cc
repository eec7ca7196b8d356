#include "ingest/validate.h"

namespace qayd::ingest {

Result<Vocabularies> LoadVocabularies(Store* store) {
  Vocabularies v = DefaultVocabularies();
  auto txn = store->Begin(Store::Mode::kRead);
  if (!txn.ok()) return txn.status();
  for (auto [kind, list] :
       {std::pair{"perpetrator", &v.perpetrators}, std::pair{"cause", &v.causes},
        std::pair{"governorate", &v.governorates}}) {
    auto entries = (*txn)->Vocabulary(kind);
    if (!entries.ok()) return entries.status();
    if (entries->empty()) continue;
    list->clear();
    for (const VocabularyEntry& e : *entries) {
      // Labels first: they are what a close-match suggestion should show.
      for (const std::string* s : {&e.label_en, &e.label_ar, &e.code}) {
        if (!s->empty()) list->push_back(*s);
      }
    }
  }
  return v;
}

}  // namespace qayd::ingest
