#include "fake_feed_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>

namespace qayd::ingest::testing {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

void SendAll(int fd, const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return;
    off += static_cast<size_t>(n);
  }
}

const char* Reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 304:
      return "Not Modified";
    case 404:
      return "Not Found";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Status";
  }
}

}  // namespace

FakeFeedServer::FakeFeedServer(Handler handler) : handler_(std::move(handler)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 16) != 0) {
    throw std::runtime_error("fake feed server: cannot listen");
  }
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { Serve(); });
}

FakeFeedServer::~FakeFeedServer() {
  stop_ = true;
  thread_.join();
  ::close(listen_fd_);
}

std::string FakeFeedServer::Url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void FakeFeedServer::SetHandler(Handler handler) {
  std::lock_guard<std::mutex> lock(mu_);
  handler_ = std::move(handler);
}

std::vector<SeenRequest> FakeFeedServer::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

void FakeFeedServer::Serve() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    const int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    HandleConnection(fd);
    ::close(fd);
  }
}

void FakeFeedServer::HandleConnection(int fd) {
  std::string in;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (in.find("\r\n\r\n") == std::string::npos) {
    if (stop_ || std::chrono::steady_clock::now() > deadline) return;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    char buf[4096];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return;
    in.append(buf, static_cast<size_t>(n));
  }
  SeenRequest req;
  const size_t line_end = in.find("\r\n");
  const std::string first = in.substr(0, line_end);
  const size_t sp1 = first.find(' '), sp2 = first.rfind(' ');
  req.target = first.substr(sp1 + 1, sp2 - sp1 - 1);
  size_t pos = line_end + 2;
  while (true) {
    const size_t e = in.find("\r\n", pos);
    if (e == std::string::npos || e == pos) break;
    const std::string h = in.substr(pos, e - pos);
    const size_t colon = h.find(':');
    if (colon != std::string::npos) {
      std::string v = h.substr(colon + 1);
      while (!v.empty() && v.front() == ' ') v.erase(v.begin());
      req.headers[Lower(h.substr(0, colon))] = v;
    }
    pos = e + 2;
  }
  Handler handler;
  {
    std::lock_guard<std::mutex> lock(mu_);
    requests_.push_back(req);
    handler = handler_;
  }
  const FakeResponse resp = handler(req);
  // Delay in slices; give up when the client hangs up or the server stops.
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(resp.delay_ms);
  while (std::chrono::steady_clock::now() < until) {
    if (stop_) return;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 10) > 0) {
      char c;
      if (::recv(fd, &c, 1, MSG_PEEK) <= 0) return;  // closed by the client
    }
  }
  std::string out = "HTTP/1.1 " + std::to_string(resp.status) + " " + Reason(resp.status) + "\r\n";
  if (!resp.content_type.empty()) out += "Content-Type: " + resp.content_type + "\r\n";
  for (const auto& h : resp.headers) out += h + "\r\n";
  if (resp.status != 304 && !resp.close_delimited) {
    const int64_t len =
        resp.declared_length >= 0 ? resp.declared_length : static_cast<int64_t>(resp.body.size());
    out += "Content-Length: " + std::to_string(len) + "\r\n";
  }
  out += "Connection: close\r\n\r\n";
  if (resp.status != 304) out += resp.body;
  SendAll(fd, out);
  ::shutdown(fd, SHUT_WR);
}

}  // namespace qayd::ingest::testing
