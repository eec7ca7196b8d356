#include "web/server.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <mutex>
#include <set>

#include "base/log.h"
#include "web/api.h"
#include "web/request_decode.h"

namespace qayd::web {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

class Connection;

struct Shared {
  Deps deps;
  HttpSettings http;
  ServerLimits limits;
  std::unique_ptr<Api> api;
  std::mutex mutex;
  std::set<std::weak_ptr<Connection>, std::owner_less<std::weak_ptr<Connection>>> open;
  bool stopping = false;
};

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

 private:
  void Read() {
    parser_.emplace();
    parser_->body_limit(static_cast<uint64_t>(shared_->http.max_body_bytes));
    parser_->header_limit(static_cast<uint32_t>(shared_->limits.header_limit));
    int timeout = first_ ? shared_->limits.read_timeout_s : shared_->limits.idle_timeout_s;
    first_ = false;
    stream_.expires_after(std::chrono::seconds(timeout));
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Connection::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, size_t) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
        ec == asio::error::eof) {
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

    stream_.expires_never();  // the handler runs on the pool; no read is pending
    auto self = shared_from_this();
    bool posted = shared_->deps.pool->Post([self, r = std::move(r), version, keep_alive]() mutable {
      Response resp = self->shared_->api->Handle(r);
      asio::post(self->stream_.get_executor(),
                 [self, resp = std::move(resp), version, keep_alive]() mutable {
                   self->Write(std::move(resp), version, !keep_alive);
                 });
    });
    if (!posted) {
      Write(Response::Error(503, "unavailable", "server is shutting down"), version, true);
    }
  }

  void Write(Response resp, unsigned version, bool close) {
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

}  // namespace

struct Server::Impl : std::enable_shared_from_this<Server::Impl> {
  Impl(asio::io_context& io_in) : io(io_in), acceptor(asio::make_strand(io_in)) {}

  void Accept() {
    acceptor.async_accept(asio::make_strand(io),
                          beast::bind_front_handler(&Impl::OnAccept, shared_from_this()));
  }

  void OnAccept(beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
    if (!ec) {
      auto conn = std::make_shared<Connection>(std::move(socket), shared);
      {
        std::lock_guard lock(shared->mutex);
        if (shared->stopping) return;
        shared->open.insert(conn);
      }
      conn->Start();
    } else {
      log::Warning("http accept failed", {{"error", ec.message()}});
    }
    Accept();
  }

  asio::io_context& io;
  tcp::acceptor acceptor;
  std::shared_ptr<Shared> shared;
  uint16_t port = 0;
};

Server::Server(asio::io_context& io, Deps deps, const HttpSettings& http, ServerLimits limits)
    : impl_(std::make_shared<Impl>(io)) {
  if (!deps.now_ms) {
    deps.now_ms = [] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::system_clock::now().time_since_epoch())
          .count();
    };
  }
  impl_->shared = std::make_shared<Shared>();
  impl_->shared->deps = deps;
  impl_->shared->http = http;
  impl_->shared->limits = limits;
  impl_->shared->api = std::make_unique<Api>(deps, http);
}

Server::~Server() { Stop(); }

Status Server::Listen() {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(impl_->shared->http.listen, ec);
  if (ec) return Error(ErrorCode::kInvalidInput, "bad listen address: " + ec.message());
  tcp::endpoint ep(address, static_cast<uint16_t>(impl_->shared->http.port));
  auto& a = impl_->acceptor;
  a.open(ep.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(ep, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return Error(ErrorCode::kIo, "cannot listen on " + impl_->shared->http.listen + ":" +
                                     std::to_string(ep.port()) + ": " + ec.message());
  impl_->port = a.local_endpoint().port();
  log::Info("http listening",
            {{"address", impl_->shared->http.listen}, {"port", std::to_string(impl_->port)}});
  asio::dispatch(a.get_executor(), [impl = impl_] { impl->Accept(); });
  return Status::Ok();
}

uint16_t Server::port() const { return impl_->port; }

void Server::StopAccepting() {
  asio::dispatch(impl_->acceptor.get_executor(), [impl = impl_] {
    boost::system::error_code ec;
    impl->acceptor.close(ec);
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
  }
  for (auto& c : open) c->Close();
}

}  // namespace qayd::web
