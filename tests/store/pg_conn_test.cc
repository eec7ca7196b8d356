// A PostgreSQL connection lost under a statement is reported as kUnavailable
// ("retry later"), whoever wrote the error: the server (a FATAL with a
// SQLSTATE) or libpq itself ("server closed the connection unexpectedly",
// no SQLSTATE). The connection runs through a TCP relay on loopback that the
// test cuts, in front of the real cluster of the ctest fixture.
#include "store/pg_conn.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <regex>
#include <string>
#include <thread>

#include "tests/store/store_test_support.h"

namespace qayd {
namespace {

// Accepts one client on 127.0.0.1 and relays its bytes to `port` until Cut()
// closes both sides without a word (as a dead network or killed server does).
class Relay {
 public:
  explicit Relay(int port) : target_(port) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (bind(listener_, reinterpret_cast<sockaddr*>(&a), len) != 0 || listen(listener_, 1) != 0 ||
        getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
      return;
    }
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { Run(); });
  }
  ~Relay() {
    Cut();
    shutdown(listener_, SHUT_RDWR);  // a Run still waiting in accept returns
    if (thread_.joinable()) thread_.join();
    close(listener_);
  }
  int port() const { return port_; }
  void Cut() {
    cut_ = true;
    if (client_ >= 0) shutdown(client_, SHUT_RDWR);
    if (server_ >= 0) shutdown(server_, SHUT_RDWR);
  }

 private:
  void Run() {
    client_ = accept(listener_, nullptr, nullptr);
    if (client_ < 0) return;
    server_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<uint16_t>(target_));
    if (connect(server_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) cut_ = true;
    char buf[8192];
    while (!cut_) {
      pollfd fds[2] = {{client_, POLLIN, 0}, {server_, POLLIN, 0}};
      if (poll(fds, 2, 50) < 0) break;
      for (int i = 0; i < 2 && !cut_; ++i) {
        if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        ssize_t n = read(fds[i].fd, buf, sizeof buf);
        if (n <= 0 || write(fds[1 - i].fd, buf, static_cast<size_t>(n)) != n) cut_ = true;
      }
    }
    close(client_);
    close(server_);
  }

  int target_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<int> client_{-1};
  std::atomic<int> server_{-1};
  std::atomic<bool> cut_{false};
  std::thread thread_;
};

// The cluster's port, and the URL of `db` on it through the relay.
int PortOf(const std::string& url) {
  std::smatch m;
  if (!std::regex_search(url, m, std::regex(":([0-9]+)/"))) return 0;
  return std::stoi(m[1]);
}

std::string ThroughRelay(const std::string& url, int relay_port) {
  return std::regex_replace(url, std::regex(":([0-9]+)/"), ":" + std::to_string(relay_port) + "/");
}

class PgConnLost : public testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<testing_support::TestDatabase>("postgres");
    ASSERT_FALSE(db_->location().empty()) << "no PostgreSQL cluster";
    relay_ = std::make_unique<Relay>(PortOf(db_->location()));
    ASSERT_GT(relay_->port(), 0);
    auto c = sql::OpenPostgres(ThroughRelay(db_->location(), relay_->port()));
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    conn_ = std::move(*c);
    ASSERT_TRUE(conn_->Exec("SELECT 1").ok());
  }
  std::unique_ptr<testing_support::TestDatabase> db_;
  std::unique_ptr<Relay> relay_;
  std::unique_ptr<sql::Conn> conn_;
};

TEST_F(PgConnLost, AStatementOnACutConnectionIsUnavailable) {
  relay_->Cut();
  Status s = conn_->Exec("SELECT 1");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kUnavailable) << s.ToString();
  EXPECT_FALSE(sql::PostgresHealthy(*conn_));
}

TEST_F(PgConnLost, ARowReadOnACutConnectionIsUnavailable) {
  auto st =
      conn_->Prepare("SELECT g FROM generate_series(1, 2000000) g WHERE pg_sleep(0) IS NOT NULL");
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  auto first = (*st)->Step();
  ASSERT_TRUE(first.ok() && *first) << first.status().ToString();
  relay_->Cut();
  Result<bool> r = true;
  for (int i = 0; i < 3000000 && r.ok() && *r; ++i) r = (*st)->Step();
  ASSERT_FALSE(r.ok()) << "the rows ran out before the cut was seen";
  EXPECT_EQ(r.status().code(), ErrorCode::kUnavailable) << r.status().ToString();
}

TEST_F(PgConnLost, AServerErrorOnALiveConnectionIsNotUnavailable) {
  Status s = conn_->Exec("SELECT * FROM no_such_table");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kInternal) << s.ToString();
  EXPECT_TRUE(sql::PostgresHealthy(*conn_));
}

// The classification itself, including the case the relay cannot force: a
// write that failed first leaves libpq's status OK while its own error
// ("server closed the connection unexpectedly") carries no SQLSTATE.
TEST(PgErrorCode, LibpqsOwnErrorsAndLostConnectionsAreUnavailable) {
  EXPECT_EQ(sql::PgErrorCode(true, ""), ErrorCode::kUnavailable);
  EXPECT_EQ(sql::PgErrorCode(false, "42P01"), ErrorCode::kUnavailable);
  EXPECT_EQ(sql::PgErrorCode(true, "57P01"), ErrorCode::kUnavailable);  // admin shutdown
  EXPECT_EQ(sql::PgErrorCode(true, "08006"), ErrorCode::kUnavailable);
  EXPECT_EQ(sql::PgErrorCode(true, "40001"), ErrorCode::kUnavailable);
  EXPECT_EQ(sql::PgErrorCode(true, "23505"), ErrorCode::kConflict);
  EXPECT_EQ(sql::PgErrorCode(true, "53100"), ErrorCode::kIo);  // disk full
  EXPECT_EQ(sql::PgErrorCode(true, "42501"), ErrorCode::kPermission);
  EXPECT_EQ(sql::PgErrorCode(true, "42P01"), ErrorCode::kInternal);
  EXPECT_EQ(sql::PgErrorCode(true, "4"), ErrorCode::kInternal);
}

}  // namespace
}  // namespace qayd
