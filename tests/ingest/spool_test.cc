#include "ingest/spool.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utime.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <thread>

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
  // The first scan only notes the files: a file is read once two scans saw it unchanged.
  auto first = spool.ScanOnce();
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->empty());
  EXPECT_EQ(sink_.size(), 0u);
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

  // A second scan finds nothing new; the fresh file is picked up once settled
  // (and seen unchanged by two scans).
  Write("f-fresh.csv", "name\nY\n", 5);
  EXPECT_TRUE(spool.ScanOnce()->empty());
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
  ASSERT_TRUE(spool.ScanOnce()->empty());
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
  ASSERT_TRUE(spool.ScanOnce()->empty());
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

// Scans until a scan returns results (at most `scans`); those results.
std::vector<SpoolFileResult> ScanUntilSomething(Spool& spool, int scans = 3) {
  for (int i = 0; i < scans; ++i) {
    auto r = spool.ScanOnce();
    EXPECT_TRUE(r.ok());
    if (r.ok() && !r->empty()) return *r;
  }
  return {};
}

std::string Lines(int from, int to) {
  std::string out;
  for (int i = from; i <= to; ++i) {
    out += "{\"source_record_id\":\"r" + std::to_string(i) + "\",\"name\":\"Person " +
           std::to_string(i) + "\"}\n";
  }
  return out;
}

TEST_F(SpoolTest, ReportNamesEachCountOnce) {
  Write("mixed.jsonl", "{\"name\":\"A\"}\n{\"name\":\"B\",\"sex\":\"x\"}\n");
  Spool spool(dir_.string(), sink_.fn(), options_);
  ASSERT_EQ(ScanUntilSomething(spool).size(), 1u);
  auto report = ReadReport(dir_ / "done" / "mixed.jsonl.report.json");
  std::map<std::string, int> keys;
  for (const auto& m : report["counts"].GetObject()) ++keys[m.name.GetString()];
  for (const auto& [key, n] : keys) EXPECT_EQ(n, 1) << key;
  EXPECT_EQ(report["counts"]["rejected"].GetInt(), 1);
  EXPECT_EQ(report["counts"]["accepted"].GetInt(), 1);
}

TEST_F(SpoolTest, DeeplyNestedFilesAreRejectedNotACrash) {
  const std::string deep = std::string(400000, '[') + std::string(400000, ']');
  Write("deep.jsonl", deep + "\n{\"name\":\"Fine\"}\n");
  Write("deep.json", deep);
  Spool spool(dir_.string(), sink_.fn(), options_);
  auto results = ScanUntilSomething(spool);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].file, "deep.json");
  EXPECT_EQ(results[0].error, "JSON nested deeper than 64 levels at offset 64");
  EXPECT_EQ(results[0].moved_to, (dir_ / "failed" / "deep.json").string());
  EXPECT_EQ(results[1].file, "deep.jsonl");
  EXPECT_EQ(results[1].rejected, 1);
  EXPECT_EQ(results[1].accepted, 1);
  EXPECT_EQ(results[1].moved_to, (dir_ / "done" / "deep.jsonl").string());
}

TEST_F(SpoolTest, SymlinksAndFifosAreSetAsideUnread) {
  const fs::path outside = dir_.parent_path() / (dir_.filename().string() + "-outside.csv");
  std::ofstream(outside) << "name\nSecret Person\n";
  fs::create_symlink(outside, dir_ / "p.csv");
  ASSERT_EQ(::mkfifo((dir_ / "f.jsonl").c_str(), 0600), 0);
  Spool spool(dir_.string(), sink_.fn(), options_);
  auto results = spool.ScanOnce();  // at once: there is nothing to wait for
  ASSERT_TRUE(results.ok());
  ASSERT_EQ(results->size(), 2u);
  for (const auto& r : *results) {
    EXPECT_EQ(r.error, "not a regular file (a symbolic link, FIFO or device): not read");
    EXPECT_TRUE(fs::exists(fs::symlink_status(r.moved_to))) << r.moved_to;
  }
  EXPECT_TRUE(fs::is_symlink(dir_ / "failed" / "p.csv"));
  EXPECT_TRUE(fs::exists(dir_ / "failed" / "p.csv.report.json"));
  EXPECT_EQ(sink_.size(), 0u);
  EXPECT_TRUE(spool.ScanOnce()->empty());
  std::ifstream still(outside);
  std::string first;
  std::getline(still, first);
  EXPECT_EQ(first, "name");  // the target is untouched
  fs::remove(outside);
}

TEST_F(SpoolTest, FileLargerThanTheLimitGoesToFailed) {
  options_.max_file_bytes = 1024;
  Write("big.jsonl", Lines(1, 100));
  Spool spool(dir_.string(), sink_.fn(), options_);
  auto results = ScanUntilSomething(spool);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_NE(results[0].error.find("is larger than the limit of 1024 bytes"), std::string::npos)
      << results[0].error;
  EXPECT_EQ(results[0].moved_to, (dir_ / "failed" / "big.jsonl").string());
  EXPECT_EQ(sink_.size(), 0u);
}

TEST_F(SpoolTest, SlowWriterLosesNoRecords) {
  options_.settle_ms = 0;
  // Half the file, a pause (a scan sees it), the rest: nothing is read until
  // two scans in a row saw the same file.
  Write("slow.jsonl", Lines(1, 5));
  Spool spool(dir_.string(), sink_.fn(), options_);
  EXPECT_TRUE(spool.ScanOnce()->empty());
  std::ofstream(dir_ / "slow.jsonl", std::ios::app) << Lines(6, 10);
  EXPECT_TRUE(spool.ScanOnce()->empty());
  auto results = ScanUntilSomething(spool);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].accepted, 10);
  EXPECT_EQ(sink_.size(), 10u);
}

TEST_F(SpoolTest, WriterStillAtWorkDuringTheImportGetsTheWholeFileRead) {
  options_.settle_ms = 0;
  options_.batch_records = 2;
  Write("growing.jsonl", Lines(1, 4));
  bool appended = false;
  auto inner = sink_.fn();
  RecordSink sink = [&](std::vector<IncomingRecord> batch) {
    if (!appended) {  // the writer goes on while the first batch is stored
      appended = true;
      std::ofstream(dir_ / "growing.jsonl", std::ios::app) << Lines(5, 8);
    }
    return inner(std::move(batch));
  };
  Spool spool(dir_.string(), sink, options_);
  auto first = ScanUntilSomething(spool);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].moved_to, "");
  EXPECT_EQ(first[0].error,
            "the file changed while it was imported; it is read again at the next scan");
  auto second = ScanUntilSomething(spool);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].records, 8);
  EXPECT_EQ(second[0].moved_to, (dir_ / "done" / "growing.jsonl").string());
  std::set<std::string> ids;
  for (const auto& rec : sink_.received()) ids.insert(rec.report.source_record_id);
  EXPECT_EQ(ids.size(), 8u);  // (the store keeps the re-read first four once)
}

TEST_F(SpoolTest, FileWhoseImportDiedIsSetAsideAfterOneCrash) {
  Write("poison.jsonl", Lines(1, 3));
  // What a process that died during the import leaves behind.
  std::ofstream(dir_ / ".poison.jsonl.importing") << "state importing\nrecords_done 0\n";
  Spool spool(dir_.string(), sink_.fn(), options_);
  auto results = ScanUntilSomething(spool);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].moved_to, (dir_ / "failed" / "poison.jsonl").string());
  EXPECT_NE(results[0].error.find("the daemon stopped while importing this file"),
            std::string::npos);
  EXPECT_EQ(sink_.size(), 0u);
  EXPECT_FALSE(fs::exists(dir_ / ".poison.jsonl.importing"));
  auto report = ReadReport(dir_ / "failed" / "poison.jsonl.report.json");
  EXPECT_STREQ(report["status"].GetString(), "failed");
}

TEST_F(SpoolTest, MarkerSaysImportingWhileTheRecordsAreStored) {
  Write("watched.jsonl", Lines(1, 3));
  bool marked = false;
  auto inner = sink_.fn();
  RecordSink sink = [&](std::vector<IncomingRecord> batch) {
    std::ifstream in(dir_ / ".watched.jsonl.importing");
    std::string key, state;
    in >> key >> state;
    marked = key == "state" && state == "importing";
    return inner(std::move(batch));
  };
  Spool spool(dir_.string(), sink, options_);
  ASSERT_EQ(ScanUntilSomething(spool).size(), 1u);
  EXPECT_TRUE(marked);
  EXPECT_FALSE(fs::exists(dir_ / ".watched.jsonl.importing"));
  EXPECT_TRUE(fs::exists(dir_ / "done" / "watched.jsonl"));
}

TEST_F(SpoolTest, StopEndsTheImportAtABatchBoundaryAndTheNextStartGoesOn) {
  options_.batch_records = 10;
  Write("long.jsonl", Lines(1, 95));
  std::set<std::string> seen;
  size_t batches = 0;
  Spool* current = nullptr;
  auto inner = sink_.fn();
  RecordSink sink = [&](std::vector<IncomingRecord> batch) {
    for (const auto& rec : batch) EXPECT_TRUE(seen.insert(rec.report.source_record_id).second);
    if (++batches == 3) current->Stop();  // SIGTERM while the third batch is stored
    return inner(std::move(batch));
  };
  {
    Spool spool(dir_.string(), sink, options_);
    current = &spool;
    auto results = ScanUntilSomething(spool);
    ASSERT_EQ(results.size(), 1u);
    EXPECT_EQ(results[0].error,
              "stopped at record 30 of 95; the rest is imported at the next start");
    EXPECT_EQ(results[0].moved_to, "");
    EXPECT_EQ(seen.size(), 30u);
  }
  Spool restarted(dir_.string(), sink, options_);
  current = &restarted;
  batches = 100;
  auto results = restarted.ScanOnce();  // at once: the marker vouches for the file
  ASSERT_TRUE(results.ok());
  ASSERT_EQ(results->size(), 1u);
  EXPECT_EQ((*results)[0].resumed_at, 30);
  EXPECT_EQ((*results)[0].accepted, 95);
  EXPECT_EQ((*results)[0].moved_to, (dir_ / "done" / "long.jsonl").string());
  EXPECT_EQ(seen.size(), 95u);  // each record once
  auto report = ReadReport(dir_ / "done" / "long.jsonl.report.json");
  EXPECT_EQ(report["resumed_at_record"].GetInt(), 30);
  EXPECT_EQ(report["counts"]["accepted"].GetInt(), 95);
}

// A JSON-lines file is parsed a chunk of lines at a time, as the sink asks for
// the next batch; blank lines make a chunk hold fewer records than lines, so a
// stop can fall inside a chunk: the next start skips exactly the records done
// (parsing only from the chunk that holds the first one left), and the report
// names every record by its line.
TEST_F(SpoolTest, JsonLinesAreParsedBatchByBatchAndAStopInsideAChunkResumesAtItsRecord) {
  options_.batch_records = 10;
  std::string text;
  for (int line = 1; line <= 60; ++line) {  // every third line blank: 40 records
    text += line % 3 == 0 ? "\n" : Lines(line, line);
  }
  Write("gaps.jsonl", text);
  std::vector<std::string> ids;
  size_t batches = 0;
  Spool* current = nullptr;
  auto inner = sink_.fn();
  RecordSink sink = [&](std::vector<IncomingRecord> batch) {
    EXPECT_LE(batch.size(), 10u);
    for (const auto& rec : batch) ids.push_back(rec.report.source_record_id);
    if (++batches == 2) current->Stop();
    return inner(std::move(batch));
  };
  {
    Spool spool(dir_.string(), sink, options_);
    current = &spool;
    auto results = ScanUntilSomething(spool);
    ASSERT_EQ(results.size(), 1u);
    // Two chunks of ten lines: 7 + 7 records.
    EXPECT_EQ(results[0].error,
              "stopped at record 14 of 40; the rest is imported at the next start");
  }
  ASSERT_EQ(ids.size(), 14u);
  EXPECT_EQ(ids.back(), "r20");
  Spool restarted(dir_.string(), sink, options_);
  current = &restarted;
  batches = 100;
  auto results = restarted.ScanOnce();
  ASSERT_TRUE(results.ok());
  ASSERT_EQ(results->size(), 1u);
  EXPECT_EQ((*results)[0].resumed_at, 14);
  EXPECT_EQ((*results)[0].records, 40);
  EXPECT_EQ((*results)[0].accepted, 40);
  ASSERT_EQ(ids.size(), 40u);  // each record once, in file order
  for (size_t i = 0, line = 1; i < ids.size(); ++i, ++line) {
    if (line % 3 == 0) ++line;
    EXPECT_EQ(ids[i], "r" + std::to_string(line));
  }
  auto report = ReadReport(dir_ / "done" / "gaps.jsonl.report.json");
  const auto& outcomes = report["outcomes"];
  ASSERT_EQ(outcomes.Size(), 26u);  // this import's records
  EXPECT_STREQ(outcomes[0]["record"].GetString(), "spool gaps.jsonl record 22");
  EXPECT_STREQ(outcomes[0]["source_record_id"].GetString(), "r22");
  EXPECT_STREQ(outcomes[25]["record"].GetString(), "spool gaps.jsonl record 59");
}

// qaydd's drain bound reached while a batch is in the sink: Interrupt() records the
// batch's start as a clean stop, so the next start resumes the file there instead of
// setting it aside as a file the daemon crashed on.
TEST_F(SpoolTest, InterruptDuringABatchResumesAtItsStartInsteadOfSettingTheFileAside) {
  options_.batch_records = 10;
  Write("long.jsonl", Lines(1, 95));
  const fs::path marker = dir_ / ".long.jsonl.importing";
  std::string at_exit;  // the marker as the exiting process leaves it
  size_t batches = 0;
  Spool* current = nullptr;
  auto inner = sink_.fn();
  RecordSink sink = [&](std::vector<IncomingRecord> batch) {
    if (++batches == 3) {
      current->Interrupt();
      std::ifstream in(marker);
      at_exit.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    return inner(std::move(batch));
  };
  {
    Spool spool(dir_.string(), sink, options_);
    current = &spool;
    ASSERT_EQ(ScanUntilSomething(spool).size(), 1u);
  }
  EXPECT_NE(at_exit.find("state stopped\n"), std::string::npos) << at_exit;
  EXPECT_NE(at_exit.find("records_done 20\n"), std::string::npos) << at_exit;
  // The process that exited there left the file and that marker behind.
  fs::rename(dir_ / "done" / "long.jsonl", dir_ / "long.jsonl");
  fs::remove(dir_ / "done" / "long.jsonl.report.json");
  std::ofstream(marker, std::ios::binary) << at_exit;
  Spool restarted(dir_.string(), sink, options_);
  current = &restarted;
  auto results = restarted.ScanOnce();  // at once: the marker vouches for the file
  ASSERT_TRUE(results.ok());
  ASSERT_EQ(results->size(), 1u);
  EXPECT_EQ((*results)[0].resumed_at, 20);
  EXPECT_EQ((*results)[0].moved_to, (dir_ / "done" / "long.jsonl").string());
  EXPECT_FALSE(fs::exists(dir_ / "failed" / "long.jsonl"));
}

// Interrupt() with no import under way writes nothing.
TEST_F(SpoolTest, InterruptWhenIdleWritesNoMarker) {
  Spool spool(dir_.string(), sink_.fn(), options_);
  spool.Interrupt();
  EXPECT_TRUE(fs::is_empty(dir_));
}

}  // namespace
}  // namespace qayd::ingest
