// Access control over every route the API registers (not a hand-picked few):
// without credentials, with a tampered or expired session, with the wrong
// role, without the CSRF token, with a partner token; and no response to a
// monitor or a partner carries a relative's contact or a raw payload.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "tests/support/review_register_test.h"
#include "web/api.h"

namespace qayd::testing {
namespace {

// Private data of the second report: only admins may ever see these.
constexpr char kContact[] = "+970-555-0199";
constexpr char kRelation[] = "Zzqrelationmarker";

// The shared register (tests/support/review_register_test.h) plus a partner
// token and a second report, with a relative's contact, in review.
class AccessTest : public ReviewRegisterTest {
 protected:
  void SetUp() override {
    ReviewRegisterTest::SetUp();
    if (HasFatalFailure()) return;
    auto token = reg_->AddToken("partner", "submit");
    ASSERT_TRUE(token.ok());
    token_ = *token;
    report_a_ = first_report_;
    auto second = reg_->Ingest({Record("relatives", "r1", "محمد احمد حسن الخطيب",
                                       kDeath + ",\"submitter\":{\"relation\":\"" + kRelation +
                                           "\",\"contact\":\"" + kContact + "\"}")});
    ASSERT_TRUE(second.ok());
    ASSERT_EQ((*second)[0].decision, "review");
    report_b_ = (*second)[0].report_id;
    auto txn = reg_->store()->Begin(Store::Mode::kRead);
    auto items = (*txn)->ListReviewItems(ReviewFilter{});
    ASSERT_TRUE(items.ok() && items->size() == 1u);
    item_ = items->front().id;
    web::Api api(reg_->deps(), reg_->config().http);
    routes_ = api.Routes();
  }

  // The route's pattern with its {id} filled by a real id of the register.
  std::string PathOf(const web::RouteInfo& r) const {
    std::string path = r.pattern;
    const auto brace = path.find("{id}");
    if (brace == std::string::npos) return path;
    const bool item = path.rfind("/api/v1/review/items/", 0) == 0;
    return path.replace(brace, 4, std::to_string(item ? item_ : victim_));
  }
  HttpClient Login(const std::string& user, const std::string& pass) const {
    HttpClient c = Client();
    EXPECT_EQ(c.Login(user, pass).status, 200);
    return c;
  }
  static bool ChangesState(const web::RouteInfo& r) { return r.method != "GET"; }

  std::vector<web::RouteInfo> routes_;
  std::string token_;
  int64_t item_ = 0, report_a_ = 0, report_b_ = 0;
};

TEST_F(AccessTest, TheRouteTableIsWhatTheTestsBelowCover) {
  // If routes are added, they are covered by the loops below automatically;
  // this pins that the table is read and holds each kind of access.
  std::set<web::Access> kinds;
  int state_changing = 0;
  for (const auto& r : routes_) {
    kinds.insert(r.access);
    state_changing += ChangesState(r);
  }
  EXPECT_GE(routes_.size(), 20u);
  EXPECT_GE(state_changing, 8);
  EXPECT_EQ(kinds.size(), 4u);  // public, staff, admin, scoped
}

TEST_F(AccessTest, EveryNonPublicRouteRefusesAnonymousTamperedAndExpiredCallers) {
  HttpClient anonymous = Client();
  HttpClient tampered = Login("mona", kMonitorPass);
  tampered.cookie.back() = tampered.cookie.back() == 'a' ? 'b' : 'a';
  HttpClient forged = Client();
  forged.bearer = token_ + "x";
  HttpClient expired = Login("mona", kMonitorPass);
  int checked = 0;
  for (const auto& r : routes_) {
    if (r.access == web::Access::kPublic) continue;
    const std::string path = PathOf(r);
    for (HttpClient* c : {&anonymous, &tampered, &forged}) {
      HttpResult res = c->Send(r.method, path, "{}", {{"X-CSRF-Token", tampered.csrf}});
      EXPECT_EQ(res.status, 401) << r.method << " " << path << ": " << res.body;
      EXPECT_EQ(res.error_code(), "unauthenticated") << r.method << " " << path;
      ++checked;
    }
  }
  EXPECT_GE(checked, 3 * 18);
  reg_->now_ms += 13LL * 3600 * 1000;  // past the 12 h session lifetime
  for (const auto& r : routes_) {
    if (r.access == web::Access::kPublic) continue;
    HttpResult res = expired.Send(r.method, PathOf(r), "{}", {{"X-CSRF-Token", expired.csrf}});
    EXPECT_EQ(res.status, 401) << r.method << " " << PathOf(r) << ": " << res.body;
  }
}

TEST_F(AccessTest, EveryRouteRefusesTheWrongRole) {
  HttpClient monitor = Login("mona", kMonitorPass);
  HttpClient partner = Client();
  partner.bearer = token_;
  for (const auto& r : routes_) {
    const std::string path = PathOf(r);
    if (r.access == web::Access::kAdmin || r.access == web::Access::kScope) {
      HttpResult res = monitor.Send(r.method, path, "{}", {{"X-CSRF-Token", monitor.csrf}});
      EXPECT_EQ(res.status, 403) << "monitor: " << r.method << " " << path << ": " << res.body;
      EXPECT_EQ(res.error_code(), "forbidden") << r.method << " " << path;
    }
    if (r.access == web::Access::kStaff || r.access == web::Access::kAdmin) {
      // A partner token is scoped to submissions: nothing else.
      HttpResult res = partner.Send(r.method, path, "{}");
      EXPECT_EQ(res.status, 403) << "partner: " << r.method << " " << path << ": " << res.body;
    }
  }
}

TEST_F(AccessTest, EveryStateChangingRouteNeedsTheCsrfTokenOfTheSession) {
  HttpClient monitor = Login("mona", kMonitorPass);
  HttpClient admin = Login("ada", kAdminPass);
  int checked = 0;
  for (const auto& r : routes_) {
    if (!ChangesState(r) || r.access == web::Access::kPublic) continue;
    // The admin passes every role check, so only the CSRF check can refuse.
    HttpClient& c =
        r.access == web::Access::kStaff && r.pattern != "/api/v1/logout" ? monitor : admin;
    const std::string path = PathOf(r);
    HttpResult none = c.Send(r.method, path, "{}");
    EXPECT_EQ(none.status, 403) << r.method << " " << path << ": " << none.body;
    EXPECT_EQ(none.error_code(), "csrf") << r.method << " " << path;
    HttpResult wrong = c.Send(r.method, path, "{}", {{"X-CSRF-Token", std::string(64, '0')}});
    EXPECT_EQ(wrong.error_code(), "csrf") << r.method << " " << path;
    // Another session's token is not this session's.
    HttpClient& other = &c == &monitor ? admin : monitor;
    HttpResult foreign = c.Send(r.method, path, "{}", {{"X-CSRF-Token", other.csrf}});
    EXPECT_EQ(foreign.error_code(), "csrf") << r.method << " " << path;
    ++checked;
  }
  EXPECT_GE(checked, 8);
}

TEST_F(AccessTest, NoMonitorOrPartnerResponseCarriesContactsOrRawPayloads) {
  HttpClient monitor = Login("mona", kMonitorPass);
  ASSERT_EQ(monitor.Post("/api/v1/review/items/" + std::to_string(item_) + "/claim").status, 200);
  auto private_data = [](const std::string& body) {
    return body.find(kContact) != std::string::npos || body.find(kRelation) != std::string::npos ||
           body.find("raw_payload") != std::string::npos ||
           body.find("\"submitter\"") != std::string::npos;
  };
  // Query strings the read routes need to answer with data, not 400.
  auto target = [&](const web::RouteInfo& r) {
    std::string path = PathOf(r);
    if (r.pattern == "/api/v1/search") path += "?name=%D9%85%D8%AD%D9%85%D8%AF";
    if (r.pattern == "/api/v1/explain")
      path += "?a=" + std::to_string(report_a_) + "&b=" + std::to_string(report_b_);
    if (r.pattern == "/api/v1/reports/deaths") path += "?year=2024&format=json";
    return path;
  };
  int answered = 0;
  for (const auto& r : routes_) {
    if (ChangesState(r) || r.access == web::Access::kAdmin) continue;
    HttpResult res = monitor.Get(target(r));
    EXPECT_FALSE(private_data(res.body)) << "monitor GET " << target(r) << ": " << res.body;
    answered += res.status == 200;
  }
  EXPECT_GE(answered, 10);
  // A partner's submission answer does not echo other reports' private data.
  HttpClient partner = Client();
  partner.bearer = token_;
  HttpResult sub = partner.Send(
      "POST", "/api/v1/reports",
      "{\"records\":[{\"source\":\"partner\",\"source_record_id\":\"p1\",\"names\":[{\"full\":"
      "\"محمد احمد حسن الخطيب\"}],\"sex\":\"male\",\"date_of_death\":\"2024-01-03\"}]}");
  EXPECT_EQ(sub.status, 200) << sub.body;
  EXPECT_FALSE(private_data(sub.body)) << sub.body;
  // The same data is there for an admin: the checks above could have failed.
  HttpClient admin = Login("ada", kAdminPass);
  HttpResult item = admin.Get("/api/v1/review/items/" + std::to_string(item_));
  ASSERT_EQ(item.status, 200);
  EXPECT_TRUE(private_data(item.body));
}

}  // namespace
}  // namespace qayd::testing
