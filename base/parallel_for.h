// ParallelFor: runs fn(i) for every i in [0, n) on the calling thread plus
// the workers of `pool`, and returns when all have run.
//
// Contract
// - `pool` may be null (everything runs on the caller). The caller always
//   takes part, so a pool whose workers are busy cannot deadlock it.
// - fn must be safe to call concurrently for different i and must not throw
//   (an escaping exception terminates: a broken invariant).
// - Indices are handed out in small chunks in increasing order; there is no
//   ordering between the calls.
#pragma once

#include <cstddef>
#include <functional>

#include "base/thread_pool.h"

namespace qayd {

void ParallelFor(ThreadPool* pool, size_t n, const std::function<void(size_t)>& fn,
                 size_t chunk = 8);

}  // namespace qayd
