#include "tests/support/daemon_harness.h"

#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace qayd::testing {

DaemonHarness::DaemonHarness(const std::string& config_json) {
  char tmpl[] = "/tmp/qayd-qaydd-test.XXXXXX";
  if (mkdtemp(tmpl) == nullptr) throw std::runtime_error("mkdtemp");
  dir_ = tmpl;
  notify_fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const std::string path = dir_ + "/notify";
  std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
  if (bind(notify_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    throw std::runtime_error("bind notify socket");
  }
  WriteConfig(config_json);
  reader_ = std::thread([this] { ReadNotifications(); });
}

void DaemonHarness::ReadNotifications() {
  while (!stop_) {
    pollfd p{notify_fd_, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    char buf[4096];
    ssize_t n = recv(notify_fd_, buf, sizeof buf, 0);
    if (n <= 0) continue;
    std::lock_guard lock(mutex_);
    notifications_.emplace_back(buf, static_cast<size_t>(n));
  }
}

DaemonHarness::~DaemonHarness() {
  stop_ = true;
  if (reader_.joinable()) reader_.join();
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  if (notify_fd_ >= 0) close(notify_fd_);
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void DaemonHarness::WriteConfig(const std::string& json) {
  std::string text = json;
  for (size_t p; (p = text.find("@DIR@")) != std::string::npos;) text.replace(p, 5, dir_);
  const std::string tmp = config_path() + ".tmp";
  std::ofstream(tmp) << text;
  std::filesystem::rename(tmp, config_path());
}

pid_t DaemonHarness::Start(const std::vector<std::string>& env) {
  pid_ = fork();
  if (pid_ == 0) {
    const std::string log = dir_ + "/qaydd.log";
    FILE* f = std::freopen(log.c_str(), "w", stderr);
    (void)f;
    setenv("NOTIFY_SOCKET", (dir_ + "/notify").c_str(), 1);
    unsetenv("JOURNAL_STREAM");
    for (const auto& e : env) putenv(strdup(e.c_str()));
    const std::string cfg = config_path();
    execl(QAYDD_PATH, "qaydd", "--config", cfg.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid_;
}

std::optional<std::string> DaemonHarness::WaitNotify(const std::string& needle,
                                                     std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      auto it = std::find_if(notifications_.begin(), notifications_.end(),
                             [&](const std::string& n) { return n.find(needle) != std::string::npos; });
      if (it != notifications_.end()) {
        std::string hit = *it;
        notifications_.erase(it);
        return hit;
      }
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

std::string DaemonHarness::Log() const {
  std::ifstream in(dir_ + "/qaydd.log");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool DaemonHarness::WaitLog(const std::string& needle, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (Log().find(needle) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

void DaemonHarness::Signal(int signo) { kill(pid_, signo); }

std::optional<int> DaemonHarness::WaitExit(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      pid_ = -1;
      if (WIFEXITED(status)) return WEXITSTATUS(status);
      return 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return std::nullopt;
}

}  // namespace qayd::testing
