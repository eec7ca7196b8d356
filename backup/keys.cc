#include "backup/keys.h"

#include <sodium.h>

#include <sstream>

#include "backup/file_util.h"
#include "backup/sha256.h"

namespace qayd::backup {
namespace {

constexpr char kPublicTag[] = "qayd-backup-public-key-v1";
constexpr char kSecretTag[] = "qayd-backup-secret-key-v1";

std::string Hex(const unsigned char* b, size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), b, n);
  out.pop_back();
  return out;
}

bool FromHex(const std::string& hex, std::array<unsigned char, 32>* out) {
  size_t len = 0;
  if (hex.size() != 64) return false;
  return sodium_hex2bin(out->data(), out->size(), hex.data(), hex.size(), nullptr, &len, nullptr) ==
             0 &&
         len == 32;
}

Status BadKeyFile(const std::string& path, const std::string& what) {
  return Error(ErrorCode::kInvalidInput, path + ": not a qayd backup " + what + " key file");
}

}  // namespace

std::string PublicKey::Fingerprint() const {
  return Sha256Hex(std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size()))
      .substr(0, 16);
}

KeyPair::~KeyPair() { sodium_memzero(secret.data(), secret.size()); }

Result<PublicKey> GenerateKeyFiles(const std::string& secret_path) {
  if (sodium_init() < 0) return Error(ErrorCode::kInternal, "libsodium failed to initialise");
  const std::string pub_path = secret_path + ".pub";
  for (const std::string& p : {secret_path, pub_path}) {
    if (Exists(p)) return Error(ErrorCode::kConflict, p + " exists; refusing to overwrite a key");
  }
  KeyPair kp;
  crypto_box_keypair(kp.pub.bytes.data(), kp.secret.data());
  std::string secret_line = std::string(kSecretTag) + " " + Hex(kp.secret.data(), 32) + " " +
                            Hex(kp.pub.bytes.data(), 32) + "\n";
  Status s = WriteFileAtomic(secret_path, secret_line, 0600);
  sodium_memzero(secret_line.data(), secret_line.size());
  if (!s.ok()) return s;
  s = WriteFileAtomic(pub_path, std::string(kPublicTag) + " " + Hex(kp.pub.bytes.data(), 32) + "\n",
                      0644);
  if (!s.ok()) return s;
  return kp.pub;
}

Result<PublicKey> ReadPublicKey(const std::string& path) {
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  std::istringstream in(*text);
  std::string tag, hex;
  in >> tag >> hex;
  PublicKey pk;
  if (tag == kSecretTag) {
    return Error(ErrorCode::kInvalidInput,
                 path + " is a secret key; give the server the .pub file only");
  }
  if (tag != kPublicTag || !FromHex(hex, &pk.bytes)) return BadKeyFile(path, "public");
  return pk;
}

Result<KeyPair> ReadKeyPair(const std::string& path) {
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  std::istringstream in(*text);
  sodium_memzero(text->data(), text->size());
  std::string tag, secret_hex, public_hex;
  in >> tag >> secret_hex >> public_hex;
  KeyPair kp;
  bool ok =
      tag == kSecretTag && FromHex(secret_hex, &kp.secret) && FromHex(public_hex, &kp.pub.bytes);
  sodium_memzero(secret_hex.data(), secret_hex.size());
  if (tag == kPublicTag) {
    return Error(ErrorCode::kInvalidInput,
                 path + " is a public key; decrypting needs the secret key file");
  }
  if (!ok) return BadKeyFile(path, "secret");
  std::array<unsigned char, 32> derived{};
  crypto_scalarmult_base(derived.data(), kp.secret.data());
  if (derived != kp.pub.bytes) {
    return Error(ErrorCode::kInvalidInput, path + ": secret and public halves do not match");
  }
  return kp;
}

}  // namespace qayd::backup
