// Scheduled backups for the daemon: every `backup.interval_s` a backup of the
// SQLite register into `backup.dir` (named qayd-YYYYMMDDTHHMMSSZ.db, or
// .db.enc when `public_key_file` is set), pruning to the newest `keep`, then
// `post_command` (via /bin/sh -c, with QAYD_BACKUP_FILE, QAYD_BACKUP_MANIFEST
// and QAYD_BACKUP_DIR in its environment) to copy it off the machine.
//
// Timing: the first backup is due one interval after the newest backup found
// in the folder (at once when there is none); then every interval.
// Threads: runs on its own thread. Apply() and TriggerNow() only take a mutex
// briefly, so they are safe on the io_context thread. Stop() (and the
// destructor) wait for the current backup copy to end; a running post command
// is sent SIGTERM (SIGKILL 5 s later). A post command still running after one
// interval is killed the same way.
// Errors: failures are logged (error level) and exposed through /metrics
// (base/metrics.h): qayd_backup_last_status (0 ok, 1 failed),
// qayd_backup_last_success_timestamp_seconds, qayd_backup_last_duration_seconds,
// qayd_backup_post_command_exit_status (-1 none/not run, 128+N killed by
// signal N), qayd_backups_total, qayd_backup_failures_total.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "config/config.h"

namespace qayd::backup {

struct BackupRun {
  int64_t finished_ms = 0;
  bool ok = false;
  std::string file;              // the backup written (empty on failure)
  std::string error;             // why it failed
  int post_command_status = -1;  // exit status; -1 when there is no post command
};

class Scheduler {
 public:
  Scheduler();
  ~Scheduler();  // Stop()
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Takes `config.store` and `config.backup`: starts, reschedules or pauses
  // backups. Disabled while backup.dir is empty or the store is PostgreSQL
  // (logged once per Apply).
  void Apply(const Config& config);
  // Runs a backup as soon as the thread is free (when enabled).
  void TriggerNow();
  void Stop();

  // The most recent finished run, and how many runs have finished.
  std::optional<BackupRun> last() const;
  int64_t runs() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Deletes the oldest scheduler backups (and manifests) in `dir` beyond the
// newest `keep`; other files are left alone. Returns how many it deleted.
int PruneBackups(const std::string& dir, int keep);

}  // namespace qayd::backup
