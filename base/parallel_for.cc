#include "base/parallel_for.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>

namespace qayd {
namespace {

struct Shared {
  std::atomic<size_t> next{0};
  size_t n = 0, chunk = 1;
  const std::function<void(size_t)>* fn = nullptr;
  std::mutex mu;
  std::condition_variable done_cv;
  size_t running = 0;   // helpers that started and have not finished (guarded by mu)
  bool closed = false;  // the caller has finished: late helpers do nothing

  void Drain() {
    for (;;) {
      size_t begin = next.fetch_add(chunk);
      if (begin >= n) return;
      size_t end = std::min(n, begin + chunk);
      for (size_t i = begin; i < end; ++i) (*fn)(i);
    }
  }
};

}  // namespace

void ParallelFor(ThreadPool* pool, size_t n, const std::function<void(size_t)>& fn, size_t chunk) {
  if (n == 0) return;
  auto shared = std::make_shared<Shared>();
  shared->n = n;
  shared->chunk = std::max<size_t>(1, chunk);
  shared->fn = &fn;
  const size_t helpers = pool == nullptr || n <= shared->chunk ? 0 : pool->size();
  for (size_t h = 0; h < helpers; ++h) {
    pool->Post([shared] {
      {
        std::lock_guard lock(shared->mu);
        if (shared->closed) return;  // the caller already finished all the work
        ++shared->running;
      }
      shared->Drain();
      std::lock_guard lock(shared->mu);
      if (--shared->running == 0) shared->done_cv.notify_all();
    });
  }
  shared->Drain();
  // Every index has been handed out; wait for helpers still inside fn.
  std::unique_lock lock(shared->mu);
  shared->closed = true;
  shared->done_cv.wait(lock, [&] { return shared->running == 0; });
}

}  // namespace qayd
