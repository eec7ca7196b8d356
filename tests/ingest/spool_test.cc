#include "ingest/spool.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <unistd.h>
#include <utime.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "collecting_sink.h"

namespace qayd::ingest {
namespace {

namespace fs = std::filesystem;
using testing::CollectingSink;

class SpoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("qayd-spool-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    options_.validate.today = *ParseFuzzyDate("2026-11-28");
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& name, const std::string& text, int age_s = 60) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
    const time_t t = ::time(nullptr) - age_s;
    utimbuf times{t, t};
    ::utime((dir_ / name).c_str(), &times);
  }
  rapidjson::Document ReadReport(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    rapidjson::Document d;
    d.Parse(s.str().c_str());
    EXPECT_FALSE(d.HasParseError()) << p;
    return d;
  }
  fs::path dir_;
  SpoolOptions options_;
  CollectingSink sink_;
};

TEST_F(SpoolTest, MovesFilesToDoneOrFailedWithAReport) {
  Write("b-partner.jsonl",
        "{\"source_record_id\":\"p1\",\"name\":\"Ahmad\"}\n{\"name\":\"Rami\",\"sex\":\"x\"}\n");
  Write("a-list.csv", "name,date_of_death\nسامر,2024-01-05\n");
  Write("c-broken.json", "[{\"name\":");
  Write("d-notes.txt", "hello");
  Write(".e-upload.csv.tmp", "name\nX\n");
  Write("f-fresh.csv", "name\nY\n", 0);
  Spool spool(dir_.string(), sink_.fn(), options_);
  auto results = spool.ScanOnce();
  ASSERT_TRUE(results.ok());
  ASSERT_EQ(results->size(), 4u);
  EXPECT_EQ((*results)[0].file, "a-list.csv");
  EXPECT_EQ((*results)[0].moved_to, (dir_ / "done" / "a-list.csv").string());
  EXPECT_EQ((*results)[1].file, "b-partner.jsonl");
  EXPECT_EQ((*results)[1].accepted, 1);
  EXPECT_EQ((*results)[1].rejected, 1);
  EXPECT_EQ((*results)[2].error, "malformed JSON at offset 9: Invalid value.");
  EXPECT_EQ((*results)[2].moved_to, (dir_ / "failed" / "c-broken.json").string());
  EXPECT_EQ((*results)[3].error, "unknown file type (use .jsonl, .ndjson, .json or .csv)");

  ASSERT_EQ(sink_.size(), 3u);
  const auto got = sink_.received();
  EXPECT_EQ(got[0].report.source, "spool:a-list.csv");
  EXPECT_EQ(got[0].report.source_record_id, "1");
  EXPECT_EQ(got[1].report.source_record_id, "p1");
  EXPECT_EQ(got[2].record_label, "spool b-partner.jsonl record 2");

  EXPECT_TRUE(fs::exists(dir_ / ".e-upload.csv.tmp"));
  EXPECT_TRUE(fs::exists(dir_ / "f-fresh.csv"));
  EXPECT_FALSE(fs::exists(dir_ / "b-partner.jsonl"));

  auto report = ReadReport(dir_ / "done" / "b-partner.jsonl.report.json");
  EXPECT_STREQ(report["status"].GetString(), "done");
  EXPECT_EQ(report["counts"]["records"].GetInt(), 2);
  EXPECT_EQ(report["counts"]["rejected"].GetInt(), 1);
  EXPECT_EQ(report["counts"]["new"].GetInt(), 1);
  ASSERT_EQ(report["outcomes"].Size(), 2u);
  EXPECT_STREQ(report["outcomes"][1]["record"].GetString(), "spool b-partner.jsonl record 2");
  EXPECT_STREQ(report["outcomes"][1]["decision"].GetString(), "rejected");
  EXPECT_STREQ(report["outcomes"][1]["error"].GetString(),
               "sex: unknown sex \"x\" (male, female, unknown); ");

  auto failed = ReadReport(dir_ / "failed" / "c-broken.json.report.json");
  EXPECT_STREQ(failed["status"].GetString(), "failed");
  EXPECT_STREQ(failed["error"].GetString(), "malformed JSON at offset 9: Invalid value.");

  // A second scan finds nothing new; the fresh file is picked up once settled.
  Write("f-fresh.csv", "name\nY\n", 5);
  auto again = spool.ScanOnce();
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].file, "f-fresh.csv");
  EXPECT_EQ(sink_.size(), 4u);
}

TEST_F(SpoolTest, SinkFailureLeavesTheFileForTheNextScan) {
  Write("list.csv", "name\nA\nB\n");
  Spool spool(dir_.string(), sink_.fn(), options_);
  sink_.fail_next = 1;
  auto first = spool.ScanOnce();
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ((*first)[0].error, "sink: store down (left for the next scan)");
  EXPECT_EQ((*first)[0].moved_to, "");
  EXPECT_TRUE(fs::exists(dir_ / "list.csv"));
  auto second = spool.ScanOnce();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ((*second)[0].accepted, 2);
  EXPECT_TRUE(fs::exists(dir_ / "done" / "list.csv.report.json"));
  EXPECT_EQ(sink_.size(), 2u);

  // The same name dropped again does not overwrite the earlier one in done/.
  Write("list.csv", "name\nC\n");
  auto third = spool.ScanOnce();
  ASSERT_TRUE(third.ok());
  EXPECT_NE((*third)[0].moved_to, (dir_ / "done" / "list.csv").string());
  EXPECT_TRUE(fs::exists((*third)[0].moved_to));
  EXPECT_TRUE(fs::exists(dir_ / "done" / "list.csv"));
}

TEST_F(SpoolTest, WorkerThreadScansAndStopsPromptly) {
  Write("w.jsonl", "{\"name\":\"W\"}\n");
  Spool spool(dir_.string(), sink_.fn(), options_);
  spool.Start(1);
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (sink_.size() == 0 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const auto start = std::chrono::steady_clock::now();
  spool.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  EXPECT_EQ(sink_.size(), 1u);
  EXPECT_TRUE(fs::exists(dir_ / "done" / "w.jsonl"));
}

}  // namespace
}  // namespace qayd::ingest
