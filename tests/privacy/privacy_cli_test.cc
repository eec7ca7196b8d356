// `qayd user add` and `qayd token add`: the password, its hash and the token's
// hash are never printed, and the token only once, on stdout (never stderr,
// where logs go).
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

struct CmdRun {
  int status = -1;
  std::string out, err;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Runs qayd with `args` (shell-quoted by the caller), stdout and stderr apart.
CmdRun Qayd(const std::string& dir, const std::string& args) {
  CmdRun r;
  std::string cmd = "timeout 60 " + std::string(QAYD_PATH) + " " + args + " >" + dir +
                    "/out 2>" + dir + "/err </dev/null";
  int rc = std::system(cmd.c_str());
  r.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  r.out = ReadFile(dir + "/out");
  r.err = ReadFile(dir + "/err");
  return r;
}

std::string One(const std::string& db, const std::string& sql) {
  sqlite3* h = nullptr;
  std::string v;
  if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(h, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
      v = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(h);
  return v;
}

class PrivacyCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/qayd-privacy-cli.XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    db_ = dir_ + "/register.db";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_, db_;
};

TEST_F(PrivacyCliTest, UserAddPrintsNeitherPasswordNorHash) {
  const std::string password = "Zzqpassword-correct-horse";
  std::ofstream(dir_ + "/pw") << password << "\n";
  CmdRun r = Qayd(dir_, "user add alice --role admin --db " + db_ + " --password-file " + dir_ + "/pw");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("user alice added"), std::string::npos) << r.out;
  std::string hash = One(db_, "SELECT password_hash FROM users WHERE name = 'alice'");
  ASSERT_GT(hash.size(), 20u) << "the hash is stored";
  EXPECT_EQ(hash.find(password), std::string::npos);
  for (const std::string* text : {&r.out, &r.err}) {
    EXPECT_EQ(text->find(password), std::string::npos) << *text;
    EXPECT_EQ(text->find(hash), std::string::npos) << *text;
    EXPECT_EQ(text->find("$argon2"), std::string::npos) << *text;
  }
  // passwd too, password from stdin.
  CmdRun p;
  {
    std::string cmd = "echo 'Zzqpassword-second-one' | timeout 60 " + std::string(QAYD_PATH) +
                      " user passwd alice --db " + db_ + " >" + dir_ + "/out 2>" + dir_ + "/err";
    int rc = std::system(cmd.c_str());
    p.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    p.out = ReadFile(dir_ + "/out");
    p.err = ReadFile(dir_ + "/err");
  }
  ASSERT_EQ(p.status, 0) << p.err;
  std::string hash2 = One(db_, "SELECT password_hash FROM users WHERE name = 'alice'");
  EXPECT_NE(hash2, hash);
  EXPECT_EQ((p.out + p.err).find("Zzqpassword-second-one"), std::string::npos);
  EXPECT_EQ((p.out + p.err).find(hash2), std::string::npos);
}

TEST_F(PrivacyCliTest, TokenAddPrintsTheTokenOnceOnStdoutOnly) {
  CmdRun r = Qayd(dir_, "token add feeder --scope submit --db " + db_);
  ASSERT_EQ(r.status, 0) << r.err;
  std::string token = r.out;
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
  ASSERT_GE(token.size(), 32u) << r.out;
  EXPECT_EQ(r.out, token + "\n") << "stdout holds the token and nothing else";
  EXPECT_EQ(r.err.find(token), std::string::npos) << r.err;
  // The store keeps a hash, not the token; the hash is printed nowhere.
  std::string stored = One(db_, "SELECT token_hash FROM api_tokens WHERE name = 'feeder'");
  ASSERT_FALSE(stored.empty());
  EXPECT_NE(stored, token);
  EXPECT_EQ((r.out + r.err).find(stored), std::string::npos);
  EXPECT_EQ(One(db_, "SELECT COUNT(*) FROM api_tokens WHERE token_hash = '" + token + "'"), "0");
}

}  // namespace
