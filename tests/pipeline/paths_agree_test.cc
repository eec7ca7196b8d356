// The three ways reports reach the register in bulk run one pipeline and
// decide alike (issue 24): the same 1,200 records given to `qayd ingest`,
// dropped into the spool folder of a running qaydd, and POSTed as one partner
// batch to another qaydd leave identical registers: every report's
// resolution and victim, the review queue (provisional victim, top score,
// candidates), the quarantine and the victims' states. Not timed.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/daemon_harness.h"
#include "tests/support/http_post.h"
#include "tests/support/run_command.h"

namespace qayd::testing {
namespace {

using namespace std::chrono_literals;

// samples/feed.jsonl (200 records: families, variants, Latin spellings,
// unidentified, two that validation rejects) six times, from two sources,
// with record ids of their own: the copies after the first merge into or
// queue for review against the first, and the 1,200 records cross the
// pipeline's batch of 1,000.
std::vector<std::string> Records() {
  std::ifstream in(std::string(QAYD_SOURCE_DIR) + "/samples/feed.jsonl");
  std::vector<std::string> sample;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) sample.push_back(line);
  }
  std::vector<std::string> out;
  const std::string key = "{\"source_record_id\": \"";
  for (int copy = 0; copy < 6; ++copy) {
    for (const std::string& line : sample) {
      if (line.rfind(key, 0) != 0) continue;
      out.push_back("{\"source\": \"partner-" + std::to_string(copy % 2) +
                    "\", \"source_record_id\": \"c" + std::to_string(copy) + "-" +
                    line.substr(key.size()));
    }
  }
  return out;
}

// The register's decisions, one line per row, in id order (ids are given in
// processing order, so equal registers give equal text).
std::string Dump(const std::string& db) {
  sqlite3* h = nullptr;
  if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(h);
    return "cannot open " + db;
  }
  const char* queries[] = {
      "SELECT 'report', r.id, r.source, r.source_record_id, r.resolution, "
      "COALESCE(m.victim_id, 0) FROM reports r LEFT JOIN membership m ON m.report_id = r.id "
      "ORDER BY r.id",
      "SELECT 'victim', id, state, COALESCE(merged_into, 0) FROM victims ORDER BY id",
      "SELECT 'review', id, report_id, provisional_victim_id, printf('%.6f', top_score), state "
      "FROM review_items ORDER BY id",
      "SELECT 'candidate', item_id, rank, victim_id, printf('%.6f', score) FROM "
      "review_candidates ORDER BY item_id, rank",
      "SELECT 'quarantined', source, source_record_id, reasons FROM quarantine ORDER BY id",
      // A batch's events are its acceptances, then its decisions: the order
      // of seqs follows the batches (a partner batch is one), the events not.
      "SELECT 'event', report_id, type, victim_id, other_victim_id, actor FROM history "
      "ORDER BY report_id, type, victim_id, other_victim_id"};
  std::string out;
  for (const char* q : queries) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(h, q, -1, &st, nullptr) != SQLITE_OK) {
      out += std::string("cannot prepare: ") + sqlite3_errmsg(h) + "\n";
      continue;
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
      for (int c = 0; c < sqlite3_column_count(st); ++c) {
        const unsigned char* v = sqlite3_column_text(st, c);
        out += c ? " " : "";
        out += v ? reinterpret_cast<const char*>(v) : "NULL";
      }
      out += "\n";
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(h);
  return out;
}

// "" when equal, else the first line that differs in each.
std::string FirstDifference(const std::string& a, const std::string& b) {
  std::istringstream x(a), y(b);
  std::string la, lb;
  for (int line = 1;; ++line) {
    const bool more_a = static_cast<bool>(std::getline(x, la));
    const bool more_b = static_cast<bool>(std::getline(y, lb));
    if (!more_a && !more_b) return "";
    if (!more_a || !more_b || la != lb) {
      return "line " + std::to_string(line) + ": \"" + (more_a ? la : "(end)") + "\" vs \"" +
             (more_b ? lb : "(end)") + "\"";
    }
  }
}

int Count(const std::string& dump, const std::string& prefix) {
  int n = 0;
  for (size_t at = dump.find(prefix); at != std::string::npos; at = dump.find(prefix, at + 1)) {
    if (at == 0 || dump[at - 1] == '\n') ++n;
  }
  return n;
}

std::string Config(const std::string& extra = "") {
  return R"({
  "store": {"sqlite_path": "@DIR@/register.db"},
  "http": {"listen": "127.0.0.1", "port": 0},
  "daemon": {"drain_timeout_s": 30})" +
         extra + "\n}";
}

int PortOf(const DaemonHarness& d) {
  std::smatch m;
  const std::string log = d.Log();
  if (!std::regex_search(log, m, std::regex("http listening[^\\n]*port=\"?([0-9]+)"))) return 0;
  return std::stoi(m[1].str());
}

TEST(PathsAgreeTest, IngestSpoolAndPartnerBatchDecideAlike) {
  const std::vector<std::string> records = Records();
  ASSERT_EQ(records.size(), 1200u);
  const std::string qayd = QAYD_PATH;

  // `qayd ingest`.
  DaemonHarness scratch(Config());  // only for its folder
  const std::string input = scratch.dir() + "/records.jsonl";
  {
    std::ofstream out(input);
    for (const std::string& r : records) out << r << "\n";
  }
  const std::string ingest_db = scratch.dir() + "/ingest.db";
  CommandResult ingested =
      RunCommand("timeout 300 " + qayd + " ingest --db " + ingest_db + " " + input + " 2>&1");
  ASSERT_EQ(ingested.code, 0) << ingested.out;
  const std::string by_ingest = Dump(ingest_db);

  // The spool folder of a running qaydd.
  std::string by_spool;
  {
    DaemonHarness d(Config(R"(,
  "submissions": {"enabled": true, "spool_dir": "@DIR@/spool", "spool_scan_interval_s": 1})"));
    std::filesystem::create_directories(d.dir() + "/spool");
    d.Start();
    ASSERT_TRUE(d.WaitNotify("READY=1", 60s)) << d.Log();
    const std::string tmp = d.dir() + "/spool/.records.jsonl.tmp";
    std::filesystem::copy_file(input, tmp);
    std::filesystem::rename(tmp, d.dir() + "/spool/records.jsonl");
    ASSERT_TRUE(d.WaitLog("msg=\"spool file processed\"", 300s)) << d.Log();
    EXPECT_TRUE(std::regex_search(d.Log(), std::regex("spool file processed[^\\n]*status=\"?done")))
        << d.Log();
    d.Signal(SIGTERM);
    ASSERT_EQ(d.WaitExit(60s), 0) << d.Log();
    by_spool = Dump(d.dir() + "/register.db");
  }

  // One partner batch of every record, POSTed to a running qaydd.
  std::string by_api;
  {
    DaemonHarness d(Config());
    const std::string db = d.dir() + "/register.db";
    const std::string token = RunCommandOut(qayd + " token add partner --scope submit --db " + db);
    ASSERT_FALSE(token.empty());
    d.Start();
    ASSERT_TRUE(d.WaitNotify("READY=1", 60s)) << d.Log();
    const int port = PortOf(d);
    ASSERT_NE(port, 0) << d.Log();
    std::string body = "{\"records\":[";
    for (size_t i = 0; i < records.size(); ++i) body += (i ? "," : "") + records[i];
    body += "]}";
    const std::string answer =
        HttpPost(port, "/api/v1/reports", body, "Authorization: Bearer " + token + "\r\n",
                 /*timeout_s=*/120);
    ASSERT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << answer.substr(0, 400);
    d.Signal(SIGTERM);
    ASSERT_EQ(d.WaitExit(60s), 0) << d.Log();
    by_api = Dump(db);
  }

  // The input exercised every decision, and the three registers are the same.
  EXPECT_EQ(Count(by_ingest, "report "), 1188) << "12 of the 1,200 are rejected";
  EXPECT_EQ(Count(by_ingest, "quarantined "), 12);
  EXPECT_GT(Count(by_ingest, "review "), 0);
  EXPECT_GT(Count(by_ingest, "candidate "), 0);
  EXPECT_TRUE(std::regex_search(by_ingest, std::regex("\nevent [0-9]+ 3 ")))
      << "no report was attached to a victim";
  EXPECT_EQ(FirstDifference(by_spool, by_ingest), "") << "spool against qayd ingest";
  EXPECT_EQ(FirstDifference(by_api, by_ingest), "") << "partner batch against qayd ingest";
}

}  // namespace
}  // namespace qayd::testing
