// The HTTP API end to end: real SQLite store, real engine and pipeline, real
// server on 127.0.0.1:0, a real HTTP client.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <thread>

#include "model/date.h"
#include "tests/support/review_register_test.h"

namespace qayd::testing {
namespace {

// The shared register (tests/support/review_register_test.h) plus a second
// spelling of its victim, sent by a relative with contact details: one
// review item.
class ApiTest : public ReviewRegisterTest {
 protected:
  void SetUp() override {
    ReviewRegisterTest::SetUp();
    if (HasFatalFailure()) return;
    auto second = reg_->Ingest({Record(
        "relatives", "r1", "محمد احمد حسن الخطيب",
        kDeath + ",\"submitter\":{\"relation\":\"brother\",\"contact\":\"+970-555-0100\"}")});
    ASSERT_TRUE(second.ok());
    ASSERT_EQ((*second)[0].decision, "review") << (*second)[0].ToJson();
    second_report_ = (*second)[0].report_id;
    auto txn = reg_->store()->Begin(Store::Mode::kRead);
    ASSERT_TRUE(txn.ok());
    auto items = (*txn)->ListReviewItems(ReviewFilter{});
    ASSERT_TRUE(items.ok());
    ASSERT_EQ(items->size(), 1u);
    item_ = items->front().id;
  }

  std::string ItemPath(const std::string& tail = "") { return Path(item_, tail); }
  size_t ReportsOfVictim(int64_t id) {
    auto txn = reg_->store()->Begin(Store::Mode::kRead);
    auto v = (*txn)->GetVictim(id);
    return v.ok() ? v->report_ids.size() : 0;
  }

  int64_t item_ = 0, second_report_ = 0;
};

TEST_F(ApiTest, HealthAndMetrics) {
  HttpClient c = Client();
  HttpResult h = c.Get("/healthz");
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(std::string(h.json["store"].GetString()), "sqlite");
  HttpResult m = c.Get("/metrics");
  EXPECT_EQ(m.status, 200);
  EXPECT_NE(m.headers["content-type"].find("text/plain"), std::string::npos);
  EXPECT_NE(m.body.find("# TYPE qayd_match_latency_seconds histogram"), std::string::npos);
  EXPECT_NE(m.body.find("qayd_review_queue_size 1"), std::string::npos) << m.body;
  EXPECT_NE(m.body.find("qayd_reports_ingested_total"), std::string::npos);
}

TEST_F(ApiTest, NoSessionIsUnauthenticated) {
  HttpClient c = Client();
  HttpResult r = c.Get("/api/v1/review/queue");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.error_code(), "unauthenticated");
  EXPECT_EQ(c.Post(ItemPath("/claim")).status, 401);
  EXPECT_EQ(c.Get("/api/v1/admin/settings").status, 401);
}

TEST_F(ApiTest, LoginSetsStrictHttpOnlyCookie) {
  HttpClient c = Client();
  HttpResult r = c.Login("mona", kMonitorPass);
  ASSERT_EQ(r.status, 200);
  std::string set = r.headers["set-cookie"];
  EXPECT_NE(set.find("qayd_session="), std::string::npos);
  EXPECT_NE(set.find("HttpOnly"), std::string::npos);
  EXPECT_NE(set.find("SameSite=Strict"), std::string::npos);
  EXPECT_NE(set.find("Path=/"), std::string::npos);
  EXPECT_EQ(c.csrf.size(), 64u);
  HttpResult me = c.Get("/api/v1/me");
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(std::string(me.json["role"].GetString()), "monitor");
  // The store keeps only the hash of the cookie token.
  std::string token = c.cookie.substr(c.cookie.find('=') + 1);
  auto txn = reg_->store()->Begin(Store::Mode::kRead);
  EXPECT_FALSE((*txn)->GetSession(token).ok());
}

TEST_F(ApiTest, WrongPasswordsAreSlowedDown) {
  HttpClient c = Client();
  for (int i = 0; i < 3; ++i) {
    HttpResult r = c.Login("mona", "wrong-password");
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.error_code(), "bad_credentials");
  }
  HttpResult slowed = c.Login("mona", kMonitorPass);  // even the right one must wait
  EXPECT_EQ(slowed.status, 429);
  EXPECT_EQ(slowed.headers["retry-after"], "1");
  reg_->now_ms += 1500;
  EXPECT_EQ(c.Login("mona", kMonitorPass).status, 200);
  // Unknown users fail like wrong passwords.
  EXPECT_EQ(Client().Login("nobody", "whatever-pass").status, 401);
}

TEST_F(ApiTest, TamperedAndExpiredSessionsAreRejected) {
  HttpClient c = Monitor();
  HttpClient tampered = c;
  char& last = tampered.cookie.back();
  last = last == 'a' ? 'b' : 'a';
  EXPECT_EQ(tampered.Get("/api/v1/me").status, 401);
  EXPECT_EQ(c.Get("/api/v1/me").status, 200);
  reg_->now_ms += 13LL * 3600 * 1000;
  EXPECT_EQ(c.Get("/api/v1/me").status, 401);
}

TEST_F(ApiTest, LogoutEndsTheSession) {
  HttpClient c = Monitor();
  EXPECT_EQ(c.Post("/api/v1/logout").status, 200);
  EXPECT_EQ(c.Get("/api/v1/me").status, 401);
}

TEST_F(ApiTest, DisabledUserLosesAccess) {
  HttpClient c = Monitor();
  auto txn = reg_->store()->Begin();
  auto u = (*txn)->GetUser("mona");
  u->disabled = true;
  ASSERT_TRUE((*txn)->PutUser(*u).ok());
  ASSERT_TRUE((*txn)->Commit().ok());
  EXPECT_EQ(c.Get("/api/v1/me").status, 401);
  EXPECT_EQ(Client().Login("mona", kMonitorPass).status, 401);
}

TEST_F(ApiTest, StateChangesNeedTheCsrfToken) {
  HttpClient c = Monitor();
  HttpResult none = c.Post(ItemPath("/claim"), "", false);
  EXPECT_EQ(none.status, 403);
  EXPECT_EQ(none.error_code(), "csrf");
  HttpResult wrong = c.Send("POST", ItemPath("/claim"), "", {{"X-CSRF-Token", "00"}});
  EXPECT_EQ(wrong.status, 403);
  EXPECT_EQ(c.Post(ItemPath("/claim")).status, 200);
}

TEST_F(ApiTest, MonitorsCannotUseAdminEndpoints) {
  HttpClient m = Monitor();
  HttpResult r = m.Get("/api/v1/admin/settings");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.error_code(), "forbidden");
  EXPECT_EQ(m.Get("/api/v1/admin/what-if").status, 403);
  HttpClient a = Admin();
  HttpResult s = a.Get("/api/v1/admin/settings");
  ASSERT_EQ(s.status, 200);
  EXPECT_EQ(s.json["auto_merge"].GetDouble(), 1000);
  EXPECT_TRUE(s.json["weights"].HasMember("sex.disagree"));
}

TEST_F(ApiTest, QueueListsAndFilters) {
  HttpClient c = Monitor();
  HttpResult all = c.Get("/api/v1/review/queue");
  ASSERT_EQ(all.status, 200) << all.body;
  ASSERT_EQ(all.json["items"].Size(), 1u);
  EXPECT_EQ(all.json["items"][0]["id"].GetInt64(), item_);
  EXPECT_EQ(std::string(all.json["items"][0]["name"].GetString()), "محمد احمد حسن الخطيب");
  EXPECT_EQ(c.Get("/api/v1/review/queue?governorate=Aleppo").json["items"].Size(), 0u);
  EXPECT_EQ(c.Get("/api/v1/review/queue?governorate=Gaza").json["items"].Size(), 1u);
  EXPECT_EQ(c.Get("/api/v1/review/queue?source=moh").json["items"].Size(), 0u);
  EXPECT_EQ(c.Get("/api/v1/review/queue?death_from=2024-02-01").json["items"].Size(), 0u);
  EXPECT_EQ(
      c.Get("/api/v1/review/queue?death_from=2024-01-01&death_to=2024-01-31").json["items"].Size(),
      1u);
  EXPECT_EQ(c.Get("/api/v1/review/queue?min_score=2000").json["items"].Size(), 0u);
  HttpResult bad = c.Get("/api/v1/review/queue?limit=abc");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.error_code(), "bad_query");
  EXPECT_EQ(c.Get("/api/v1/review/queue?death_from=yesterday").status, 400);
  EXPECT_EQ(c.Get("/api/v1/review/queue?limit=100000").status, 400);
  // The server orders the whole queue (tests/store/conformance_test.cc).
  for (const char* sort : {"oldest", "score_desc", "score_asc", "death"}) {
    HttpResult sorted = c.Get(std::string("/api/v1/review/queue?sort=") + sort);
    ASSERT_EQ(sorted.status, 200) << sort << ": " << sorted.body;
    EXPECT_EQ(sorted.json["items"].Size(), 1u) << sort;
  }
  HttpResult bad_sort = c.Get("/api/v1/review/queue?sort=name");
  EXPECT_EQ(bad_sort.status, 400);
  EXPECT_NE(bad_sort.body.find("sort must be"), std::string::npos) << bad_sort.body;
  EXPECT_EQ(c.Post("/api/v1/review/next?sort=sideways").status, 400);
}

TEST_F(ApiTest, ItemShowsBothSidesWithoutPrivateFieldsForMonitors) {
  HttpClient c = Monitor();
  ASSERT_EQ(c.Post(ItemPath("/claim")).status, 200);
  HttpResult r = c.Get(ItemPath());
  ASSERT_EQ(r.status, 200) << r.body;
  const auto& j = r.json;
  EXPECT_EQ(std::string(j["report"]["record"]["names"][0]["full"].GetString()),
            "محمد احمد حسن الخطيب");
  EXPECT_FALSE(j["report"].HasMember("raw_payload"));
  EXPECT_FALSE(j["report"]["record"].HasMember("submitter"));
  EXPECT_EQ(r.body.find("555-0100"), std::string::npos);
  ASSERT_EQ(j["candidates"].Size(), 1u);
  const auto& cand = j["candidates"][0];
  EXPECT_EQ(cand["victim_id"].GetInt64(), victim_);
  EXPECT_EQ(cand["reports"].Size(), 1u);
  const auto& cmp = cand["comparison"];
  ASSERT_EQ(cmp["alignment"].Size(), 5u);
  EXPECT_EQ(std::string(cmp["alignment"][0]["part"].GetString()), "first");
  EXPECT_EQ(std::string(cmp["alignment"][0]["mark"].GetString()), "agree");
  EXPECT_EQ(std::string(cmp["alignment"][4]["mark"].GetString()), "missing");  // no kunya
  EXPECT_GE(cmp["alignment"][0]["commonness_a"].GetInt64(), 1);
  EXPECT_EQ(cmp["date_of_death"]["gap_days"].GetInt(), 0);
  EXPECT_FALSE(cmp["conflicts"]["sex"].GetBool());
  EXPECT_TRUE(cmp["explanation"]["fields"].IsArray());
  EXPECT_GT(cmp["explanation"]["fields"].Size(), 0u);
  EXPECT_NE(std::string(j["report"]["translit"][0].GetString()), "");

  HttpResult admin = Admin().Get(ItemPath());
  ASSERT_EQ(admin.status, 200);
  EXPECT_TRUE(admin.json["report"].HasMember("raw_payload"));
  EXPECT_NE(admin.body.find("+970-555-0100"), std::string::npos);
}

TEST_F(ApiTest, SameMergesAndUndoRestores) {
  HttpClient c = Monitor();
  ASSERT_EQ(c.Post(ItemPath("/claim")).status, 200);
  HttpResult d = c.Post(ItemPath("/decision"), "{\"decision\":\"same\",\"reason\":\"same ids\"}");
  ASSERT_EQ(d.status, 200) << d.body;
  EXPECT_EQ(d.json["victim_id"].GetInt64(), victim_);
  int64_t seq = d.json["merge_seq"].GetInt64();
  EXPECT_GT(seq, 0);
  EXPECT_EQ(ReportsOfVictim(victim_), 2u);
  // The engine's index follows: the merged report now stands for victim_ only.
  auto victims_proposed = [&] {
    auto txn = reg_->store()->Begin(Store::Mode::kRead);
    Report r = *(*txn)->GetReport(second_report_);
    std::set<int64_t> ids;
    for (const auto& cand : reg_->engine()->Match(r).candidates) ids.insert(cand.victim_id);
    return ids;
  };
  EXPECT_EQ(victims_proposed(), std::set<int64_t>{victim_});
  HttpResult v = c.Get("/api/v1/victims/" + std::to_string(victim_));
  ASSERT_EQ(v.status, 200);
  EXPECT_EQ(v.json["reports"].Size(), 2u);
  ASSERT_EQ(v.json["merges"].Size(), 1u);
  EXPECT_FALSE(v.json["merges"][0]["undone"].GetBool());
  // Deciding again is a conflict.
  EXPECT_EQ(c.Post(ItemPath("/decision"), "{\"decision\":\"same\"}").error_code(),
            "already_decided");

  HttpResult u = c.Post("/api/v1/victims/" + std::to_string(victim_) + "/undo",
                        "{\"merge_seq\":" + std::to_string(seq) + ",\"reason\":\"mistake\"}");
  ASSERT_EQ(u.status, 200) << u.body;
  EXPECT_EQ(ReportsOfVictim(victim_), 1u);
  int64_t restored = u.json["restored"].GetInt64();
  EXPECT_EQ(ReportsOfVictim(restored), 1u);
  EXPECT_EQ(victims_proposed(), (std::set<int64_t>{victim_, restored}));
  // Undoing twice is refused.
  HttpResult again = c.Post("/api/v1/victims/" + std::to_string(victim_) + "/undo",
                            "{\"merge_seq\":" + std::to_string(seq) + "}");
  EXPECT_EQ(again.status, 409);
  EXPECT_TRUE(
      c.Get("/api/v1/victims/" + std::to_string(victim_)).json["merges"][0]["undone"].GetBool());
}

TEST_F(ApiTest, LeasesGuardDecisions) {
  HttpClient mona = Monitor("mona"), omar = Monitor("omar");
  HttpResult unclaimed = mona.Post(ItemPath("/decision"), "{\"decision\":\"same\"}");
  EXPECT_EQ(unclaimed.status, 409);
  EXPECT_EQ(unclaimed.error_code(), "lease_expired");
  ASSERT_EQ(mona.Post(ItemPath("/claim")).status, 200);
  HttpResult taken = omar.Post(ItemPath("/claim"));
  EXPECT_EQ(taken.status, 409);
  EXPECT_EQ(taken.error_code(), "claimed_by_other");
  EXPECT_EQ(omar.Post(ItemPath("/decision"), "{\"decision\":\"same\"}").error_code(),
            "lease_expired");
  reg_->now_ms += 601 * 1000;  // the lease (600 s) runs out
  HttpResult expired = mona.Post(ItemPath("/decision"), "{\"decision\":\"same\"}");
  EXPECT_EQ(expired.status, 409);
  EXPECT_EQ(expired.error_code(), "lease_expired");
  EXPECT_EQ(omar.Post(ItemPath("/claim")).status, 200);
  EXPECT_EQ(ReportsOfVictim(victim_), 1u);
}

TEST_F(ApiTest, DifferentRecordsAConstraint) {
  HttpClient c = Monitor();
  ASSERT_EQ(c.Post(ItemPath("/claim")).status, 200);
  HttpResult d = c.Post(ItemPath("/decision"), "{\"decision\":\"different\",\"reason\":\"dob\"}");
  ASSERT_EQ(d.status, 200) << d.body;
  int64_t provisional = d.json["victim_id"].GetInt64();
  auto txn = reg_->store()->Begin(Store::Mode::kRead);
  EXPECT_TRUE(*(*txn)->AreDifferent(provisional, victim_));
  EXPECT_EQ((*txn)->GetVictim(provisional)->state, VictimState::kActive);
  EXPECT_EQ(c.Get("/api/v1/review/queue").json["items"].Size(), 0u);
}

TEST_F(ApiTest, RelatedNeedsRelationAndReason) {
  HttpClient c = Monitor();
  ASSERT_EQ(c.Post(ItemPath("/claim")).status, 200);
  EXPECT_EQ(c.Post(ItemPath("/decision"),
                   "{\"decision\":\"related\",\"relation\":\"cousin\","
                   "\"reason\":\"x\"}")
                .error_code(),
            "bad_relation");
  EXPECT_EQ(c.Post(ItemPath("/decision"), "{\"decision\":\"related\",\"relation\":\"sibling\"}")
                .error_code(),
            "reason_required");
  HttpResult ok = c.Post(ItemPath("/decision"),
                         "{\"decision\":\"related\",\"relation\":\"sibling\",\"reason\":\"same "
                         "father\",\"note\":\"brothers\"}");
  ASSERT_EQ(ok.status, 200) << ok.body;
  HttpResult v = c.Get("/api/v1/victims/" + std::to_string(victim_));
  EXPECT_NE(v.body.find("\"relation\""), std::string::npos) << v.body;
}

TEST_F(ApiTest, UnsureLeavesOnlyThatMonitorsQueue) {
  HttpClient mona = Monitor("mona"), omar = Monitor("omar");
  ASSERT_EQ(mona.Post(ItemPath("/claim")).status, 200);
  ASSERT_EQ(mona.Post(ItemPath("/decision"), "{\"decision\":\"unsure\"}").status, 200);
  EXPECT_EQ(mona.Get("/api/v1/review/queue").json["items"].Size(), 0u);
  EXPECT_EQ(omar.Get("/api/v1/review/queue").json["items"].Size(), 1u);
  EXPECT_EQ(mona.Post("/api/v1/review/next").error_code(), "queue_empty");
  EXPECT_EQ(omar.Post("/api/v1/review/next").status, 200);
}

TEST_F(ApiTest, SplitSearchAndExplain) {
  HttpClient c = Monitor();
  ASSERT_EQ(c.Post(ItemPath("/claim")).status, 200);
  ASSERT_EQ(c.Post(ItemPath("/decision"), "{\"decision\":\"same\"}").status, 200);
  HttpResult no_reason = c.Post("/api/v1/victims/" + std::to_string(victim_) + "/split",
                                "{\"report_ids\":[" + std::to_string(second_report_) + "]}");
  EXPECT_EQ(no_reason.error_code(), "reason_required");
  HttpResult s = c.Post(
      "/api/v1/victims/" + std::to_string(victim_) + "/split",
      "{\"report_ids\":[" + std::to_string(second_report_) + "],\"reason\":\"different mother\"}");
  ASSERT_EQ(s.status, 200) << s.body;
  int64_t fresh = s.json["new_victim_id"].GetInt64();
  EXPECT_EQ(ReportsOfVictim(fresh), 1u);
  EXPECT_EQ(ReportsOfVictim(victim_), 1u);

  HttpResult found = c.Get(
      "/api/v1/search?name=%D9%85%D8%AD%D9%85%D8%AF%20%D8%A7%D8%AD%D9%85%D8%AF"
      "%20%D8%AD%D8%B3%D9%86%20%D8%A7%D9%84%D8%AE%D8%B7%D9%8A%D8%A8");
  ASSERT_EQ(found.status, 200) << found.body;
  ASSERT_GE(found.json["results"].Size(), 1u);
  EXPECT_EQ(c.Get("/api/v1/search?name=").status, 400);

  auto txn = reg_->store()->Begin(Store::Mode::kRead);
  int64_t first_report = (*txn)->GetVictim(victim_)->report_ids[0];
  HttpResult e = c.Get("/api/v1/explain?a=" + std::to_string(first_report) +
                       "&b=" + std::to_string(second_report_));
  ASSERT_EQ(e.status, 200) << e.body;
  EXPECT_EQ(e.json["comparison"]["alignment"].Size(), 5u);
  EXPECT_EQ(c.Get("/api/v1/explain?a=1&b=x").status, 400);
  EXPECT_EQ(c.Get("/api/v1/explain?a=1&b=999999").status, 404);
}

TEST_F(ApiTest, BadInputNeverGives500) {
  HttpClient c = Monitor();
  ASSERT_EQ(c.Post(ItemPath("/claim")).status, 200);
  EXPECT_EQ(c.Post(ItemPath("/decision"), "{not json").error_code(), "bad_request");
  EXPECT_EQ(c.Post(ItemPath("/decision"), "[1]").error_code(), "bad_request");
  EXPECT_EQ(c.Post(ItemPath("/decision"), "{\"decision\":\"same\",\"x\":1}").error_code(),
            "bad_request");
  EXPECT_EQ(c.Post(ItemPath("/decision"), "{\"decision\":5}").error_code(), "bad_request");
  EXPECT_EQ(c.Post(ItemPath("/decision"), "{\"decision\":\"maybe\"}").error_code(), "bad_decision");
  EXPECT_EQ(
      c.Post(ItemPath("/decision"), "{\"decision\":\"same\",\"victim_id\":424242}").error_code(),
      "not_a_candidate");
  EXPECT_EQ(c.Get("/api/v1/review/items/abc").error_code(), "bad_id");
  EXPECT_EQ(c.Get("/api/v1/review/items/-1").error_code(), "bad_id");
  EXPECT_EQ(c.Get("/api/v1/review/items/99999").status, 404);
  EXPECT_EQ(c.Get("/api/v1/victims/99999").status, 404);
  EXPECT_EQ(c.Get("/api/v1/nothing").status, 404);
  EXPECT_EQ(c.Send("DELETE", "/api/v1/review/queue").status, 405);
  EXPECT_EQ(c.Get("/api/v1/review/queue?x=%zz").status, 400);
  EXPECT_EQ(c.Post("/api/v1/victims/1/undo", "{\"merge_seq\":999999}").status, 404);
  // A declared body over the 8 MiB limit is refused from its header.
  std::string huge = RawExchange(reg_->port(), "POST " + ItemPath("/decision") +
                                                   " HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                                                   std::to_string(9 << 20) + "\r\n\r\n{");
  EXPECT_NE(huge.find("413"), std::string::npos) << huge;
  EXPECT_NE(huge.find("body_too_large"), std::string::npos);
  std::string raw = RawExchange(reg_->port(), "GARBAGE\r\n\r\n");
  EXPECT_NE(raw.find("400"), std::string::npos) << raw;
  std::string long_header =
      "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n";
  EXPECT_NE(RawExchange(reg_->port(), long_header).find("431"), std::string::npos);
  // Still serving.
  EXPECT_EQ(c.Get("/healthz").status, 200);
}

TEST_F(ApiTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  std::string two =
      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /api/v1/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  std::string out = RawExchange(reg_->port(), two);
  EXPECT_NE(out.find("HTTP/1.1 200"), std::string::npos) << out;
  EXPECT_NE(out.find("HTTP/1.1 401"), std::string::npos) << out;
  EXPECT_LT(out.find("HTTP/1.1 200"), out.find("HTTP/1.1 401"));  // answered in order
}

TEST_F(ApiTest, DeeplyNestedBodiesAreRefusedNotACrash) {
  const std::string deep = std::string(400000, '[') + std::string(400000, ']');
  HttpClient anon = Client();
  HttpResult login = anon.Send("POST", "/api/v1/login", deep);
  EXPECT_EQ(login.status, 400) << login.body;
  EXPECT_NE(login.body.find("JSON nested deeper than 64 levels"), std::string::npos) << login.body;
  auto token = reg_->AddToken("partner-deep", "submit");
  ASSERT_TRUE(token.ok());
  HttpClient p = Client();
  p.bearer = *token;
  HttpResult reports = p.Send("POST", "/api/v1/reports", deep);
  EXPECT_EQ(reports.status, 400) << reports.body;
  HttpResult nested = p.Send("POST", "/api/v1/reports", "{\"records\":[{\"notes\":" + deep + "}]}");
  EXPECT_EQ(nested.status, 400) << nested.body;
  // An invalid UTF-8 key is named in the answer, which stays valid JSON.
  HttpResult bad_key =
      p.Send("POST", "/api/v1/reports", "{\"source_record_id\":\"u1\",\"name\":\"A\",\"k\xff\":1}");
  ASSERT_EQ(bad_key.status, 200) << bad_key.body;
  rapidjson::Document strict;
  strict.Parse<rapidjson::kParseValidateEncodingFlag>(bad_key.body.c_str());
  EXPECT_FALSE(strict.HasParseError()) << bad_key.body;
  EXPECT_NE(bad_key.body.find("k\\\\xFF"), std::string::npos) << bad_key.body;
  EXPECT_EQ(Client().Get("/healthz").status, 200);
}

TEST_F(ApiTest, PartnersSubmitWithScopedTokens) {
  auto token = reg_->AddToken("partner-a", "submit");
  ASSERT_TRUE(token.ok());
  HttpClient p = Client();
  std::string rec = Record("partner-a", "p1", "سعيد خالد العمر", kDeath);
  EXPECT_EQ(p.Send("POST", "/api/v1/reports", rec).status, 401);
  p.bearer = "not-a-token";
  EXPECT_EQ(p.Send("POST", "/api/v1/reports", rec).status, 401);
  p.bearer = *token;
  HttpResult ok = p.Send("POST", "/api/v1/reports", rec);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json["outcomes"].Size(), 1u);
  EXPECT_EQ(p.Get("/api/v1/review/queue").status, 403);  // a token is not a monitor
  HttpResult batch =
      p.Send("POST", "/api/v1/reports",
             "{\"records\":[" + Record("partner-a", "p2", "x", "\"sex\":\"robot\"") + "]}");
  ASSERT_EQ(batch.status, 200) << batch.body;
  EXPECT_EQ(std::string(batch.json["outcomes"][0]["decision"].GetString()), "rejected");
  EXPECT_EQ(p.Send("POST", "/api/v1/reports", "{\"records\":7}").status, 400);
  // The API ignores empty path segments, as its router does: a doubled slash
  // is the same endpoint (found by fuzz_api; it used to fall through to the
  // static files).
  HttpResult doubled = p.Send("POST", "//api/v1/reports", Record("partner-a", "p3", "x", kDeath));
  ASSERT_EQ(doubled.status, 200) << doubled.body;
  EXPECT_EQ(doubled.json["outcomes"].Size(), 1u);
  EXPECT_EQ(p.Send("POST", "//api//v1/reports", rec).status, 200);
  // Monitors may not submit.
  EXPECT_EQ(Monitor().Post("/api/v1/reports", rec).status, 403);
}

TEST_F(ApiTest, QuarantineHidesRawPayloadFromMonitors) {
  auto out = reg_->Ingest({Record("moh", "bad", "x", "\"sex\":\"robot\"")});
  ASSERT_TRUE(out.ok());
  ASSERT_EQ((*out)[0].decision, "rejected");
  HttpResult m = Monitor().Get("/api/v1/quarantine");
  ASSERT_EQ(m.status, 200) << m.body;
  ASSERT_EQ(m.json["records"].Size(), 1u);
  EXPECT_FALSE(m.json["records"][0].HasMember("raw"));
  EXPECT_TRUE(m.json["records"][0]["reasons"].IsArray());
  HttpResult a = Admin().Get("/api/v1/quarantine");
  EXPECT_TRUE(a.json["records"][0].HasMember("raw"));
}

TEST_F(ApiTest, FeedsCountsAndWhatIf) {
  reg_->config().feeds.push_back(FeedSettings{});
  reg_->config().feeds.back().id = "moh-daily";
  HttpClient m = Monitor();
  HttpResult f = m.Get("/api/v1/feeds");
  ASSERT_EQ(f.status, 200) << f.body;
  EXPECT_EQ(std::string(f.json["feeds"][0]["id"].GetString()), "moh-daily");
  HttpResult counts = m.Get("/api/v1/counts");
  EXPECT_EQ(counts.json["pending_reviews"].GetInt64(), 1);
  HttpClient a = Admin();
  HttpResult w = a.Get("/api/v1/admin/what-if");
  ASSERT_EQ(w.status, 200) << w.body;
  EXPECT_EQ(w.json["pending_items"].GetInt64(), 1);
  EXPECT_EQ(w.json["labelled_pairs"].GetInt64(), 0);
  EXPECT_EQ(w.json["warnings"].Size(), 1u);
  HttpResult p = a.Post("/api/v1/admin/what-if", "{\"auto_merge\":-2000,\"review\":-3000}");
  ASSERT_EQ(p.status, 200) << p.body;
  EXPECT_EQ(p.json["proposed"]["pending_would_merge"].GetInt64(), 1);
  EXPECT_EQ(p.json["current"]["pending_would_queue"].GetInt64(), 1);
  EXPECT_EQ(a.Post("/api/v1/admin/what-if", "{\"weights\":{\"nope\":1}}").status, 400);
  EXPECT_EQ(a.Post("/api/v1/admin/what-if", "{\"auto_merge\":1,\"review\":2}").status, 400);
  HttpResult backwards = a.Post("/api/v1/admin/what-if", "{\"weights\":{\"dob.exact_min\":11}}");
  EXPECT_EQ(backwards.status, 400);
  EXPECT_NE(backwards.body.find("dob.exact_min must be <= dob.exact_max"), std::string::npos)
      << backwards.body;
}

TEST_F(ApiTest, StaticFilesAndCatalogues) {
  HttpClient c = Client();
  HttpResult index = c.Get("/");
  ASSERT_EQ(index.status, 200);
  EXPECT_NE(index.headers["content-type"].find("text/html"), std::string::npos);
  EXPECT_NE(index.headers["content-security-policy"].find("script-src 'self'"), std::string::npos);
  EXPECT_EQ(c.Get("/static/app.js").status, 200);
  EXPECT_EQ(c.Get("/static/../server.cc").status, 404);
  EXPECT_EQ(c.Get("/static/%2e%2e/api.cc").status, 404);
  HttpResult ar = c.Send("GET", "/i18n/catalogue", "", {{"Accept-Language", "ar-SY,ar;q=0.9"}});
  ASSERT_EQ(ar.status, 200);
  EXPECT_EQ(std::string(ar.json["dir"].GetString()), "rtl");
  HttpResult cookie =
      c.Send("GET", "/i18n/catalogue", "", {{"Accept-Language", "ar"}, {"Cookie", "qayd_lang=en"}});
  EXPECT_EQ(std::string(cookie.json["lang"].GetString()), "en");
  EXPECT_EQ(c.Get("/i18n/catalogue?lang=fr").status, 404);
}

// Two monitors pulling from the same queue at the same time never get the
// same item.
TEST_F(ApiTest, ConcurrentClaimsNeverShareAnItem) {
  std::vector<std::string> more;
  for (int i = 0; i < 12; ++i) {
    more.push_back(
        Record("ngo" + std::to_string(i), "n" + std::to_string(i), "محمد أحمد حسن الخطيب", kDeath));
  }
  for (const auto& r : more) ASSERT_TRUE(reg_->Ingest({r}).ok());
  auto txn = reg_->store()->Begin(Store::Mode::kRead);
  ReviewFilter f;
  f.limit = 100;
  size_t total = (*txn)->ListReviewItems(f)->size();
  txn->reset();
  ASSERT_GE(total, 10u);
  std::vector<int64_t> got[2];
  auto worker = [&](int w) {
    HttpClient c = Monitor(w == 0 ? "mona" : "omar");
    for (int i = 0; i < 100; ++i) {
      HttpResult r = c.Post("/api/v1/review/next");
      if (r.status != 200) {
        EXPECT_EQ(r.error_code(), "queue_empty");
        break;
      }
      got[w].push_back(r.json["item_id"].GetInt64());
    }
  };
  std::thread a(worker, 0), b(worker, 1);
  a.join();
  b.join();
  std::set<int64_t> sa(got[0].begin(), got[0].end()), sb(got[1].begin(), got[1].end());
  EXPECT_EQ(sa.size(), got[0].size());
  EXPECT_EQ(sb.size(), got[1].size());
  std::vector<int64_t> both;
  std::set_intersection(sa.begin(), sa.end(), sb.begin(), sb.end(), std::back_inserter(both));
  EXPECT_TRUE(both.empty()) << "items claimed by both monitors: " << both.size();
  EXPECT_EQ(sa.size() + sb.size(), total);
}

}  // namespace
}  // namespace qayd::testing

namespace qayd::testing {
namespace {

TEST_F(ApiTest, DeathReportNeedsASessionAndCountsTheRegister) {
  HttpClient anon = Client();
  EXPECT_EQ(anon.Get("/api/v1/reports/deaths?year=2024").status, 401);
  HttpClient m = Monitor();
  HttpResult bad = m.Get("/api/v1/reports/deaths");
  EXPECT_EQ(bad.status, 400) << bad.body;
  HttpResult r = m.Get("/api/v1/reports/deaths?year=" + std::to_string(TodayUtc().year));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("\"victim_ids\""), std::string::npos) << r.body;
  HttpResult html = m.Get("/api/v1/reports/deaths?year=2024&format=html");
  ASSERT_EQ(html.status, 200);
  EXPECT_NE(html.headers["content-type"].find("text/html"), std::string::npos);
  EXPECT_NE(html.body.find("<svg"), std::string::npos);
  // Its inline stylesheet is allowed by hash (one policy, nothing else inline);
  // JSON answers keep the default policy. Victim links go to the UI's route.
  const std::string html_csp = html.headers["content-security-policy"];
  EXPECT_NE(html_csp.find("style-src 'self' 'sha256-"), std::string::npos) << html_csp;
  EXPECT_EQ(html_csp.find("unsafe-inline"), std::string::npos) << html_csp;
  EXPECT_NE(html_csp.find("script-src 'self';"), std::string::npos) << html_csp;
  EXPECT_NE(r.headers["content-security-policy"].find("style-src 'self';"), std::string::npos);
  const std::string raw =
      RawExchange(reg_->port(),
                  "GET /api/v1/reports/deaths?year=2024&format=html HTTP/1.1\r\nHost: x\r\n"
                  "Cookie: " +
                      m.cookie + "\r\nConnection: close\r\n\r\n");
  size_t policies = 0;
  for (size_t at = raw.find("Content-Security-Policy:"); at != std::string::npos;
       at = raw.find("Content-Security-Policy:", at + 1)) {
    ++policies;
  }
  EXPECT_EQ(policies, 1u) << raw.substr(0, 600);
  EXPECT_EQ(html.body.find("/#/victims/"), std::string::npos);
}

}  // namespace
}  // namespace qayd::testing
