// HTTP as an attacker sends it, against the real server on loopback (real
// SQLite register, engine, pipeline): request framing (HEAD, transfer
// codings), the partner API's media type, and who the client is behind a
// reverse proxy (X-Forwarded-For/-Proto, login back-off, the form's rate
// limit, Secure cookie and HSTS).
#include <gtest/gtest.h>

#include "tests/web/http_client.h"
#include "tests/web/test_register.h"

namespace qayd::testing {
namespace {

using namespace std::chrono_literals;

constexpr char kMonitorPass[] = "monitor-pass-1";
constexpr char kAdminPass[] = "admin-pass-123";

class HostileHttpTest : public ::testing::Test {
 protected:
  // `trusted`: http.trusted_proxies for this server.
  void StartServer(std::vector<std::string> trusted = {}) {
    MatchingSettings m = DefaultConfig().matching;
    reg_ = std::make_unique<TestRegister>(m);
    reg_->config().http.trusted_proxies = std::move(trusted);
    reg_->config().submissions.rate_limit_per_minute = 2;
    ASSERT_TRUE(reg_->Start().ok());
    ASSERT_TRUE(reg_->AddUser("mona", "monitor", kMonitorPass).ok());
    ASSERT_TRUE(reg_->AddUser("admin", "admin", kAdminPass).ok());
  }

  // A login as a proxy would forward it for `client` (empty: no header).
  HttpResult Login(const std::string& user, const std::string& password, const std::string& client,
                   const std::string& proto = "") {
    std::map<std::string, std::string> h;
    if (!client.empty()) h["X-Forwarded-For"] = client;
    if (!proto.empty()) h["X-Forwarded-Proto"] = proto;
    return HttpClient(reg_->port())
        .Send("POST", "/api/v1/login",
              "{\"user\":\"" + user + "\",\"password\":\"" + password + "\"}", h);
  }

  HttpResult Form(const std::string& client) {
    return HttpClient(reg_->port())
        .Send("POST", "/api/v1/public/submissions",
              "{\"name\":\"Test Person\",\"sex\":\"male\",\"age\":\"34\",\"date_of_death\":"
              "\"2024-01-03\",\"governorate\":\"Gaza\",\"relation\":\"brother\"}",
              {{"X-Forwarded-For", client}});
  }

  std::unique_ptr<TestRegister> reg_;
};

// --- framing ---------------------------------------------------------------

TEST_F(HostileHttpTest, HeadAnswersHaveGetsHeadersAndNoBody) {
  StartServer();
  for (const std::string target : {"/healthz", "/"}) {
    RawConnection c(reg_->port());
    ASSERT_TRUE(c.ok());
    // HEAD, then GET on the same connection: a body after HEAD's headers would
    // be read as the start of the second answer.
    ASSERT_TRUE(c.Send("HEAD " + target + " HTTP/1.1\r\nHost: x\r\n\r\nGET " + target +
                       " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    const std::string head = c.ReadResponse(5s, /*head=*/true);
    ASSERT_EQ(RawStatus(head), 200) << head;
    const std::string length = RawHeader(head, "content-length");
    ASSERT_FALSE(length.empty()) << head;
    EXPECT_GT(std::stoul(length), 0u) << target;
    const std::string rest = c.ReadAll(5s);
    EXPECT_EQ(rest.rfind("HTTP/1.1 200", 0), 0u) << target << ": " << rest.substr(0, 80);
    EXPECT_EQ(RawHeader(rest, "content-length"), length) << target;
    const size_t body = rest.find("\r\n\r\n");
    ASSERT_NE(body, std::string::npos);
    EXPECT_EQ(rest.size() - body - 4, std::stoul(length)) << target;
  }
}

TEST_F(HostileHttpTest, TransferCodingsOtherThanChunkedAreRefused) {
  StartServer();
  for (const std::string te : {"xchunked", "gzip, chunked", "chunked, gzip", "identity"}) {
    // Read as "no body", the rest would be a second request: it must not be answered.
    for (const std::string& fields : {"Transfer-Encoding: " + te + "\r\n",
                                      "Transfer-Encoding: " + te + "\r\nContent-Length: 2\r\n"}) {
      const std::string out = RawExchange(
          reg_->port(),
          "POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + fields +
              "\r\n{}GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
      const bool with_length = fields.find("Content-Length") != std::string::npos;
      if (!with_length || RawStatus(out) != 400) {  // Beast refuses "chunked" + a length itself
        EXPECT_EQ(RawStatus(out), 501) << fields << out;
        EXPECT_NE(out.find("unsupported_transfer_encoding"), std::string::npos) << out;
      }
      EXPECT_EQ(out.find("HTTP/1.1", 1), std::string::npos) << "a second answer: " << out;
    }
    // Content-Length first: Beast's parser refuses any coding after it.
    const std::string out =
        RawExchange(reg_->port(),
                    "POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                    "Transfer-Encoding: " +
                        te + "\r\n\r\n{}GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(RawStatus(out), 400) << te << out;
    EXPECT_EQ(out.find("HTTP/1.1", 1), std::string::npos) << "a second answer: " << out;
  }
  // The finding itself, answered 501 whatever the order of fields.
  const std::string xchunked =
      RawExchange(reg_->port(),
                  "POST /api/v1/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n"
                  "Content-Length: 2\r\n\r\n{}GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(RawStatus(xchunked), 501) << xchunked;
  // Chunked itself still works.
  const std::string body = R"({"user":"mona","password":"wrong-pass"})";
  char size[16];
  std::snprintf(size, sizeof size, "%zx", body.size());
  const std::string out =
      RawExchange(reg_->port(),
                  "POST /api/v1/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: "
                  "application/json\r\nTransfer-Encoding: Chunked\r\n\r\n" +
                      std::string(size) + "\r\n" + body + "\r\n0\r\n\r\n");
  EXPECT_EQ(RawStatus(out), 401) << out;
}

TEST_F(HostileHttpTest, PartnerApiTakesOnlyJsonBodies) {
  StartServer();
  auto token = reg_->AddToken("partner", "submit");
  ASSERT_TRUE(token.ok());
  HttpClient p(reg_->port());
  p.bearer = *token;
  const std::string rec = Record("partner-a", "ct1", "Test Person",
                                 "\"date_of_death\":\"2024-01-03\",\"sex\":\"male\"");
  for (const std::string type :
       {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
        "application/jsonx", "application/json; charset=latin1", ""}) {
    HttpResult r = p.Send("POST", "/api/v1/reports", rec, {{"content-type", type}});
    EXPECT_EQ(r.status, 415) << type;
    EXPECT_EQ(r.error_code(), "unsupported_media_type") << type;
    EXPECT_NE(r.body.find("application/json"), std::string::npos) << r.body;
  }
  HttpResult ok =
      p.Send("POST", "/api/v1/reports", rec, {{"content-type", "Application/JSON; charset=UTF-8"}});
  EXPECT_EQ(ok.status, 200) << ok.body;
  // Nothing refused was stored: one report.
  auto txn = reg_->store()->Begin(Store::Mode::kRead);
  ASSERT_TRUE(txn.ok());
  EXPECT_EQ((*txn)->GetCounts()->reports, 1);
}

// Login and the public form read JSON only: a cross-site form post (sent
// without a preflight) is refused before anything is parsed or counted.
TEST_F(HostileHttpTest, LoginAndPublicFormTakeOnlyJsonBodies) {
  StartServer();
  const std::string login =
      "{\"user\":\"mona\",\"password\":\"" + std::string(kMonitorPass) + "\"}";
  const std::string form =
      "{\"name\":\"Test Person\",\"sex\":\"male\",\"date_of_death\":\"2024-01-03\","
      "\"governorate\":\"Gaza\",\"relation\":\"brother\"}";
  for (const std::string type :
       {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""}) {
    HttpResult l =
        HttpClient(reg_->port()).Send("POST", "/api/v1/login", login, {{"content-type", type}});
    EXPECT_EQ(l.status, 415) << type;
    EXPECT_EQ(l.error_code(), "unsupported_media_type") << type;
    EXPECT_TRUE(l.headers["set-cookie"].empty()) << type;
    HttpResult f = HttpClient(reg_->port())
                       .Send("POST", "/api/v1/public/submissions", form, {{"content-type", type}});
    EXPECT_EQ(f.status, 415) << type;
  }
  // Nothing refused was stored, and the same bodies as JSON work.
  {
    auto txn = reg_->store()->Begin(Store::Mode::kRead);
    ASSERT_TRUE(txn.ok());
    EXPECT_EQ((*txn)->GetCounts()->reports, 0);
  }
  EXPECT_EQ(HttpClient(reg_->port()).Send("POST", "/api/v1/login", login).status, 200);
  EXPECT_EQ(HttpClient(reg_->port()).Send("POST", "/api/v1/public/submissions", form).status, 201);
}

// --- proxies ---------------------------------------------------------------

TEST_F(HostileHttpTest, OneGuesserCannotLockAnotherOut) {
  StartServer({"127.0.0.1"});
  const std::string a = "198.51.100.7", b = "203.0.113.20";
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Login("admin", "wrong-guess", a).status, 401);
  HttpResult slowed = Login("admin", kAdminPass, a);
  EXPECT_EQ(slowed.status, 429);  // the guesser waits, even with the right password
  EXPECT_EQ(slowed.headers["retry-after"], "1");
  // Nobody else waits: the monitor from B, and admin from B.
  EXPECT_EQ(Login("mona", kMonitorPass, b).status, 200);
  EXPECT_EQ(Login("admin", kAdminPass, b).status, 200);
  // Rotating the (forged) left part of X-Forwarded-For changes nothing: the
  // proxy appends the real address, and that is the one counted.
  EXPECT_EQ(Login("admin", kAdminPass, "10.1.1.1, " + a).status, 429);
}

TEST_F(HostileHttpTest, ForwardedHeadersFromAnUntrustedPeerAreIgnored) {
  StartServer();  // no trusted proxies: every client is the socket's 127.0.0.1
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Login("admin", "wrong-guess", "198.51.100.7").status, 401);
  // A fresh X-Forwarded-For does not buy a fresh back-off record.
  EXPECT_EQ(Login("admin", kAdminPass, "203.0.113.20").status, 429);
}

TEST_F(HostileHttpTest, FormRateLimitIsPerRealClient) {
  StartServer({"127.0.0.1"});
  EXPECT_EQ(Form("198.51.100.7").status, 201);
  EXPECT_EQ(Form("198.51.100.7").status, 201);
  HttpResult third = Form("198.51.100.7");
  EXPECT_EQ(third.status, 429);
  EXPECT_EQ(third.error_code(), "rate_limited");
  // Another relative behind the same proxy is not counted with the first.
  EXPECT_EQ(Form("203.0.113.20").status, 201);
}

TEST_F(HostileHttpTest, FormRateLimitCannotBeDodgedWithForgedHeaders) {
  StartServer();  // the peer is not a proxy: its X-Forwarded-For means nothing
  EXPECT_EQ(Form("198.51.100.1").status, 201);
  EXPECT_EQ(Form("198.51.100.2").status, 201);
  EXPECT_EQ(Form("198.51.100.3").status, 429);
}

TEST_F(HostileHttpTest, SecureCookieAndHstsOnlyOverTls) {
  StartServer({"127.0.0.1"});
  HttpResult tls = Login("mona", kMonitorPass, "198.51.100.7", "https");
  ASSERT_EQ(tls.status, 200);
  EXPECT_NE(tls.headers["set-cookie"].find("; Secure"), std::string::npos)
      << tls.headers["set-cookie"];
  EXPECT_EQ(tls.headers["strict-transport-security"], "max-age=31536000");
  HttpResult plain = Login("mona", kMonitorPass, "198.51.100.7", "http");
  ASSERT_EQ(plain.status, 200);
  EXPECT_EQ(plain.headers["set-cookie"].find("Secure"), std::string::npos);
  EXPECT_EQ(plain.headers.count("strict-transport-security"), 0u);
  // Every answer over TLS carries HSTS, not only the login.
  HttpResult health =
      HttpClient(reg_->port()).Send("GET", "/healthz", "", {{"X-Forwarded-Proto", "https"}});
  EXPECT_EQ(health.headers["strict-transport-security"], "max-age=31536000");
}

TEST_F(HostileHttpTest, ForgedProtoFromAnUntrustedPeerGetsNoSecureCookie) {
  StartServer();
  HttpResult r = Login("mona", kMonitorPass, "198.51.100.7", "https");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["set-cookie"].find("Secure"), std::string::npos);
  EXPECT_EQ(r.headers.count("strict-transport-security"), 0u);
}

}  // namespace
}  // namespace qayd::testing
