#include "ingest/validate.h"

namespace qayd::ingest {

const Vocabularies& DefaultVocabularies() {
  static const Vocabularies kVocab{
      .perpetrators =
          {"Syrian regime forces", "Syrian regime army", "Syrian regime security",
           "Syrian regime local militias", "Syrian regime foreign militias", "Russian forces",
           "ISIS", "Hay'at Tahrir al-Sham", "armed opposition", "Syrian National Army", "SDF",
           "international coalition", "Israeli forces", "other parties",
           "unidentified landmines", "unidentified gunfire", "unidentified bombings",
           "unidentified parties", "weapon tampering", "border guards", "unknown"},
      .causes = {"gunfire", "shelling", "air strike", "barrel bomb", "explosion", "landmine",
                 "field execution", "torture in detention", "chemical weapon",
                 "siege/starvation", "denied medical care", "unknown"},
      .governorates = {"Damascus", "Rif Dimashq", "Aleppo", "Idlib", "Hama", "Homs", "Latakia",
                       "Tartus", "Daraa", "Suwayda", "Quneitra", "Deir ez-Zor", "Raqqa",
                       "Hasakah", "North Gaza", "Gaza", "Deir al-Balah", "Khan Yunis", "Rafah",
                       "Jenin", "Tubas", "Tulkarm", "Nablus", "Qalqilya", "Salfit", "Ramallah",
                       "Jericho", "Jerusalem", "Bethlehem", "Hebron"},
  };
  return kVocab;
}

}  // namespace qayd::ingest
