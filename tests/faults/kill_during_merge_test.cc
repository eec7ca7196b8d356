// qaydd SIGKILLed at random points while it merges re-reports into existing
// victims, and restarted each time (as systemd's Restart=on-failure does).
// Afterwards, with the daemon left running: every acknowledged report is
// present once and matched, belongs to exactly one victim, no victim is
// without reports, the membership is what replaying the history gives, review
// items refer to existing reports, every automatic merge has its explained
// history event, and the store's own integrity check passes.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "store/store.h"
#include "tests/faults/fault_support.h"

namespace qayd::testing {
namespace {

using namespace std::chrono_literals;

constexpr int kSeeded = 240;  // people reported first, then re-reported during the kills
constexpr int kCycles = 12;

std::string Config() {
  return R"({
  "store": {"sqlite_path": "@DIR@/register.db"},
  "http": {"listen": "127.0.0.1", "port": 0},
  "logging": {"level": "info"},
  "daemon": {"drain_timeout_s": 5}
})";
}

TEST(KillDuringMergeTest, RepeatedSigkillWhileMergingLeavesAConsistentRegister) {
  DaemonHarness d(Config());
  const std::string db = d.dir() + "/register.db";
  const std::string token = CreateSubmitToken(db);
  ASSERT_FALSE(token.empty());
  const QueryFn q = SqliteQuery(db);

  std::mutex mu;
  RegisterExpectation expect;  // guarded by mu
  auto submit = [&](int port, const std::vector<std::string>& records,
                    const std::vector<std::pair<std::string, std::string>>& keys) {
    {
      std::lock_guard lock(mu);
      for (const auto& k : keys) expect.submitted.insert(k);
    }
    Submission s = Submit(port, token, Batch(records));
    std::lock_guard lock(mu);
    if (s.status != 200) return false;
    EXPECT_EQ(s.decisions.size(), keys.size()) << s.body;
    for (size_t i = 0; i < keys.size() && i < s.decisions.size(); ++i) {
      if (s.decisions[i] != "rejected") expect.acked.insert(keys[i]);
    }
    return true;
  };

  // The register: kSeeded people, matched.
  d.Start();
  ASSERT_TRUE(d.WaitNotify("READY=1", 30s)) << d.Log();
  int port = WaitPort(d, 10s);
  ASSERT_GT(port, 0) << d.Log();
  for (int p = 0; p < kSeeded; p += 40) {
    std::vector<std::string> records;
    std::vector<std::pair<std::string, std::string>> keys;
    for (int k = p; k < p + 40; ++k) {
      records.push_back(PersonRecord(k, 0, "faults-a", "a-" + std::to_string(k)));
      keys.push_back({"faults-a", "a-" + std::to_string(k)});
    }
    ASSERT_TRUE(submit(port, records, keys)) << d.Log();
  }
  ASSERT_TRUE(WaitNothingPending(q, 30s));

  // Re-reports (two more sources, other payloads) merge into those victims;
  // kill at random points while batches are being matched.
  std::mt19937 rng(std::random_device{}());
  int next = 0;  // index into the re-report stream, shared by the cycles
  int kills_with_pending = 0;
  for (int cycle = 0; cycle < kCycles; ++cycle) {
    if (cycle > 0) {
      d.Start();
      ASSERT_TRUE(d.WaitNotify("READY=1", 30s)) << "restart " << cycle << " failed\n" << d.Log();
      port = WaitPort(d, 10s);
      ASSERT_GT(port, 0) << d.Log();
    }
    std::atomic<bool> stop{false};
    std::thread client([&, port] {
      while (!stop) {
        std::vector<std::string> records;
        std::vector<std::pair<std::string, std::string>> keys;
        for (int k = 0; k < 16; ++k, ++next) {
          const int person = next % kSeeded;
          const int variant = 1 + (next / kSeeded) % 2;
          const std::string source = variant == 1 ? "faults-b" : "faults-c";
          const std::string id = source + "-" + std::to_string(next);
          records.push_back(PersonRecord(person, variant, source, id));
          keys.push_back({source, id});
        }
        if (!submit(port, records, keys)) return;  // the daemon died under the request
      }
    });
    std::this_thread::sleep_for(
        std::chrono::milliseconds(std::uniform_int_distribution(100, 900)(rng)));
    d.Signal(SIGKILL);
    const auto status = d.WaitExit(10s);
    stop = true;
    client.join();
    ASSERT_EQ(status, 128 + SIGKILL) << d.Log();
    kills_with_pending += QueryInt(q, "SELECT COUNT(*) FROM reports WHERE resolution = 0") > 0;
  }

  // Left running, it matches the inbox and the register is consistent.
  d.Start();
  ASSERT_TRUE(d.WaitNotify("READY=1", 30s)) << d.Log();
  EXPECT_TRUE(WaitNothingPending(q, 60s)) << d.Log();
  d.Signal(SIGTERM);
  ASSERT_EQ(d.WaitExit(20s), 0) << d.Log();

  std::printf("cycles=%d acknowledged=%zu submitted=%zu kills_leaving_pending=%d\n", kCycles,
              expect.acked.size(), expect.submitted.size(), kills_with_pending);
  ASSERT_GT(expect.acked.size(), static_cast<size_t>(kSeeded)) << "nothing re-reported";
  EXPECT_EQ(CheckRegister(q, expect), "");
  // Re-reports went into the existing victims: far fewer victims than reports.
  const int64_t attached =
      QueryInt(q, "SELECT COUNT(*) FROM history WHERE type = 3 AND actor = 'engine'");
  EXPECT_GT(attached, 0);
  EXPECT_LE(QueryInt(q, "SELECT COUNT(*) FROM victims WHERE state <> 2"),
            kSeeded + QueryInt(q, "SELECT COUNT(*) FROM review_items"));
  auto store = OpenStore(db);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ((*store)->IntegrityCheck().value(), "ok");
}

}  // namespace
}  // namespace qayd::testing
