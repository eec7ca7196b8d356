// The register's disk fills up during ingest (the state folder on a small
// tmpfs, filled with a ballast file). Every submission qaydd acknowledged is in
// the register afterwards, the refused ones were answered 503 "io" (no hang, no
// crash), the log names the problem without personal data, and once space is
// freed the same daemon accepts and matches again; the file passes SQLite's
// integrity check and the register's invariants hold.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "tests/faults/fault_support.h"

namespace qayd::testing {
namespace {

using namespace std::chrono_literals;

std::string Config(const std::string& state_dir) {
  return R"({
  "store": {"sqlite_path": ")" +
         state_dir + R"(/register.db"},
  "http": {"listen": "127.0.0.1", "port": 0},
  "logging": {"level": "info"},
  "daemon": {"drain_timeout_s": 5}
})";
}

TEST(DiskFullTest, AcknowledgedReportsSurviveAFullDiskAndIngestResumesWhenSpaceIsFreed) {
  TmpfsMount fs("8m");
  ASSERT_TRUE(fs.ok()) << fs.error();
  const std::string state = fs.path() + "/state";
  std::filesystem::create_directories(state);
  const std::string db = state + "/register.db";
  const std::string token = CreateSubmitToken(db);
  ASSERT_FALSE(token.empty());

  DaemonHarness d(Config(state));
  d.Start();
  ASSERT_TRUE(d.WaitNotify("READY=1", 30s)) << d.Log();
  const int port = WaitPort(d, 10s);
  ASSERT_GT(port, 0) << d.Log();

  RegisterExpectation expect;
  int person = 0;
  // New people, and re-reports of earlier ones by another source (merges).
  auto next_batch = [&](std::vector<std::pair<std::string, std::string>>* keys) {
    std::vector<std::string> records;
    for (int k = 0; k < 12; ++k, ++person) {
      const std::string id = "a-" + std::to_string(person);
      records.push_back(PersonRecord(person, 0, "faults-a", id));
      keys->push_back({"faults-a", id});
      if (person % 3 == 0 && person > 12) {
        const int earlier = person - 12;
        const std::string rid = "b-" + std::to_string(earlier);
        records.push_back(PersonRecord(earlier, 1, "faults-b", rid));
        keys->push_back({"faults-b", rid});
      }
    }
    return Batch(records);
  };
  // Returns the status; records the acknowledged keys.
  auto submit = [&](std::vector<std::string>* statuses) {
    std::vector<std::pair<std::string, std::string>> keys;
    const std::string body = next_batch(&keys);
    for (const auto& k : keys) expect.submitted.insert(k);
    Submission s = Submit(port, token, body);
    if (s.status >= 200 && s.status < 300) {
      EXPECT_EQ(s.decisions.size(), keys.size()) << s.body;
      for (size_t i = 0; i < keys.size() && i < s.decisions.size(); ++i) {
        if (s.decisions[i] != "rejected") expect.acked.insert(keys[i]);
      }
    } else if (statuses) {
      statuses->push_back(std::to_string(s.status) + " " + s.error_code);
    }
    return s.status;
  };

  // Some reports before the fault.
  for (int i = 0; i < 3; ++i) ASSERT_EQ(submit(nullptr), 200) << d.Log();

  // Fill the disk: leave ~300 KiB, then submit until the daemon refuses.
  const int64_t free_bytes = fs.FreeBytes();
  ASSERT_GT(free_bytes, 1 << 20);
  const std::string ballast = fs.path() + "/ballast";
  ASSERT_GT(WriteBallast(ballast, free_bytes - 300 * 1024), 0);
  std::vector<std::string> refusals;
  int consecutive = 0, accepted_during_fault = 0;
  for (int attempt = 0; attempt < 400 && consecutive < 4; ++attempt) {
    const int status = submit(&refusals);
    if (status >= 200 && status < 300) {
      consecutive = 0;
      ++accepted_during_fault;
    } else {
      ++consecutive;
    }
  }
  ASSERT_EQ(consecutive, 4) << "the disk never filled; the test proves nothing";
  EXPECT_GT(accepted_during_fault, 0);
  for (const std::string& r : refusals) EXPECT_EQ(r, "503 io") << "a refusal must say: retry later";
  // Still running: it neither crashed nor exited.
  EXPECT_FALSE(d.WaitExit(200ms).has_value()) << d.Log();
  ASSERT_TRUE(d.WaitLog("disk is full", 10s)) << d.Log();
  std::string log = d.Log();
  EXPECT_NE(log.find("level=error"), std::string::npos) << log;

  // Space freed: the same process accepts again and matches what was left pending.
  std::filesystem::remove(ballast);
  int after = 0;
  for (int attempt = 0; attempt < 20 && after == 0; ++attempt) {
    if (submit(nullptr) == 200)
      ++after;
    else
      std::this_thread::sleep_for(250ms);
  }
  ASSERT_EQ(after, 1) << "no submission accepted after space was freed\n" << d.Log();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(submit(nullptr), 200);
  const QueryFn q = SqliteQuery(db);
  EXPECT_TRUE(WaitNothingPending(q, 30s)) << d.Log();

  d.Signal(SIGTERM);
  ASSERT_EQ(d.WaitExit(20s), 0) << d.Log();
  log = d.Log();
  EXPECT_EQ(log.find(kLogMarker), std::string::npos) << "personal data in the log:\n" << log;
  EXPECT_EQ(
      QueryInt(q, "SELECT COUNT(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'"), 0);
  EXPECT_EQ(QueryInt(q, "SELECT COUNT(*) FROM pragma_foreign_key_check"), 0);
  EXPECT_EQ(CheckRegister(q, expect), "");
  EXPECT_GT(QueryInt(q, "SELECT COUNT(*) FROM history WHERE type = 3 AND actor = 'engine'"), 0)
      << "no re-report was merged";
  std::printf("acknowledged=%zu refused_batches=%zu accepted_during_fault=%d\n",
              expect.acked.size(), refusals.size(), accepted_during_fault);
}

}  // namespace
}  // namespace qayd::testing
