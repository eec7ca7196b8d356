// The review UI's files and the message catalogues.
#include <fstream>
#include <sstream>

#include "web/api.h"

namespace qayd::web {
namespace {

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  *out = s.str();
  return true;
}

std::string ContentType(const std::string& path) {
  auto ends = [&](const char* ext) {
    std::string e(ext);
    return path.size() >= e.size() && path.compare(path.size() - e.size(), e.size(), e) == 0;
  };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".json")) return "application/json";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".png")) return "image/png";
  return "application/octet-stream";
}

bool SafeName(const std::string& rel) {
  if (rel.empty() || rel.find("..") != std::string::npos || rel.find('\0') != std::string::npos ||
      rel.find('\\') != std::string::npos) {
    return false;
  }
  for (char c : rel) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.' || c == '/';
    if (!ok) return false;
  }
  return true;
}

// "ar" or "en" from the language cookie, else from Accept-Language.
std::string PickLanguage(const Request& req) {
  std::string cookie = req.Cookie(kLangCookie);
  if (cookie == "ar" || cookie == "en") return cookie;
  std::string accept = req.Header("accept-language");
  size_t ar = accept.find("ar"), en = accept.find("en");
  if (ar != std::string::npos && (en == std::string::npos || ar < en)) return "ar";
  return "en";
}

}  // namespace

Response Api::Catalogue(const Request& req) {
  std::string lang = req.Query("lang");
  if (lang.empty()) lang = PickLanguage(req);
  if (lang != "ar" && lang != "en") {
    return Response::Error(404, "not_found", "no catalogue for that language");
  }
  std::string messages;
  if (!ReadFile(i18n_dir_ + "/" + lang + ".json", &messages)) {
    return Response::Error(503, "unavailable", "message catalogue missing");
  }
  return Response::Json("{\"lang\":\"" + lang + "\",\"dir\":\"" + (lang == "ar" ? "rtl" : "ltr") +
                        "\",\"messages\":" + messages + "}");
}

Response Api::Static(const Request& req) {
  if (req.method != "GET" && req.method != "HEAD") {
    return Response::Error(405, "method_not_allowed", "use GET");
  }
  if (req.path == "/i18n/catalogue") return Catalogue(req);
  std::string file;
  if (req.path == "/" || req.path == "/index.html" || req.path == "/submit") {
    file = static_dir_ + "/index.html";
  } else if (req.path.rfind("/static/", 0) == 0 && SafeName(req.path.substr(8))) {
    file = static_dir_ + "/" + req.path.substr(8);
  } else if (req.path.rfind("/i18n/", 0) == 0 && SafeName(req.path.substr(6))) {
    file = i18n_dir_ + "/" + req.path.substr(6);
  } else {
    return Response::Error(404, "not_found", "no such page");
  }
  Response r;
  if (!ReadFile(file, &r.body)) return Response::Error(404, "not_found", "no such file");
  r.content_type = ContentType(file);
  return r;
}

}  // namespace qayd::web
