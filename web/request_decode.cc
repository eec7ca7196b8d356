#include "web/request_decode.h"

#include <cctype>

namespace qayd::web {

bool DecodeRequest(boost::beast::http::request<boost::beast::http::string_body>&& req,
                   const std::string& remote, Request* out) {
  Request& r = *out;
  r.method = std::string(req.method_string());
  r.remote = remote;
  const std::string target(req.target());
  const size_t q = target.find('?');
  bool ok = UrlDecode(target.substr(0, q), &r.path, false);
  if (ok && q != std::string::npos) ok = ParseQuery(target.substr(q + 1), &r.query);
  if (!ok || r.path.empty() || r.path[0] != '/') return false;
  for (const auto& field : req) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto& slot = r.headers[name];
    slot = slot.empty() ? std::string(field.value()) : slot + "; " + std::string(field.value());
  }
  r.body = std::move(req.body());
  return true;
}

}  // namespace qayd::web
