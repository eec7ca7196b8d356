// Kill qaydd during a feed import; after a restart no record is lost or
// duplicated, every report is matched, and the feed resumes from its saved
// state instead of importing again.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <thread>

#include "tests/support/daemon_harness.h"
#include "tests/support/sqlite_count.h"

namespace qayd::testing {
namespace {

using namespace std::chrono_literals;

constexpr int kRecords = 8000;

std::string Config() {
  return R"({
  "store": {"sqlite_path": "@DIR@/register.db"},
  "http": {"listen": "127.0.0.1", "port": 0},
  "feeds": [{"id": "daily", "url": "file://@DIR@/feed.jsonl", "format": "jsonl", "poll_interval_s": 1}],
  "submissions": {"enabled": false},
  "daemon": {"drain_timeout_s": 5}
})";
}

TEST(FeedRestartTest, KilledDuringImportLosesAndDuplicatesNothing) {
  DaemonHarness d(Config());
  {
    const char* first[] = {"Ahmad", "Khaled", "Omar", "Youssef", "Rami", "Samir", "Tarek", "Nabil"};
    const char* family[] = {"Haddad", "Khatib", "Najjar", "Masri", "Hallaq", "Shami", "Sabbagh"};
    std::ofstream feed(d.dir() + "/feed.jsonl");
    for (int i = 1; i <= kRecords; ++i) {
      feed << R"({"source_record_id":"r)" << i << R"(","name":")" << first[i % 8] << " "
           << first[(i / 8) % 8] << " " << family[(i / 64) % 7] << " " << family[(i / 448) % 7]
           << R"(","sex":"male","date_of_birth":")" << (1950 + i % 60) << "-0" << (1 + i % 9)
           << "-1" << (i % 9) << R"("})"
           << "\n";
    }
  }
  const std::string db = d.dir() + "/register.db";
  d.Start();
  ASSERT_TRUE(d.WaitNotify("READY=1", 30s)) << d.Log();
  // Kill it once part of the feed is stored, before the import finished.
  int64_t at_kill = -1;
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < deadline) {
    at_kill = SqliteCount(db, "SELECT COUNT(*) FROM reports");
    if (at_kill > 0) break;
    std::this_thread::sleep_for(2ms);
  }
  d.Signal(SIGKILL);
  ASSERT_EQ(d.WaitExit(10s), 128 + SIGKILL);
  ASSERT_GT(at_kill, 0);
  ASSERT_LT(at_kill, kRecords) << "the import finished before the kill; the test proves nothing";
  EXPECT_EQ(d.Log().find("feed imported"), std::string::npos)
      << "killed before the feed state was saved";

  d.Start();
  ASSERT_TRUE(d.WaitNotify("READY=1", 60s)) << d.Log();
  ASSERT_TRUE(d.WaitLog("msg=\"feed imported\"", 120s)) << d.Log();
  // Every record once, none as a second version, nothing left unmatched.
  EXPECT_EQ(SqliteCount(db, "SELECT COUNT(*) FROM reports"), kRecords);
  EXPECT_EQ(SqliteCount(
                db, "SELECT COUNT(DISTINCT source_record_id) FROM reports WHERE source = 'daily'"),
            kRecords);
  EXPECT_EQ(SqliteCount(db, "SELECT COUNT(*) FROM reports WHERE version > 1"), 0);
  const auto settle = std::chrono::steady_clock::now() + 60s;
  while (SqliteCount(db, "SELECT COUNT(*) FROM reports WHERE resolution = 0") != 0 &&
         std::chrono::steady_clock::now() < settle) {
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(SqliteCount(db, "SELECT COUNT(*) FROM reports WHERE resolution = 0"), 0);
  EXPECT_EQ(SqliteCount(db,
                        "SELECT COUNT(*) FROM reports r WHERE NOT EXISTS "
                        "(SELECT 1 FROM history h WHERE h.report_id = r.id AND h.type IN (2, 3))"),
            0)
      << "every report was given a victim";
  const int64_t events = SqliteCount(db, "SELECT COUNT(*) FROM history");

  // A third start resumes from the saved state: the unchanged file is not
  // imported again, and nothing is written.
  d.Signal(SIGTERM);
  ASSERT_EQ(d.WaitExit(15s), 0) << d.Log();  // third start follows
  d.Start();
  ASSERT_TRUE(d.WaitNotify("READY=1", 60s)) << d.Log();
  std::this_thread::sleep_for(3s);
  EXPECT_EQ(d.Log().find("msg=\"feed imported\""), std::string::npos) << d.Log();
  EXPECT_EQ(SqliteCount(db, "SELECT COUNT(*) FROM history"), events);
  d.Signal(SIGTERM);
  EXPECT_EQ(d.WaitExit(15s), 0);
}

}  // namespace
}  // namespace qayd::testing
