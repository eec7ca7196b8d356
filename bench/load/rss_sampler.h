// Samples a process's resident memory (VmRSS and its parts from /proc/PID/status) on its
// own thread: once at Start() and every `interval_ms` until Stop().
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace qayd::load {

struct RssSample {
  double t_s = 0;         // seconds since Start()
  int64_t rss_kib = 0;    // VmRSS = anon + file + shmem
  int64_t anon_kib = 0;   // RssAnon: heap, stacks (where a leak shows)
  int64_t file_kib = 0;   // RssFile: mapped files (SQLite's mmap of the register)
  int64_t shmem_kib = 0;  // RssShmem: the WAL index
};

// The resident memory of `pid` from /proc/PID/status; rss_kib -1 when unreadable.
RssSample ReadRss(pid_t pid);

class RssSampler {
 public:
  RssSampler(pid_t pid, int interval_ms) : pid_(pid), interval_ms_(interval_ms) {}
  ~RssSampler() { Stop(); }
  void Start();
  void Stop();  // takes a last sample
  std::vector<RssSample> samples() const;

 private:
  void Sample();
  pid_t pid_;
  int interval_ms_;
  std::chrono::steady_clock::time_point start_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::vector<RssSample> samples_;  // guarded by mu_
  std::thread thread_;
};

}  // namespace qayd::load
