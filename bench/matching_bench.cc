// Matching engine micro-benchmarks: normalisation (cached and cold), key
// generation, candidate lookup, scoring, and Match() against a large index.
//
// Names come from the real lists in data/ (QAYD_DATA_DIR); the
// large index recombines their name parts at random (families of four parts,
// random dates of birth), which keeps realistic token frequencies.
//   ./matching_bench --benchmark_filter=Match/1000000
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "config/config.h"
#include "eval/loaders.h"
#include "matching/block_keys.h"
#include "matching/engine.h"
#include "matching/name_normalizer.h"
#include "matching/profile.h"
#include "matching/scorer.h"

namespace qayd::matching {
namespace {

const std::vector<Report>& RealReports() {
  static const std::vector<Report> reports = [] {
    auto r =
        eval::LoadGazaCsv(std::string(QAYD_DATA_DIR) + "/gaza-moh/release-2024-03-29.csv");
    return r.ok() ? *r : std::vector<Report>{};
  }();
  return reports;
}

// Synthetic reports recombining real name parts by position.
std::vector<Report> Synthetic(size_t n, uint64_t seed) {
  std::vector<std::vector<std::string>> pools(4);
  for (const auto& r : RealReports()) {
    NormalizedName nn = NormalizeName(r.names[0].full);
    if (nn.parts.size() < 4) continue;
    for (int i = 0; i < 3; ++i) pools[i].push_back(nn.parts[i].display);
    pools[3].push_back(nn.parts.back().display);
  }
  std::mt19937_64 rng(seed);
  std::vector<Report> out(n);
  for (size_t i = 0; i < n; ++i) {
    std::string name;
    for (int k = 0; k < 4; ++k) {
      name += (k ? " " : "") + pools[k][rng() % pools[k].size()];
    }
    out[i].names.push_back({name});
    out[i].sex = rng() % 2 ? Sex::kMale : Sex::kFemale;
    if (rng() % 10 < 9) {
      out[i].date_of_birth = {static_cast<int>(1940 + rng() % 84), static_cast<int>(1 + rng() % 12),
                              static_cast<int>(1 + rng() % 28), DatePrecision::kExact};
    }
  }
  return out;
}

size_t RssBytes() {
  std::ifstream statm("/proc/self/statm");
  size_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * 4096;
}

void BM_NormalizeCached(benchmark::State& state) {
  const auto& reports = RealReports();
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(NormalizeName(reports[i++ % 2000].names[0].full));
  }
}
BENCHMARK(BM_NormalizeCached);

void BM_NormalizeCold(benchmark::State& state) {
  const auto& reports = RealReports();
  size_t i = 0;
  for (auto _ : state) {
    ClearNormalizerCache();  // every name pays ICU for each of its tokens
    benchmark::DoNotOptimize(NormalizeName(reports[i++ % reports.size()].names[0].full));
  }
}
BENCHMARK(BM_NormalizeCold);

void BM_ProfileAndKeys(benchmark::State& state) {
  const auto& reports = RealReports();
  size_t i = 0;
  std::vector<uint64_t> keys;
  for (auto _ : state) {
    Profile p = BuildProfile(reports[i++ % 2000]);
    keys.clear();
    BlockKeys(p, &keys);
    benchmark::DoNotOptimize(keys.data());
  }
}
BENCHMARK(BM_ProfileAndKeys);

void BM_Score(benchmark::State& state) {
  const auto& reports = RealReports();
  std::vector<Profile> profiles;
  Frequencies f;
  for (size_t i = 0; i < 2000; ++i) profiles.push_back(BuildProfile(reports[i]));
  Weights w = Weights::From(DefaultConfig().matching);
  size_t i = 0;
  for (auto _ : state) {
    const Profile& a = profiles[i % 2000];
    const Profile& b = profiles[(i * 7 + 1) % 2000];
    benchmark::DoNotOptimize(Score(a, b, w, f, nullptr));
    ++i;
  }
}
BENCHMARK(BM_Score);

struct BigIndex {
  std::unique_ptr<Engine> engine;
  std::vector<Report> queries;
  size_t bytes = 0;
};

BigIndex& Index(size_t n) {
  static std::map<size_t, BigIndex> cache;
  auto it = cache.find(n);
  if (it != cache.end()) return it->second;
  BigIndex& b = cache[n];
  std::vector<Report> reports = Synthetic(n, 42);
  size_t before = RssBytes();
  b.engine = std::make_unique<Engine>(DefaultConfig().matching);
  for (size_t i = 0; i < n; ++i)
    b.engine->Upsert(static_cast<int64_t>(i) + 1, static_cast<int64_t>(i) + 1, reports[i]);
  b.bytes = RssBytes() - before;
  // queries: a mix of indexed people and new ones
  for (size_t i = 0; i < 2000; ++i) b.queries.push_back(reports[(i * 7919) % n]);
  for (auto& r : Synthetic(2000, 7)) b.queries.push_back(r);
  return b;
}

void BM_Propose(benchmark::State& state) {
  BigIndex& b = Index(static_cast<size_t>(state.range(0)));
  size_t i = 0, proposed = 0;
  for (auto _ : state) {
    auto v = b.engine->Propose(b.queries[i++ % b.queries.size()]);
    proposed += v.size();
  }
  state.counters["proposed"] =
      static_cast<double>(proposed) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_Propose)->Arg(20000)->Arg(1000000)->Unit(benchmark::kMicrosecond);

void BM_Match(benchmark::State& state) {
  BigIndex& b = Index(static_cast<size_t>(state.range(0)));
  std::vector<double> lat;
  size_t i = 0;
  for (auto _ : state) {
    auto t0 = std::chrono::steady_clock::now();
    auto r = b.engine->Match(b.queries[i++ % b.queries.size()]);
    benchmark::DoNotOptimize(r);
    lat.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(lat.begin(), lat.end());
  state.counters["p50_us"] = lat[lat.size() / 2];
  state.counters["p99_us"] = lat[lat.size() * 99 / 100];
  state.counters["index_MiB"] = static_cast<double>(b.bytes) / (1 << 20);
}
BENCHMARK(BM_Match)->Arg(20000)->Arg(1000000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace qayd::matching
