// The `qayd` command line end to end: ingest with decisions, export, history,
// explain, usage errors.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/run_command.h"

namespace {

struct CmdRun {
  int status = -1;
  std::string out;
};

CmdRun Qayd(const std::string& args) {
  qayd::testing::CommandResult run =
      qayd::testing::RunCommand(std::string(QAYD_PATH) + " " + args + " 2>&1");
  CmdRun r;
  r.out = std::move(run.out);
  r.status = run.code;
  return r;
}

std::vector<std::string> Lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

class QaydCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("qayd-cli-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
    std::ofstream f(dir_ / "in.jsonl");
    f << R"({"source_record_id":"1","name":"محمد أحمد حسن الخطيب","sex":"male","date_of_birth":"1980-05-02"})"
         "\n"
      << R"({"source_record_id":"2","name":"Mohammed Ahmad Hassan al-Khatib","sex":"M","date_of_birth":"1980-05-02"})"
         "\n"
      << R"({"source_record_id":"3","name":"سارة أحمد حسن الخطيب","sex":"female","date_of_birth":"1992-01-15"})"
         "\n"
      << R"({"source_record_id":"4","name":"x","date_of_birth":"2999-01-01"})"
         "\n"
      << R"(not json)"
         "\n";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string P(const std::string& name) const { return (dir_ / name).string(); }
  std::filesystem::path dir_;
};

TEST_F(QaydCliTest, IngestWritesOneDecisionPerRecordAndASummary) {
  CmdRun r = Qayd("ingest --db " + P("r.db") + " --source test --decisions " + P("d.jsonl") + " " +
                  P("in.jsonl"));
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("ingested 5 records"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("rejected=2"), std::string::npos) << r.out;
  auto d = Lines(P("d.jsonl"));
  ASSERT_EQ(d.size(), 5u);
  EXPECT_NE(d[0].find("\"decision\":\"new\""), std::string::npos) << d[0];
  EXPECT_NE(d[1].find("\"decision\":\"merged\""), std::string::npos) << d[1];
  EXPECT_NE(d[2].find("\"decision\":\"new\""), std::string::npos)
      << "a sister stays apart: " << d[2];
  EXPECT_NE(d[3].find("\"decision\":\"rejected\""), std::string::npos);
  EXPECT_NE(d[3].find("date_of_birth"), std::string::npos) << d[3];
  EXPECT_NE(d[4].find("\"decision\":\"rejected\""), std::string::npos);
  // Not a terminal: no progress line.
  EXPECT_EQ(r.out.find("/s,"), std::string::npos) << r.out;

  // Re-ingest: every valid record is a duplicate, nothing new.
  r = Qayd("ingest --db " + P("r.db") + " --source test --decisions " + P("d2.jsonl") + " " +
           P("in.jsonl"));
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("duplicate=3"), std::string::npos) << r.out;

  r = Qayd("export --db " + P("r.db"));
  ASSERT_EQ(r.status, 0) << r.out;
  std::istringstream lines(r.out);
  int victims = 0;
  for (std::string l; std::getline(lines, l);) {
    if (l.find("\"victim_id\"") != std::string::npos) ++victims;
  }
  EXPECT_EQ(victims, 2) << r.out;
  EXPECT_NE(r.out.find("\"source_record_id\":\"2\""), std::string::npos) << r.out;

  r = Qayd("history --db " + P("r.db") + " 1");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("victim_created"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("report_attached"), std::string::npos) << r.out;

  r = Qayd("explain --db " + P("r.db") + " --report 3 --victim 1");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("name.first"), std::string::npos) << r.out;
}

TEST_F(QaydCliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(Qayd("").status, 2);
  EXPECT_EQ(Qayd("no-such-command").status, 2);
  EXPECT_EQ(Qayd("ingest " + P("in.jsonl")).status, 2);
  EXPECT_EQ(Qayd("export --db " + P("r.db") + " --format xml").status, 2);
  EXPECT_EQ(Qayd("help").status, 0);
}

// Every subcommand, as `qayd help` lists them (read from the same table).
std::vector<std::string> Commands() {
  std::vector<std::string> out;
  std::ifstream in(std::string(QAYD_SOURCE_DIR) + "/cli/command_list.inc");
  for (std::string l; std::getline(in, l);) {
    if (l.rfind("QAYD_COMMAND(\"", 0) == 0) out.push_back(l.substr(14, l.find('"', 14) - 14));
  }
  return out;
}

TEST_F(QaydCliTest, EverySubcommandAnswersHelpWithItsOwnUsage) {
  const auto commands = Commands();
  ASSERT_GE(commands.size(), 16u);
  for (const auto& c : commands) {
    for (const std::string& form : {c + " --help", c + " -h", "help " + c}) {
      CmdRun r = Qayd(form);
      EXPECT_EQ(r.status, 0) << form << "\n" << r.out;
      EXPECT_EQ(r.out.rfind("usage: qayd " + c, 0), 0u) << form << "\n" << r.out;
      EXPECT_EQ(r.out.find("unknown option"), std::string::npos) << form;
    }
  }
  // After "--" it is an argument, not a request for help: a usage error here.
  EXPECT_EQ(Qayd("export -- --help").status, 2);
  // The general list, and an unknown command's help is a usage error.
  EXPECT_EQ(Qayd("-h").status, 0);
  EXPECT_NE(Qayd("--help").out.find("verify-backup"), std::string::npos);
  EXPECT_EQ(Qayd("help no-such-command").status, 2);
}

TEST_F(QaydCliTest, VersionNamesTheProjectVersion) {
  CmdRun r = Qayd("--version");
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(r.out.rfind("qayd 0.", 0) == 0 || r.out.rfind("qayd 1.", 0) == 0) << r.out;
  qayd::testing::CommandResult d =
      qayd::testing::RunCommand(std::string(QAYDD_PATH) + " --version");
  EXPECT_EQ(d.code, 0);
  EXPECT_EQ(d.trimmed(), "qaydd " + r.out.substr(5, r.out.find('\n') - 5)) << d.out;
}

}  // namespace
