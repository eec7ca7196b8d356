// One writer per SQLite register, read-only opens for the commands that only
// read: a second writing open (another qaydd, `qayd ingest` against a running
// daemon's register) is refused; read-only opens need no lock and never
// create a register; a failing `qayd ingest` leaves no register behind.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "store/store.h"
#include "store/testing.h"
#include "tests/store/store_test_support.h"
#include "tests/support/run_command.h"

namespace qayd {
namespace {

namespace fs = std::filesystem;
using testing::RunCommand;
using testing_support::MakeReport;
using testing_support::TempDir;

StoreOptions ReadOnly() {
  StoreOptions o;
  o.read_only = true;
  return o;
}

TEST(RegisterLock, SecondWriterIsRefusedUntilTheFirstCloses) {
  TempDir dir;
  const std::string db = dir.path() + "/register.db";
  auto first = OpenStore(db);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto second = OpenStore(db);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), ErrorCode::kUnavailable);
  EXPECT_NE(second.status().message().find("is in use by another process"), std::string::npos)
      << second.status().message();
  first->reset();
  auto third = OpenStore(db);
  EXPECT_TRUE(third.ok()) << third.status().ToString();
}

TEST(RegisterLock, ReadOnlyOpenNeedsNoLockAndCannotWrite) {
  TempDir dir;
  const std::string db = dir.path() + "/register.db";
  auto writer = OpenStore(db);
  ASSERT_TRUE(writer.ok());
  {
    auto t = (*writer)->Begin(Store::Mode::kWrite);
    ASSERT_TRUE((*t)->AcceptReport(MakeReport("moh", "1", "Ahmad")).ok());
    ASSERT_TRUE((*t)->Commit().ok());
  }
  auto reader = OpenStore(db, ReadOnly());  // while the writer holds the lock
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  auto t = (*reader)->Begin(Store::Mode::kRead);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ((*t)->GetCounts()->reports, 1);
  t->reset();
  auto w = (*reader)->Begin(Store::Mode::kWrite);
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.status().code(), ErrorCode::kPermission);
}

TEST(RegisterLock, ReadOnlyOpenRefusesAMissingRegisterWithoutCreatingIt) {
  TempDir dir;
  const std::string db = dir.path() + "/typo.db";
  auto r = OpenStore(db, ReadOnly());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(r.status().message(), "no register at " + db);
  EXPECT_TRUE(fs::is_empty(dir.path()));
  // An empty file is not a register either.
  std::ofstream(db).close();
  EXPECT_EQ(OpenStore(db, ReadOnly()).status().code(), ErrorCode::kNotFound);
}

TEST(RegisterLock, ReadOnlyOpenRefusesAnOldSchemaInsteadOfMigrating) {
  TempDir dir;
  const std::string db = dir.path() + "/old.db";
  ASSERT_TRUE(OpenStoreAtVersion(db, 1).ok());
  auto r = OpenStore(db, ReadOnly());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("is at schema version 1"), std::string::npos)
      << r.status().message();
}

// The commands themselves.
class RegisterCommands : public ::testing::Test {
 protected:
  std::string Qayd(const std::string& args) {
    auto r = RunCommand(std::string("timeout 120 ") + QAYD_CLI + " " + args + " 2>&1");
    last_code_ = r.code;
    return r.out;
  }
  TempDir dir_;
  int last_code_ = -1;
};

TEST_F(RegisterCommands, ReadOnlyCommandsRefuseAMissingRegisterAndCreateNothing) {
  const std::string db = dir_.path() + "/typo.db";
  std::string out = Qayd("export --db " + db);
  EXPECT_EQ(last_code_, 1) << out;
  EXPECT_NE(out.find("no register at " + db), std::string::npos) << out;
  out = Qayd("history --db " + db + " 1");
  EXPECT_EQ(last_code_, 1) << out;
  out = Qayd("report --db " + db + " --month 2024-01");
  EXPECT_EQ(last_code_, 1) << out;
  out = Qayd("quarantine list --db " + db);
  EXPECT_EQ(last_code_, 1) << out;
  EXPECT_TRUE(fs::is_empty(dir_.path())) << "a read-only command created a file";
}

TEST_F(RegisterCommands, FailingIngestLeavesNoRegisterBehind) {
  const std::string db = dir_.path() + "/new.db";
  std::string out = Qayd("ingest --db " + db + " " + dir_.path() + "/no-such-file.jsonl");
  EXPECT_EQ(last_code_, 1) << out;
  std::ofstream(dir_.path() + "/broken.json") << "[{\"name\":";
  out = Qayd("ingest --db " + db + " " + dir_.path() + "/broken.json");
  EXPECT_EQ(last_code_, 1) << out;
  EXPECT_FALSE(fs::exists(db));
  EXPECT_FALSE(fs::exists(db + ".lock"));
}

TEST_F(RegisterCommands, IngestIntoARegisterInUseIsRefusedAndExportStillReads) {
  const std::string db = dir_.path() + "/register.db";
  std::ofstream(dir_.path() + "/one.jsonl") << "{\"source_record_id\":\"1\",\"name\":\"Ahmad\"}\n";
  std::string out = Qayd("ingest --db " + db + " " + dir_.path() + "/one.jsonl");
  ASSERT_EQ(last_code_, 0) << out;
  auto daemon_like = OpenStore(db);  // the register held as a running qaydd holds it
  ASSERT_TRUE(daemon_like.ok());
  out = Qayd("ingest --db " + db + " " + dir_.path() + "/one.jsonl");
  EXPECT_EQ(last_code_, 1) << out;
  EXPECT_NE(out.find("is in use by another process"), std::string::npos) << out;
  out = Qayd("export --db " + db);
  EXPECT_EQ(last_code_, 0) << out;
  EXPECT_NE(out.find("Ahmad"), std::string::npos) << out;
  // Users and tokens are written beside the running writer.
  out = Qayd("token add partner --scope submit --db " + db);
  EXPECT_EQ(last_code_, 0) << out;
}

}  // namespace
}  // namespace qayd
