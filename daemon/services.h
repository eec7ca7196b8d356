// The daemon's background services: monitoring feeds, the spool folder and
// scheduled backups.
// Apply() starts, stops or restarts them to match a config (SIGHUP reload
// changes only what changed); Stop() stops all of them promptly.
// Threads: called from the io_context thread; the services run on their own.
#pragma once

#include <memory>

#include "config/config.h"
#include "pipeline/pipeline.h"
#include "store/store.h"

namespace qayd::daemon {

class Services {
 public:
  Services(Store* store, Pipeline* pipeline);
  ~Services();
  Services(const Services&) = delete;
  Services& operator=(const Services&) = delete;

  void Apply(const Config& config);
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace qayd::daemon
