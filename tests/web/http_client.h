// A blocking HTTP/1.1 client for tests (Beast), with a time bound on every
// request. Keeps a cookie jar and the CSRF token of the last login.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include <rapidjson/document.h>

namespace qayd::testing {

struct HttpResult {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  rapidjson::Document json;                     // parsed when the body is JSON
  std::string error_code() const;               // error.code or ""
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

}  // namespace qayd::testing
