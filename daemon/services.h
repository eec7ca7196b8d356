// The daemon's background services: monitoring feeds, the spool folder and
// scheduled backups.
// Apply() is transactional: it first stages what can fail (creates a new
// spool folder) and only then starts, stops or restarts services to match
// the config (SIGHUP reload changes only what changed). On error nothing has
// changed. Stop() stops all of them; Apply() afterwards does nothing.
// Threads: Apply() and Stop() serialise on a mutex and block while feed
// pollers or the spool stop (about a second): call them from a worker or
// reload thread, never the io_context. The services run on their own threads.
#pragma once

#include <memory>
#include <vector>

#include "base/result.h"
#include "config/config.h"
#include "pipeline/pipeline.h"
#include "store/store.h"

namespace qayd::daemon {

class Services {
 public:
  // `crash_dir`: where feeds keep their crash markers and set-aside bodies
  // (ingest/import_marker.h); empty: none.
  Services(Store* store, Pipeline* pipeline, std::string crash_dir);
  ~Services();
  Services(const Services&) = delete;
  Services& operator=(const Services&) = delete;

  Status Apply(const Config& config);
  void Stop();
  // The process is about to exit past the drain bound: a spool import still in
  // the pipeline is recorded as stopped at its last batch boundary (resumed at the
  // next start, not set aside as a crash). Safe while Stop() runs on another thread.
  void Interrupt();

  // The running feeds' saved states (for the per-feed gauges).
  std::vector<FeedState> FeedStates() const;
  // The spool folder being watched ("" when none).
  std::string spool_dir() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace qayd::daemon
