#include "tests/web/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <chrono>
#include <cstdlib>

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

RawConnection::RawConnection() { fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0); }

RawConnection::RawConnection(uint16_t port) : RawConnection() { Connect(port); }

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawConnection::Connect(uint16_t port) {
  if (fd_ < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  return connected_;
}

bool RawConnection::Send(const std::string& bytes) {
  size_t sent = 0;
  while (connected_ && sent < bytes.size()) {
    ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return connected_;
}

bool RawConnection::Fill(std::chrono::steady_clock::time_point deadline) {
  if (eof_) return true;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  pollfd p{fd_, POLLIN, 0};
  if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
  char buf[16384];
  ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
  if (n <= 0) {
    eof_ = true;
  } else {
    in_.append(buf, static_cast<size_t>(n));
  }
  return true;
}

std::string RawConnection::ReadResponse(std::chrono::milliseconds timeout, bool head) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  size_t end;
  while ((end = in_.find("\r\n\r\n")) == std::string::npos) {
    if (eof_ || !Fill(deadline)) return "";
  }
  end += 4;
  size_t length = 0;
  const std::string cl = RawHeader(in_.substr(0, end), "content-length");
  if (!head && !cl.empty()) length = std::stoul(cl);
  while (in_.size() < end + length) {
    if (eof_ || !Fill(deadline)) return "";
  }
  std::string out = in_.substr(0, end + length);
  in_.erase(0, end + length);
  return out;
}

std::string RawConnection::ReadAll(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!eof_ && Fill(deadline)) {
  }
  std::string out = std::move(in_);
  in_.clear();
  return out;
}

bool RawConnection::ClosedByPeer(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!eof_ && Fill(deadline)) {
  }
  return eof_;
}

int RawStatus(const std::string& response) {
  if (response.rfind("HTTP/1.", 0) != 0 || response.size() < 12) return 0;
  return std::atoi(response.substr(9, 3).c_str());
}

std::string RawHeader(const std::string& response, const std::string& name) {
  const size_t end = response.find("\r\n\r\n");
  size_t pos = response.find("\r\n");
  while (pos != std::string::npos && pos < end) {
    const size_t next = response.find("\r\n", pos + 2);
    const std::string line = response.substr(pos + 2, next - pos - 2);
    const size_t colon = line.find(':');
    if (colon != std::string::npos && colon == name.size() &&
        std::equal(name.begin(), name.end(), line.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      size_t v = colon + 1;
      while (v < line.size() && line[v] == ' ') ++v;
      return line.substr(v);
    }
    pos = next;
  }
  return "";
}

}  // namespace qayd::testing
