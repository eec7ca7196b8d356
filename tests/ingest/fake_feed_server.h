// A feed server for tests: plain HTTP/1.1 on 127.0.0.1, port 0, one
// connection at a time on its own thread, answering each request with what the
// handler returns, including misbehaviour (delays, truncated bodies, wrong
// content types). Requests are recorded for assertions.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace qayd::ingest::testing {

struct FakeResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::string> headers;  // extra "Name: value" lines
  std::string body;
  int delay_ms = 0;              // wait before answering (aborted when the client hangs up)
  int64_t declared_length = -1;  // Content-Length sent; -1: body.size(); larger: truncated
  bool close_delimited = false;  // no Content-Length: the body ends when the connection closes
};

struct SeenRequest {
  std::string target;                          // "/feed?since=3"
  std::map<std::string, std::string> headers;  // lower-case names
};

class FakeFeedServer {
 public:
  using Handler = std::function<FakeResponse(const SeenRequest&)>;
  explicit FakeFeedServer(Handler handler);
  ~FakeFeedServer();
  FakeFeedServer(const FakeFeedServer&) = delete;
  FakeFeedServer& operator=(const FakeFeedServer&) = delete;

  int port() const { return port_; }
  std::string Url(const std::string& path) const;
  void SetHandler(Handler handler);
  std::vector<SeenRequest> requests() const;

 private:
  void Serve();
  void HandleConnection(int fd);

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  Handler handler_;
  std::vector<SeenRequest> requests_;
  std::thread thread_;
};

}  // namespace qayd::ingest::testing
