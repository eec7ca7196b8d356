// One keep-alive HTTP/1.1 connection to a host:port for the load driver
// (Boost.Beast). Connect, send and receive are each bounded by `timeout_ms`;
// a failed exchange closes the connection and the next Send reconnects. Not
// thread-safe: one connection per driver thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace qayd::load {

struct HttpAnswer {
  int status = 0;  // 0: no answer (see error)
  std::string body;
  std::string set_cookie;  // the first Set-Cookie header, "" if none
  std::string error;       // connection-level failure, "" when an answer arrived
};

class HttpConn {
 public:
  HttpConn(std::string host, uint16_t port, int timeout_ms);
  ~HttpConn();
  HttpConn(const HttpConn&) = delete;
  HttpConn& operator=(const HttpConn&) = delete;

  HttpAnswer Send(const std::string& method, const std::string& target, const std::string& body,
                  const std::vector<std::pair<std::string, std::string>>& headers);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace qayd::load
