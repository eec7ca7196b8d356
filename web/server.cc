#include "web/server.h"

#include <sys/resource.h>

#include <algorithm>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <list>
#include <mutex>
#include <set>
#include <stdexcept>

#include "base/log.h"
#include "web/api.h"
#include "web/proxy_trust.h"
#include "web/request_decode.h"

namespace qayd::web {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

// Logs the first of a repeated event at once, then at most one line per
// period carrying how many happened since the last line; a flood costs a few
// lines, not one per event. Thread-safe.
class LogEvery {
 public:
  LogEvery(log::Level level, std::string message) : level_(level), message_(std::move(message)) {}
  void Note(const std::string& detail) {
    std::lock_guard lock(mutex_);
    ++count_;
    const auto now = Clock::now();
    if (logged_ && now - last_ < std::chrono::seconds(10)) return;
    log::Write(level_, message_, {{"count", std::to_string(count_)}, {"detail", detail}});
    logged_ = true;
    last_ = now;
    count_ = 0;
  }

 private:
  log::Level level_;
  std::string message_;
  std::mutex mutex_;
  bool logged_ = false;
  Clock::time_point last_;
  uint64_t count_ = 0;
};

class Connection;
using ConnectionList = std::list<std::weak_ptr<Connection>>;

struct Shared {
  Deps deps;
  HttpSettings http;
  ServerLimits limits;
  ProxyTrust trust;
  size_t max_connections = 0;
  std::unique_ptr<Api> api;
  std::mutex mutex;  // guards open, idle, stopping and each Connection's idle position
  std::set<std::weak_ptr<Connection>, std::owner_less<std::weak_ptr<Connection>>> open;
  ConnectionList idle;  // waiting for a request's headers, longest first
  bool stopping = false;
  LogEvery evicted{log::Level::kWarning, "http connection limit reached; closed idle connections"};
  LogEvery refused{log::Level::kWarning,
                   "http connection limit reached; refused connections (503)"};
  LogEvery queue_full{log::Level::kWarning, "http request queue full; answered 503"};
  LogEvery too_late{log::Level::kWarning, "http requests waited past their deadline; answered 503"};
  LogEvery accept_failed{log::Level::kWarning, "http accept failed; backing off"};
};

Response Busy(const std::string& message) {
  Response r = Response::Error(503, "unavailable", message);
  r.headers.emplace_back("Retry-After", "2");
  return r;
}

bool IsOnlyChunked(const http::request_parser<http::string_body>& parser) {
  const auto& h = parser.get();
  if (h.count(http::field::transfer_encoding) != 1) return false;
  beast::string_view v = h[http::field::transfer_encoding];
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return beast::iequals(v, "chunked");
}

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, std::shared_ptr<Shared> shared)
      : stream_(std::move(socket)), shared_(std::move(shared)) {
    boost::system::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = ep.address().to_string();
  }

  void Start() {
    asio::dispatch(stream_.get_executor(),
                   beast::bind_front_handler(&Connection::Read, shared_from_this()));
  }

  // Called from any thread: closes the socket on its strand.
  void Close() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      boost::system::error_code ec;
      self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
      self->stream_.close();
    });
  }

  // The connection's place in Shared::idle; guarded by Shared::mutex.
  std::optional<ConnectionList::iterator> idle_pos;

 private:
  void SetIdle(bool idle) {
    std::lock_guard lock(shared_->mutex);
    if (idle && !idle_pos && shared_->open.count(weak_from_this()) != 0) {
      idle_pos = shared_->idle.insert(shared_->idle.end(), weak_from_this());
    } else if (!idle && idle_pos) {
      shared_->idle.erase(*idle_pos);
      idle_pos.reset();
    }
  }

  void Read() {
    parser_.emplace();
    parser_->body_limit(static_cast<uint64_t>(shared_->http.max_body_bytes));
    parser_->header_limit(static_cast<uint32_t>(shared_->limits.header_limit));
    int timeout = first_ ? shared_->http.header_timeout_s : shared_->http.idle_timeout_s;
    first_ = false;
    SetIdle(true);
    stream_.expires_after(std::chrono::seconds(timeout));
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Connection::OnHeader, shared_from_this()));
  }

  void OnHeader(beast::error_code ec, size_t) {
    SetIdle(false);
    if (ec) return OnRead(ec, 0);
    if (parser_->get().count(http::field::transfer_encoding) != 0 && !IsOnlyChunked(*parser_)) {
      // Beast reads an unknown coding as "no body" and the rest as the next
      // request; a proxy in front may read it otherwise (request smuggling).
      return Write(Response::Error(501, "unsupported_transfer_encoding",
                                   "only Transfer-Encoding: chunked is accepted"),
                   parser_->get().version(), true);
    }
    if (parser_->is_done()) return OnRead({}, 0);
    stream_.expires_after(std::chrono::seconds(shared_->http.body_timeout_s));
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Connection::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, size_t) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
        ec == asio::error::eof || ec == asio::error::bad_descriptor) {
      return Shutdown();
    }
    if (ec == http::error::body_limit) {
      return Write(Response::Error(413, "body_too_large", "request body exceeds the limit"), 11,
                   true);
    }
    if (ec == http::error::header_limit) {
      return Write(Response::Error(431, "headers_too_large", "request headers exceed the limit"),
                   11, true);
    }
    if (ec) {
      // Any parser error (bad method, target, field, chunk...) is the client's fault.
      if (ec.category() == http::make_error_code(http::error::bad_target).category()) {
        return Write(Response::Error(400, "bad_request", "malformed HTTP request"), 11, true);
      }
      return Shutdown();
    }
    auto req = parser_->release();
    bool keep_alive = req.keep_alive();
    unsigned version = req.version();

    Request r;
    if (!DecodeRequest(std::move(req), remote_, &r)) {
      return Write(Response::Error(400, "bad_request", "malformed request target"), version,
                   !keep_alive);
    }
    const ClientOrigin origin =
        shared_->trust.Resolve(remote_, r.Header("x-forwarded-for"), r.Header("x-forwarded-proto"));
    r.remote = origin.address;
    r.secure = origin.secure;
    const bool head = r.method == "HEAD";
    const bool secure = r.secure;

    stream_.expires_never();  // the handler runs on the pool; no read is pending
    auto self = shared_from_this();
    const auto read_at = Clock::now();
    Status posted = shared_->deps.pool->TryPost(
        [self, r = std::move(r), version, keep_alive, head, secure, read_at]() mutable {
          const auto deadline = std::chrono::milliseconds(self->shared_->http.request_deadline_ms);
          const bool late = Clock::now() - read_at > deadline;
          Response resp;
          if (late) {
            self->shared_->too_late.Note(r.method);
            resp = Busy("the server is overloaded; retry later");
          } else {
            resp = self->shared_->api->Handle(r);
          }
          asio::post(
              self->stream_.get_executor(),
              [self, resp = std::move(resp), version, close = late || !keep_alive, head,
               secure]() mutable { self->Write(std::move(resp), version, close, head, secure); });
        },
        static_cast<size_t>(shared_->http.max_queued_requests));
    if (!posted.ok()) {
      const bool full = posted.message() == "queue full";
      if (full) shared_->queue_full.Note(head ? "HEAD" : "request");
      Write(full ? Busy("the server is overloaded; retry later")
                 : Response::Error(503, "unavailable", "server is shutting down"),
            version, true, head, secure);
    }
  }

  void Write(Response resp, unsigned version, bool close, bool head = false, bool secure = false) {
    {
      std::lock_guard lock(shared_->mutex);
      if (shared_->stopping) close = true;
    }
    auto res = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(resp.status), version);
    res->set(http::field::server, "qayd");
    res->set(http::field::content_type, resp.content_type);
    res->set(http::field::cache_control, "no-store");
    res->set("X-Content-Type-Options", "nosniff");
    res->set("X-Frame-Options", "DENY");
    res->set("Referrer-Policy", "no-referrer");
    if (secure) res->set(http::field::strict_transport_security, "max-age=31536000");
    // A response may bring its own (stricter or hash-extended) policy.
    bool own_csp = false;
    for (const auto& h : resp.headers) {
      own_csp = own_csp || beast::iequals(h.first, "Content-Security-Policy");
    }
    if (!own_csp) {
      res->set("Content-Security-Policy",
               "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; "
               "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    }
    for (auto& [k, v] : resp.headers) res->insert(k, v);
    res->body() = std::move(resp.body);
    res->keep_alive(!close);
    res->prepare_payload();
    // HEAD: the headers GET would have (Content-Length included), no body.
    if (head) res->body().clear();
    res_ = res;
    stream_.expires_after(std::chrono::seconds(shared_->limits.write_timeout_s));
    http::async_write(stream_, *res,
                      beast::bind_front_handler(&Connection::OnWrite, shared_from_this(), close));
  }

  void OnWrite(bool close, beast::error_code ec, size_t) {
    res_.reset();
    if (ec || close) return Shutdown();
    Read();
  }

  void Shutdown() {
    boost::system::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.close();
    std::lock_guard lock(shared_->mutex);
    if (idle_pos) {
      shared_->idle.erase(*idle_pos);
      idle_pos.reset();
    }
    shared_->open.erase(weak_from_this());
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<http::response<http::string_body>> res_;
  std::shared_ptr<Shared> shared_;
  std::string remote_;
  bool first_ = true;
};

// Takes the connection that has waited longest for a request's headers out
// of the books (shared->mutex held); the caller closes it. Null if none.
std::shared_ptr<Connection> TakeOldestIdle(Shared& shared) {
  while (!shared.idle.empty()) {
    std::shared_ptr<Connection> c = shared.idle.front().lock();
    shared.idle.pop_front();
    if (!c) continue;
    c->idle_pos.reset();
    shared.open.erase(c);
    return c;
  }
  return nullptr;
}

// Answers 503 without reading and closes: nothing is queued for it.
void Refuse(tcp::socket socket) {
  static const std::string kBusy = [] {
    const std::string body =
        R"({"error":{"code":"unavailable","message":"too many connections; retry later"}})";
    return "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
           "Retry-After: 2\r\nConnection: close\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
  }();
  boost::system::error_code ec;
  socket.non_blocking(true, ec);
  socket.write_some(asio::buffer(kBusy), ec);
  socket.shutdown(tcp::socket::shutdown_send, ec);
  socket.close(ec);
}

}  // namespace

struct Server::Impl : std::enable_shared_from_this<Server::Impl> {
  explicit Impl(asio::io_context& io_in)
      : io(io_in), acceptor(asio::make_strand(io_in)), retry(acceptor.get_executor()) {}

  void Accept() {
    acceptor.async_accept(asio::make_strand(io),
                          beast::bind_front_handler(&Impl::OnAccept, shared_from_this()));
  }

  void OnAccept(beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
    if (ec) return BackOff(ec);
    backoff = std::chrono::milliseconds(0);
    Admit(std::move(socket));
    Accept();
  }

  void Admit(tcp::socket socket) {
    std::shared_ptr<Connection> victim;
    std::shared_ptr<Connection> conn;
    {
      std::lock_guard lock(shared->mutex);
      if (shared->stopping) return;
      if (shared->open.size() >= shared->max_connections) {
        victim = TakeOldestIdle(*shared);
        if (!victim) {
          shared->refused.Note("every connection is busy");
        } else {
          shared->evicted.Note("the longest idle connection closed for a new one");
        }
      }
      if (shared->open.size() < shared->max_connections) {
        conn = std::make_shared<Connection>(std::move(socket), shared);
        shared->open.insert(conn);
      }
    }
    if (victim) victim->Close();
    if (conn) {
      conn->Start();
    } else {
      Refuse(std::move(socket));
    }
  }

  // accept() failed: out of descriptors (EMFILE, ENFILE), buffers (ENOBUFS,
  // ENOMEM) or something else. Retrying at once would spin; wait, doubling.
  void BackOff(const beast::error_code& ec) {
    if (ec == asio::error::connection_aborted) return Accept();  // that client gave up
    backoff =
        std::clamp(backoff * 2, std::chrono::milliseconds(10), std::chrono::milliseconds(1000));
    shared->accept_failed.Note(ec.message());
    if (ec == asio::error::no_descriptors || ec.value() == ENFILE) {
      // Make room: the connection idle longest gives its descriptor back.
      std::shared_ptr<Connection> victim;
      {
        std::lock_guard lock(shared->mutex);
        victim = TakeOldestIdle(*shared);
      }
      if (victim) victim->Close();
    }
    retry.expires_after(backoff);
    retry.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
      if (wait_ec || !self->acceptor.is_open()) return;
      self->Accept();
    });
  }

  asio::io_context& io;
  tcp::acceptor acceptor;
  asio::steady_timer retry;  // on the acceptor's strand
  std::chrono::milliseconds backoff{0};
  std::shared_ptr<Shared> shared;
  uint16_t port = 0;
};

namespace {

// The cap that fits the descriptor limit, raising the soft limit towards the
// hard one first (systemd's default soft limit is 1024).
size_t FitConnectionCap(size_t wanted, int reserved) {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return wanted;
  const rlim_t need = static_cast<rlim_t>(wanted) + static_cast<rlim_t>(reserved);
  if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need && rl.rlim_cur < rl.rlim_max) {
    rlimit raised = rl;
    raised.rlim_cur = rl.rlim_max == RLIM_INFINITY ? need : std::min(need, rl.rlim_max);
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) rl = raised;
  }
  if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= need) return wanted;
  const rlim_t fit = rl.rlim_cur > static_cast<rlim_t>(2 * reserved)
                         ? rl.rlim_cur - static_cast<rlim_t>(reserved)
                         : rl.rlim_cur / 2;
  log::Warning("http.max_connections lowered to fit the descriptor limit (raise LimitNOFILE)",
               {{"max_connections", std::to_string(wanted)},
                {"nofile", std::to_string(rl.rlim_cur)},
                {"in_force", std::to_string(fit)}});
  return static_cast<size_t>(fit);
}

}  // namespace

Server::Server(asio::io_context& io, Deps deps, const HttpSettings& http, ServerLimits limits)
    : impl_(std::make_shared<Impl>(io)) {
  if (!deps.now_ms) {
    deps.now_ms = [] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::system_clock::now().time_since_epoch())
          .count();
    };
  }
  auto trust = ProxyTrust::Parse(http.trusted_proxies);
  if (!trust.ok()) {
    throw std::invalid_argument("http.trusted_proxies: " + trust.status().message());
  }
  impl_->shared = std::make_shared<Shared>();
  impl_->shared->deps = deps;
  impl_->shared->http = http;
  impl_->shared->limits = limits;
  impl_->shared->trust = std::move(*trust);
  impl_->shared->max_connections = static_cast<size_t>(std::max(1, http.max_connections));
  impl_->shared->api = std::make_unique<Api>(deps, http);
}

Server::~Server() { Stop(); }

Status Server::Listen() {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(impl_->shared->http.listen, ec);
  if (ec) return Error(ErrorCode::kInvalidInput, "bad listen address: " + ec.message());
  tcp::endpoint ep(address, static_cast<uint16_t>(impl_->shared->http.port));
  {
    std::lock_guard lock(impl_->shared->mutex);
    impl_->shared->max_connections =
        FitConnectionCap(impl_->shared->max_connections, impl_->shared->limits.reserved_fds);
  }
  auto& a = impl_->acceptor;
  a.open(ep.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(ep, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return Error(ErrorCode::kIo, "cannot listen on " + impl_->shared->http.listen + ":" +
                                     std::to_string(ep.port()) + ": " + ec.message());
  impl_->port = a.local_endpoint().port();
  log::Info("http listening", {{"address", impl_->shared->http.listen},
                               {"port", std::to_string(impl_->port)},
                               {"max_connections", std::to_string(max_connections())}});
  asio::dispatch(a.get_executor(), [impl = impl_] { impl->Accept(); });
  return Status::Ok();
}

uint16_t Server::port() const { return impl_->port; }

size_t Server::max_connections() const {
  std::lock_guard lock(impl_->shared->mutex);
  return impl_->shared->max_connections;
}

void Server::StopAccepting() {
  asio::dispatch(impl_->acceptor.get_executor(), [impl = impl_] {
    boost::system::error_code ec;
    impl->acceptor.close(ec);
    impl->retry.cancel();
  });
}

void Server::Stop() {
  StopAccepting();
  std::vector<std::shared_ptr<Connection>> open;
  {
    std::lock_guard lock(impl_->shared->mutex);
    impl_->shared->stopping = true;
    for (auto& w : impl_->shared->open) {
      if (auto c = w.lock()) open.push_back(c);
    }
    impl_->shared->open.clear();
    impl_->shared->idle.clear();
    for (auto& c : open) c->idle_pos.reset();
  }
  for (auto& c : open) c->Close();
}

}  // namespace qayd::web
