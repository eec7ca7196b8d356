#include "bench/load/rss_sampler.h"

#include <fstream>
#include <string>

namespace qayd::load {

int64_t ReadRssKib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6));
  }
  return -1;
}

void RssSampler::Sample() {
  int64_t kib = ReadRssKib(pid_);
  if (kib < 0) return;
  double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::lock_guard lock(mu_);
  samples_.push_back({t, kib});
}

void RssSampler::Start() {
  if (pid_ <= 0) return;
  start_ = std::chrono::steady_clock::now();
  Sample();
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!cv_.wait_for(lock, std::chrono::milliseconds(interval_ms_), [this] { return stop_; })) {
      lock.unlock();
      Sample();
      lock.lock();
    }
  });
}

void RssSampler::Stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
  Sample();
}

std::vector<RssSample> RssSampler::samples() const {
  std::lock_guard lock(mu_);
  return samples_;
}

}  // namespace qayd::load
