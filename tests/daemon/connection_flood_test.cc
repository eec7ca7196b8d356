// The real qaydd under a flood of idle connections (issue 21, finding 3):
// 20,000 connections that never send a byte used to exhaust its descriptors,
// spin accept() and write hundreds of MB of log while /healthz timed out.
// Now the connection cap closes the longest idle connection for each new one:
// /healthz answers within a second, the log stays small, and once the flood
// is gone the daemon serves as before.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <regex>

#include "tests/support/daemon_harness.h"

namespace qayd::testing {
namespace {

using namespace std::chrono_literals;

int Connect(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  timeval tv{3, 0};  // bounds connect() and every read
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// One request on a new connection; the raw answer ("" on failure).
std::string Exchange(int port, const std::string& request) {
  const int fd = Connect(port);
  if (fd < 0) return "";
  std::string out;
  if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
      static_cast<ssize_t>(request.size())) {
    char buf[4096];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;)
      out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

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
    const int fd = Connect(port);
    if (fd < 0) break;
    flood.push_back(fd);
  }
  ASSERT_GT(flood.size(), cap) << "the flood must be over the cap";
  std::printf("[ flood    ] %zu idle connections, cap %zu, descriptor limit %llu\n", flood.size(),
              cap, static_cast<unsigned long long>(mine.rlim_cur));

  const auto t0 = std::chrono::steady_clock::now();
  const std::string health = Exchange(port, kHealth);
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
  EXPECT_EQ(Exchange(port, kHealth).rfind("HTTP/1.1 200", 0), 0u);
  const std::string body = R"({"user":"nobody","password":"no-such-user"})";
  const std::string login =
      Exchange(port,
               "POST /api/v1/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: "
               "application/json\r\nContent-Length: " +
                   std::to_string(body.size()) + "\r\n\r\n" + body);
  EXPECT_EQ(login.rfind("HTTP/1.1 401", 0), 0u) << login;
  const std::string vocabulary =
      Exchange(port, "GET /api/v1/vocabulary HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(vocabulary.rfind("HTTP/1.1 200", 0), 0u) << vocabulary;
  d.Signal(SIGTERM);
  EXPECT_EQ(d.WaitExit(15s), 0) << d.Log();
  setrlimit(RLIMIT_NOFILE, &saved);
}

}  // namespace
}  // namespace qayd::testing
