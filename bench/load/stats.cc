#include "bench/load/stats.h"

#include <cmath>

namespace qayd::load {

int64_t EndpointStats::error_count() const {
  int64_t n = 0;
  for (const auto& [kind, count] : errors) n += count;
  return n;
}

void EndpointStats::Merge(const EndpointStats& other) {
  latency_us.insert(latency_us.end(), other.latency_us.begin(), other.latency_us.end());
  for (const auto& [s, n] : other.by_status) by_status[s] += n;
  for (const auto& [k, n] : other.errors) errors[k] += n;
  expected_4xx += other.expected_4xx;
}

uint32_t Percentile(const std::vector<uint32_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  double rank = std::ceil(p / 100.0 * static_cast<double>(sorted.size()));
  size_t i = rank < 1 ? 0 : static_cast<size_t>(rank) - 1;
  if (i >= sorted.size()) i = sorted.size() - 1;
  return sorted[i];
}

void MergeInto(StatsByClass* into, const StatsByClass& from) {
  for (const auto& [name, s] : from) (*into)[name].Merge(s);
}

}  // namespace qayd::load
