// Exponential backoff with jitter for failing feeds: the n-th consecutive
// failure waits a random time in [d/2, d] with d = min(cap, initial * 2^(n-1)).
#pragma once

#include <cstdint>
#include <random>

namespace qayd::ingest {

struct BackoffPolicy {
  int64_t initial_ms = 1000;
  int64_t cap_ms = 15 * 60 * 1000;
};

// `failures` >= 1. `rng` supplies the jitter (not thread-safe: one per poller).
int64_t BackoffDelayMs(const BackoffPolicy& policy, int64_t failures, std::mt19937_64& rng);

}  // namespace qayd::ingest
