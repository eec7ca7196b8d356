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
  kPublic,  // anyone
  kStaff,   // a logged-in monitor or admin (session)
  kAdmin,   // a logged-in admin (session)
  kScope,   // an API token with the route's scope, or an admin session
};

using Handler = std::function<Response(Request&)>;

struct Route {
  std::string method;
  std::vector<std::string> segments;  // "{name}" segments capture
  Access access = Access::kStaff;
  std::string scope;
  Handler handler;
  std::string media_type;  // when set: the body's Content-Type must be it (else 415)
};

class Router {
 public:
  void Add(const std::string& method, const std::string& pattern, Access access, Handler handler,
           const std::string& scope = "");
  // The route method+pattern (added before) takes only bodies of this media
  // type, e.g. "application/json" (a charset parameter, if any, must be utf-8).
  void RequireMediaType(const std::string& method, const std::string& pattern,
                        const std::string& media_type);
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

// Whether a Content-Type header value names `media_type` ("application/json;
// charset=UTF-8" does; "text/plain", "application/jsonx" or another charset
// do not). Case-insensitive.
bool IsMediaType(const std::string& content_type, const std::string& media_type);

}  // namespace qayd::web
