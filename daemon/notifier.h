// systemd service notifications (sd_notify) and the watchdog interval.
// Without NOTIFY_SOCKET every call is a no-op that returns true.
// Thread-safe (sd_notify opens its own socket per call).
#pragma once

#include <cstdint>
#include <string>

namespace qayd::daemon {

class Notifier {
 public:
  // Sends one or more newline-separated assignments, e.g. "READY=1\nSTATUS=...".
  // Returns false (and logs once) when sending failed.
  bool Notify(const std::string& state);
  bool Ready(const std::string& status);
  bool Reloading();  // RELOADING=1 with MONOTONIC_USEC, as systemd 253+ expects
  bool Stopping();
  bool Status(const std::string& status);
  bool Watchdog();
  // WATCHDOG_USEC for this process, 0 when the watchdog is off.
  uint64_t WatchdogUsec() const;
};

}  // namespace qayd::daemon
