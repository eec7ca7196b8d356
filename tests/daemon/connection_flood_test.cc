// The real qaydd under a flood of idle connections (issue 21, finding 3):
// 20,000 connections that never send a byte used to exhaust its descriptors,
// spin accept() and write hundreds of MB of log while /healthz timed out.
// Now the connection cap closes the longest idle connection for each new one:
// /healthz answers within a second, the log stays small, and once the flood
// is gone the daemon serves as before.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <regex>

#include "tests/support/daemon_harness.h"
#include "tests/support/http_post.h"

namespace qayd::testing {
namespace {

using namespace std::chrono_literals;

// Three seconds bound connect() and every read: a daemon that stopped
// answering fails the test instead of hanging it.
constexpr int kTimeoutS = 3;

const std::string kHealth = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

TEST(ConnectionFloodTest, TwentyThousandIdleConnectionsLeaveTheDaemonServing) {
  rlimit saved{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &saved), 0);
  // The daemon starts with systemd's default soft limit (1024), as under a
  // unit without LimitNOFILE; it raises it itself as far as it needs.
  rlimit daemon_limit = saved;
  daemon_limit.rlim_cur = std::min<rlim_t>(1024, saved.rlim_max);
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &daemon_limit), 0);
  DaemonHarness d(R"({
  "store": {"sqlite_path": "@DIR@/register.db"},
  "http": {"listen": "127.0.0.1", "port": 0},
  "daemon": {"drain_timeout_s": 5}
})");
  d.Start();
  // The test itself takes every descriptor it may have.
  rlimit mine = saved;
  mine.rlim_cur = saved.rlim_max;
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &mine), 0);
  ASSERT_TRUE(d.WaitNotify("READY=1", 60s)) << d.Log();
  std::smatch m;
  const std::string started = d.Log();
  ASSERT_TRUE(std::regex_search(started, m,
                                std::regex("http listening[^\\n]*port=\"?([0-9]+)\"?[^\\n]*"
                                           "max_connections=\"?([0-9]+)")))
      << started;
  const int port = std::stoi(m[1].str());
  const size_t cap = std::stoul(m[2].str());
  EXPECT_EQ(cap, 1024u);  // the default, made to fit by raising the soft limit

  // 20,000, or as many as this process may open (the hard limit here may be
  // lower), keeping 100 descriptors for the test's own work.
  const size_t wanted = std::min<size_t>(20000, static_cast<size_t>(mine.rlim_cur) - 100);
  std::vector<int> flood;
  flood.reserve(wanted);
  while (flood.size() < wanted) {
    const int fd = ConnectLoopback(port, kTimeoutS);
    if (fd < 0) break;
    flood.push_back(fd);
  }
  ASSERT_GT(flood.size(), cap) << "the flood must be over the cap";
  std::printf("[ flood    ] %zu idle connections, cap %zu, descriptor limit %llu\n", flood.size(),
              cap, static_cast<unsigned long long>(mine.rlim_cur));

  const auto t0 = std::chrono::steady_clock::now();
  const std::string health = RawExchange(port, kHealth, kTimeoutS);
  const auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(health.rfind("HTTP/1.1 200", 0), 0u) << health;
  EXPECT_LT(took, 1s) << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
                      << " ms";
  std::printf(
      "[ flood    ] /healthz answered in %lld ms\n",
      static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(took).count()));

  for (int fd : flood) ::close(fd);
  const std::string log = d.Log();
  EXPECT_LT(log.size(), 1u << 20) << "log of " << log.size() << " bytes";
  EXPECT_EQ(log.find("http accept failed"), std::string::npos) << log.substr(0, 4000);
  EXPECT_NE(log.find("http connection limit reached"), std::string::npos);  // and said so

  // After the flood: normal service.
  EXPECT_EQ(RawExchange(port, kHealth, kTimeoutS).rfind("HTTP/1.1 200", 0), 0u);
  const std::string body = R"({"user":"nobody","password":"no-such-user"})";
  const std::string login = HttpPost(port, "/api/v1/login", body, "", kTimeoutS);
  EXPECT_EQ(login.rfind("HTTP/1.1 401", 0), 0u) << login;
  const std::string vocabulary = RawExchange(
      port, "GET /api/v1/vocabulary HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", kTimeoutS);
  EXPECT_EQ(vocabulary.rfind("HTTP/1.1 200", 0), 0u) << vocabulary;
  d.Signal(SIGTERM);
  EXPECT_EQ(d.WaitExit(15s), 0) << d.Log();
  setrlimit(RLIMIT_NOFILE, &saved);
}

}  // namespace
}  // namespace qayd::testing
