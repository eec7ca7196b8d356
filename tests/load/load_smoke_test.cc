// CI-sized load test (docs/PERFORMANCE.md "Load"): the real qaydd under
// submissions and the review workflow at the same time for a few seconds.
// Asserts: no request failed (no 5xx, no connection error, no unexpected 4xx,
// no malformed answer), the few invalid records were quarantined, reviews
// were decided, the daemon exits 0 on SIGTERM,
// and afterwards the register holds every acknowledged report exactly once,
// attached to one counted victim, with every acknowledged decision recorded.
// No timing assertions: the figures come from scripts/load.sh.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <string>

#include "bench/load/load_corpus.h"
#include "bench/load/load_run.h"
#include "bench/load/verify.h"
#include "tests/support/daemon_harness.h"
#include "tests/support/sqlite_count.h"

namespace qayd::testing {
namespace {

using namespace std::chrono_literals;

std::string ReadLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

TEST(LoadSmokeTest, SubmissionsAndReviewTogetherLoseNothing) {
  DaemonHarness d(R"({
  "store": {"sqlite_path": "@DIR@/state/register.db"},
  "http": {"listen": "127.0.0.1", "port": 0},
  "submissions": {"enabled": true},
  "logging": {"level": "info"},
  "daemon": {"drain_timeout_s": 30}
})");
  const std::string state = d.dir() + "/state";
  const std::string db = state + "/register.db";
  ASSERT_EQ(::mkdir(state.c_str(), 0700), 0);
  std::ofstream(d.dir() + "/password") << "load-smoke-password-1\n";
  const std::string qayd = QAYD_PATH;
  for (const char* user : {"load-monitor-1", "load-monitor-2"}) {
    const std::string cmd = qayd + " user add " + user + " --role monitor --db " + db +
                            " --password-file " + d.dir() + "/password >/dev/null";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  }
  const std::string token_cmd =
      qayd + " token add load-partner --scope submit --db " + db + " > " + d.dir() + "/token";
  ASSERT_EQ(std::system(token_cmd.c_str()), 0);

  load::CorpusSpec spec;
  spec.data_dir = QAYD_DATA_DIR;
  spec.seed = 7;
  spec.records = 20000;
  spec.tag = "smoke";
  auto records = load::MakeLoadRecords(spec);
  ASSERT_TRUE(records.ok()) << records.status().ToString();

  const pid_t pid = d.Start();
  ASSERT_TRUE(d.WaitNotify("READY=1", 60s)) << d.Log();
  std::smatch m;
  const std::string log = d.Log();
  ASSERT_TRUE(std::regex_search(log, m, std::regex("http listening[^\\n]*port=\"?([0-9]+)")))
      << log;

  load::LoadOptions o;
  o.port = static_cast<uint16_t>(std::stoi(m[1].str()));
  o.token = ReadLine(d.dir() + "/token");
  o.monitors = {{"load-monitor-1", "load-smoke-password-1"},
                {"load-monitor-2", "load-smoke-password-1"}};
  o.submitters = 2;
  o.batch = 4;  // the batch form of POST /api/v1/reports
  o.duration_s = 15;
  o.pid = pid;
  o.rss_interval_ms = 1000;
  const load::LoadResult r = load::RunLoad(o, *records);

  EXPECT_EQ(r.errors(), 0) << r.Table();
  EXPECT_GT(r.records_acked, 0) << r.Table();
  // The corpus holds a few records whose age contradicts their date of birth
  // (as real lists do): validation rejects them; they are quarantined below.
  EXPECT_LT(r.records_rejected * 100, r.records_sent) << r.Table();
  EXPECT_EQ(r.records_acked, static_cast<int64_t>(r.acked_ids.size()));
  EXPECT_GT(r.outcomes.count("review") ? r.outcomes.at("review") : 0, 0) << r.Table();
  EXPECT_FALSE(r.decided.empty()) << r.Table();
  EXPECT_EQ(r.stats.at("login").requests(), 2);
  ASSERT_GE(r.rss.size(), 2u);
  EXPECT_GT(r.rss.front().rss_kib, 0);

  d.Signal(SIGTERM);
  ASSERT_EQ(d.WaitExit(90s), 0) << d.Log();

  // Every rejected record was kept, verbatim, in the quarantine.
  EXPECT_EQ(SqliteCount(db, "SELECT COUNT(*) FROM quarantine"), r.records_rejected);

  load::Journal journal{spec.source, r.acked_ids, r.decided};
  auto v = load::VerifyRegister(db, journal);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_TRUE(v->ok()) << v->ToJson();
  EXPECT_EQ(v->reports_checked, r.records_acked);
  EXPECT_EQ(v->decisions_checked, static_cast<int64_t>(r.decided.size()));
  EXPECT_GT(v->counted_victims, 0);
  EXPECT_LE(v->counted_victims, r.records_acked);

  // The check can fail: a report never sent and a decision never made are found.
  journal.reports.push_back("never-sent");
  journal.decided.push_back({999999, "same", "load-monitor-1"});
  auto bad = load::VerifyRegister(db, journal);
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(bad->missing, 1);
  EXPECT_EQ(bad->decisions_missing, 1);
  EXPECT_FALSE(bad->ok());

  // The journal round-trips through its file (what qayd-load verify reads).
  const std::string path = d.dir() + "/journal.tsv";
  ASSERT_TRUE(load::WriteJournal(path, journal).ok());
  auto read = load::ReadJournal(path);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->reports, journal.reports);
  EXPECT_EQ(read->decided.size(), journal.decided.size());
}

}  // namespace
}  // namespace qayd::testing
