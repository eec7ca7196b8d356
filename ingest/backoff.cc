#include "ingest/backoff.h"

#include <algorithm>

namespace qayd::ingest {

int64_t BackoffDelayMs(const BackoffPolicy& p, int64_t failures, std::mt19937_64& rng) {
  int64_t d = std::max<int64_t>(1, p.initial_ms);
  for (int64_t i = 1; i < failures && d < p.cap_ms; ++i) d *= 2;
  d = std::min(d, p.cap_ms);
  std::uniform_int_distribution<int64_t> jitter(d / 2, d);
  return jitter(rng);
}

}  // namespace qayd::ingest
