#include "bench/load/rss_sampler.h"

#include <fstream>
#include <string>

namespace qayd::load {

RssSample ReadRss(pid_t pid) {
  RssSample s;
  s.rss_kib = -1;
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) s.rss_kib = std::stoll(line.substr(6));
    if (line.rfind("RssAnon:", 0) == 0) s.anon_kib = std::stoll(line.substr(8));
    if (line.rfind("RssFile:", 0) == 0) s.file_kib = std::stoll(line.substr(8));
    if (line.rfind("RssShmem:", 0) == 0) s.shmem_kib = std::stoll(line.substr(9));
  }
  return s;
}

void RssSampler::Sample() {
  RssSample s = ReadRss(pid_);
  if (s.rss_kib < 0) return;
  s.t_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::lock_guard lock(mu_);
  samples_.push_back(s);
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
