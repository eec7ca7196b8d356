// Who the client is, behind a reverse proxy: X-Forwarded-For and
// X-Forwarded-Proto are believed only when the connection's peer is one of
// http.trusted_proxies, and then only as far as the hops are trusted.
//
// The client address is the rightmost hop of X-Forwarded-For that is not a
// trusted proxy (every proxy appends the address it saw, so hops left of an
// untrusted one are whatever the client chose to send). "secure" is the
// nearest trusted proxy's X-Forwarded-Proto being "https" (TLS ended there).
// Immutable after construction; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "base/ip_range.h"
#include "base/result.h"

namespace qayd::web {

struct ClientOrigin {
  std::string address;  // the client's address as login back-off and rate limits key it
  bool secure = false;  // the request came over TLS to a trusted proxy
};

class ProxyTrust {
 public:
  ProxyTrust() = default;
  // Each entry "ADDRESS" or "ADDRESS/PREFIX"; kInvalidInput naming a bad one.
  static Result<ProxyTrust> Parse(const std::vector<std::string>& ranges);

  bool Trusts(const std::string& address) const;
  // `peer`: the socket's remote address; the header values as received
  // (repeated headers joined with ',' or "; ").
  ClientOrigin Resolve(const std::string& peer, const std::string& forwarded_for,
                       const std::string& forwarded_proto) const;

 private:
  bool Trusts(const IpAddress& address) const;
  std::vector<IpRange> ranges_;
};

}  // namespace qayd::web
