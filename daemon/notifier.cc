#include "daemon/notifier.h"

#include <systemd/sd-daemon.h>
#include <time.h>

#include "base/log.h"

namespace qayd::daemon {

bool Notifier::Notify(const std::string& state) {
  const int r = sd_notify(0, state.c_str());
  if (r < 0) {
    log::Warning("sd_notify failed", {{"errno", std::to_string(-r)}});
    return false;
  }
  return true;
}

bool Notifier::Ready(const std::string& status) { return Notify("READY=1\nSTATUS=" + status); }

bool Notifier::Reloading() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  const uint64_t usec = static_cast<uint64_t>(ts.tv_sec) * 1000000 + static_cast<uint64_t>(ts.tv_nsec) / 1000;
  return Notify("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec));
}

bool Notifier::Stopping() { return Notify("STOPPING=1"); }
bool Notifier::Status(const std::string& status) { return Notify("STATUS=" + status); }
bool Notifier::Watchdog() { return Notify("WATCHDOG=1"); }

uint64_t Notifier::WatchdogUsec() const {
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) > 0) return usec;
  return 0;
}

}  // namespace qayd::daemon
