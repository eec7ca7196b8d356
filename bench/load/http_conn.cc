#include "bench/load/http_conn.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>

namespace qayd::load {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct HttpConn::Impl {
  std::string host;
  uint16_t port = 0;
  std::chrono::milliseconds timeout{0};
  asio::io_context io;
  beast::tcp_stream stream{io};
  beast::flat_buffer buffer;
  bool open = false;

  // Runs the queued operation to completion (the stream's deadline bounds it).
  void Run() {
    io.restart();
    io.run();
  }

  void Close() {
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream.close();
    buffer.clear();
    open = false;
  }

  bool Connect(std::string* error) {
    beast::error_code ec;
    auto address = asio::ip::make_address(host, ec);
    if (ec) {
      *error = "bad address " + host;
      return false;
    }
    stream.expires_after(timeout);
    stream.async_connect(tcp::endpoint(address, port), [&](beast::error_code e) { ec = e; });
    Run();
    if (ec) {
      *error = "connect: " + ec.message();
      Close();
      return false;
    }
    stream.socket().set_option(tcp::no_delay(true), ec);
    open = true;
    return true;
  }
};

HttpConn::HttpConn(std::string host, uint16_t port, int timeout_ms) : impl_(new Impl) {
  impl_->host = std::move(host);
  impl_->port = port;
  impl_->timeout = std::chrono::milliseconds(timeout_ms);
}

HttpConn::~HttpConn() {
  if (impl_->open) impl_->Close();
}

HttpAnswer HttpConn::Send(const std::string& method, const std::string& target,
                          const std::string& body,
                          const std::vector<std::pair<std::string, std::string>>& headers) {
  HttpAnswer out;
  Impl& m = *impl_;
  if (!m.open && !m.Connect(&out.error)) return out;
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, m.host);
  req.keep_alive(true);
  for (const auto& [k, v] : headers) req.set(k, v);
  if (!body.empty() || method == "POST") {
    req.set(http::field::content_type, "application/json");
    req.body() = body;
  }
  req.prepare_payload();

  beast::error_code ec;
  m.stream.expires_after(m.timeout);
  http::async_write(m.stream, req, [&](beast::error_code e, size_t) { ec = e; });
  m.Run();
  if (ec) {
    out.error = "write: " + ec.message();
    m.Close();
    return out;
  }
  http::response_parser<http::string_body> parser;
  parser.body_limit(256 * 1024 * 1024);
  m.stream.expires_after(m.timeout);
  http::async_read(m.stream, m.buffer, parser, [&](beast::error_code e, size_t) { ec = e; });
  m.Run();
  if (ec) {
    out.error = "read: " + ec.message();
    m.Close();
    return out;
  }
  const auto& res = parser.get();
  out.status = static_cast<int>(res.result_int());
  out.body = res.body();
  if (auto it = res.find(http::field::set_cookie); it != res.end()) {
    out.set_cookie = std::string(it->value());
  }
  if (!res.keep_alive()) m.Close();
  return out;
}

}  // namespace qayd::load
