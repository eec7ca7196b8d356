// The HTTP server: Boost.Beast on a caller-owned io_context.
//
// Contract
// - Threads: I/O runs on the given io_context (one strand per connection);
//   every handler (store, matching, file reads) runs on Deps::pool and its
//   response is posted back to the connection's strand. The io_context is
//   never blocked.
// - Limits: request body (HttpSettings::max_body_bytes, 413), header block
//   (ServerLimits::header_limit, 431), read/idle timeouts per connection;
//   keep-alive is honoured.
// - Errors: JSON {"error":{"code":"...","message":"..."}}; malformed input
//   gets a 4xx, never a 500.
// - Ownership: Deps pointers are borrowed and must outlive the server (and
//   any handler still queued on the pool: stop the pool before destroying
//   the store).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include <boost/asio/io_context.hpp>

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
  std::function<Config()> config;     // the current config (reload-safe copy)
  std::function<int64_t()> now_ms;    // clock; default: system clock (tests may fake it)
};

struct ServerLimits {
  size_t header_limit = 16 * 1024;  // bytes of request line + headers
  int read_timeout_s = 30;          // to receive one whole request once it started
  int idle_timeout_s = 60;          // keep-alive connection with no request
  int write_timeout_s = 30;
};

class Server {
 public:
  Server(boost::asio::io_context& io, Deps deps, const HttpSettings& http,
         ServerLimits limits = {});
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds http.listen:http.port (port 0: any free port) and starts accepting.
  Status Listen();
  // The bound port (valid after Listen()).
  uint16_t port() const;
  // Stops accepting new connections; open ones finish their requests.
  void StopAccepting();
  // StopAccepting() and closes every connection (in-flight responses are dropped).
  void Stop();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace qayd::web
