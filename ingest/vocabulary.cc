#include "ingest/validate.h"

namespace qayd::ingest {

const Vocabularies& DefaultVocabularies() {
  // The English labels seeded in the register (store/schema_v2.cc).
  static const Vocabularies kVocab{
      .perpetrators = {"Syrian regime forces", "Syrian regime army",
                       "Syrian regime security services", "Regime local militias",
                       "Regime foreign militias", "Russian forces", "ISIS", "Hay'at Tahrir al-Sham",
                       "Armed opposition / Syrian National Army", "Syrian Democratic Forces",
                       "International coalition forces", "Other parties",
                       "Landmines of unidentified origin", "Gunfire of unidentified source",
                       "Bombings of unidentified source", "Unidentified parties",
                       "Weapon tampering", "Border guards of a neighbouring state"},
      .causes = {"Gunfire", "Shelling", "Air strike", "Barrel bomb", "Explosion", "Landmine",
                 "Field execution", "Torture in detention", "Chemical weapon", "Siege / starvation",
                 "Denied medical care", "Unknown"},
      .governorates = {"Damascus", "Rif Dimashq", "Aleppo", "Idlib", "Hama", "Homs", "Latakia",
                       "Tartus", "Daraa", "Suwayda", "Quneitra", "Deir ez-Zor", "Raqqa", "Hasakah",
                       "North Gaza", "Gaza", "Deir al-Balah", "Khan Younis", "Rafah"},
  };
  return kVocab;
}

}  // namespace qayd::ingest
