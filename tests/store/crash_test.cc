// Crash test: a writer process is SIGKILLed at random points at least 20
// times and restarted to continue the stream; afterwards every acknowledged
// record is in the register exactly once and the database is intact.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <set>
#include <string>

#include "store/store.h"
#include "tests/store/store_test_support.h"

namespace qayd {
namespace {

using Clock = std::chrono::steady_clock;

// Runs the writer for about `run_ms`, then SIGKILLs it; adds each number it
// acknowledged to `acked`. Returns false if the writer exited on its own with
// an error.
bool RunAndKill(const std::string& db, long start, long batch, int run_ms, std::set<long>* acked,
                bool* killed) {
  int fds[2];
  if (pipe(fds) != 0) return false;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], 1);
    close(fds[0]);
    close(fds[1]);
    std::string s = std::to_string(start), e = std::to_string(start + 1000000),
                b = std::to_string(batch);
    execl(CRASH_WRITER, CRASH_WRITER, db.c_str(), s.c_str(), e.c_str(), b.c_str(), nullptr);
    _exit(127);
  }
  close(fds[1]);
  auto deadline = Clock::now() + std::chrono::milliseconds(run_ms);
  std::string buf;
  bool eof = false;
  while (!eof) {
    int left = static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count());
    if (left <= 0) break;
    pollfd p{fds[0], POLLIN, 0};
    if (poll(&p, 1, left) <= 0) continue;
    char chunk[4096];
    ssize_t n = read(fds[0], chunk, sizeof chunk);
    if (n <= 0) {
      eof = true;
      break;
    }
    buf.append(chunk, n);
    size_t nl;
    while ((nl = buf.find('\n')) != std::string::npos) {
      acked->insert(std::stol(buf.substr(0, nl)));
      buf.erase(0, nl + 1);
    }
  }
  *killed = kill(pid, SIGKILL) == 0;
  int status = 0;
  waitpid(pid, &status, 0);
  // Lines written before the kill and still in the pipe were acknowledged too.
  char chunk[4096];
  ssize_t n;
  while ((n = read(fds[0], chunk, sizeof chunk)) > 0) buf.append(chunk, n);
  size_t nl;
  while ((nl = buf.find('\n')) != std::string::npos) {
    acked->insert(std::stol(buf.substr(0, nl)));
    buf.erase(0, nl + 1);
  }
  close(fds[0]);
  return !(WIFEXITED(status) && WEXITSTATUS(status) != 0);
}

TEST(StoreCrash, AcknowledgedRecordsSurviveRepeatedSigkill) {
  testing_support::TempDir dir;
  std::string db = dir.path() + "/crash.db";
  std::mt19937 rng(std::random_device{}());
  std::set<long> acked;
  int kills = 0;
  auto deadline = Clock::now() + std::chrono::seconds(150);
  while (kills < 25 && Clock::now() < deadline) {
    long start = acked.empty() ? 0 : *acked.rbegin() + 1;
    long batch = std::uniform_int_distribution<long>(1, 40)(rng);
    int run_ms = std::uniform_int_distribution<int>(30, 400)(rng);
    bool killed = false;
    ASSERT_TRUE(RunAndKill(db, start, batch, run_ms, &acked, &killed)) << "writer failed";
    kills += killed;
  }
  ASSERT_GE(kills, 20);
  ASSERT_FALSE(acked.empty());

  auto store = OpenStore(db);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ((*store)->IntegrityCheck().value(), "ok");
  auto t = (*store)->Begin(Store::Mode::kRead);
  ASSERT_TRUE(t.ok());
  for (long n : acked) {
    auto id = (*t)->FindReport("crash", "rec-" + std::to_string(n));
    ASSERT_TRUE(id.ok()) << "acknowledged record " << n << " lost";
    EXPECT_NE(*(*t)->VictimOfReport(*id), 0) << n;
  }
  Counts c = *(*t)->GetCounts();
  // Exactly once: one report (version 1) and one victim per stored record, and
  // nothing stored beyond what the writers were asked for.
  EXPECT_GE(c.reports, static_cast<int64_t>(acked.size()));
  EXPECT_EQ(c.victims, c.reports);
  EXPECT_EQ(c.history_events, 2 * c.reports);
  EXPECT_EQ(c.pending_match, 0);
  std::printf("kills=%d acknowledged=%zu stored=%lld\n", kills, acked.size(),
              static_cast<long long>(c.reports));
}

}  // namespace
}  // namespace qayd
