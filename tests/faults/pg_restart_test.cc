// PostgreSQL restarted (a clean "fast" restart, then an "immediate" one, which
// is a crash for the server) while submissions flow into qaydd. Every
// acknowledged report is in the register exactly once and matched once the
// daemon caught up; refusals were answered 503; the same daemon process
// reconnects (no restart) and its log says what happened.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "tests/faults/fault_support.h"

namespace qayd::testing {
namespace {

using namespace std::chrono_literals;

// A cluster this test owns (scripts/pg-test-cluster.sh), stopped and removed
// on destruction.
class OwnCluster {
 public:
  OwnCluster() : dir_("/tmp/qayd-faults-pg-" + std::to_string(getpid())) {
    url_ = RunCommandOut(Script() + " start " + dir_ + " 2>&1 | tail -n 1");
  }
  ~OwnCluster() { RunCommand(Script() + " stop " + dir_ + " 2>&1"); }
  bool ok() const { return url_.rfind("postgresql://", 0) == 0; }
  const std::string& url() const { return url_; }
  // pg_ctl restart with the server's previous options; true when it is up again.
  bool Restart(const std::string& mode) {
    const char* bin = std::getenv("PG_BIN");
    const std::string pg_ctl =
        std::string(bin && *bin ? bin : "/usr/lib/postgresql/15/bin") + "/pg_ctl";
    const std::string as_pg = geteuid() == 0 ? "runuser -u postgres -- " : "";
    const std::string out =
        RunCommandOut(as_pg + pg_ctl + " -D " + dir_ + "/data -l " + dir_ + "/server.log -m " +
                      mode + " -w -t 60 restart >/dev/null 2>&1; echo rc=$?");
    return out == "rc=0";
  }

 private:
  static std::string Script() {
    return std::string(QAYD_SOURCE_DIR) + "/scripts/pg-test-cluster.sh";
  }
  std::string dir_, url_;
};

std::string Config(const std::string& url) {
  return R"({
  "store": {"postgres": ")" +
         url + R"("},
  "http": {"listen": "127.0.0.1", "port": 0},
  "logging": {"level": "info"},
  "daemon": {"drain_timeout_s": 5}
})";
}

TEST(PgRestartTest, RestartsUnderLoadLoseNothingAndTheDaemonReconnects) {
  OwnCluster pg;
  ASSERT_TRUE(pg.ok()) << pg.url();
  const std::string token = CreateSubmitToken(pg.url());
  ASSERT_FALSE(token.empty());
  DaemonHarness d(Config(pg.url()));
  d.Start();
  ASSERT_TRUE(d.WaitNotify("READY=1", 60s)) << d.Log();
  const int port = WaitPort(d, 10s);
  ASSERT_GT(port, 0) << d.Log();

  std::mutex mu;
  RegisterExpectation expect;  // guarded by mu
  std::vector<std::string> refusals;
  std::atomic<int> accepted{0};
  std::atomic<bool> stop{false};
  // A client submitting batches of new people and re-reports of earlier ones.
  std::thread client([&] {
    for (int person = 0; !stop && person < 200000;) {
      std::vector<std::string> records;
      std::vector<std::pair<std::string, std::string>> keys;
      for (int k = 0; k < 8; ++k, ++person) {
        const std::string id = "a-" + std::to_string(person);
        records.push_back(PersonRecord(person, 0, "faults-a", id));
        keys.push_back({"faults-a", id});
        if (person % 2 == 0 && person >= 16) {
          const std::string rid = "b-" + std::to_string(person - 16);
          records.push_back(PersonRecord(person - 16, 1, "faults-b", rid));
          keys.push_back({"faults-b", rid});
        }
      }
      {
        std::lock_guard lock(mu);
        for (const auto& k : keys) expect.submitted.insert(k);
      }
      Submission s = Submit(port, token, Batch(records));
      std::lock_guard lock(mu);
      if (s.status == 200 && s.decisions.size() == keys.size()) {
        for (size_t i = 0; i < keys.size(); ++i) {
          if (s.decisions[i] != "rejected") expect.acked.insert(keys[i]);
        }
        ++accepted;
      } else {
        refusals.push_back(std::to_string(s.status) + " " + s.error_code);
        std::this_thread::sleep_for(50ms);  // a client backs off
      }
    }
  });
  auto wait_accepted = [&](int more) {
    const int target = accepted + more;
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (accepted < target && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(20ms);
    }
    return accepted >= target;
  };

  EXPECT_TRUE(wait_accepted(10)) << d.Log();
  EXPECT_TRUE(pg.Restart("fast"));
  EXPECT_TRUE(wait_accepted(10)) << "no submission accepted after a fast restart\n" << d.Log();
  EXPECT_TRUE(pg.Restart("immediate"));
  EXPECT_TRUE(wait_accepted(10)) << "no submission accepted after an immediate restart\n"
                                 << d.Log();
  stop = true;
  client.join();

  // The same process, still running, caught up.
  EXPECT_FALSE(d.WaitExit(100ms).has_value()) << d.Log();
  const QueryFn q = PostgresQuery(pg.url());
  EXPECT_TRUE(WaitNothingPending(q, 30s)) << d.Log();
  std::string log = d.Log();
  std::printf("acknowledged=%zu refused_batches=%zu\n", expect.acked.size(), refusals.size());
  for (const std::string& r : refusals)
    EXPECT_EQ(r, "503 unavailable") << "a refusal must say: retry later";
  // The log names the lost connection (refused requests, batches or matching).
  EXPECT_TRUE(std::regex_search(
      log, std::regex("level=(warning|error) msg=[^\\n]*error=\"unavailable: [^\\n]*"
                      "(terminating connection|server closed the connection|connection refused|"
                      "cannot connect|shutting down|starting up)",
                      std::regex::icase)))
      << log;

  d.Signal(SIGTERM);
  ASSERT_EQ(d.WaitExit(20s), 0) << d.Log();
  log = d.Log();
  EXPECT_EQ(log.find(kLogMarker), std::string::npos) << "personal data in the log:\n" << log;
  EXPECT_EQ(CheckRegister(q, expect), "");
  EXPECT_GT(QueryInt(q, "SELECT COUNT(*) FROM history WHERE type = 3 AND actor = 'engine'"), 0)
      << "no re-report was merged";
}

}  // namespace
}  // namespace qayd::testing
