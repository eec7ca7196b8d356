// Fuzzes the name normaliser and the name scoring: the input is split at the
// first '\n' (or '|') into two names; each is normalised, scored against the
// other with NameSimilarity and, as primary spellings of two reports, with
// Engine::ScorePair.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/config.h"
#include "matching/engine.h"
#include "matching/name_normalizer.h"
#include "matching/similarity.h"
#include "model/report.h"

namespace {

qayd::Report ReportNamed(const std::string& name) {
  qayd::Report r;
  qayd::NameSpelling n;
  n.full = name;
  r.names.push_back(n);
  return r;
}

void CheckScore(double s) {
  if (std::isnan(s) || s < 0.0 || s > 1.0 + 1e-9) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;  // names are at most 200 bytes after validation
  static qayd::matching::Engine engine(qayd::DefaultConfig().matching);
  std::string in(reinterpret_cast<const char*>(data), size);
  size_t cut = in.find_first_of("\n|");
  std::string a = in.substr(0, cut);
  std::string b = cut == std::string::npos ? std::string() : in.substr(cut + 1);

  qayd::matching::NormalizedName na = qayd::matching::NormalizeName(a);
  qayd::matching::NormalizedName nb = qayd::matching::NormalizeName(b);
  (void)na.first(), (void)na.father(), (void)na.grandfather(), (void)na.family();
  for (const auto& p : nb.parts) CheckScore(qayd::matching::JaroWinkler(p.display, p.key));
  CheckScore(qayd::matching::NameSimilarity(a, b));
  qayd::matching::Explanation e = engine.ScorePair(ReportNamed(a), ReportNamed(b));
  if (std::isnan(e.total)) __builtin_trap();
  (void)e.ToJson();
  return 0;
}
