// IP addresses and address ranges ("10.0.0.0/8", "::1", "127.0.0.1") as the
// config's http.trusted_proxies names them. IPv4-mapped IPv6 addresses
// (::ffff:a.b.c.d) are taken as the IPv4 address. Plain values; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace qayd {

struct IpAddress {
  int family = 4;                   // 4 or 6
  std::array<uint8_t, 16> bytes{};  // IPv4 in the first 4 bytes
  std::string ToString() const;     // canonical text (inet_ntop)
};

// A textual IPv4 or IPv6 address, optionally in [brackets]; nullopt otherwise
// (no ports, no zone ids, no names).
std::optional<IpAddress> ParseIpAddress(std::string_view text);

class IpRange {
 public:
  // "ADDRESS" (a single address) or "ADDRESS/PREFIX". kInvalidInput with a
  // message naming the problem.
  static Result<IpRange> Parse(std::string_view text);
  bool Contains(const IpAddress& address) const;

 private:
  IpAddress base_;
  int prefix_ = 0;
};

}  // namespace qayd
