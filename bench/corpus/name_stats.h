// Token frequencies of real Arabic name lists, for the synthetic corpus.
//
// Read at runtime from the repository's data/ (QAYD_DATA_DIR):
// - gaza-moh/*.csv: Arabic names split into first (by sex), father and
//   grandfather (male given names) and family parts;
// - gaza-moh/update-*-with-english.json: Arabic names with an English rendering,
//   aligned token by token, give the Latin spellings of each Arabic token;
// - translit/ar2en-*.txt: further Arabic -> Latin word pairs.
// Errors: LoadNameStats returns kIo / kInvalidInput if the files are missing.
// Sampling is by frequency: common names stay common, rare names rare.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/result.h"

namespace qayd::bench {

// A weighted bag of strings; Sample() draws by count.
class Bag {
 public:
  void Add(const std::string& s, uint32_t n = 1);
  void Finish();  // builds the cumulative table; call once after adding
  const std::string& Sample(std::mt19937_64& rng) const;
  size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }

 private:
  std::unordered_map<std::string, size_t> index_;
  std::vector<std::string> items_;
  std::vector<uint64_t> counts_, cumulative_;
};

struct NameStats {
  Bag first_male, first_female, male_given, family;
  // Arabic token -> its Latin spellings (by frequency).
  std::unordered_map<std::string, Bag> latin;
  size_t source_names = 0;
};

Result<NameStats> LoadNameStats(const std::string& data_dir);

}  // namespace qayd::bench
