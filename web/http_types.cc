#include "web/http_types.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace qayd::web {

std::string Request::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

std::string Request::Cookie(const std::string& name) const {
  std::string all = Header("cookie");
  size_t pos = 0;
  while (pos < all.size()) {
    size_t end = all.find(';', pos);
    if (end == std::string::npos) end = all.size();
    std::string part = all.substr(pos, end - pos);
    size_t b = part.find_first_not_of(' ');
    if (b != std::string::npos) part = part.substr(b);
    size_t eq = part.find('=');
    if (eq != std::string::npos && part.compare(0, eq, name) == 0 && eq == name.size()) {
      return part.substr(eq + 1);
    }
    pos = end + 1;
  }
  return "";
}

std::string Request::Query(const std::string& name, const std::string& fallback) const {
  auto it = query.find(name);
  return it == query.end() ? fallback : it->second;
}

std::string JsonString(const std::string& s) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  return buf.GetString();
}

Response Response::Json(std::string body, int status) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

Response Response::Error(int status, const std::string& code, const std::string& message) {
  return Json("{\"error\":{\"code\":" + JsonString(code) + ",\"message\":" + JsonString(message) +
                  "}}",
              status);
}

Response Response::FromStatus(const Status& status) {
  int http = 500;
  switch (status.code()) {
    case ErrorCode::kOk: http = 200; break;
    case ErrorCode::kInvalidInput: http = 400; break;
    case ErrorCode::kNotFound: http = 404; break;
    case ErrorCode::kConflict: http = 409; break;
    case ErrorCode::kUnavailable: http = 503; break;
    case ErrorCode::kIo: http = 503; break;
    case ErrorCode::kPermission: http = 403; break;
    case ErrorCode::kInternal: http = 500; break;
  }
  // Messages of internal errors may carry database detail: keep them generic.
  std::string message = http == 500 ? "internal error" : status.message();
  return Error(http, ErrorCodeName(status.code()), message);
}

static int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool UrlDecode(const std::string& in, std::string* out, bool form) {
  out->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = HexValue(in[i + 1]), lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out->push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && form) {
      out->push_back(' ');
    } else {
      out->push_back(c);
    }
  }
  return true;
}

bool ParseQuery(const std::string& text, std::map<std::string, std::string>* out) {
  size_t pos = 0;
  while (pos <= text.size() && !text.empty()) {
    size_t end = text.find('&', pos);
    if (end == std::string::npos) end = text.size();
    std::string part = text.substr(pos, end - pos);
    if (!part.empty()) {
      size_t eq = part.find('=');
      std::string k, v;
      if (!UrlDecode(part.substr(0, eq), &k, true)) return false;
      if (eq != std::string::npos && !UrlDecode(part.substr(eq + 1), &v, true)) return false;
      (*out)[k] = v;
    }
    pos = end + 1;
    if (end == text.size()) break;
  }
  return true;
}

}  // namespace qayd::web
