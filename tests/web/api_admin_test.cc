// The admin API end to end (real register, server and client): quarantine
// correct-and-replay, the users page's endpoints, the settings in force.
#include <gtest/gtest.h>

#include <string>

#include "tests/web/http_client.h"
#include "tests/web/test_register.h"

namespace qayd::testing {
namespace {

constexpr char kMonitorPass[] = "monitor-pass-1";
constexpr char kAdminPass[] = "admin-pass-123";

// "Khan Yunis" is not in the governorate list; "Khan Younis" is.
const std::string kBadPlace =
    "\"sex\":\"male\",\"date_of_death\":\"2023-11-02\","
    "\"place_of_death\":{\"governorate\":\"Khan Yunis\"}";

class AdminApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    reg_ = std::make_unique<TestRegister>(DefaultConfig().matching);
    ASSERT_TRUE(reg_->Start().ok());
    ASSERT_TRUE(reg_->AddUser("mona", "monitor", kMonitorPass).ok());
    ASSERT_TRUE(reg_->AddUser("ada", "admin", kAdminPass).ok());
  }
  HttpClient Login(const std::string& user, const std::string& password) {
    HttpClient c(reg_->port());
    EXPECT_EQ(c.Login(user, password).status, 200) << user;
    return c;
  }
  // Quarantines a record with a bad governorate; returns its quarantine id.
  int64_t Quarantined() {
    auto out = reg_->IngestValidated({Record("moh", "q1", "سامي خليل النجار", kBadPlace)});
    EXPECT_TRUE(out.ok());
    EXPECT_EQ((*out)[0].decision, "rejected");
    auto txn = reg_->store()->Begin(Store::Mode::kRead);
    auto list = (*txn)->ListQuarantine(0, 10);
    EXPECT_TRUE(list.ok());
    EXPECT_EQ(list->size(), 1u);
    return list->empty() ? 0 : list->front().id;
  }
  std::unique_ptr<TestRegister> reg_;
};

TEST_F(AdminApiTest, QuarantineCorrectAndReplay) {
  int64_t id = Quarantined();
  ASSERT_GT(id, 0);
  const std::string path = "/api/v1/quarantine/" + std::to_string(id) + "/replay";
  HttpClient admin = Login("ada", kAdminPass);
  HttpResult list = admin.Get("/api/v1/quarantine");
  ASSERT_EQ(list.status, 200) << list.body;
  const auto& reason = list.json["records"][0]["reasons"][0];
  EXPECT_EQ(std::string(reason["field"].GetString()), "place_of_death.governorate");
  EXPECT_NE(std::string(reason["problem"].GetString()).find("did you mean 'Khan Younis'?"),
            std::string::npos)
      << reason["problem"].GetString();

  // Monitors may look, not replay.
  EXPECT_EQ(Login("mona", kMonitorPass).Post(path, "{}").status, 403);

  // As received: still invalid, field-level errors naming the record; nothing written.
  HttpResult again = admin.Post(path, "{}");
  ASSERT_EQ(again.status, 422) << again.body;
  EXPECT_EQ(again.error_code(), "invalid_record");
  const auto& f = again.json["error"]["fields"][0];
  EXPECT_EQ(std::string(f["record"].GetString()), "quarantine " + std::to_string(id));
  EXPECT_EQ(std::string(f["field"].GetString()), "place_of_death.governorate");
  {
    auto txn = reg_->store()->Begin(Store::Mode::kRead);
    ASSERT_TRUE(txn.ok());
    EXPECT_EQ((*txn)->GetCounts()->reports, 0);
  }

  // A correction that is still wrong elsewhere: the new problem is named.
  HttpResult wrong = admin.Post(
      path,
      "{\"record\":{\"names\":[{\"full\":\"سامي خليل النجار\"}],\"sex\":\"robot\","
      "\"date_of_death\":\"2023-11-02\",\"place_of_death\":{\"governorate\":\"Khan Younis\"}}}");
  ASSERT_EQ(wrong.status, 422) << wrong.body;
  EXPECT_EQ(std::string(wrong.json["error"]["fields"][0]["field"].GetString()), "sex");

  // The suggested fix: accepted through the pipeline; the entry is kept, marked replayed.
  HttpResult ok = admin.Post(
      path,
      "{\"record\":{\"names\":[{\"full\":\"سامي خليل النجار\"}],\"sex\":\"male\","
      "\"date_of_death\":\"2023-11-02\",\"place_of_death\":{\"governorate\":\"Khan Younis\"}}}");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(std::string(ok.json["outcome"]["decision"].GetString()), "new");
  const int64_t report = ok.json["report_id"].GetInt64();
  ASSERT_GT(report, 0);
  EXPECT_GT(ok.json["outcome"]["victim_id"].GetInt64(), 0);
  {
    auto txn = reg_->store()->Begin(Store::Mode::kRead);
    auto q = (*txn)->GetQuarantined(id);
    ASSERT_TRUE(q.ok());
    EXPECT_EQ(q->replayed_report_id, report);
    auto r = (*txn)->GetReport(report);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->source, "moh");
    EXPECT_EQ(r->source_record_id, "q1");  // the quarantined record's own id
    EXPECT_EQ(r->place_of_death.governorate, "Khan Younis");
  }
  HttpResult listed = admin.Get("/api/v1/quarantine");
  EXPECT_EQ(listed.json["records"][0]["replayed_report_id"].GetInt64(), report);

  // Once only; unknown ids and bad bodies are refused.
  HttpResult twice = admin.Post(path, "{}");
  EXPECT_EQ(twice.status, 409);
  EXPECT_EQ(twice.error_code(), "already_replayed");
  EXPECT_EQ(admin.Post("/api/v1/quarantine/999/replay", "{}").status, 404);
  EXPECT_EQ(admin.Post(path, "{\"record\":[1]}").status, 400);
  EXPECT_EQ(admin.Post(path, "{\"other\":1}").status, 400);
}

TEST_F(AdminApiTest, UsersListAddResetDisable) {
  HttpClient mona = Login("mona", kMonitorPass);
  EXPECT_EQ(mona.Get("/api/v1/admin/users").status, 403);
  EXPECT_EQ(mona.Post("/api/v1/admin/users",
                      "{\"name\":\"x\",\"role\":\"admin\",\"password\":\"0123456789\"}")
                .status,
            403);
  HttpClient admin = Login("ada", kAdminPass);
  HttpResult list = admin.Get("/api/v1/admin/users");
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.json["users"].Size(), 2u);
  EXPECT_EQ(std::string(list.json["users"][1]["name"].GetString()), "mona");
  EXPECT_EQ(std::string(list.json["users"][1]["role"].GetString()), "monitor");
  EXPECT_EQ(list.body.find("argon2"), std::string::npos) << "no password hash in the listing";

  // Add: the CLI's rules (name, role, password length).
  auto add = [&](const std::string& body) { return admin.Post("/api/v1/admin/users", body); };
  EXPECT_EQ(add("{\"name\":\"nadia\",\"role\":\"monitor\",\"password\":\"short\"}").status, 400);
  EXPECT_EQ(add("{\"name\":\"na dia\",\"role\":\"monitor\",\"password\":\"long-enough-1\"}").status,
            400);
  EXPECT_EQ(add("{\"name\":\"nadia\",\"role\":\"root\",\"password\":\"long-enough-1\"}").status,
            400);
  EXPECT_EQ(add("{\"name\":\"nadia\",\"role\":\"monitor\",\"password\":\"long-enough-1\"}").status,
            201);
  HttpResult dup = add("{\"name\":\"nadia\",\"role\":\"admin\",\"password\":\"long-enough-2\"}");
  EXPECT_EQ(dup.status, 409);
  EXPECT_EQ(dup.error_code(), "user_exists");
  HttpClient nadia = Login("nadia", "long-enough-1");
  EXPECT_EQ(nadia.Get("/api/v1/me").status, 200);

  // Reset: the old password stops working, the new one works.
  EXPECT_EQ(admin.Post("/api/v1/admin/users/nadia/password", "{\"password\":\"short\"}").status,
            400);
  EXPECT_EQ(
      admin.Post("/api/v1/admin/users/nobody/password", "{\"password\":\"long-enough-3\"}").status,
      404);
  EXPECT_EQ(
      admin.Post("/api/v1/admin/users/nadia/password", "{\"password\":\"long-enough-3\"}").status,
      200);
  EXPECT_EQ(HttpClient(reg_->port()).Login("nadia", "long-enough-1").status, 401);
  HttpClient nadia2 = Login("nadia", "long-enough-3");

  // Disable: her open sessions end at once; an admin cannot disable themselves.
  EXPECT_EQ(admin.Post("/api/v1/admin/users/nadia/disable").status, 200);
  EXPECT_EQ(nadia2.Get("/api/v1/me").status, 401);
  EXPECT_EQ(HttpClient(reg_->port()).Login("nadia", "long-enough-3").status, 401);
  HttpResult self = admin.Post("/api/v1/admin/users/ada/disable");
  EXPECT_EQ(self.status, 409);
  EXPECT_EQ(self.error_code(), "self_disable");
  HttpResult after = admin.Get("/api/v1/admin/users");
  ASSERT_EQ(after.json["users"].Size(), 3u);
  EXPECT_EQ(std::string(after.json["users"][2]["name"].GetString()), "nadia");
  EXPECT_TRUE(after.json["users"][2]["disabled"].GetBool());
  EXPECT_FALSE(after.json["users"][0]["disabled"].GetBool());
}

TEST_F(AdminApiTest, SettingsShowConflictsAndEvidence) {
  reg_->config().matching.conflicts.date_of_death.tolerance = 30;
  reg_->config().matching.conflicts.sex.enabled = false;
  EXPECT_EQ(Login("mona", kMonitorPass).Get("/api/v1/admin/settings").status, 403);
  HttpResult s = Login("ada", kAdminPass).Get("/api/v1/admin/settings");
  ASSERT_EQ(s.status, 200) << s.body;
  const auto& c = s.json["conflicts"];
  EXPECT_EQ(c["date_of_death"]["tolerance"].GetInt(), 30);
  EXPECT_TRUE(c["date_of_death"]["enabled"].GetBool());
  EXPECT_FALSE(c["sex"]["enabled"].GetBool());
  EXPECT_FALSE(c["family_name"].HasMember("tolerance"));
  EXPECT_EQ(c.MemberCount(), 8u);
  EXPECT_EQ(s.json["evidence"]["name_parts"].GetInt(), 4);
  EXPECT_TRUE(s.json["evidence"]["placeholder_against_undated"].GetBool());
}

}  // namespace
}  // namespace qayd::testing
