#include "backup/sha256.h"

#include <sodium.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

namespace qayd::backup {
namespace {

std::string Hex(const unsigned char* bytes, size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, n);
  out.pop_back();
  return out;
}

}  // namespace

Result<std::string> Sha256File(const std::string& path) {
  if (sodium_init() < 0) return Error(ErrorCode::kInternal, "libsodium failed to initialise");
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Error(errno == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIo,
                 "cannot read " + path + ": " + std::strerror(errno));
  }
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  std::vector<char> buf(1 << 20);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    std::streamsize n = in.gcount();
    if (n > 0) {
      crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(buf.data()),
                                static_cast<unsigned long long>(n));
    }
  }
  if (in.bad()) return Error(ErrorCode::kIo, "read error on " + path);
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&st, out);
  return Hex(out, sizeof out);
}

std::string Sha256Hex(const std::string& data) {
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return Hex(out, sizeof out);
}

}  // namespace qayd::backup
