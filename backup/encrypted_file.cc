#include "backup/encrypted_file.h"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "backup/file_util.h"

namespace qayd::backup {
namespace {

constexpr char kMagic[8] = {'Q', 'A', 'Y', 'D', 'E', 'N', 'C', '1'};
constexpr size_t kPrefix = 16;  // magic + fingerprint bytes: the additional data
constexpr size_t kSealed = crypto_box_SEALBYTES + crypto_secretstream_xchacha20poly1305_KEYBYTES;
constexpr size_t kChunk = 64 * 1024;
constexpr size_t kCipherChunk = kChunk + crypto_secretstream_xchacha20poly1305_ABYTES;

// A file descriptor closed on scope exit; the output is unlinked unless kept.
class Fd {
 public:
  Fd(int fd, std::string unlink_path = "") : fd_(fd), unlink_(std::move(unlink_path)) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
    if (!unlink_.empty()) ::unlink(unlink_.c_str());
  }
  int get() const { return fd_; }
  void Keep() { unlink_.clear(); }

 private:
  int fd_;
  std::string unlink_;
};

Status IoError(const std::string& what, const std::string& path) {
  return Error(ErrorCode::kIo, what + " " + path + ": " + std::strerror(errno));
}

// Reads up to n bytes (fewer only at end of file). Returns bytes read or -1.
ssize_t ReadFull(int fd, unsigned char* buf, size_t n) {
  size_t done = 0;
  while (done < n) {
    ssize_t r = ::read(fd, buf + done, n - done);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return -1;
    if (r == 0) break;
    done += static_cast<size_t>(r);
  }
  return static_cast<ssize_t>(done);
}

bool WriteFull(int fd, const unsigned char* buf, size_t n) {
  size_t done = 0;
  while (done < n) {
    ssize_t w = ::write(fd, buf + done, n - done);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return false;
    done += static_cast<size_t>(w);
  }
  return true;
}

void Prefix(const PublicKey& key, unsigned char out[kPrefix]) {
  std::memcpy(out, kMagic, 8);
  std::string fp = key.Fingerprint();  // 16 hex digits = 8 bytes
  size_t len = 0;
  sodium_hex2bin(out + 8, 8, fp.data(), fp.size(), nullptr, &len, nullptr);
}

std::string FingerprintOf(const unsigned char prefix[kPrefix]) {
  char hex[17];
  sodium_bin2hex(hex, sizeof hex, prefix + 8, 8);
  return hex;
}

}  // namespace

bool IsEncryptedFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  unsigned char head[8];
  ssize_t n = ReadFull(fd, head, sizeof head);
  ::close(fd);
  return n == 8 && std::memcmp(head, kMagic, 8) == 0;
}

Status EncryptFile(const std::string& in_path, const std::string& out_path, const PublicKey& key) {
  if (sodium_init() < 0) return Error(ErrorCode::kInternal, "libsodium failed to initialise");
  Fd in(::open(in_path.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) return IoError("cannot open", in_path);
  Fd out(::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600), out_path);
  if (out.get() < 0) return IoError("cannot create", out_path);

  unsigned char prefix[kPrefix];
  Prefix(key, prefix);
  unsigned char stream_key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
  crypto_secretstream_xchacha20poly1305_keygen(stream_key);
  unsigned char sealed[kSealed];
  crypto_box_seal(sealed, stream_key, sizeof stream_key, key.bytes.data());
  crypto_secretstream_xchacha20poly1305_state st;
  unsigned char header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
  crypto_secretstream_xchacha20poly1305_init_push(&st, header, stream_key);
  sodium_memzero(stream_key, sizeof stream_key);
  if (!WriteFull(out.get(), prefix, kPrefix) || !WriteFull(out.get(), sealed, kSealed) ||
      !WriteFull(out.get(), header, sizeof header)) {
    return IoError("cannot write", out_path);
  }
  std::vector<unsigned char> plain(kChunk), cipher(kCipherChunk);
  // Read one chunk ahead so the last one can carry the FINAL tag.
  ssize_t n = ReadFull(in.get(), plain.data(), kChunk);
  if (n < 0) return IoError("cannot read", in_path);
  std::vector<unsigned char> next(kChunk);
  for (;;) {
    ssize_t m = 0;
    if (static_cast<size_t>(n) == kChunk) {
      m = ReadFull(in.get(), next.data(), kChunk);
      if (m < 0) return IoError("cannot read", in_path);
    }
    const bool last = m == 0;
    unsigned long long clen = 0;
    crypto_secretstream_xchacha20poly1305_push(
        &st, cipher.data(), &clen, plain.data(), static_cast<unsigned long long>(n), prefix,
        kPrefix, last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
    if (!WriteFull(out.get(), cipher.data(), clen)) return IoError("cannot write", out_path);
    if (last) break;
    plain.swap(next);
    n = m;
  }
  sodium_memzero(&st, sizeof st);
  if (::fsync(out.get()) != 0) return IoError("cannot fsync", out_path);
  out.Keep();
  return Status::Ok();
}

Status DecryptFile(const std::string& in_path, const std::string& out_path, const KeyPair& key) {
  if (sodium_init() < 0) return Error(ErrorCode::kInternal, "libsodium failed to initialise");
  Fd in(::open(in_path.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) return IoError("cannot open", in_path);
  unsigned char prefix[kPrefix], sealed[kSealed];
  unsigned char header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
  if (ReadFull(in.get(), prefix, kPrefix) != static_cast<ssize_t>(kPrefix) ||
      std::memcmp(prefix, kMagic, 8) != 0) {
    return Error(ErrorCode::kInvalidInput, in_path + " is not an encrypted qayd backup");
  }
  if (ReadFull(in.get(), sealed, kSealed) != static_cast<ssize_t>(kSealed) ||
      ReadFull(in.get(), header, sizeof header) != static_cast<ssize_t>(sizeof header)) {
    return Error(ErrorCode::kInvalidInput, in_path + ": encrypted backup truncated in its header");
  }
  unsigned char expected[kPrefix];
  Prefix(key.pub, expected);
  if (std::memcmp(prefix + 8, expected + 8, 8) != 0) {
    return Error(ErrorCode::kPermission, in_path + " was encrypted for another key (fingerprint " +
                                             FingerprintOf(prefix) + "), not for key " +
                                             key.pub.Fingerprint());
  }
  unsigned char stream_key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
  if (crypto_box_seal_open(stream_key, sealed, kSealed, key.pub.bytes.data(), key.secret.data()) !=
      0) {
    return Error(ErrorCode::kPermission,
                 in_path + ": the key does not open this backup (wrong key or damaged header)");
  }
  crypto_secretstream_xchacha20poly1305_state st;
  int rc = crypto_secretstream_xchacha20poly1305_init_pull(&st, header, stream_key);
  sodium_memzero(stream_key, sizeof stream_key);
  if (rc != 0) return Error(ErrorCode::kInvalidInput, in_path + ": damaged stream header");

  Fd out(::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600), out_path);
  if (out.get() < 0) return IoError("cannot create", out_path);
  std::vector<unsigned char> cipher(kCipherChunk), plain(kChunk);
  int64_t chunk_no = 0;
  for (;;) {
    ssize_t n = ReadFull(in.get(), cipher.data(), kCipherChunk);
    if (n < 0) return IoError("cannot read", in_path);
    if (n == 0) {
      return Error(ErrorCode::kInvalidInput,
                   in_path + ": encrypted backup is truncated (no final chunk after chunk " +
                       std::to_string(chunk_no) + ")");
    }
    unsigned long long plen = 0;
    unsigned char tag = 0;
    if (crypto_secretstream_xchacha20poly1305_pull(&st, plain.data(), &plen, &tag, cipher.data(),
                                                   static_cast<unsigned long long>(n), prefix,
                                                   kPrefix) != 0) {
      return Error(ErrorCode::kInvalidInput, in_path + ": encrypted chunk " +
                                                 std::to_string(chunk_no) +
                                                 " fails authentication (damaged or truncated)");
    }
    if (!WriteFull(out.get(), plain.data(), plen)) return IoError("cannot write", out_path);
    ++chunk_no;
    if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
      unsigned char extra;
      if (ReadFull(in.get(), &extra, 1) != 0) {
        return Error(ErrorCode::kInvalidInput, in_path + ": data after the final chunk");
      }
      break;
    }
  }
  sodium_memzero(plain.data(), plain.size());
  if (::fsync(out.get()) != 0) return IoError("cannot fsync", out_path);
  out.Keep();
  return Status::Ok();
}

}  // namespace qayd::backup
