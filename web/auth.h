// Authentication primitives: password hashing (libsodium Argon2id), random
// tokens, SHA-256, constant-time comparison, and the login back-off.
//
// Threads: the free functions are thread-safe (libsodium is initialised on
// first use). LoginThrottle is thread-safe (internal mutex).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "base/result.h"

namespace qayd::web {

// crypto_pwhash_str (Argon2id, interactive limits). kInternal if out of memory.
Result<std::string> HashPassword(const std::string& password);
bool VerifyPassword(const std::string& hash, const std::string& password);
// 32 random bytes as 64 lower-case hex digits.
std::string RandomToken();
std::string Sha256Hex(const std::string& data);
bool ConstantTimeEquals(const std::string& a, const std::string& b);

// Slows brute-force logins: after `free_failures` failed attempts for a user
// name or for a client address, each further attempt must wait
// base_ms * 2^(n - free_failures), capped at max_ms, counted from the last
// failure. A success clears the user's and the address's record.
class LoginThrottle {
 public:
  LoginThrottle(int free_failures = 3, int64_t base_ms = 1000, int64_t max_ms = 5 * 60 * 1000)
      : free_(free_failures), base_ms_(base_ms), max_ms_(max_ms) {}
  // Milliseconds to wait before the next attempt is allowed (0: allowed now).
  int64_t RetryAfterMs(const std::string& user, const std::string& address, int64_t now_ms) const;
  void RecordFailure(const std::string& user, const std::string& address, int64_t now_ms);
  void RecordSuccess(const std::string& user, const std::string& address);

 private:
  struct Entry {
    int failures = 0;
    int64_t last_ms = 0;
  };
  int64_t Wait(const Entry& e, int64_t now_ms) const;

  int free_;
  int64_t base_ms_, max_ms_;
  mutable std::mutex mutex_;
  std::map<std::string, Entry> users_, addresses_;
};

}  // namespace qayd::web
