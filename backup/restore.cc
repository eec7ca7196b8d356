#include <sys/stat.h>

#include <chrono>
#include <filesystem>

#include "backup/backup.h"
#include "backup/file_util.h"
#include "backup/sqlite_file.h"
#include "backup/verify_internal.h"
#include "base/log.h"
#include "store/store.h"

namespace qayd::backup {

Result<RestoreReport> RestoreBackup(const std::string& from, const std::string& db,
                                    const RestoreOptions& opts) {
  if (IsPostgresLocation(db)) {
    return Error(ErrorCode::kInvalidInput,
                 "qayd restore writes SQLite registers; restore PostgreSQL with pg_restore "
                 "(docs/BACKUP.md)");
  }
  // Fail fast, before a long verification, when the register is in use.
  if (Exists(db)) {
    auto hold = ExclusiveHold::Take(db);
    if (!hold.ok())
      return Error(hold.status().code(), "refusing to restore: " + hold.status().message());
  }
  if (!Exists(DirOf(db))) {
    std::error_code ec;
    std::filesystem::create_directories(DirOf(db), ec);
    if (ec) return Error(ErrorCode::kIo, "cannot create " + DirOf(db) + ": " + ec.message());
    ::chmod(DirOf(db).c_str(), 0700);
  }
  const std::string scratch = TempNameBeside(db) + ".restore";
  auto verified = VerifyInto(from, opts.key_file, scratch, /*keep_scratch=*/true,
                             /*require_contents=*/true);
  if (!verified.ok()) {
    return Error(verified.status().code(), "refusing to restore: " + verified.status().message());
  }
  auto cleanup = [&] {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) RemoveQuietly(scratch + suffix);
  };
  RestoreReport report;
  report.verified = *verified;
  std::unique_ptr<ExclusiveHold> hold;
  if (Exists(db)) {
    auto h = ExclusiveHold::Take(db);
    if (!h.ok()) {
      cleanup();
      return Error(h.status().code(), "refusing to restore: " + h.status().message());
    }
    hold = std::move(*h);
    const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
    report.previous_kept_as = db + ".before-restore-" + CompactUtc(now_ms);
    Status s = DurableRename(db, report.previous_kept_as);
    if (!s.ok()) {
      cleanup();
      return s;
    }
  }
  // A WAL left beside the path would be replayed into the restored file.
  for (const char* suffix : {"-wal", "-shm", "-journal"}) {
    if (Exists(db + suffix)) {
      const std::string aside =
          (report.previous_kept_as.empty() ? db + ".before-restore" : report.previous_kept_as) +
          suffix;
      Status s = DurableRename(db + suffix, aside);
      if (!s.ok()) {
        cleanup();
        return s;
      }
    }
  }
  Status s = DurableRename(scratch, db);
  if (!s.ok()) {
    cleanup();
    return s;
  }
  hold.reset();
  log::Info("register restored", {{"from", from},
                                  {"db", db},
                                  {"reports", std::to_string(report.verified.counts.reports)},
                                  {"victims", std::to_string(report.verified.counts.victims)},
                                  {"previous", report.previous_kept_as}});
  return report;
}

}  // namespace qayd::backup
