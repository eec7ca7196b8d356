// The web layer's own request and response values, independent of Beast, so
// handlers are plain functions run on the worker pool.
// Plain value types; copyable.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "base/result.h"

namespace qayd::web {

// Who is calling: a session user (monitor/admin) or an API token (scope).
struct Principal {
  std::string user;   // session user or token name; empty: anonymous
  std::string role;   // monitor | admin | token
  std::string scope;  // API tokens: e.g. "submit"
  std::string csrf;   // sessions: the token expected in X-CSRF-Token
  std::string session_hash;
  bool via_token = false;
  bool is_admin() const { return role == "admin"; }
  bool is_staff() const { return role == "admin" || role == "monitor"; }
};

struct Request {
  std::string method;                          // GET, POST, ...
  std::string path;                            // decoded path without the query
  std::map<std::string, std::string> query;    // decoded query parameters
  std::map<std::string, std::string> headers;  // lower-case names
  std::map<std::string, std::string> params;   // route parameters, e.g. {id}
  std::string body;
  std::string remote;   // client address (behind a trusted proxy: from X-Forwarded-For)
  bool secure = false;  // came over TLS (X-Forwarded-Proto: https from a trusted proxy)
  Principal principal;

  std::string Header(const std::string& lower_name) const;
  std::string Cookie(const std::string& name) const;
  std::string Query(const std::string& name, const std::string& fallback = "") const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra, e.g. Set-Cookie

  static Response Json(std::string body, int status = 200);
  // {"error":{"code":code,"message":message}}
  static Response Error(int status, const std::string& code, const std::string& message);
  // Maps a non-ok Status to its HTTP status and stable code.
  static Response FromStatus(const Status& status);
};

// Percent-decoding ('+' as space when `form`). Returns false on bad escapes.
bool UrlDecode(const std::string& in, std::string* out, bool form);
// Splits "a=1&b=2" into decoded pairs; false on a bad escape.
bool ParseQuery(const std::string& text, std::map<std::string, std::string>* out);
// JSON string literal (with quotes) of UTF-8 text.
std::string JsonString(const std::string& s);

}  // namespace qayd::web
