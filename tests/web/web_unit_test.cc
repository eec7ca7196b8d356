// Unit tests of the web layer's pure parts and of base/metrics.
#include <gtest/gtest.h>

#include <thread>

#include "base/metrics.h"
#include "web/auth.h"
#include "web/http_types.h"
#include "web/json_body.h"
#include "web/proxy_trust.h"
#include "web/router.h"

namespace qayd::web {
namespace {

TEST(Metrics, CountersGaugesHistogramExposition) {
  metrics::Registry r;
  auto* c = r.GetCounter("t_total", "a counter");
  EXPECT_EQ(r.GetCounter("t_total", "again"), c);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([c] {
      for (int k = 0; k < 1000; ++k) c->Inc();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(c->value(), 4000);
  r.GetGauge("t_gauge", "g")->Set(2.5);
  auto* h = r.GetHistogram("t_seconds", "h", {0.1, 1});
  h->Observe(0.05);
  h->Observe(0.5);
  h->Observe(5);
  std::string text = r.Exposition();
  EXPECT_NE(text.find("# TYPE t_total counter\nt_total 4000\n"), std::string::npos) << text;
  EXPECT_NE(text.find("t_gauge 2.5\n"), std::string::npos);
  EXPECT_NE(text.find("t_seconds_bucket{le=\"0.1\"} 1\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("t_seconds_bucket{le=\"1\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("t_seconds_bucket{le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("t_seconds_count 3\n"), std::string::npos);
  EXPECT_THROW(r.GetGauge("t_total", "wrong type"), std::logic_error);
  EXPECT_THROW(r.GetCounter("bad name", "x"), std::logic_error);
}

TEST(Metrics, StandardMetricsAreRegistered) {
  metrics::Std().ingested->Inc();
  std::string text = metrics::Registry::Global().Exposition();
  for (const char* name : {"qayd_reports_ingested_total", "qayd_reports_merged_total",
                           "qayd_review_queued_total", "qayd_reports_rejected_total",
                           "qayd_feed_errors_total", "qayd_review_queue_oldest_age_seconds",
                           "qayd_match_latency_seconds_bucket"}) {
    EXPECT_NE(text.find(name), std::string::npos) << name;
  }
}

TEST(Router, MatchesPatternsAndMethods) {
  Router r;
  r.Add("GET", "/api/v1/items/{id}", Access::kStaff, [](Request& q) {
    return Response::Json("\"" + q.params["id"] + "\"");
  });
  r.Add("POST", "/api/v1/items/{id}/claim", Access::kStaff, [](Request&) { return Response(); });
  std::map<std::string, std::string> params;
  bool known = false;
  const Route* found = r.Find("GET", "/api/v1/items/42", &params, &known);
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(params["id"], "42");
  EXPECT_EQ(r.Find("POST", "/api/v1/items/42", &params, &known), nullptr);
  EXPECT_TRUE(known);
  EXPECT_EQ(r.Find("GET", "/api/v1/other", &params, &known), nullptr);
  EXPECT_FALSE(known);
  EXPECT_NE(r.Find("POST", "/api/v1/items/7/claim", &params, &known), nullptr);
}

TEST(HttpTypes, DecodingQueriesAndCookies) {
  std::string out;
  EXPECT_TRUE(UrlDecode("a%20b+c", &out, true));
  EXPECT_EQ(out, "a b c");
  EXPECT_FALSE(UrlDecode("%z1", &out, false));
  EXPECT_FALSE(UrlDecode("abc%2", &out, false));
  std::map<std::string, std::string> q;
  EXPECT_TRUE(ParseQuery("name=%D9%85&limit=5&flag", &q));
  EXPECT_EQ(q["name"], "\xD9\x85");
  EXPECT_EQ(q["limit"], "5");
  EXPECT_TRUE(q.count("flag"));
  Request req;
  req.headers["cookie"] = "a=1; qayd_session=abc; qayd_sessionx=no";
  EXPECT_EQ(req.Cookie("qayd_session"), "abc");
  EXPECT_EQ(req.Cookie("missing"), "");
  Response e = Response::Error(400, "bad", "say \"no\"");
  EXPECT_EQ(e.body, "{\"error\":{\"code\":\"bad\",\"message\":\"say \\\"no\\\"\"}}");
  EXPECT_EQ(Response::FromStatus(Status(ErrorCode::kInternal, "sql detail")).body.find("sql"),
            std::string::npos);
  EXPECT_EQ(Response::FromStatus(Status(ErrorCode::kNotFound, "x")).status, 404);
}

TEST(JsonBodyTest, TypesAndUnknownMembers) {
  JsonBody ok("{\"a\":\"x\",\"n\":3,\"ids\":[1,2]}", {"a", "n", "ids"});
  EXPECT_EQ(ok.String("a"), "x");
  EXPECT_EQ(ok.Int("n"), 3);
  EXPECT_EQ(ok.IntArray("ids"), (std::vector<int64_t>{1, 2}));
  EXPECT_TRUE(ok.ok());
  JsonBody unknown("{\"z\":1}", {"a"});
  EXPECT_FALSE(unknown.ok());
  JsonBody wrong("{\"a\":1}", {"a"});
  wrong.String("a");
  EXPECT_EQ(wrong.error(), "a must be a string");
  EXPECT_FALSE(JsonBody("{", {}).ok());
  EXPECT_TRUE(JsonBody("", {}).ok());
}

TEST(JsonBodyTest, DeepNestingAndInvalidKeysAreClearErrors) {
  JsonBody deep(std::string(400000, '[') + std::string(400000, ']'), {});
  EXPECT_EQ(deep.error(), "body is not valid JSON: JSON nested deeper than 64 levels at offset 64");
  JsonBody key("{\"a\xff\":1}", {"a"});
  EXPECT_EQ(key.error(), "unknown member \"a\\xFF\"");
}

TEST(Auth, PasswordHashesVerifyAndDiffer) {
  auto h1 = HashPassword("correct horse");
  auto h2 = HashPassword("correct horse");
  ASSERT_TRUE(h1.ok() && h2.ok());
  EXPECT_NE(*h1, *h2);  // salted
  EXPECT_EQ(h1->rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(VerifyPassword(*h1, "correct horse"));
  EXPECT_FALSE(VerifyPassword(*h1, "correct horsf"));
  EXPECT_FALSE(VerifyPassword("", "x"));
  EXPECT_EQ(RandomToken().size(), 64u);
  EXPECT_NE(RandomToken(), RandomToken());
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "ab"));
}

TEST(Auth, ThrottleBacksOffPerUserAtAnAddressAndPerAddress) {
  LoginThrottle t(3, 5, 1000, 8000);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(t.RetryAfterMs("admin", "1.1.1.1", 0), 0);
    t.RecordFailure("admin", "1.1.1.1", 0);
  }
  EXPECT_EQ(t.RetryAfterMs("admin", "1.1.1.1", 0), 1000);
  // Nobody else is locked out: the same name from another address, another
  // name from anywhere else.
  EXPECT_EQ(t.RetryAfterMs("admin", "2.2.2.2", 0), 0);
  EXPECT_EQ(t.RetryAfterMs("monitor", "2.2.2.2", 0), 0);
  // The guessing address may try other names until its own record fills.
  EXPECT_EQ(t.RetryAfterMs("monitor", "1.1.1.1", 0), 0);
  t.RecordFailure("monitor", "1.1.1.1", 0);
  EXPECT_EQ(t.RetryAfterMs("other", "1.1.1.1", 0), 0);
  t.RecordFailure("other", "1.1.1.1", 0);  // 5 failures from 1.1.1.1
  EXPECT_EQ(t.RetryAfterMs("third", "1.1.1.1", 0), 1000);
  EXPECT_EQ(t.RetryAfterMs("third", "2.2.2.2", 0), 0);
  t.RecordFailure("admin", "1.1.1.1", 1000);
  EXPECT_EQ(t.RetryAfterMs("admin", "1.1.1.1", 1000), 2000);  // doubled
  for (int i = 0; i < 10; ++i) t.RecordFailure("admin", "1.1.1.1", 5000);
  EXPECT_EQ(t.RetryAfterMs("admin", "1.1.1.1", 5000), 8000);  // capped
  EXPECT_EQ(t.RetryAfterMs("admin", "2.2.2.2", 5000), 0);
  t.RecordSuccess("admin", "1.1.1.1");
  EXPECT_EQ(t.RetryAfterMs("admin", "1.1.1.1", 5000), 0);
}

TEST(ProxyTrust, BelievesForwardedHeadersOnlyFromTrustedProxies) {
  auto trust = ProxyTrust::Parse({"127.0.0.1", "10.0.0.0/8"});
  ASSERT_TRUE(trust.ok());
  // A direct client's headers are ignored.
  ClientOrigin o = trust->Resolve("203.0.113.7", "198.51.100.1", "https");
  EXPECT_EQ(o.address, "203.0.113.7");
  EXPECT_FALSE(o.secure);
  // Through the proxy: the rightmost hop that is not a trusted proxy.
  o = trust->Resolve("127.0.0.1", "198.51.100.1", "https");
  EXPECT_EQ(o.address, "198.51.100.1");
  EXPECT_TRUE(o.secure);
  // The client's own (forged) hops left of its real address are not believed.
  o = trust->Resolve("127.0.0.1", "1.2.3.4, 10.9.9.9, 198.51.100.1, 10.0.0.2", "http");
  EXPECT_EQ(o.address, "198.51.100.1");
  EXPECT_FALSE(o.secure);
  // Repeated headers (joined "; " by the decoder) count as one list.
  o = trust->Resolve("127.0.0.1", "1.2.3.4; 198.51.100.2", "HTTPS");
  EXPECT_EQ(o.address, "198.51.100.2");
  EXPECT_TRUE(o.secure);
  // Garbage in the header: the nearest trusted hop stands.
  o = trust->Resolve("127.0.0.1", "1.2.3.4, not-an-ip, 10.0.0.3", "");
  EXPECT_EQ(o.address, "10.0.0.3");
  o = trust->Resolve("127.0.0.1", "", "");
  EXPECT_EQ(o.address, "127.0.0.1");
  // No trusted proxies (the default): nothing is believed.
  ProxyTrust none;
  o = none.Resolve("127.0.0.1", "198.51.100.1", "https");
  EXPECT_EQ(o.address, "127.0.0.1");
  EXPECT_FALSE(o.secure);
  EXPECT_FALSE(ProxyTrust::Parse({"10.0.0.0/99"}).ok());
}

}  // namespace
}  // namespace qayd::web
