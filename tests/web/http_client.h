// A blocking HTTP/1.1 client for tests (Beast), with a time bound on every
// request. Keeps a cookie jar and the CSRF token of the last login.
#pragma once

#include <rapidjson/document.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

namespace qayd::testing {

struct HttpResult {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  rapidjson::Document json;                    // parsed when the body is JSON
  std::string error_code() const;              // error.code or ""
};

class HttpClient {
 public:
  explicit HttpClient(uint16_t port) : port_(port) {}
  HttpResult Send(const std::string& method, const std::string& target,
                  const std::string& body = "", std::map<std::string, std::string> headers = {});
  HttpResult Get(const std::string& target) { return Send("GET", target); }
  // POST with the session's CSRF token (unless csrf is false).
  HttpResult Post(const std::string& target, const std::string& body = "", bool csrf = true);
  // Logs in; stores cookie and CSRF token. Returns the result.
  HttpResult Login(const std::string& user, const std::string& password);

  std::string cookie;  // "qayd_session=..." sent with every request when set
  std::string csrf;
  std::string bearer;  // when set: Authorization: Bearer ...

 private:
  uint16_t port_;
};

// Sends raw bytes and returns the raw response (for malformed requests).
std::string RawExchange(uint16_t port, const std::string& bytes);

// One client connection on a plain socket, for tests that hold connections
// open, send without waiting, or exhaust descriptors. Every read has a time
// bound. Not thread-safe.
class RawConnection {
 public:
  // Connects to 127.0.0.1:port at once (ok() says whether it worked).
  explicit RawConnection(uint16_t port);
  // Only creates the socket; Connect() later (a connect needs no new descriptor).
  RawConnection();
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool Connect(uint16_t port);
  bool ok() const { return connected_; }
  bool Send(const std::string& bytes);
  // Reads one HTTP response (headers, then Content-Length bytes unless
  // `head`); "" when none came within the timeout.
  std::string ReadResponse(std::chrono::milliseconds timeout, bool head = false);
  // Reads until the peer closes or the timeout passes.
  std::string ReadAll(std::chrono::milliseconds timeout);
  // True when the peer closed the connection within the timeout.
  bool ClosedByPeer(std::chrono::milliseconds timeout);

 private:
  // Appends what arrives before `deadline`; false on timeout, true on data or close.
  bool Fill(std::chrono::steady_clock::time_point deadline);
  int fd_ = -1;
  bool connected_ = false;
  bool eof_ = false;
  std::string in_;
};

// The status of a raw response ("HTTP/1.1 503 ..." -> 503), 0 if none.
int RawStatus(const std::string& response);
// A header's value in a raw response (name case-insensitive), "" if absent.
std::string RawHeader(const std::string& response, const std::string& name);

}  // namespace qayd::testing
