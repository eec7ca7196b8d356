#include "web/router.h"

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
