#include "cli/cmd_quarantine.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/common.h"
#include "ingest/record_parser.h"
#include "ingest/validate.h"

namespace qayd::cli {
namespace {

namespace fs = std::filesystem;

struct CmdRun {
  int code;
  std::string out, err;
};

CmdRun Quarantine(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  auto* old_out = std::cout.rdbuf(out.rdbuf());
  auto* old_err = std::cerr.rdbuf(err.rdbuf());
  const int code = CmdQuarantine(args);
  std::cout.rdbuf(old_out);
  std::cerr.rdbuf(old_err);
  return {code, out.str(), err.str()};
}

class CmdQuarantineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("qayd-quarantine-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = (dir_ / "register.db").string();
    auto reg = OpenRegister(db_, "");
    ASSERT_TRUE(reg.ok()) << reg.status().ToString();
    ingest::ParseOptions po;
    po.source = "partner";
    po.label = "feed partner";
    auto parsed = ingest::ParseRecords(
        "{\"source_record_id\":\"p1\",\"name\":\"Ahmad Saleh\"}\n"
        "{\"source_record_id\":\"p2\",\"name\":\"سعاد محمود\",\"date_of_birth\":\"2003-01-01\","
        "\"date_of_death\":\"2001-05-01\"}\n"
        "{\"name\":\"Rami\",\n",
        po);
    ASSERT_TRUE(parsed.ok());
    ingest::ValidateRecords(&parsed->records, {});
    auto out = (*reg)->pipeline->Process(std::move(parsed->records));
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    ASSERT_EQ((*out)[1].decision, "rejected");
    ASSERT_EQ((*out)[2].decision, "rejected");
    auto txn = (*reg)->store->Begin(Store::Mode::kRead);
    auto list = (*txn)->ListQuarantine(0, 10);
    ASSERT_TRUE(list.ok());
    ASSERT_EQ(list->size(), 2u);
    dates_id_ = (*list)[0].id;
    broken_id_ = (*list)[1].id;
  }
  void TearDown() override { fs::remove_all(dir_); }
  int64_t Reports() {
    auto reg = OpenRegister(db_, "", false);
    auto txn = (*reg)->store->Begin(Store::Mode::kRead);
    return (*txn)->GetCounts()->reports;
  }
  fs::path dir_;
  std::string db_;
  int64_t dates_id_ = 0, broken_id_ = 0;
};

TEST_F(CmdQuarantineTest, ListShowAndReplay) {
  CmdRun list = Quarantine({"list", "--db", db_});
  ASSERT_EQ(list.code, 0) << list.err;
  EXPECT_EQ(
      list.out,
      "id\tsource\trecord_id\treplayed\treasons\n" + std::to_string(dates_id_) +
          "\tpartner\tp2\t-\tdate_of_death: before date_of_birth (2001-05-01 < 2003-01-01)\n" +
          std::to_string(broken_id_) +
          "\tpartner\t3\t-\t(record): malformed JSON at offset 15: Missing a name for object "
          "member.\n");

  CmdRun show = Quarantine({"show", std::to_string(dates_id_), "--db", db_});
  ASSERT_EQ(show.code, 0) << show.err;
  EXPECT_NE(show.out.find("source_record_id: p2\n"), std::string::npos);
  EXPECT_NE(show.out.find("record:\n{\"source_record_id\":\"p2\",\"name\":\"سعاد محمود\","
                          "\"date_of_birth\":\"2003-01-01\",\"date_of_death\":\"2001-05-01\"}\n"),
            std::string::npos)
      << show.out;

  // The stored record is still wrong: nothing happens.
  CmdRun again = Quarantine({"replay", std::to_string(dates_id_), "--db", db_});
  EXPECT_EQ(again.code, 1);
  EXPECT_EQ(again.err, "qayd quarantine: " + std::to_string(dates_id_) +
                           " is still invalid:\n  date_of_death: before date_of_birth "
                           "(2001-05-01 < 2003-01-01)\n");
  EXPECT_EQ(Reports(), 1);

  // A corrected file is accepted under the original source and record id.
  const std::string fixed = (dir_ / "fixed.json").string();
  std::ofstream(fixed) << "{\"name\":\"سعاد محمود\",\"date_of_birth\":\"2001-01-01\",\n"
                          " \"date_of_death\":\"2003-05-01\"}\n";
  CmdRun replay = Quarantine({"replay", std::to_string(dates_id_), "--db", db_, "--file", fixed});
  ASSERT_EQ(replay.code, 0) << replay.err;
  EXPECT_NE(replay.out.find("\"source_record_id\":\"p2\""), std::string::npos) << replay.out;
  EXPECT_EQ(Reports(), 2);
  CmdRun listed = Quarantine({"list", "--db", db_});
  EXPECT_NE(listed.out.find("\tpartner\tp2\treport "), std::string::npos) << listed.out;

  CmdRun twice = Quarantine({"replay", std::to_string(dates_id_), "--db", db_, "--file", fixed});
  EXPECT_EQ(twice.code, 1);
  EXPECT_NE(twice.err.find("was already replayed as report"), std::string::npos);
  EXPECT_EQ(Reports(), 2);
}

TEST_F(CmdQuarantineTest, ReplayCsvCorrectionAndUsageErrors) {
  const std::string fixed = (dir_ / "fixed.csv").string();
  std::ofstream(fixed) << "name,sex\nRami Haddad,m\n";
  CmdRun replay = Quarantine({"replay", std::to_string(broken_id_), "--db", db_, "--file", fixed});
  ASSERT_EQ(replay.code, 0) << replay.err;
  EXPECT_NE(replay.out.find("\"source_record_id\":\"3\""), std::string::npos) << replay.out;
  EXPECT_EQ(Reports(), 2);

  EXPECT_EQ(Quarantine({"list"}).code, 2);
  EXPECT_EQ(Quarantine({"show", "abc", "--db", db_}).code, 2);
  EXPECT_EQ(Quarantine({"purge", "--db", db_}).code, 2);
  CmdRun missing = Quarantine({"show", "999", "--db", db_});
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.err.find("999"), std::string::npos);
}

}  // namespace
}  // namespace qayd::cli
