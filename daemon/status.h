// What qaydd reports about itself: the systemd STATUS= line (the register's
// cumulative counts, then what this process did since start) and the gauges
// that need the store or the services: inbox pending, quarantine, per-feed
// failures, spool folder files.
// Threads: Refresh() reads the store: call it on a worker thread (or at
// start). Line() takes a mutex briefly: safe on the io_context.
#pragma once

#include <mutex>
#include <string>

#include "pipeline/pipeline.h"
#include "store/store.h"

namespace qayd::daemon {

class Services;

class RegisterStatus {
 public:
  // Reads the register's counts (one read transaction), the feeds' states and
  // the spool folder, and sets the gauges. Failures are logged (warning).
  void Refresh(Store* store, const Services* services);
  // "register: 12 reports, 10 victims, 2 awaiting review, 1 quarantined,
  //  0 awaiting matching; since start: ingested 5, merged 1, queued for
  //  review 1, rejected 0" (the register part once Refresh has succeeded).
  std::string Line(const PipelineCounts& since_start) const;

 private:
  mutable std::mutex mutex_;
  bool known_ = false;  // guarded by mutex_
  Counts counts_;       // guarded by mutex_
};

}  // namespace qayd::daemon
