#include "store/sqlite_checkpointer.h"

#include <utility>

#include "base/log.h"
#include "store/sqlite_conn.h"

namespace qayd::store {

SqliteCheckpointer::SqliteCheckpointer(std::string path, int wake_frames, int writer_frames)
    : path_(std::move(path)), wake_frames_(wake_frames), writer_frames_(writer_frames) {}

SqliteCheckpointer::~SqliteCheckpointer() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SqliteCheckpointer::Attach(sqlite3* writer) {
  sqlite3_wal_hook(writer, &SqliteCheckpointer::Hook, this);
  thread_ = std::thread([this] { Run(); });
}

int SqliteCheckpointer::checkpoints() const {
  std::lock_guard lock(mu_);
  return done_;
}

int SqliteCheckpointer::Hook(void* self, sqlite3* db, const char* name, int frames) {
  auto* c = static_cast<SqliteCheckpointer*>(self);
  if (frames >= c->writer_frames_) {
    // The thread has not kept up: bound the log here, as SQLite's automatic
    // checkpoint does (a failure leaves the log as it is; it is retried).
    sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  } else if (frames >= c->wake_frames_) {
    {
      std::lock_guard lock(c->mu_);
      c->wanted_ = true;
    }
    c->cv_.notify_one();
  }
  return SQLITE_OK;
}

void SqliteCheckpointer::Run() {
  auto conn = sql::OpenSqlite(path_, /*read_only=*/false);
  if (!conn.ok()) {
    log::Warning("WAL checkpoint thread cannot open the database; the writer checkpoints",
                 {{"error", conn.status().ToString()}});
    return;
  }
  sqlite3* db = sql::SqliteHandle(**conn);
  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return wanted_ || stop_; });
      if (stop_) return;
      wanted_ = false;
    }
    int rc = sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
      log::Debug("background WAL checkpoint failed", {{"error", sqlite3_errstr(rc)}});
    }
    std::lock_guard lock(mu_);
    ++done_;
  }
}

}  // namespace qayd::store
