// `qayd user`, `qayd token` and `qayd what-if` as processes on a temporary register.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "store/store.h"
#include "tests/support/run_command.h"
#include "web/auth.h"

namespace qayd {
namespace {

struct CliRun {
  int code = -1;
  std::string out;
};

CliRun Qayd(const std::string& args, const std::string& stdin_text = "") {
  std::string cmd =
      "printf '%s' '" + stdin_text + "' | timeout 60 " + QAYD_CLI + " " + args + " 2>&1";
  qayd::testing::CommandResult run = qayd::testing::RunCommand(cmd);
  CliRun r;
  r.out = std::move(run.out);
  r.code = run.code;
  return r;
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("qayd-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    db_ = (dir_ / "r.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
  std::string db_;
};

TEST_F(CliTest, UsersAreAddedChangedAndDisabled) {
  CliRun add = Qayd("user add mona --role monitor --db " + db_, "first-password\n");
  ASSERT_EQ(add.code, 0) << add.out;
  EXPECT_EQ(Qayd("user add mona --role monitor --db " + db_, "first-password\n").code, 1);
  EXPECT_EQ(Qayd("user add bob --role monitor --db " + db_, "short\n").code, 1);
  EXPECT_EQ(Qayd("user add bob --role root --db " + db_, "long-enough-pass\n").code, 2);
  EXPECT_EQ(Qayd("user add bob --db " + db_).code, 2);
  std::ofstream(dir_ / "pw") << "second-password\n";
  ASSERT_EQ(
      Qayd("user passwd mona --password-file " + (dir_ / "pw").string() + " --db " + db_).code, 0);
  {
    auto store = OpenStore(db_);
    ASSERT_TRUE(store.ok());
    auto txn = (*store)->Begin(Store::Mode::kRead);
    auto u = (*txn)->GetUser("mona");
    ASSERT_TRUE(u.ok());
    EXPECT_EQ(u->role, "monitor");
    EXPECT_TRUE(web::VerifyPassword(u->password_hash, "second-password"));
    EXPECT_FALSE(web::VerifyPassword(u->password_hash, "first-password"));
    EXPECT_FALSE(u->disabled);
  }
  ASSERT_EQ(Qayd("user disable mona --db " + db_).code, 0);
  EXPECT_EQ(Qayd("user disable nobody --db " + db_).code, 1);
  auto store = OpenStore(db_);
  auto txn = (*store)->Begin(Store::Mode::kRead);
  EXPECT_TRUE((*txn)->GetUser("mona")->disabled);
}

TEST_F(CliTest, TokensArePrintedOnceAndStoredHashed) {
  CliRun r = Qayd("token add partner-a --scope submit --db " + db_);
  ASSERT_EQ(r.code, 0) << r.out;
  std::string token = r.out.substr(0, r.out.find('\n'));
  ASSERT_EQ(token.size(), 64u);
  auto store = OpenStore(db_);
  auto txn = (*store)->Begin(Store::Mode::kRead);
  EXPECT_EQ(*(*txn)->LookupApiToken(web::Sha256Hex(token)), "submit");
  EXPECT_FALSE((*txn)->LookupApiToken(token).ok());
  EXPECT_EQ(Qayd("token add p --scope admin --db " + db_).code, 2);
}

TEST_F(CliTest, WhatIfPrintsFiguresAndRejectsBadConfig) {
  {  // what-if opens the register read-only: it must exist
    auto store = OpenStore(db_);
    ASSERT_TRUE(store.ok()) << store.status().message();
  }
  std::ofstream(dir_ / "new.json") << R"({"matching":{"thresholds":{"auto_merge":9,"review":3}}})";
  CliRun r = Qayd("what-if --db " + db_ + " --config " + (dir_ / "new.json").string());
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("labelled pairs: 0 (0 same, 0 different)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(auto_merge 9.000000, review 3.000000)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("warning: only 0 labelled pairs"), std::string::npos);
  CliRun j = Qayd("what-if --json --db " + db_ + " --config " + (dir_ / "new.json").string());
  EXPECT_NE(j.out.find("\"labelled_pairs\":0"), std::string::npos) << j.out;
  std::ofstream(dir_ / "bad.json") << R"({"matching":{"thresholds":{"auto_merge":1,"review":3}}})";
  CliRun bad = Qayd("what-if --db " + db_ + " --config " + (dir_ / "bad.json").string());
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.out.find("auto_merge"), std::string::npos) << bad.out;
}

}  // namespace
}  // namespace qayd
