// CI-sized smoke test of the benchmark (docs/PERFORMANCE.md): a tiny corpus
// from the real name lists, the driver end to end on SQLite, and the
// correctness of what it reports. No timing assertions.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "bench/corpus/generator.h"
#include "bench/corpus/name_stats.h"
#include "bench/e2e/driver.h"

namespace qayd::bench {
namespace {

class BenchSmokeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("qayd-bench-smoke-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static const NameStats& Stats() {
    static const NameStats* stats = [] {
      auto s = LoadNameStats(QAYD_DATA_DIR);
      EXPECT_TRUE(s.ok()) << s.status().ToString();
      return new NameStats(std::move(*s));
    }();
    return *stats;
  }

  CorpusCounts Write(const CorpusOptions& o, const std::string& reg, const std::string& inc) {
    std::ofstream r(dir_ / reg), i(dir_ / inc);
    return WriteCorpus(Stats(), o, r, i);
  }
  std::string Read(const std::string& name) {
    std::ifstream in(dir_ / name);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  std::string Path(const std::string& name) { return (dir_ / name).string(); }

  std::filesystem::path dir_;
};

int64_t Sum(const rapidjson::Value& obj) {
  int64_t n = 0;
  for (const auto& m : obj.GetObject()) n += m.value.GetInt64();
  return n;
}

TEST_F(BenchSmokeTest, CorpusIsDeterministicForASeed) {
  CorpusOptions o;
  o.register_size = 300;
  o.incoming = 100;
  o.seed = 7;
  Write(o, "a.reg", "a.inc");
  Write(o, "b.reg", "b.inc");
  o.seed = 8;
  Write(o, "c.reg", "c.inc");
  EXPECT_EQ(Read("a.reg"), Read("b.reg"));
  EXPECT_EQ(Read("a.inc"), Read("b.inc"));
  EXPECT_NE(Read("a.reg"), Read("c.reg"));
  EXPECT_GT(Stats().first_male.size(), 500u);   // drawn from the real lists
  EXPECT_GT(Stats().latin.size(), 1000u);
}

TEST_F(BenchSmokeTest, DriverIngestsEveryReportOnceAndMatchesTheTruth) {
  CorpusOptions o;
  o.register_size = 2000;
  o.incoming = 500;
  const CorpusCounts c = Write(o, "reg.jsonl", "inc.jsonl");
  ASSERT_EQ(c.register_reports, 2000);
  ASSERT_EQ(c.incoming_reports, 500);
  ASSERT_GT(c.incoming_rereports, 0);

  DriverOptions d;
  d.db = Path("register.db");
  d.input = Path("reg.jsonl");
  d.chunk = 700;  // several transactions
  auto built = BuildRegister(d);
  ASSERT_TRUE(built.ok()) << built.status().ToString();
  rapidjson::Document b;
  b.Parse(built->c_str());
  ASSERT_FALSE(b.HasParseError()) << *built;
  EXPECT_EQ(b["victims"].GetInt64() + b["rejected"].GetInt64(), 2000);
  EXPECT_LE(b["rejected"].GetInt64(), 10);

  d.input = Path("inc.jsonl");
  d.batch = 100;
  d.match_sample = 50;
  auto run = RunIngest(d);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  rapidjson::Document r;
  r.Parse(run->c_str());
  ASSERT_FALSE(r.HasParseError()) << *run;
  EXPECT_EQ(r["startup"]["reports_indexed"].GetInt64(), b["victims"].GetInt64());
  EXPECT_GT(r["startup"]["memory"]["rss_mib"].GetInt64(), 0);
  // Every incoming report got exactly one decision.
  EXPECT_EQ(r["ingest"]["reports"].GetInt64(), 500);
  EXPECT_EQ(Sum(r["decisions"]), 500) << *run;
  const auto& acc = r["accuracy"];
  EXPECT_EQ(acc["reports"].GetInt64(), 500);
  EXPECT_GT(acc["merges"].GetInt64(), 0);
  EXPECT_GT(acc["precision"].GetDouble(), 0.8) << *run;
  EXPECT_GT(acc["recall"].GetDouble(), 0.5) << *run;
  // The store holds what the decisions say.
  const auto& dec = r["decisions"];
  auto count = [&](const char* k) { return dec.HasMember(k) ? dec[k].GetInt64() : 0; };
  const auto& st = r["store"];
  EXPECT_EQ(st["reports"].GetInt64(), b["victims"].GetInt64() + 500 - count("rejected") -
                                           count("duplicate"));
  EXPECT_EQ(st["victims"].GetInt64(), b["victims"].GetInt64() + count("new") + count("review") +
                                           count("unidentified"));
  EXPECT_EQ(st["pending_reviews"].GetInt64(), count("review"));
  EXPECT_EQ(st["quarantined"].GetInt64(), count("rejected"));
  EXPECT_EQ(st["pending_match"].GetInt64(), 0);
}

TEST_F(BenchSmokeTest, BatchModeDeduplicatesAFileAgainstItself) {
  CorpusOptions o;
  o.register_size = 0;
  o.incoming = 500;
  o.rereport_share = 0;
  o.self_dup_share = 0.3;
  const CorpusCounts c = Write(o, "empty.jsonl", "batch.jsonl");
  ASSERT_EQ(c.incoming_self_dups, 150);
  DriverOptions d;
  d.db = Path("batch.db");
  d.input = Path("batch.jsonl");
  d.batch = 100;
  auto run = RunBatch(d);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  rapidjson::Document r;
  r.Parse(run->c_str());
  ASSERT_FALSE(r.HasParseError()) << *run;
  EXPECT_EQ(Sum(r["decisions"]), 500);
  EXPECT_GT(r["accuracy"]["present"].GetInt64(), 100);
  EXPECT_GT(r["accuracy"]["precision"].GetDouble(), 0.8) << *run;
  EXPECT_GT(r["accuracy"]["recall"].GetDouble(), 0.5) << *run;
  EXPECT_EQ(r["store"]["pending_match"].GetInt64(), 0);
}

}  // namespace
}  // namespace qayd::bench
