// A fixed pool of worker threads for CPU-heavy work (matching, scoring) and
// blocking calls (store), kept off the io_context thread.
//
// Post() and TryPost() are thread-safe. Post() queues without bound (the
// daemon's own few housekeeping tasks); TryPost() is the bounded submit for
// work that outsiders can cause (HTTP requests): it refuses when the queue is
// full, so a flood is answered at once instead of growing memory and delay.
// The destructor (or Stop()) finishes queued tasks, then joins. Tasks must not throw; an escaping
// exception terminates the process (a broken invariant).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "base/result.h"

namespace qayd {

class ThreadPool {
 public:
  explicit ThreadPool(size_t threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // Queues a task. Returns false once Stop() has begun.
  bool Post(std::function<void()> task);
  // Queues a task unless `max_queued` tasks are already waiting. Ok when
  // queued; kUnavailable "queue full" when full (the task is dropped, the
  // caller answers), kUnavailable "stopping" once Stop() has begun.
  Status TryPost(std::function<void()> task, size_t max_queued);
  // Stops taking tasks, runs the queued ones, joins the threads.
  void Stop();
  size_t queued() const;
  size_t size() const { return threads_.size(); }

 private:
  void Run();

  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace qayd
