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
#include <utility>

#include "base/result.h"

namespace qayd::web {

// crypto_pwhash_str (Argon2id, interactive limits). kInternal if out of memory.
Result<std::string> HashPassword(const std::string& password);
bool VerifyPassword(const std::string& hash, const std::string& password);
// 32 random bytes as 64 lower-case hex digits.
std::string RandomToken();
std::string Sha256Hex(const std::string& data);
bool ConstantTimeEquals(const std::string& a, const std::string& b);

// Slows brute-force logins without letting one caller lock another out.
// Two records, each counting failures since its last success:
// - a user name at a client address: after `free_failures` failures, each
//   further attempt for that name from that address waits
//   base_ms * 2^(n - free_failures), capped at max_ms, after the last failure;
// - a client address, whatever the names: the same after
//   `free_address_failures`, so one address cannot spray guesses over names.
// A wrong guess for "admin" from address A never delays any login from B.
// (Many addresses guessing one name are slowed by Argon2id alone: the
// price of nobody being able to lock an account.) A success clears the
// pair's and the address's record. The address is the client's as the
// server resolved it (X-Forwarded-For from a trusted proxy).
class LoginThrottle {
 public:
  LoginThrottle(int free_failures = 3, int free_address_failures = 10, int64_t base_ms = 1000,
                int64_t max_ms = 5 * 60 * 1000)
      : free_(free_failures),
        free_address_(free_address_failures),
        base_ms_(base_ms),
        max_ms_(max_ms) {}
  // Milliseconds to wait before the next attempt is allowed (0: allowed now).
  int64_t RetryAfterMs(const std::string& user, const std::string& address, int64_t now_ms) const;
  void RecordFailure(const std::string& user, const std::string& address, int64_t now_ms);
  void RecordSuccess(const std::string& user, const std::string& address);

 private:
  struct Entry {
    int failures = 0;
    int64_t last_ms = 0;
  };
  int64_t Wait(const Entry& e, int free, int64_t now_ms) const;

  int free_, free_address_;
  int64_t base_ms_, max_ms_;
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, Entry> pairs_;
  std::map<std::string, Entry> addresses_;
};

}  // namespace qayd::web
