// A crash guard for bodies that cannot be moved aside before they are read
// (a feed's answer): a poison body must not stop the daemon at every restart.
//
// Before an import the marker `<dir>/.<name>.importing` is written (synced)
// with the body's digest and how many imports of it were under way; it is
// removed when the import ends, however it ends. A marker found at start-up
// means the process stopped during that import. When the same body comes
// again and `max_attempts` imports of it were already interrupted, Begin()
// says to set it aside instead: SetAside() keeps it in `<dir>/failed/` for an
// operator to correct and replay (nothing accepted is lost), and the caller
// records a failed poll.
//
// Threads: one instance per feed poller, used by its worker thread only.
// Errors: disk failures are values; with `dir` empty every call is a no-op
// and Begin() always says import.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace qayd::ingest {

class ImportMarker {
 public:
  ImportMarker(std::string dir, std::string name, int max_attempts = 2);

  // Before importing `body`: true to import it (the marker is then written),
  // false when it has already been interrupted max_attempts times.
  Result<bool> Begin(std::string_view body);
  // The import ended (successfully or not, but without a crash).
  void End();
  // After Begin(body) returned false: keeps `body` in
  // <dir>/failed/<name>-<time_ms><ext>; returns that path.
  // The marker stays: the body is refused again after a restart, until the
  // source serves another body. A body is kept once per process.
  Result<std::string> SetAside(std::string_view body, int64_t time_ms, const std::string& ext);

  // How many imports of the body in the marker found at construction were
  // interrupted (0: none found).
  int interrupted() const { return interrupted_; }

  static uint64_t Digest(std::string_view body);

 private:
  std::string dir_, name_;
  int max_attempts_;
  uint64_t digest_ = 0;  // of the body the marker found at start-up names
  int interrupted_ = 0;
  bool active_ = false;
  uint64_t refused_digest_ = 0;  // of the body Begin() last refused
  uint64_t set_aside_digest_ = 0;
  std::string set_aside_path_;
};

}  // namespace qayd::ingest
