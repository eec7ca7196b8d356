// The submissions of a load run: synthetic reports from the benchmark corpus
// generator (bench/corpus/, names sampled from the real lists), register part
// and incoming re-reports with spelling drift shuffled together, so that
// submissions keep producing merges and review items all through the run.
// Every record gets source `source` and a unique source_record_id
// "<tag>-<n>"; its national_id (the generator's truth) names the person.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"

namespace qayd::load {

struct LoadRecord {
  std::string source_record_id;
  std::string person;  // truth: the generator's person id (national_id)
  std::string json;    // the record as sent
};

struct CorpusSpec {
  std::string data_dir;  // the repository's data/
  uint64_t seed = 1;
  int64_t records = 20000;  // register part + incoming part
  std::string source = "load";
  std::string tag = "r";  // source_record_id prefix (unique per run)
};

Result<std::vector<LoadRecord>> MakeLoadRecords(const CorpusSpec& spec);

}  // namespace qayd::load
