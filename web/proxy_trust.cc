#include "web/proxy_trust.h"

#include <algorithm>
#include <cctype>

namespace qayd::web {
namespace {

std::string Trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

// "a, b; c" -> {"a", "b", "c"}: the list separators of one header and of a
// header repeated (the decoder joins repeats with "; ").
std::vector<std::string> Hops(const std::string& value) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= value.size()) {
    size_t end = value.find_first_of(",;", pos);
    if (end == std::string::npos) end = value.size();
    std::string hop = Trim(value.substr(pos, end - pos));
    if (!hop.empty()) out.push_back(std::move(hop));
    pos = end + 1;
  }
  return out;
}

}  // namespace

Result<ProxyTrust> ProxyTrust::Parse(const std::vector<std::string>& ranges) {
  ProxyTrust t;
  for (const std::string& text : ranges) {
    auto r = IpRange::Parse(text);
    if (!r.ok()) return r.status();
    t.ranges_.push_back(*r);
  }
  return t;
}

bool ProxyTrust::Trusts(const IpAddress& address) const {
  return std::any_of(ranges_.begin(), ranges_.end(),
                     [&](const IpRange& r) { return r.Contains(address); });
}

bool ProxyTrust::Trusts(const std::string& address) const {
  auto a = ParseIpAddress(address);
  return a && Trusts(*a);
}

ClientOrigin ProxyTrust::Resolve(const std::string& peer, const std::string& forwarded_for,
                                 const std::string& forwarded_proto) const {
  ClientOrigin origin;
  origin.address = peer;
  if (!Trusts(peer)) return origin;
  const std::vector<std::string> protos = Hops(forwarded_proto);
  if (!protos.empty()) {
    std::string proto = protos.back();
    for (char& c : proto) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    origin.secure = proto == "https";
  }
  const std::vector<std::string> hops = Hops(forwarded_for);
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    auto hop = ParseIpAddress(*it);
    if (!hop) break;  // not an address: the last trusted hop is as far as we can tell
    origin.address = hop->ToString();
    if (!Trusts(*hop)) break;
  }
  return origin;
}

}  // namespace qayd::web
