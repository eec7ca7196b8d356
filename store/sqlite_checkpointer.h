// Checkpoints a SQLite database's write-ahead log on a thread of its own, so
// the writer's commits do not copy the log into the database file (SQLite's
// automatic checkpoint runs inside the COMMIT that crosses its threshold,
// on the ingest's critical path). Internal to store/.
//
// Contract
// - Attach() installs a WAL hook on the writer connection (replacing
//   SQLite's automatic checkpoint) and starts the thread with a connection of
//   its own. After each commit the hook wakes the thread once the log holds
//   `wake_frames` pages; the thread runs a PASSIVE checkpoint (never blocks the
//   writer or readers). If the log still reaches `writer_frames` pages (the
//   thread is behind, or a long reader pins old pages), the writer
//   checkpoints itself, as SQLite would have, so the log stays bounded.
// - Errors of a background checkpoint are not fatal (the log is still
//   durable; the next checkpoint retries); the writer's own commits report
//   their errors as before.
// - The destructor stops and joins the thread and closes its connection; the
//   writer connection must outlive Attach()'s hook, i.e. destroy the
//   checkpointer only after the writer is closed or before it is used again.
#pragma once

#include <sqlite3.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "store/sql.h"

namespace qayd::store {

class SqliteCheckpointer {
 public:
  static constexpr int kWakeFrames = 30000;     // pages of 4 KiB: 120 MB
  static constexpr int kWriterFrames = 120000;  // 480 MB

  // The frame counts may be lowered for tests.
  explicit SqliteCheckpointer(std::string path, int wake_frames = kWakeFrames,
                              int writer_frames = kWriterFrames);
  ~SqliteCheckpointer();
  SqliteCheckpointer(const SqliteCheckpointer&) = delete;
  SqliteCheckpointer& operator=(const SqliteCheckpointer&) = delete;

  // Installs the hook on `writer` and starts the thread.
  void Attach(sqlite3* writer);
  // Background checkpoints run so far (tests, diagnostics).
  int checkpoints() const;

 private:
  static int Hook(void* self, sqlite3* db, const char* name, int frames);
  void Run();

  const std::string path_;
  const int wake_frames_, writer_frames_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool wanted_ = false, stop_ = false;
  int done_ = 0;
  std::thread thread_;
};

}  // namespace qayd::store
