// Floods against the real server on loopback: the connection cap (idle
// connections give way, busy ones make newcomers wait outside with a 503),
// the bounded request queue, the deadline that counts queue time, and
// accept() failing for want of descriptors (it backs off and logs a line,
// not a line per attempt).
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include "base/log.h"
#include "tests/web/http_client.h"
#include "tests/web/test_register.h"

namespace qayd::testing {
namespace {

using namespace std::chrono_literals;

const std::string kHealth = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

class FloodTest : public ::testing::Test {
 protected:
  void Start(int max_connections, int max_queued, int deadline_ms) {
    reg_ = std::make_unique<TestRegister>(DefaultConfig().matching);
    reg_->config().http.max_connections = max_connections;
    reg_->config().http.max_queued_requests = max_queued;
    reg_->config().http.request_deadline_ms = deadline_ms;
    ASSERT_TRUE(reg_->Start().ok());
  }

  // Occupies every worker until Release().
  void BlockWorkers() {
    ThreadPool* pool = reg_->deps().pool;
    std::vector<std::future<void>> started;
    for (size_t i = 0; i < pool->size(); ++i) {
      auto p = std::make_shared<std::promise<void>>();
      started.push_back(p->get_future());
      ASSERT_TRUE(pool->Post([p, gate = gate_] {
        p->set_value();
        gate.wait();
      }));
    }
    for (auto& f : started) f.wait();
  }
  void Release() {
    if (!released_) release_.set_value();
    released_ = true;
  }
  void TearDown() override { Release(); }  // never leave the pool blocked on failure
  bool WaitQueued(size_t n) {
    for (int i = 0; i < 500 && reg_->deps().pool->queued() != n; ++i) {
      std::this_thread::sleep_for(10ms);
    }
    return reg_->deps().pool->queued() == n;
  }

  bool released_ = false;
  std::promise<void> release_;
  std::shared_future<void> gate_ = release_.get_future().share();
  std::unique_ptr<TestRegister> reg_;
};

TEST_F(FloodTest, AFullQueueIsAnswered503WithRetryAfter) {
  Start(1024, 1, 10000);
  BlockWorkers();
  RawConnection waiting(reg_->port());
  ASSERT_TRUE(waiting.Send(kHealth));
  ASSERT_TRUE(WaitQueued(1));
  RawConnection refused(reg_->port());
  ASSERT_TRUE(refused.Send(kHealth));
  const std::string busy = refused.ReadResponse(5s);  // at once, with the workers still busy
  EXPECT_EQ(RawStatus(busy), 503) << busy;
  EXPECT_EQ(RawHeader(busy, "retry-after"), "2") << busy;
  EXPECT_NE(busy.find("\"unavailable\""), std::string::npos) << busy;
  EXPECT_TRUE(refused.ClosedByPeer(5s));
  EXPECT_EQ(reg_->deps().pool->queued(), 1u);  // the refused request was never queued
  Release();
  EXPECT_EQ(RawStatus(waiting.ReadResponse(5s)), 200);
}

TEST_F(FloodTest, ARequestPastItsDeadlineIsNotRun) {
  Start(1024, 256, 1000);
  BlockWorkers();
  RawConnection late(reg_->port());
  ASSERT_TRUE(late.Send(kHealth));
  ASSERT_TRUE(WaitQueued(1));
  std::this_thread::sleep_for(1500ms);  // waits in the queue past the 1 s deadline
  Release();
  const std::string r = late.ReadResponse(5s);
  EXPECT_EQ(RawStatus(r), 503) << r;
  EXPECT_EQ(RawHeader(r, "retry-after"), "2");
  EXPECT_EQ(r.find("\"status\":\"ok\""), std::string::npos) << r;  // the handler never ran
  // A request that is not late is run.
  RawConnection fresh(reg_->port());
  ASSERT_TRUE(fresh.Send(kHealth));
  const std::string ok = fresh.ReadResponse(5s);
  EXPECT_EQ(RawStatus(ok), 200) << ok;
  EXPECT_NE(ok.find("\"status\":\"ok\""), std::string::npos) << ok;
}

TEST_F(FloodTest, OverTheCapTheLongestIdleConnectionMakesRoom) {
  Start(16, 256, 10000);
  std::vector<std::unique_ptr<RawConnection>> idle;
  for (int i = 0; i < 16; ++i) {
    idle.push_back(std::make_unique<RawConnection>(reg_->port()));
    ASSERT_TRUE(idle.back()->ok());
    std::this_thread::sleep_for(5ms);  // accepted in this order
  }
  std::vector<std::unique_ptr<RawConnection>> served;  // kept open: the server stays at its cap
  for (size_t i = 0; i < 3; ++i) {
    served.push_back(std::make_unique<RawConnection>(reg_->port()));
    ASSERT_TRUE(served.back()->Send(kHealth));
    const std::string r = served.back()->ReadResponse(5s);
    EXPECT_EQ(RawStatus(r), 200) << r;
    // The oldest idle one was closed for it, the newest not.
    EXPECT_TRUE(idle[i]->ClosedByPeer(2s)) << i;
  }
  EXPECT_FALSE(idle.back()->ClosedByPeer(200ms));
  ASSERT_TRUE(idle.back()->Send(kHealth));
  EXPECT_EQ(RawStatus(idle.back()->ReadResponse(5s)), 200);
}

TEST_F(FloodTest, WhenEveryConnectionIsBusyANewOneIsRefused) {
  Start(16, 256, 10000);
  BlockWorkers();
  std::vector<std::unique_ptr<RawConnection>> busy;
  for (int i = 0; i < 16; ++i) {
    busy.push_back(std::make_unique<RawConnection>(reg_->port()));
    ASSERT_TRUE(busy.back()->Send(kHealth));
  }
  ASSERT_TRUE(WaitQueued(16));
  RawConnection extra(reg_->port());
  const std::string r = extra.ReadAll(5s);  // answered without sending anything, then closed
  EXPECT_EQ(RawStatus(r), 503) << r;
  EXPECT_EQ(RawHeader(r, "retry-after"), "2");
  EXPECT_NE(r.find("too many connections"), std::string::npos) << r;
  Release();
  for (auto& c : busy) EXPECT_EQ(RawStatus(c->ReadResponse(5s)), 200);
}

// accept() with no descriptor left (EMFILE) used to be retried at once,
// logging a line per attempt (millions). Now it backs off and logs once.
TEST_F(FloodTest, AcceptOutOfDescriptorsBacksOffAndRecovers) {
  Start(1024, 256, 10000);
  char path[] = "/tmp/qayd-flood-log.XXXXXX";
  const int log_fd = mkstemp(path);
  ASSERT_GE(log_fd, 0);
  log::SetFd(log_fd);
  std::vector<std::unique_ptr<RawConnection>> clients;
  for (int i = 0; i < 4; ++i) clients.push_back(std::make_unique<RawConnection>());
  rlimit saved{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &saved), 0);
  const int lowest_free = dup(0);
  ASSERT_GE(lowest_free, 0);
  close(lowest_free);
  rlimit tight = saved;
  tight.rlim_cur = static_cast<rlim_t>(lowest_free);  // no new descriptor anywhere in the process
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &tight), 0);
  for (auto& c : clients) c->Connect(reg_->port());  // connect() takes no descriptor
  std::this_thread::sleep_for(2500ms);               // the server's accept() keeps failing
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &saved), 0);
  for (auto& c : clients) {
    ASSERT_TRUE(c->ok());
    ASSERT_TRUE(c->Send(kHealth));
    int status = RawStatus(c->ReadResponse(5s));  // accepted once descriptors are back
    if (status == 0) {
      // Closed without an answer: if a descriptor came free during the window
      // (another thread of the process closed one), the server accepted this
      // connection, and the next accept() failing gave it back as the idle
      // connection it was ("make room"). A new connection must be served.
      RawConnection again(reg_->port());
      ASSERT_TRUE(again.Send(kHealth));
      status = RawStatus(again.ReadResponse(5s));
    }
    EXPECT_EQ(status, 200);
  }
  log::SetFd(2);
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  close(log_fd);
  std::remove(path);
  const std::string log = text.str();
  size_t lines = 0;
  for (size_t p = 0; (p = log.find("http accept failed", p)) != std::string::npos; ++p) ++lines;
  EXPECT_GE(lines, 1u) << log;  // it did fail, and said so
  EXPECT_LE(lines, 2u) << log;  // but not once per attempt
  EXPECT_NE(log.find("Too many open files"), std::string::npos) << log;
}

}  // namespace
}  // namespace qayd::testing
