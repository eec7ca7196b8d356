#include "base/ip_range.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace qayd {
namespace {

// An IPv4-mapped IPv6 address (::ffff:a.b.c.d) as its IPv4 address.
IpAddress Unmapped(const IpAddress& a) {
  static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (a.family != 6 || std::memcmp(a.bytes.data(), kMapped, 12) != 0) return a;
  IpAddress v4;
  v4.family = 4;
  std::memcpy(v4.bytes.data(), a.bytes.data() + 12, 4);
  return v4;
}

}  // namespace

std::string IpAddress::ToString() const {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(family == 4 ? AF_INET : AF_INET6, bytes.data(), buf, sizeof buf);
  return buf;
}

std::optional<IpAddress> ParseIpAddress(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  const std::string s(text);
  IpAddress a;
  if (inet_pton(AF_INET, s.c_str(), a.bytes.data()) == 1) {
    a.family = 4;
    return a;
  }
  if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) == 1) {
    a.family = 6;
    return Unmapped(a);
  }
  return std::nullopt;
}

Result<IpRange> IpRange::Parse(std::string_view text) {
  const size_t slash = text.find('/');
  auto address = ParseIpAddress(text.substr(0, slash));
  if (!address) {
    return Error(ErrorCode::kInvalidInput,
                 "\"" + std::string(text) + "\" is not an IP address or ADDRESS/PREFIX");
  }
  const int bits = address->family == 4 ? 32 : 128;
  int prefix = bits;
  if (slash != std::string_view::npos) {
    const std::string_view p = text.substr(slash + 1);
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), prefix);
    if (p.empty() || ec != std::errc() || end != p.data() + p.size() || prefix < 0 ||
        prefix > bits) {
      return Error(ErrorCode::kInvalidInput,
                   "\"" + std::string(text) + "\": the prefix must be 0.." + std::to_string(bits));
    }
  }
  IpRange r;
  r.base_ = *address;
  r.prefix_ = prefix;
  return r;
}

bool IpRange::Contains(const IpAddress& address) const {
  const IpAddress a = Unmapped(address);
  if (a.family != base_.family) return false;
  const int full = prefix_ / 8, rest = prefix_ % 8;
  if (std::memcmp(a.bytes.data(), base_.bytes.data(), static_cast<size_t>(full)) != 0) return false;
  if (rest == 0) return true;
  const uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a.bytes[static_cast<size_t>(full)] & mask) ==
         (base_.bytes[static_cast<size_t>(full)] & mask);
}

}  // namespace qayd
