#include "tests/backup/backup_test_support.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "backup/file_util.h"
#include "backup/manifest.h"
#include "backup/sha256.h"
#include "store/export.h"
#include "tests/store/store_test_support.h"

namespace qayd::backup_test {

Result<int64_t> AddReport(Store& store, int i) {
  auto txn = store.Begin(Store::Mode::kWrite);
  if (!txn.ok()) return txn.status();
  Report r = testing_support::MakeReport("backup-test", "r" + std::to_string(i),
                                         "Person Number " + std::to_string(i));
  auto accepted = (*txn)->AcceptReport(r);
  if (!accepted.ok()) return accepted.status();
  const int64_t id = accepted->report_id;
  if (i % 3 == 2) {
    // Attach to the victim of the previous report.
    auto prev = (*txn)->FindReport("backup-test", "r" + std::to_string(i - 1));
    if (!prev.ok()) return prev.status();
    auto victim = (*txn)->VictimOfReport(*prev);
    if (!victim.ok()) return victim.status();
    Status s = (*txn)->AttachReport(id, *victim, "test", "{}");
    if (!s.ok()) return s;
  } else {
    auto victim = (*txn)->CreateVictim(id, VictimState::kActive, "test", "{}");
    if (!victim.ok()) return victim.status();
  }
  Status s = (*txn)->SetResolution(id, Resolution::kAttached);
  if (!s.ok()) return s;
  s = (*txn)->Commit();
  if (!s.ok()) return s;
  return id;
}

std::string Export(Store& store) {
  std::ostringstream out;
  Status s = ExportVictims(store, out, ExportFormat::kJsonLines);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return out.str();
}

void FlipByte(const std::string& path, int64_t offset) {
  auto size = backup::FileSize(path);
  ASSERT_TRUE(size.ok());
  const int64_t at = offset < 0 ? *size + offset : offset;
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(at);
  char c = 0;
  f.read(&c, 1);
  c = static_cast<char>(c ^ 0xff);
  f.seekp(at);
  f.write(&c, 1);
}

void Truncate(const std::string& path, int64_t new_size) {
  std::filesystem::resize_file(path, static_cast<uintmax_t>(new_size));
}

void ResealManifest(const std::string& backup_path) {
  auto m = backup::ReadManifest(backup::ManifestPathFor(backup_path));
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  m->sha256 = *backup::Sha256File(backup_path);
  m->size_bytes = *backup::FileSize(backup_path);
  ASSERT_TRUE(backup::WriteManifest(backup::ManifestPathFor(backup_path), *m).ok());
}

}  // namespace qayd::backup_test
