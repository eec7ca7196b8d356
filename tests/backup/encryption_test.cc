// Keys and encrypted backup files: round trips, and every kind of damage
// (flipped byte, truncation, wrong key) is detected.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "backup/encrypted_file.h"
#include "backup/file_util.h"
#include "backup/keys.h"
#include "backup/sha256.h"
#include "tests/backup/backup_test_support.h"
#include "tests/store/store_test_support.h"

namespace qayd::backup {
namespace {

using testing_support::TempDir;

std::string WriteRandom(const std::string& path, size_t size, unsigned seed) {
  std::mt19937 rng(seed);
  std::string data(size, '\0');
  for (char& c : data) c = static_cast<char>(rng());
  std::ofstream(path, std::ios::binary) << data;
  return data;
}

class EncryptionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pk = GenerateKeyFiles(dir_.path() + "/key");
    ASSERT_TRUE(pk.ok()) << pk.status().ToString();
    auto kp = ReadKeyPair(dir_.path() + "/key");
    ASSERT_TRUE(kp.ok()) << kp.status().ToString();
    keys_ = *kp;
  }
  std::string P(const std::string& name) const { return dir_.path() + "/" + name; }

  TempDir dir_;
  KeyPair keys_;
};

TEST_F(EncryptionTest, KeygenWritesSecretKeyPrivateAndRefusesOverwrite) {
  struct stat st;
  ASSERT_EQ(::stat(P("key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto pub = ReadPublicKey(P("key.pub"));
  ASSERT_TRUE(pub.ok());
  EXPECT_EQ(pub->Fingerprint(), keys_.pub.Fingerprint());
  EXPECT_EQ(pub->Fingerprint().size(), 16u);
  auto again = GenerateKeyFiles(P("key"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), ErrorCode::kConflict);
  // Swapped files are named, not misread.
  auto wrong_kind = ReadPublicKey(P("key"));
  ASSERT_FALSE(wrong_kind.ok());
  EXPECT_NE(wrong_kind.status().message().find("secret key"), std::string::npos);
  auto wrong_kind2 = ReadKeyPair(P("key.pub"));
  ASSERT_FALSE(wrong_kind2.ok());
  EXPECT_NE(wrong_kind2.status().message().find("public key"), std::string::npos);
}

TEST_F(EncryptionTest, RoundTripsAtChunkBoundaries) {
  for (size_t size : {size_t{0}, size_t{1}, size_t{65536}, size_t{131072}, size_t{200001}}) {
    const std::string data = WriteRandom(P("plain"), size, static_cast<unsigned>(size));
    RemoveQuietly(P("enc"));
    RemoveQuietly(P("out"));
    ASSERT_TRUE(EncryptFile(P("plain"), P("enc"), keys_.pub).ok());
    EXPECT_TRUE(IsEncryptedFile(P("enc")));
    EXPECT_FALSE(IsEncryptedFile(P("plain")) && size >= 8);
    Status s = DecryptFile(P("enc"), P("out"), keys_);
    ASSERT_TRUE(s.ok()) << size << ": " << s.ToString();
    EXPECT_EQ(*ReadFile(P("out")), data) << size;
  }
}

TEST_F(EncryptionTest, CiphertextDoesNotContainThePlaintext) {
  std::ofstream(P("plain")) << std::string(1000, 'x') << "Mohammad Ahmad al-Hassan";
  ASSERT_TRUE(EncryptFile(P("plain"), P("enc"), keys_.pub).ok());
  EXPECT_EQ(ReadFile(P("enc"))->find("Mohammad"), std::string::npos);
}

TEST_F(EncryptionTest, FlippedByteAnywhereIsDetected) {
  WriteRandom(P("plain"), 150000, 7);
  ASSERT_TRUE(EncryptFile(P("plain"), P("enc"), keys_.pub).ok());
  const int64_t size = *FileSize(P("enc"));
  // In the sealed key, the stream header, the first, a middle and the last chunk.
  for (int64_t offset : {int64_t{20}, int64_t{100}, int64_t{200}, size / 2, size - 3}) {
    std::filesystem::copy_file(P("enc"), P("bad"),
                               std::filesystem::copy_options::overwrite_existing);
    backup_test::FlipByte(P("bad"), offset);
    Status s = DecryptFile(P("bad"), P("out"), keys_);
    EXPECT_FALSE(s.ok()) << "offset " << offset;
    EXPECT_FALSE(Exists(P("out"))) << "a failed decryption leaves no output";
  }
}

TEST_F(EncryptionTest, TruncationIsDetectedEvenAtAChunkBoundary) {
  WriteRandom(P("plain"), 3 * 65536, 9);
  ASSERT_TRUE(EncryptFile(P("plain"), P("enc"), keys_.pub).ok());
  const int64_t header = 16 + 80 + 24, chunk = 65536 + 17;
  for (int64_t cut : {header + 2 * chunk, header + chunk + 100, int64_t{50}}) {
    std::filesystem::copy_file(P("enc"), P("bad"),
                               std::filesystem::copy_options::overwrite_existing);
    backup_test::Truncate(P("bad"), cut);
    Status s = DecryptFile(P("bad"), P("out"), keys_);
    ASSERT_FALSE(s.ok()) << "cut at " << cut;
    EXPECT_EQ(s.code(), ErrorCode::kInvalidInput);
    EXPECT_NE(s.message().find("truncated"), std::string::npos) << s.message();
  }
}

TEST_F(EncryptionTest, WrongKeyIsRefusedByName) {
  WriteRandom(P("plain"), 1000, 3);
  ASSERT_TRUE(EncryptFile(P("plain"), P("enc"), keys_.pub).ok());
  ASSERT_TRUE(GenerateKeyFiles(P("other")).ok());
  auto other = ReadKeyPair(P("other"));
  ASSERT_TRUE(other.ok());
  Status s = DecryptFile(P("enc"), P("out"), *other);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kPermission);
  EXPECT_NE(s.message().find(keys_.pub.Fingerprint()), std::string::npos) << s.message();
}

TEST(Sha256Test, KnownVector) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace qayd::backup
