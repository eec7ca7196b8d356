// The request dispatcher: authentication (session cookie or API token),
// routing, access control, CSRF, then the handler. Runs on worker threads.
//
// Sessions: cookie "qayd_session" holds 32 random bytes (hex); the store keeps
// only their SHA-256. Every state-changing request of a session must carry
// the session's CSRF token in X-CSRF-Token. API tokens ("Authorization:
// Bearer ...") are scoped and need no CSRF token.
// Threads: Handle() may run concurrently on any number of threads.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "review/review_service.h"
#include "web/auth.h"
#include "web/router.h"
#include "web/server.h"

namespace qayd::web {

inline constexpr const char* kSessionCookie = "qayd_session";
inline constexpr const char* kLangCookie = "qayd_lang";
inline constexpr int64_t kSessionLifetimeMs = 12LL * 3600 * 1000;

// A route as registered: for access-control tests and documentation.
struct RouteInfo {
  std::string method, pattern;  // pattern as given, e.g. "/api/v1/victims/{id}"
  Access access;
  std::string scope;
};

class Api {
 public:
  Api(Deps deps, const HttpSettings& http);
  Response Handle(Request& req);
  // Every /api/ route, in registration order.
  std::vector<RouteInfo> Routes() const;

 private:
  // Sets req.principal from a token or session. Not ok only when the store
  // could not answer (the caller is then neither known nor unknown: 503).
  Status Authenticate(Request& req);
  Response Static(const Request& req);
  Response Catalogue(const Request& req);

  void AddSessionRoutes();
  void AddReviewRoutes();
  void AddVictimRoutes();
  void AddAdminRoutes();
  void AddUserRoutes();    // web/api_users.cc
  void AddPublicRoutes();  // web/api_public.cc

  Deps deps_;
  std::string static_dir_;
  std::string i18n_dir_;
  Router router_;
  LoginThrottle throttle_;
  review::ReviewService review_;
};

// Helpers shared by the handler files.
review::Viewer ViewerOf(const Request& req);
// Parses a positive 64-bit id; false otherwise.
bool ParseId(const std::string& text, int64_t* out);
Response FromStatusCoded(const Status& status);
// {"error":{"code":"invalid_record","message":..,"fields":[{"record"?,"field","problem"}]}}
// with HTTP `status`; "record" is left out when `record` is empty.
Response FieldErrors(int status, const std::string& message, const std::string& record,
                     const std::vector<FieldError>& errors);

}  // namespace qayd::web
