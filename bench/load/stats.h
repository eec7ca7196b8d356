// Per-endpoint-class request statistics of a load run: latencies (µs),
// answers by status, errors by kind. One EndpointStats per class per driver
// thread (no locking); Merge() combines them after the threads end.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace qayd::load {

struct EndpointStats {
  std::vector<uint32_t> latency_us;       // every answered or failed request
  std::map<int, int64_t> by_status;       // HTTP status -> count (0: no answer)
  std::map<std::string, int64_t> errors;  // "503 unavailable", "read: ...", "bad answer: ..."
  int64_t expected_4xx = 0;               // 4xx the workflow expects (queue_empty, ...)

  int64_t requests() const { return static_cast<int64_t>(latency_us.size()); }
  int64_t error_count() const;
  void Merge(const EndpointStats& other);
};

// Percentile p (0..100) of the sorted samples, nearest rank; 0 when empty.
uint32_t Percentile(const std::vector<uint32_t>& sorted, double p);

using StatsByClass = std::map<std::string, EndpointStats>;
void MergeInto(StatsByClass* into, const StatsByClass& from);

}  // namespace qayd::load
