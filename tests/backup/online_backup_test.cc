// Backups taken while a writer thread keeps ingesting: each restored copy
// holds every report acknowledged before its backup began, and its export
// equals the live register's export at the backup's snapshot.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include "backup/backup.h"
#include "tests/backup/backup_test_support.h"
#include "tests/store/store_test_support.h"

namespace qayd::backup {
namespace {

using Clock = std::chrono::steady_clock;

TEST(OnlineBackupTest, BackupsDuringIngestHoldEveryAcknowledgedReport) {
  testing_support::TempDir dir;
  const std::string db = dir.path() + "/register.db";
  auto opened = OpenStore(db);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Store& store = **opened;
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(backup_test::AddReport(store, i).ok());

  std::mutex mu;
  int acked = 30;                                // reports 0..acked-1 are committed
  std::map<int64_t, std::string> export_at_seq;  // live export after each commit
  std::atomic<bool> stop{false};
  std::string writer_error;
  std::thread writer([&] {
    for (int i = 30; !stop && i < 5000; ++i) {
      auto id = backup_test::AddReport(store, i);
      if (!id.ok()) {
        std::lock_guard<std::mutex> lock(mu);
        writer_error = id.status().ToString();
        return;
      }
      // The only writer: nothing commits between this commit and these reads.
      auto txn = store.Begin(Store::Mode::kRead);
      auto seq = txn.ok() ? (*txn)->LastEventSeq() : Result<int64_t>(txn.status());
      if (txn.ok()) txn->reset();
      std::string exported = backup_test::Export(store);
      std::lock_guard<std::mutex> lock(mu);
      if (!seq.ok()) {
        writer_error = seq.status().ToString();
        return;
      }
      acked = i + 1;
      export_at_seq[*seq] = std::move(exported);
    }
  });

  struct Taken {
    int acked_before;
    Manifest manifest;
    std::string file;
  };
  std::vector<Taken> taken;
  const auto deadline = Clock::now() + std::chrono::seconds(120);
  for (int b = 0; b < 5; ++b) {
    // Let the writer get ahead a little between backups.
    int start;
    {
      std::lock_guard<std::mutex> lock(mu);
      start = acked;
    }
    for (;;) {
      std::lock_guard<std::mutex> lock(mu);
      if (acked >= start + 15 || !writer_error.empty() || Clock::now() > deadline) break;
      mu.unlock();
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      mu.lock();
    }
    Taken t;
    {
      std::lock_guard<std::mutex> lock(mu);
      ASSERT_TRUE(writer_error.empty()) << writer_error;
      t.acked_before = acked;
    }
    t.file = dir.path() + "/backup-" + std::to_string(b) + ".db";
    auto m = TakeBackup({.db = db, .out = t.file});
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    t.manifest = *m;
    taken.push_back(t);
  }
  // Ingest goes on after the last snapshot: backups never stopped the writer.
  int acked_at_end = 0;
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(mu);
      acked_at_end = acked;
    }
    if (acked_at_end > taken.back().manifest.counts.reports + 10 || Clock::now() > deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  stop = true;
  writer.join();
  ASSERT_TRUE(writer_error.empty()) << writer_error;
  EXPECT_GT(acked_at_end, taken.back().manifest.counts.reports + 10);

  for (size_t b = 0; b < taken.size(); ++b) {
    const Taken& t = taken[b];
    SCOPED_TRACE("backup " + std::to_string(b));
    EXPECT_GE(t.manifest.counts.reports, t.acked_before);
    const std::string restored = dir.path() + "/restored-" + std::to_string(b) + ".db";
    auto r = RestoreBackup(t.file, restored, {});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    auto copy = OpenStore(restored);
    ASSERT_TRUE(copy.ok()) << copy.status().ToString();
    {
      auto txn = (*copy)->Begin(Store::Mode::kRead);
      ASSERT_TRUE(txn.ok());
      for (int i = 0; i < t.acked_before; ++i) {
        auto found = (*txn)->FindReport("backup-test", "r" + std::to_string(i));
        ASSERT_TRUE(found.ok()) << "report r" << i << " acknowledged before the backup is missing";
      }
      auto counts = (*txn)->GetCounts();
      ASSERT_TRUE(counts.ok());
      EXPECT_EQ(counts->reports, t.manifest.counts.reports);
    }
    std::lock_guard<std::mutex> lock(mu);
    auto live = export_at_seq.find(t.manifest.last_event_seq);
    ASSERT_NE(live, export_at_seq.end())
        << "no live commit ended at event " << t.manifest.last_event_seq;
    EXPECT_EQ(backup_test::Export(**copy), live->second);
  }
}

}  // namespace
}  // namespace qayd::backup
