#include "web/router.h"

#include <cctype>

namespace qayd::web {

std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < path.size()) {
    size_t end = path.find('/', pos);
    if (end == std::string::npos) end = path.size();
    if (end > pos) out.push_back(path.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

void Router::Add(const std::string& method, const std::string& pattern, Access access,
                 Handler handler, const std::string& scope) {
  routes_.push_back(Route{method, SplitPath(pattern), access, scope, std::move(handler)});
}

void Router::RequireMediaType(const std::string& method, const std::string& pattern,
                              const std::string& media_type) {
  const std::vector<std::string> segments = SplitPath(pattern);
  for (Route& r : routes_) {
    if (r.method == method && r.segments == segments) r.media_type = media_type;
  }
}

namespace {

std::string LowerTrimmed(std::string s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  s = s.substr(b, e - b);
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

bool IsMediaType(const std::string& content_type, const std::string& media_type) {
  size_t pos = content_type.find(';');
  if (LowerTrimmed(content_type.substr(0, pos)) != LowerTrimmed(media_type)) return false;
  while (pos != std::string::npos) {
    const size_t next = content_type.find(';', pos + 1);
    const std::string param = LowerTrimmed(content_type.substr(pos + 1, next - pos - 1));
    const size_t eq = param.find('=');
    if (eq != std::string::npos && LowerTrimmed(param.substr(0, eq)) == "charset") {
      std::string value = LowerTrimmed(param.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      if (value != "utf-8" && value != "utf8") return false;
    }
    pos = next;
  }
  return true;
}

const Route* Router::Find(const std::string& method, const std::string& path,
                          std::map<std::string, std::string>* params, bool* path_known) const {
  std::vector<std::string> segs = SplitPath(path);
  *path_known = false;
  for (const Route& r : routes_) {
    if (r.segments.size() != segs.size()) continue;
    std::map<std::string, std::string> captured;
    bool match = true;
    for (size_t i = 0; i < segs.size() && match; ++i) {
      const std::string& p = r.segments[i];
      if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
        captured[p.substr(1, p.size() - 2)] = segs[i];
      } else if (p != segs[i]) {
        match = false;
      }
    }
    if (!match) continue;
    if (r.method != method) {
      *path_known = true;
      continue;
    }
    *params = std::move(captured);
    return &r;
  }
  return nullptr;
}

}  // namespace qayd::web
