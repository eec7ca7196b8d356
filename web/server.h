// The HTTP server: Boost.Beast on a caller-owned io_context.
//
// Contract
// - Threads: I/O runs on the given io_context (one strand per connection);
//   every handler (store, matching, file reads) runs on Deps::pool and its
//   response is posted back to the connection's strand. The io_context is
//   never blocked.
// - Limits: request body (HttpSettings::max_body_bytes, 413), header block
//   (ServerLimits::header_limit, 431); time to send the headers
//   (http.header_timeout_s), the body (http.body_timeout_s) and, on a
//   keep-alive connection, the next request (http.idle_timeout_s).
//   Transfer-Encoding other than exactly "chunked" is refused (501), never
//   read as a request without a body. HEAD answers carry the headers of GET
//   and no body.
// - Floods: at most http.max_connections open connections (lowered to fit
//   RLIMIT_NOFILE, whose soft limit is raised towards the hard one to make
//   room). A new connection over the cap closes the connection that has
//   waited longest for a request's headers; when every connection is busy
//   the new one is answered 503 and closed. At most
//   http.max_queued_requests requests wait for a worker (more: 503 with
//   Retry-After); a request not started within http.request_deadline_ms of
//   being read is answered 503 instead of run. accept() errors (EMFILE...)
//   back off (10 ms doubling to 1 s). Repeated events are logged at most
//   once per 10 s with a count.
// - Proxies: X-Forwarded-For/-Proto are believed only from
//   http.trusted_proxies (web/proxy_trust.h): Request::remote is the client,
//   Request::secure says TLS; secure answers carry Strict-Transport-Security.
// - Errors: JSON {"error":{"code":"...","message":"..."}}; malformed input
//   gets a 4xx, never a 500.
// - Ownership: Deps pointers are borrowed and must outlive the server (and
//   any handler still queued on the pool: stop the pool before destroying
//   the store).
#pragma once

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <memory>

#include "base/result.h"
#include "base/thread_pool.h"
#include "config/config.h"
#include "matching/engine.h"
#include "pipeline/pipeline.h"
#include "store/store.h"

namespace qayd::web {

struct Deps {
  Store* store = nullptr;
  matching::Engine* engine = nullptr;
  Pipeline* pipeline = nullptr;  // may be null: report submission answers 503
  ThreadPool* pool = nullptr;
  std::function<Config()> config;   // the current config (reload-safe copy)
  std::function<int64_t()> now_ms;  // clock; default: system clock (tests may fake it)
};

struct ServerLimits {
  size_t header_limit = 16 * 1024;  // bytes of request line + headers
  int write_timeout_s = 30;
  // Descriptors kept free for everything but connections (store, feeds,
  // spool, logs): the cap is at most RLIMIT_NOFILE minus this.
  int reserved_fds = 256;
};

class Server {
 public:
  // Throws std::invalid_argument when http.trusted_proxies holds something
  // that is not an address or range (the config schema refuses it first).
  Server(boost::asio::io_context& io, Deps deps, const HttpSettings& http,
         ServerLimits limits = {});
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds http.listen:http.port (port 0: any free port) and starts accepting.
  Status Listen();
  // The bound port (valid after Listen()).
  uint16_t port() const;
  // The connection cap in force (valid after Listen()).
  size_t max_connections() const;
  // Stops accepting new connections; open ones finish their requests.
  void StopAccepting();
  // StopAccepting() and closes every connection (in-flight responses are dropped).
  void Stop();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace qayd::web
