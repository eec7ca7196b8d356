// Two real qaydd processes on one PostgreSQL: both accept reports into the
// durable inbox, one matches (the matcher lock), it is SIGKILLed mid-stream,
// the other takes over; then the register is checked with SQL.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/daemon_harness.h"
#include "tests/support/run_command.h"

namespace qayd::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

// --- PostgreSQL ---------------------------------------------------------------

class Db {
 public:
  explicit Db(const std::string& url) : conn_(PQconnectdb(url.c_str()), &PQfinish) {}
  bool ok() const { return PQstatus(conn_.get()) == CONNECTION_OK; }
  std::string error() const { return PQerrorMessage(conn_.get()); }
  // Rows of text cells; fails the test on an SQL error.
  std::vector<std::vector<std::string>> Rows(const std::string& sql) {
    std::unique_ptr<PGresult, decltype(&PQclear)> r(PQexec(conn_.get(), sql.c_str()), &PQclear);
    const auto st = PQresultStatus(r.get());
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
      ADD_FAILURE() << sql << ": " << PQresultErrorMessage(r.get());
      return {};
    }
    std::vector<std::vector<std::string>> rows;
    for (int i = 0; i < PQntuples(r.get()); ++i) {
      std::vector<std::string> row;
      for (int j = 0; j < PQnfields(r.get()); ++j) row.emplace_back(PQgetvalue(r.get(), i, j));
      rows.push_back(std::move(row));
    }
    return rows;
  }
  int64_t Int(const std::string& sql) {
    auto rows = Rows(sql);
    if (rows.empty() || rows[0].empty()) return -1;
    return std::stoll(rows[0][0]);
  }

 private:
  std::unique_ptr<PGconn, decltype(&PQfinish)> conn_;
};

// A throwaway cluster (scripts/pg-test-cluster.sh), or a fresh database in the
// cluster named by QAYD_TEST_PG_URL.
class PgDatabase {
 public:
  PgDatabase() {
    const std::string script = std::string(QAYD_SOURCE_DIR) + "/scripts/pg-test-cluster.sh";
    if (const char* env = std::getenv("QAYD_TEST_PG_URL"); env && *env) {
      const std::string base = env;
      const std::string name = "qayd_multi_" + std::to_string(getpid());
      Db admin(base);
      if (!admin.ok()) throw std::runtime_error("QAYD_TEST_PG_URL: " + admin.error());
      admin.Rows("DROP DATABASE IF EXISTS " + name);
      admin.Rows("CREATE DATABASE " + name);
      const auto slash = base.rfind('/');
      const auto query = base.find('?', slash);
      url_ =
          base.substr(0, slash + 1) + name + (query == std::string::npos ? "" : base.substr(query));
      admin_url_ = base;
      db_name_ = name;
    } else {
      cluster_dir_ = "/tmp/qayd-multi-pg-" + std::to_string(getpid());
      url_ = RunCommandOut(script + " start " + cluster_dir_ + " 2>&1 | tail -n 1");
      if (url_.rfind("postgresql://", 0) != 0) throw std::runtime_error("pg cluster: " + url_);
    }
  }
  ~PgDatabase() {
    if (!cluster_dir_.empty()) {
      RunCommand(std::string(QAYD_SOURCE_DIR) + "/scripts/pg-test-cluster.sh stop " + cluster_dir_ +
                 " 2>&1");
    } else if (!db_name_.empty()) {
      Db admin(admin_url_);
      if (admin.ok()) admin.Rows("DROP DATABASE IF EXISTS " + db_name_ + " WITH (FORCE)");
    }
  }
  const std::string& url() const { return url_; }

 private:
  std::string url_, cluster_dir_, admin_url_, db_name_;
};

// --- the reports ---------------------------------------------------------------

struct Name {
  const char *ar, *en, *en_alt;
};
constexpr Name kFirst[] = {{"محمد", "Mohammed", "Muhammad"},
                           {"أحمد", "Ahmad", "Ahmed"},
                           {"محمود", "Mahmoud", "Mahmud"},
                           {"خالد", "Khaled", "Khalid"},
                           {"عمر", "Omar", "Umar"},
                           {"يوسف", "Yousef", "Yusuf"},
                           {"إبراهيم", "Ibrahim", "Ebrahim"},
                           {"مصطفى", "Mustafa", "Mostafa"},
                           {"حسن", "Hassan", "Hasan"},
                           {"حسين", "Hussein", "Husayn"},
                           {"علي", "Ali", "Aly"},
                           {"صالح", "Saleh", "Salih"},
                           {"طارق", "Tareq", "Tariq"},
                           {"زياد", "Ziad", "Ziyad"},
                           {"ناصر", "Nasser", "Nasir"},
                           {"رامي", "Rami", "Ramy"},
                           {"سمير", "Samir", "Sameer"},
                           {"وليد", "Walid", "Waleed"},
                           {"جمال", "Jamal", "Gamal"},
                           {"عادل", "Adel", "Adil"}};
constexpr Name kFamily[] = {{"النجار", "al-Najjar", "El-Najjar"},
                            {"أبو شمالة", "Abu Shamala", "Abu Shamaleh"},
                            {"المصري", "al-Masri", "El-Masry"},
                            {"حمدان", "Hamdan", "Hamdaan"},
                            {"الكرد", "al-Kurd", "El-Kurd"},
                            {"شاهين", "Shaheen", "Shahin"},
                            {"أبو زيد", "Abu Zaid", "Abu Zeid"},
                            {"البطش", "al-Batsh", "El-Batsh"},
                            {"قديح", "Qudaih", "Qdeih"},
                            {"الأسطل", "al-Astal", "El-Astal"},
                            {"بركات", "Barakat", "Barakaat"},
                            {"الفرا", "al-Farra", "El-Farra"},
                            {"أبو جراد", "Abu Jarad", "Abu Jarrad"},
                            {"دحمان", "Dahman", "Dahmaan"},
                            {"الحلو", "al-Helou", "El-Helw"},
                            {"سالم", "Salem", "Salim"},
                            {"عاشور", "Ashour", "Ashur"},
                            {"الشريف", "al-Sharif", "El-Sherif"},
                            {"خليل", "Khalil", "Khaleel"},
                            {"رضوان", "Radwan", "Radwaan"}};

// Person i: a distinct (first, father, grandfather, family, birth date).
std::string Record(int i, const std::string& source, const std::string& id, bool alt) {
  const Name& first = kFirst[i % 20];
  const Name& father = kFirst[(i / 20) % 20];
  const Name& grand = kFirst[(i / 20 + 7) % 20];
  const Name& family = kFamily[(i / 400 + 3 * (i / 20)) % 20];
  const std::string ar = std::string(first.ar) + " " + father.ar + " " + grand.ar + " " + family.ar;
  const std::string en =
      alt ? std::string(first.en_alt) + " " + father.en_alt + " " + grand.en_alt + " " +
                family.en_alt
          : std::string(first.en) + " " + father.en + " " + grand.en + " " + family.en;
  char dob[16], dod[16];
  std::snprintf(dob, sizeof dob, "%04d-%02d-%02d", 1960 + i % 50, 1 + (i / 50) % 12, 1 + i % 28);
  std::snprintf(dod, sizeof dod, "2024-%02d-%02d", 1 + (i / 28) % 12, 1 + (i * 7) % 28);
  return "{\"source\":\"" + source + "\",\"source_record_id\":\"" + id +
         "\",\"names\":[{\"full\":\"" + ar + "\",\"script\":\"arabic\"},{\"full\":\"" + en +
         "\",\"script\":\"latin\"}],\"sex\":\"male\",\"date_of_birth\":\"" + dob +
         "\",\"date_of_death\":\"" + dod + "\",\"place_of_death\":\"Gaza\"}";
}

// People 0..399 go to instance A only, 400..799 to B only; 800..899 are the
// same record (same source + id + payload) delivered to both; 900..999 are
// reported to both by different sources in different spellings (B: other
// Latin transliterations).
constexpr int kRounds = 4;  // files per instance, 150 records each
constexpr int kOnlyA = 0, kOnlyB = 400, kBoth = 800, kSpelling = 900, kPeople = 1000;
constexpr int kDistinctKeys = 400 + 400 + 100 + 100 + 100;

std::vector<std::string> Lines(bool instance_a) {
  std::vector<std::string> out;
  const int own = instance_a ? kOnlyA : kOnlyB;
  for (int k = 0; k < 400; ++k) {
    const int i = own + k;
    out.push_back(Record(i, instance_a ? "ngo-a" : "ngo-b",
                         std::string(instance_a ? "a-" : "b-") + std::to_string(i), false));
    if (k % 4 == 0) {  // interleave the shared people over the whole stream
      // B's rounds 0, 1, 2, 3 carry A's rounds 2, 1, 0, 3: round 1 reaches
      // both around the failover, rounds 0 and 2 come back to the other
      // instance after it.
      constexpr int kRoundOfB[kRounds] = {2, 1, 0, 3};
      const int shared = instance_a ? k / 4 : kRoundOfB[k / 100] * 25 + (k / 4) % 25;
      const int b = kBoth + shared;
      out.push_back(Record(b, "moh", "m-" + std::to_string(b), false));
      const int s = kSpelling + shared;
      out.push_back(instance_a ? Record(s, "ngo-a", "a-" + std::to_string(s), false)
                               : Record(s, "ngo-b", "b-" + std::to_string(s), true));
    }
  }
  return out;
}

// Rename-in: write .name.tmp, then rename to name.
void DropFile(const fs::path& spool, const std::string& name, const std::vector<std::string>& lines,
              size_t from, size_t to) {
  const fs::path tmp = spool / ("." + name + ".tmp");
  {
    std::ofstream out(tmp);
    for (size_t i = from; i < to && i < lines.size(); ++i) out << lines[i] << "\n";
  }
  fs::rename(tmp, spool / name);
}

int SpoolBacklog(const fs::path& spool) {
  int n = 0;
  for (const auto& e : fs::directory_iterator(spool)) {
    if (e.is_regular_file() && e.path().filename().string()[0] != '.') ++n;
  }
  return n;
}

std::string Config(const std::string& pg_url) {
  return R"({
  "store": {"postgres": ")" +
         pg_url + R"("},
  "http": {"listen": "127.0.0.1", "port": 0},
  "submissions": {"spool_dir": "@DIR@/spool", "spool_scan_interval_s": 1},
  "daemon": {"drain_timeout_s": 5}
})";
}

template <typename Pred>
bool WaitFor(Pred pred, std::chrono::milliseconds timeout, std::chrono::milliseconds step = 50ms) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(step);
  }
  return pred();
}

TEST(MultiInstanceTest, TwoInstancesOnePostgresMatchEveryReportOnceAcrossAFailover) {
  std::unique_ptr<PgDatabase> pg;
  ASSERT_NO_THROW(pg = std::make_unique<PgDatabase>());
  DaemonHarness a(Config(pg->url()));
  DaemonHarness b(Config(pg->url()));
  const fs::path spool_a = fs::path(a.dir()) / "spool", spool_b = fs::path(b.dir()) / "spool";
  fs::create_directories(spool_a);
  fs::create_directories(spool_b);
  a.Start();
  ASSERT_TRUE(a.WaitNotify("READY=1", 60s)) << a.Log();
  b.Start();
  ASSERT_TRUE(b.WaitNotify("READY=1", 60s)) << b.Log();
  Db db(pg->url());
  ASSERT_TRUE(db.ok()) << db.error();

  const std::vector<std::string> lines_a = Lines(true), lines_b = Lines(false);
  const size_t per_file = (lines_a.size() + kRounds - 1) / kRounds;  // 150
  auto drop_round = [&](int round, const fs::path& to_a, const fs::path& to_b) {
    const std::string n = "round" + std::to_string(round);
    DropFile(to_a, n + "-a.jsonl", lines_a, round * per_file, (round + 1) * per_file);
    DropFile(to_b, n + "-b.jsonl", lines_b, round * per_file, (round + 1) * per_file);
  };
  const std::string pending_sql = "SELECT count(*) FROM reports WHERE resolution = 0";

  // Round 0 to both; one of them takes the matcher lock and matches it all.
  drop_round(0, spool_a, spool_b);
  ASSERT_TRUE(WaitFor(
      [&] {
        return SpoolBacklog(spool_a) == 0 && SpoolBacklog(spool_b) == 0 &&
               db.Int(pending_sql) == 0 && db.Int("SELECT count(*) FROM reports") > 0;
      },
      120s))
      << a.Log() << b.Log();
  const bool a_matches = a.Log().find("matcher lock acquired") != std::string::npos;
  const bool b_matches = b.Log().find("matcher lock acquired") != std::string::npos;
  ASSERT_NE(a_matches, b_matches) << "exactly one instance holds the matcher lock\n"
                                  << a.Log() << b.Log();
  DaemonHarness& matcher = a_matches ? a : b;
  DaemonHarness& survivor = a_matches ? b : a;
  const fs::path matcher_spool = a_matches ? spool_a : spool_b;
  const fs::path survivor_spool = a_matches ? spool_b : spool_a;
  // Everything matched so far was matched by the instance about to die.
  const int64_t seq_before_kill = db.Int("SELECT coalesce(max(seq), 0) FROM history");
  const int64_t reports_round0 = db.Int("SELECT count(*) FROM reports");

  // Round 1; kill the matcher right after it committed decisions of round 1
  // while other round-1 reports still wait in the inbox: the survivor must
  // catch up with those decisions before it matches. The matcher accepts and
  // decides its own batches in one transaction, so the waiting reports are
  // the survivor's: its file goes in once the matcher has decided some of its
  // own, and the kill follows as soon as they are in the inbox (the matcher
  // resumes the inbox every 2 s).
  int64_t pending_at_kill = 0, decided_at_kill = 0;
  const std::string decided_sql = "SELECT count(*) FROM history WHERE type IN (2, 3) AND seq > " +
                                  std::to_string(seq_before_kill);
  {
    const fs::path matcher_to_a = a_matches ? spool_a : fs::path(a.dir()) / "held";
    const fs::path matcher_to_b = a_matches ? fs::path(b.dir()) / "held" : spool_b;
    fs::create_directories(fs::path(a.dir()) / "held");
    fs::create_directories(fs::path(b.dir()) / "held");
    drop_round(1, matcher_to_a, matcher_to_b);  // the survivor's file is held back
    WaitFor([&] { return db.Int(decided_sql) > 0; }, 30s, 2ms);
    const fs::path held = (a_matches ? fs::path(b.dir()) : fs::path(a.dir())) / "held";
    for (const auto& e : fs::directory_iterator(held)) {
      fs::rename(e.path(), survivor_spool / e.path().filename());
    }
  }
  WaitFor(
      [&] {
        pending_at_kill = db.Int(pending_sql);
        decided_at_kill = db.Int(decided_sql);
        return db.Int("SELECT count(*) FROM reports") > reports_round0 && pending_at_kill > 0 &&
               decided_at_kill > 0;
      },
      30s, 2ms);
  matcher.Signal(SIGKILL);
  ASSERT_TRUE(matcher.WaitExit(10s));
  EXPECT_GT(pending_at_kill, 0) << "the matcher was not killed mid-stream";
  EXPECT_GT(decided_at_kill, 0) << "the matcher was not killed mid-stream";

  // The killed instance's unprocessed files are redelivered to the survivor
  // (the sender never got an acknowledgement); rounds 2 and 3 go there too.
  for (const auto& e : fs::directory_iterator(matcher_spool)) {
    const std::string name = e.path().filename().string();
    if (e.is_regular_file() && name[0] != '.') {
      fs::copy_file(e.path(), survivor_spool / ("." + name + ".tmp"));
      fs::rename(survivor_spool / ("." + name + ".tmp"), survivor_spool / ("redelivered-" + name));
    }
  }
  for (int round = 2; round < kRounds; ++round) drop_round(round, survivor_spool, survivor_spool);
  ASSERT_TRUE(WaitFor([&] { return SpoolBacklog(survivor_spool) == 0 && db.Int(pending_sql) == 0; },
                      240s, 200ms))
      << survivor.Log();
  EXPECT_NE(survivor.Log().find("matcher lock acquired"), std::string::npos) << survivor.Log();
  EXPECT_EQ(db.Int("SELECT count(*) FROM quarantine"), 0);

  // The survivor's index knows victims the killed instance's engine created:
  // a later report of such a person is merged into that victim.
  const auto created_by_killed = db.Rows(
      "SELECT h.report_id, h.victim_id, r.source_record_id FROM history h JOIN reports r ON "
      "r.id = h.report_id WHERE h.type = 2 AND h.actor = 'engine' AND r.resolution = 1 AND "
      "r.source = 'ngo-a' AND h.seq <= " +
      std::to_string(seq_before_kill) + " ORDER BY h.seq LIMIT 20");
  ASSERT_EQ(created_by_killed.size(), 20u);
  std::vector<std::string> late;
  for (const auto& row : created_by_killed) {
    const int person = std::stoi(row[2].substr(2));
    late.push_back(Record(person, "late", "late-" + std::to_string(person), false));
  }
  DropFile(survivor_spool, "late.jsonl", late, 0, late.size());
  ASSERT_TRUE(WaitFor(
      [&] {
        return SpoolBacklog(survivor_spool) == 0 &&
               db.Int("SELECT count(*) FROM reports WHERE source = 'late' AND resolution <> 0") ==
                   20;
      },
      60s, 200ms))
      << survivor.Log();
  for (const auto& row : created_by_killed) {
    const std::string late_id = "late-" + row[2].substr(2);
    EXPECT_EQ(db.Int("SELECT m.victim_id FROM reports r JOIN membership m ON m.report_id = r.id "
                     "WHERE r.source = 'late' AND r.source_record_id = '" +
                     late_id + "'"),
              db.Int("SELECT victim_id FROM membership WHERE report_id = " + row[0]))
        << late_id << " was not merged into the victim the killed instance created";
  }

  // --- the register ---
  EXPECT_EQ(db.Int(pending_sql), 0);
  // Each source + record id stored once (version 1), though some went to both.
  EXPECT_EQ(db.Int("SELECT count(*) FROM reports"), kDistinctKeys + 20);
  EXPECT_EQ(db.Int("SELECT count(*) FROM (SELECT 1 FROM reports GROUP BY source, "
                   "source_record_id HAVING count(*) > 1) d"),
            0);
  EXPECT_EQ(db.Int("SELECT count(*) FROM reports WHERE version <> 1"), 0);
  EXPECT_EQ(db.Int("SELECT count(*) FROM reports WHERE source = 'moh'"), kSpelling - kBoth);
  // Every report resolved, in exactly one victim, by exactly one engine decision.
  EXPECT_EQ(db.Int("SELECT count(*) FROM reports WHERE resolution NOT IN (1, 2, 3)"), 0);
  EXPECT_EQ(db.Int("SELECT count(*) FROM reports r WHERE (SELECT count(*) FROM membership m "
                   "WHERE m.report_id = r.id) <> 1"),
            0);
  const auto twice = db.Rows(
      "SELECT r.id, (SELECT count(*) FROM history h WHERE h.report_id = r.id AND h.type IN (2, 3)) "
      "AS n FROM reports r WHERE (SELECT count(*) FROM history h WHERE h.report_id = r.id AND "
      "h.type IN (2, 3)) <> 1 LIMIT 10");
  EXPECT_TRUE(twice.empty()) << "report " << (twice.empty() ? "" : twice[0][0]) << " has "
                             << (twice.empty() ? "" : twice[0][1]) << " match events";
  EXPECT_EQ(db.Int("SELECT count(*) FROM reports r WHERE r.resolution = 2 AND (SELECT count(*) "
                   "FROM review_items i WHERE i.report_id = r.id) <> 1"),
            0);
  // Spelling duplicates across instances: merged into one victim or queued
  // for review, never two certain victims.
  int merged = 0, queued = 0;
  for (int s = kSpelling; s < kPeople; ++s) {
    const auto rows = db.Rows(
        "SELECT r.resolution, m.victim_id FROM reports r JOIN membership m ON m.report_id = r.id "
        "WHERE (r.source = 'ngo-a' AND r.source_record_id = 'a-" +
        std::to_string(s) + "') OR (r.source = 'ngo-b' AND r.source_record_id = 'b-" +
        std::to_string(s) + "')");
    ASSERT_EQ(rows.size(), 2u) << s;
    if (rows[0][1] == rows[1][1]) {
      ++merged;
    } else if (rows[0][0] == "2" || rows[1][0] == "2") {
      ++queued;
    } else {
      ADD_FAILURE() << "person " << s << " counted twice (victims " << rows[0][1] << ", "
                    << rows[1][1] << ")";
    }
  }
  EXPECT_EQ(merged + queued, kPeople - kSpelling);
  EXPECT_GT(merged, 0);
  std::printf(
      "at kill: pending %lld, round-1 decisions %lld; spelling pairs merged %d, queued %d\n",
      static_cast<long long>(pending_at_kill), static_cast<long long>(decided_at_kill), merged,
      queued);

  survivor.Signal(SIGTERM);
  EXPECT_EQ(survivor.WaitExit(15s), 0) << survivor.Log();
}

}  // namespace
}  // namespace qayd::testing
