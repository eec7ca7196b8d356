// Samples a process's resident memory (VmRSS from /proc/PID/status) on its
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
  double t_s = 0;       // seconds since Start()
  int64_t rss_kib = 0;  // VmRSS
};

// VmRSS of `pid` in KiB, or -1 when it cannot be read.
int64_t ReadRssKib(pid_t pid);

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
