// Routing: method + path pattern ("/api/v1/review/items/{id}") -> handler,
// with the access each route requires. Built once at startup, then read-only
// (safe to use from any thread).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "web/http_types.h"

namespace qayd::web {

enum class Access {
  kPublic,   // anyone
  kStaff,    // a logged-in monitor or admin (session)
  kAdmin,    // a logged-in admin (session)
  kScope,    // an API token with the route's scope, or an admin session
};

using Handler = std::function<Response(Request&)>;

struct Route {
  std::string method;
  std::vector<std::string> segments;  // "{name}" segments capture
  Access access = Access::kStaff;
  std::string scope;
  Handler handler;
};

class Router {
 public:
  void Add(const std::string& method, const std::string& pattern, Access access, Handler handler,
           const std::string& scope = "");
  // The route for method+path, filling `params`. When no route matches,
  // returns nullptr and sets *path_known when the path exists for another
  // method (405 rather than 404).
  const Route* Find(const std::string& method, const std::string& path,
                    std::map<std::string, std::string>* params, bool* path_known) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

std::vector<std::string> SplitPath(const std::string& path);

}  // namespace qayd::web
