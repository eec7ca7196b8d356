#include "web/auth.h"

#include <sodium.h>

#include <algorithm>
#include <stdexcept>

namespace qayd::web {
namespace {

void EnsureSodium() {
  static const bool ok = sodium_init() >= 0;
  if (!ok) throw std::runtime_error("libsodium initialisation failed");
}

std::string Hex(const unsigned char* data, size_t n) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kDigits[data[i] >> 4]);
    out.push_back(kDigits[data[i] & 15]);
  }
  return out;
}

}  // namespace

Result<std::string> HashPassword(const std::string& password) {
  EnsureSodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return Error(ErrorCode::kInternal, "password hashing ran out of memory");
  }
  return std::string(out);
}

bool VerifyPassword(const std::string& hash, const std::string& password) {
  EnsureSodium();
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string RandomToken() {
  EnsureSodium();
  unsigned char buf[32];
  randombytes_buf(buf, sizeof buf);
  return Hex(buf, sizeof buf);
}

std::string Sha256Hex(const std::string& data) {
  EnsureSodium();
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return Hex(out, sizeof out);
}

bool ConstantTimeEquals(const std::string& a, const std::string& b) {
  EnsureSodium();
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

int64_t LoginThrottle::Wait(const Entry& e, int free, int64_t now_ms) const {
  if (e.failures < free) return 0;
  int shift = std::min(e.failures - free, 20);
  int64_t wait = std::min<int64_t>(base_ms_ << shift, max_ms_);
  int64_t until = e.last_ms + wait;
  return until > now_ms ? until - now_ms : 0;
}

int64_t LoginThrottle::RetryAfterMs(const std::string& user, const std::string& address,
                                    int64_t now_ms) const {
  std::lock_guard lock(mutex_);
  int64_t wait = 0;
  if (auto it = pairs_.find({user, address}); it != pairs_.end()) {
    wait = Wait(it->second, free_, now_ms);
  }
  if (auto it = addresses_.find(address); it != addresses_.end()) {
    wait = std::max(wait, Wait(it->second, free_address_, now_ms));
  }
  return wait;
}

void LoginThrottle::RecordFailure(const std::string& user, const std::string& address,
                                  int64_t now_ms) {
  std::lock_guard lock(mutex_);
  for (Entry* e : {&pairs_[{user, address}], &addresses_[address]}) {
    e->failures++;
    e->last_ms = now_ms;
  }
  // Bound memory under a spray of names or addresses: forget records whose
  // back-off has run out (their count restarts; the wait was served).
  auto prune = [&](auto& map, int free) {
    if (map.size() <= 100000) return;
    for (auto it = map.begin(); it != map.end();) {
      it = Wait(it->second, free, now_ms) == 0 ? map.erase(it) : std::next(it);
    }
    if (map.size() > 100000) map.clear();
  };
  prune(pairs_, free_);
  prune(addresses_, free_address_);
}

void LoginThrottle::RecordSuccess(const std::string& user, const std::string& address) {
  std::lock_guard lock(mutex_);
  pairs_.erase({user, address});
  addresses_.erase(address);
}

}  // namespace qayd::web
