// Privacy of the running daemon: names of victims, relatives' relation and
// contact never reach the log at level info, and the register and the state
// folder qaydd creates are owner-only.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/daemon_harness.h"
#include "tests/support/http_post.h"
#include "tests/support/run_command.h"
#include "tests/support/sqlite_count.h"

namespace qayd::testing {
namespace {

using namespace std::chrono_literals;

// Every marker is in some record; none may appear in the log.
const std::vector<std::string> kMarkers = {"Zzqmarkerfirst",
                                           "Zzqmarkerfather",
                                           "Zzqmarkerfamily",
                                           "Zzqmarkerkunya",
                                           "Zzqmarkernick",
                                           "Zzqmarkerrelation",
                                           "zzqmarker-contact@example.org",
                                           "+970599Zzq",
                                           "زقمرقر",
                                           "ظغخمعلم",
                                           "Zzqmarkerformname",
                                           "Zzqmarkerformlatin",
                                           "Zzqmarkerformcontact",
                                           "Zzqmarkerformrel",
                                           "ضظغقرابة"};

// The markers found in `log`, exact, and "zzqmarker" when it occurs case-folded.
std::vector<std::string> MarkersIn(const std::string& log) {
  std::vector<std::string> found;
  for (const std::string& marker : kMarkers) {
    if (log.find(marker) != std::string::npos) found.push_back(marker);
  }
  std::string lower = log;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.find("zzqmarker") != std::string::npos) found.push_back("zzqmarker");
  return found;
}

mode_t Mode(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 07777;  // not there: fails every mode check
  return st.st_mode & 07777;
}

TEST(PrivacyDaemonTest, NoNameOrContactInTheLogAndOwnerOnlyFiles) {
  DaemonHarness d(R"({
  "store": {"sqlite_path": "@DIR@/state/register.db"},
  "http": {"listen": "127.0.0.1", "port": 0},
  "feeds": [{"id": "markers", "url": "file://@DIR@/feed.jsonl", "format": "jsonl", "poll_interval_s": 1}],
  "submissions": {"enabled": true, "rate_limit_per_minute": 100},
  "logging": {"level": "info"},
  "daemon": {"drain_timeout_s": 5}
})");
  {
    std::ofstream feed(d.dir() + "/feed.jsonl");
    // Valid records, near-duplicates (so matching explains and merges), and
    // broken ones (so quarantine and validation messages are logged too).
    feed
        << R"({"source_record_id":"m1","names":[{"full":"Zzqmarkerfirst Zzqmarkerfather Zzqmarkerfamily","first":"Zzqmarkerfirst","father":"Zzqmarkerfather","family":"Zzqmarkerfamily","kunya":"Zzqmarkerkunya","nickname":"Zzqmarkernick"}],"sex":"male","date_of_birth":"1990-01-02","date_of_death":"2023-11-01","submitter":{"relation":"Zzqmarkerrelation","contact":"zzqmarker-contact@example.org"}})"
        << "\n";
    feed
        << R"({"source_record_id":"m2","names":["Zzqmarkerfirst Zzqmarkerfather Zzqmarkerfamily"],"sex":"male","date_of_birth":"1990-01-02","date_of_death":"2023-11-01","submitter":{"relation":"Zzqmarkerrelation","contact":"+970599Zzq"}})"
        << "\n";
    feed
        << R"({"source_record_id":"m3","names":[{"full":"زقمرقر ظغخمعلم","script":"arabic"}],"sex":"ذكر","date_of_death":"2024-01-05","submitter":{"relation":"ضظغقرابة","contact":"+970599Zzq"}})"
        << "\n";
    feed
        << R"({"source_record_id":"m4","names":["زقمرقر ظغخمعلم Zzqmarkerfamily"],"sex":"zzz","date_of_death":"2999-01-01","age":"500"})"
        << "\n";
    feed << R"({"source_record_id":"m5","names":["Zzqmarkerfirst"],"bogus_key":"Zzqmarkernick")"
         << "\n";  // not JSON: quarantined with its verbatim bytes
  }
  const std::string state = d.dir() + "/state";
  const std::string db = state + "/register.db";
  ::umask(022);  // a permissive umask: owner-only must come from qaydd itself
  d.Start();
  ASSERT_TRUE(d.WaitNotify("READY=1", 30s)) << d.Log();
  ASSERT_TRUE(d.WaitLog("msg=\"feed imported\"", 60s)) << d.Log();
  std::smatch m;
  std::string log = d.Log();
  ASSERT_TRUE(std::regex_search(log, m, std::regex("http listening[^\\n]*port=\"?([0-9]+)")))
      << log;
  int port = std::stoi(m[1].str());

  std::string answer =
      HttpPost(port, "/api/v1/public/submissions",
               R"({"name":"Zzqmarkerformname زقمرقر","name_latin":"Zzqmarkerformlatin",)"
               R"("sex":"female","date_of_death":"2024-02-03","relation":"Zzqmarkerformrel",)"
               R"("contact":"Zzqmarkerformcontact"})");
  ASSERT_NE(answer.find("201"), std::string::npos) << answer;
  EXPECT_NE(answer.find("\"reference\""), std::string::npos) << answer;
  // An invalid form too: its field errors are answered, not logged with values.
  std::string bad =
      HttpPost(port, "/api/v1/public/submissions",
               R"({"name":"Zzqmarkerformname","age":"999","contact":"Zzqmarkerformcontact"})");
  EXPECT_NE(bad.find("400"), std::string::npos) << bad;

  // Everything stored: 4 feed records parse (one quarantined line), the form's one.
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (SqliteCount(db, "SELECT COUNT(*) FROM reports WHERE source = 'public-form'") < 1 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(SqliteCount(db, "SELECT COUNT(*) FROM reports WHERE source = 'public-form'"), 1);
  EXPECT_GE(SqliteCount(db, "SELECT COUNT(*) FROM reports WHERE source = 'markers'"), 2);

  // The WAL files exist while it runs.
  EXPECT_EQ(Mode(db), 0600u);
  EXPECT_EQ(Mode(db + "-wal"), 0600u);
  EXPECT_EQ(Mode(db + "-shm"), 0600u);
  EXPECT_EQ(Mode(state), 0700u);

  d.Signal(SIGTERM);
  ASSERT_EQ(d.WaitExit(20s), 0) << d.Log();
  log = d.Log();
  ASSERT_NE(log.find("feed imported"), std::string::npos);  // the log is the daemon's whole log
  // No marker, exact or case-folded and partial ("zzqmarker" in any spelling).
  EXPECT_EQ(MarkersIn(log), std::vector<std::string>{}) << "markers in the log:\n" << log;
  EXPECT_EQ(Mode(db), 0600u);
}

// The scan above proves something only if it finds a marker that does reach
// the log. qaydd logs no record content at any level (at debug neither: the
// only debug line is "feed not modified"), so the marker goes where qaydd logs
// partner-chosen text verbatim at info: a spool file's name. The same scan,
// on the whole log of a daemon at debug level, must report it in Latin
// (case-folded) and Arabic script.
TEST(PrivacyDaemonTest, TheMarkerScanFindsMarkersThatReachTheLog) {
  DaemonHarness d(R"({
  "store": {"sqlite_path": "@DIR@/state/register.db"},
  "http": {"listen": "127.0.0.1", "port": 0},
  "submissions": {"spool_dir": "@DIR@/spool", "spool_scan_interval_s": 1},
  "logging": {"level": "debug"},
  "daemon": {"drain_timeout_s": 5}
})");
  const std::string spool = d.dir() + "/spool";
  ::mkdir(spool.c_str(), 0700);
  {
    std::ofstream f(spool + "/.incoming.tmp");
    f << R"({"source_record_id":"s1","names":["Zzqmarkerfirst Zzqmarkerfamily"],"sex":"male","date_of_death":"2024-01-05"})"
      << "\n";
  }
  ASSERT_EQ(::rename((spool + "/.incoming.tmp").c_str(),
                     (spool + "/ZZQMARKERFIRST-زقمرقر.jsonl").c_str()),
            0);
  d.Start();
  ASSERT_TRUE(d.WaitNotify("READY=1", 30s)) << d.Log();
  ASSERT_TRUE(d.WaitLog("msg=\"spool file processed\"", 30s)) << d.Log();
  d.Signal(SIGTERM);
  ASSERT_EQ(d.WaitExit(20s), 0) << d.Log();
  const std::vector<std::string> found = MarkersIn(d.Log());
  EXPECT_NE(std::find(found.begin(), found.end(), "زقمرقر"), found.end()) << d.Log();
  EXPECT_NE(std::find(found.begin(), found.end(), "zzqmarker"), found.end()) << d.Log();
}

// Secrets never reach the log either: a partner's API token, a monitor's
// password, the session cookie and CSRF token the login hands out, and the
// hashes the register keeps of them. The daemon logs at debug level here (the
// most it ever logs), logins and submissions happen, and the log is scanned
// for each secret.
TEST(PrivacyDaemonTest, NoTokenPasswordSessionOrHashInTheLog) {
  DaemonHarness d(R"({
  "store": {"sqlite_path": "@DIR@/state/register.db"},
  "http": {"listen": "127.0.0.1", "port": 0},
  "logging": {"level": "debug"},
  "daemon": {"drain_timeout_s": 5}
})");
  const std::string db = d.dir() + "/state/register.db";
  ::mkdir((d.dir() + "/state").c_str(), 0700);
  const std::string password = "Zzq-secret-password-4711";
  {
    std::ofstream f(d.dir() + "/pw");
    f << password << "\n";
  }
  const std::string qayd = std::string(QAYD_PATH);
  ASSERT_EQ(RunCommand(qayd + " user add mona --role monitor --password-file " + d.dir() +
                       "/pw --db " + db + " 2>&1")
                .code,
            0);
  const std::string token = RunCommandOut(qayd + " token add partner --scope submit --db " + db +
                                          " 2>/dev/null | head -1");
  ASSERT_EQ(token.size(), 64u) << token;
  d.Start();
  ASSERT_TRUE(d.WaitNotify("READY=1", 30s)) << d.Log();
  std::smatch m;
  std::string log = d.Log();
  ASSERT_TRUE(std::regex_search(log, m, std::regex("http listening[^\\n]*port=\"?([0-9]+)")))
      << log;
  const int port = std::stoi(m[1].str());

  const std::string login =
      HttpPost(port, "/api/v1/login", R"({"user":"mona","password":")" + password + R"("})");
  ASSERT_NE(login.find("200 OK"), std::string::npos) << login;
  std::smatch cookie, csrf;
  ASSERT_TRUE(std::regex_search(login, cookie, std::regex("qayd_session=([0-9a-f]+)"))) << login;
  ASSERT_TRUE(std::regex_search(login, csrf, std::regex("\"csrf\":\"([0-9a-f]+)\""))) << login;
  // A wrong password too (the refusal is logged, the attempt's password is not).
  HttpPost(port, "/api/v1/login", R"({"user":"mona","password":"Zzq-wrong-guess-0815"})");
  const std::string sub = HttpPost(
      port, "/api/v1/reports",
      R"({"source":"partner","source_record_id":"t1","names":["Ahmad Salem"],"sex":"male","date_of_death":"2024-01-05"})",
      "Authorization: Bearer " + token + "\r\n");
  ASSERT_NE(sub.find("200 OK"), std::string::npos) << sub;
  HttpPost(port, "/api/v1/reports", "{}", "Authorization: Bearer " + token + "0\r\n");  // forged

  d.Signal(SIGTERM);
  ASSERT_EQ(d.WaitExit(20s), 0) << d.Log();
  log = d.Log();
  ASSERT_NE(log.find("login"), std::string::npos) << log;  // logins are logged, by name only
  std::vector<std::string> secrets = {password, "Zzq-wrong-guess-0815", token, cookie[1].str(),
                                      csrf[1].str()};
  // The stored hashes (Argon2id of the password, SHA-256 of tokens and sessions).
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  for (const char* sql : {"SELECT password_hash FROM users", "SELECT token_hash FROM api_tokens",
                          "SELECT token_hash FROM sessions"}) {
    sqlite3_stmt* st = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(h, sql, -1, &st, nullptr), SQLITE_OK) << sql;
    while (sqlite3_step(st) == SQLITE_ROW) {
      secrets.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(h);
  ASSERT_GE(secrets.size(), 8u);
  for (const std::string& secret : secrets) {
    ASSERT_GE(secret.size(), 16u);
    EXPECT_EQ(log.find(secret), std::string::npos) << "a secret is in the log:\n" << log;
    // Nor a recognisable part of it (a prefix logged "for correlation").
    EXPECT_EQ(log.find(secret.substr(0, 12)), std::string::npos) << secret.substr(0, 12);
  }
}

}  // namespace
}  // namespace qayd::testing
