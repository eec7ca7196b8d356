#include "tests/web/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>

namespace qayd::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

std::string HttpResult::error_code() const {
  if (!json.IsObject() || !json.HasMember("error")) return "";
  const auto& e = json["error"];
  return e.IsObject() && e.HasMember("code") && e["code"].IsString() ? e["code"].GetString() : "";
}

HttpResult HttpClient::Send(const std::string& method, const std::string& target,
                            const std::string& body, std::map<std::string, std::string> headers) {
  HttpResult out;
  asio::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(std::chrono::seconds(20));
  beast::error_code ec;
  stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_), ec);
  if (ec) return out;
  http::request<http::string_body> req(http::string_to_verb(method), target, 11);
  req.set(http::field::host, "127.0.0.1");
  if (!cookie.empty()) req.set(http::field::cookie, cookie);
  if (!bearer.empty()) req.set(http::field::authorization, "Bearer " + bearer);
  if (!body.empty()) req.set(http::field::content_type, "application/json");
  for (auto& [k, v] : headers) req.set(k, v);
  req.body() = body;
  req.prepare_payload();
  http::write(stream, req, ec);
  if (ec) return out;
  beast::flat_buffer buf;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 << 20);
  // tcp_stream's deadline applies to the async operations only: use them.
  bool done = false;
  http::async_read(stream, buf, parser, [&](beast::error_code e, size_t) {
    ec = e;
    done = true;
  });
  io.run_for(std::chrono::seconds(20));
  if (!done || ec) return out;
  auto res = parser.release();
  out.status = static_cast<int>(res.result_int());
  out.body = res.body();
  for (const auto& f : res) {
    std::string name(f.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers[name] = std::string(f.value());
  }
  out.json.Parse(out.body.c_str());
  return out;
}

HttpResult HttpClient::Post(const std::string& target, const std::string& body, bool with_csrf) {
  std::map<std::string, std::string> h;
  if (with_csrf && !csrf.empty()) h["X-CSRF-Token"] = csrf;
  return Send("POST", target, body, h);
}

HttpResult HttpClient::Login(const std::string& user, const std::string& password) {
  HttpResult r = Send("POST", "/api/v1/login",
                      "{\"user\":\"" + user + "\",\"password\":\"" + password + "\"}");
  if (r.status == 200) {
    std::string set = r.headers["set-cookie"];
    cookie = set.substr(0, set.find(';'));
    csrf = r.json["csrf"].GetString();
  }
  return r;
}

std::string RawExchange(uint16_t port, const std::string& bytes) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(std::chrono::seconds(20));
  beast::error_code ec;
  stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
  if (ec) return "";
  asio::write(stream.socket(), asio::buffer(bytes), ec);
  std::string out;
  char buf[4096];
  bool done = false;
  std::function<void()> read_more = [&] {
    stream.async_read_some(asio::buffer(buf), [&](beast::error_code e, size_t n) {
      out.append(buf, n);
      if (e) {
        done = true;
        return;
      }
      read_more();
    });
  };
  read_more();
  io.run_for(std::chrono::seconds(10));
  (void)done;
  return out;
}

}  // namespace qayd::testing
