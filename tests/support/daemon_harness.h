// Runs the real qaydd as a child process with a fake NOTIFY_SOCKET, for
// process-level tests. Every wait has a time bound. Like systemd, the harness
// reads every notification as it arrives (a reader thread), so the daemon
// never blocks on a full notification socket.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <optional>
#include <string>
#include <vector>

namespace qayd::testing {

class DaemonHarness {
 public:
  // Creates a temp dir with a notify socket; `config_json` is written to qayd.json.
  explicit DaemonHarness(const std::string& config_json);
  ~DaemonHarness();

  std::string dir() const { return dir_; }
  std::string config_path() const { return dir_ + "/qayd.json"; }
  void WriteConfig(const std::string& json);

  // Starts qaydd with extra environment ("WATCHDOG_USEC=..."); returns its pid.
  pid_t Start(const std::vector<std::string>& env = {});
  // Waits for a notification datagram that contains `needle`. Returns it.
  std::optional<std::string> WaitNotify(const std::string& needle, std::chrono::milliseconds timeout);
  // Waits until the daemon's stderr contains `needle`.
  bool WaitLog(const std::string& needle, std::chrono::milliseconds timeout);
  std::string Log() const;
  void Signal(int signo);
  // Waits for exit; returns the exit status or nullopt on timeout.
  std::optional<int> WaitExit(std::chrono::milliseconds timeout);

 private:
  std::string dir_;
  void ReadNotifications();

  int notify_fd_ = -1;
  pid_t pid_ = -1;
  std::mutex mutex_;
  std::vector<std::string> notifications_;  // guarded by mutex_
  std::atomic<bool> stop_{false};
  std::thread reader_;
};

}  // namespace qayd::testing
