#include "web/api.h"

#include <charconv>
#include <chrono>

#include "base/log.h"
#include "base/metrics.h"

namespace qayd::web {
review::Viewer ViewerOf(const Request& req) {
  return review::Viewer{req.principal.user, req.principal.is_admin()};
}

bool ParseId(const std::string& text, int64_t* out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size() && *out > 0;
}

Response FromStatusCoded(const Status& status) {
  Response r = Response::FromStatus(status);
  std::string code = review::StableCode(status);
  if (!code.empty()) {
    r = Response::Error(r.status, code, status.message().substr(code.size() + 2));
  }
  return r;
}

Api::Api(Deps deps, const HttpSettings& http)
    : deps_(deps),
      static_dir_(http.static_dir.empty() ? QAYD_DEFAULT_STATIC_DIR : http.static_dir),
      review_(deps.store, deps.engine, deps.now_ms) {
  i18n_dir_ = static_dir_ + "/../i18n";
  AddSessionRoutes();
  AddReviewRoutes();
  AddVictimRoutes();
  AddAdminRoutes();
  AddUserRoutes();
  AddPublicRoutes();
  // The partner API takes JSON only: a form post or text/plain from a page
  // elsewhere (no CORS preflight) is refused before it is parsed.
  router_.RequireMediaType("POST", "/api/v1/reports", "application/json");
}

std::vector<RouteInfo> Api::Routes() const {
  std::vector<RouteInfo> out;
  for (const Route& r : router_.routes()) {
    std::string pattern;
    for (const std::string& seg : r.segments) pattern += "/" + seg;
    out.push_back({r.method, pattern, r.access, r.scope});
  }
  return out;
}

Status Api::Authenticate(Request& req) {
  // A store fault (down, I/O, internal) is returned; anything else (not found,
  // invalid) means an unknown caller.
  auto unavailable = [](const Status& s) {
    const ErrorCode c = s.code();
    return c == ErrorCode::kUnavailable || c == ErrorCode::kIo || c == ErrorCode::kInternal
               ? s
               : Status::Ok();
  };
  std::string auth = req.Header("authorization");
  if (auth.rfind("Bearer ", 0) == 0) {
    std::string token = auth.substr(7);
    auto txn = deps_.store->Begin(Store::Mode::kRead);
    if (!txn.ok()) return txn.status();
    auto scope = (*txn)->LookupApiToken(Sha256Hex(token));
    if (!scope.ok()) return unavailable(scope.status());
    req.principal.user = "token";
    req.principal.role = "token";
    req.principal.scope = *scope;
    req.principal.via_token = true;
    return Status::Ok();
  }
  std::string cookie = req.Cookie(kSessionCookie);
  if (cookie.empty() || cookie.size() > 128) return Status::Ok();
  std::string hash = Sha256Hex(cookie);
  auto txn = deps_.store->Begin(Store::Mode::kRead);
  if (!txn.ok()) return txn.status();
  auto session = (*txn)->GetSession(hash);
  if (!session.ok()) return unavailable(session.status());
  if (session->expires_ms <= deps_.now_ms()) return Status::Ok();
  auto user = (*txn)->GetUser(session->user);
  if (!user.ok()) return unavailable(user.status());
  if (user->disabled) return Status::Ok();
  req.principal.user = user->name;
  req.principal.role = user->role;
  req.principal.csrf = session->csrf;
  req.principal.session_hash = hash;
  return Status::Ok();
}

Response Api::Handle(Request& req) {
  metrics::Std().http_requests->Inc();
  if (req.path == "/healthz") {
    if (req.method != "GET" && req.method != "HEAD") {
      return Response::Error(405, "method_not_allowed", "use GET");
    }
    auto txn = deps_.store->Begin(Store::Mode::kRead);
    if (!txn.ok()) return Response::Error(503, "unavailable", "store unavailable");
    return Response::Json("{\"status\":\"ok\",\"store\":" + JsonString(deps_.store->backend()) +
                          "}");
  }
  if (req.path == "/metrics") {
    auto txn = deps_.store->Begin(Store::Mode::kRead);
    if (txn.ok()) {
      ReviewFilter f;
      f.limit = 1;
      auto counts = (*txn)->GetCounts();
      if (counts.ok()) {
        metrics::Std().queue_size->Set(static_cast<double>(counts->pending_reviews));
        metrics::Std().inbox_pending->Set(static_cast<double>(counts->pending_match));
      }
      auto oldest = (*txn)->ListReviewItems(f);  // oldest first
      double age = 0;
      if (oldest.ok() && !oldest->empty() && oldest->front().created_at_ms > 0) {
        age = static_cast<double>(deps_.now_ms() - oldest->front().created_at_ms) / 1000.0;
      }
      metrics::Std().queue_oldest_age->Set(age);
    }
    Response r;
    r.content_type = "text/plain; version=0.0.4";
    r.body = metrics::Registry::Global().Exposition();
    return r;
  }
  // The API is whatever the router would take for it: its first path segment
  // is "api" (the router ignores empty segments, so "//api/v1/x" is
  // "/api/v1/x" here as there, not a static file).
  const std::vector<std::string> segments = SplitPath(req.path);
  if (segments.empty() || segments.front() != "api") return Static(req);

  const Status auth = Authenticate(req);
  bool path_known = false;
  const Route* route = router_.Find(req.method, req.path, &req.params, &path_known);
  if (!route) {
    return path_known ? Response::Error(405, "method_not_allowed", "method not allowed here")
                      : Response::Error(404, "not_found", "no such endpoint");
  }
  // A store that cannot say who the caller is must not answer "unauthenticated":
  // a partner would take its token for revoked. Public routes need no caller.
  if (!auth.ok() && route->access != Access::kPublic) {
    log::Warning("request refused: the store cannot check the caller",
                 {{"error", auth.ToString()}});
    return Response::Error(503, "unavailable", "store unavailable; retry later");
  }
  const Principal& p = req.principal;
  bool anonymous = p.user.empty();
  switch (route->access) {
    case Access::kPublic:
      break;
    case Access::kStaff:
      if (anonymous) return Response::Error(401, "unauthenticated", "log in first");
      if (!p.is_staff()) return Response::Error(403, "forbidden", "not allowed for this caller");
      break;
    case Access::kAdmin:
      if (anonymous) return Response::Error(401, "unauthenticated", "log in first");
      if (!p.is_admin()) return Response::Error(403, "forbidden", "admins only");
      break;
    case Access::kScope:
      if (anonymous) return Response::Error(401, "unauthenticated", "an API token is required");
      if (!(p.via_token && p.scope == route->scope) && !p.is_admin()) {
        return Response::Error(403, "forbidden", "token scope does not allow this");
      }
      break;
  }
  bool changes_state = req.method != "GET" && req.method != "HEAD";
  if (changes_state && !anonymous && !p.via_token) {
    if (!ConstantTimeEquals(req.Header("x-csrf-token"), p.csrf)) {
      return Response::Error(403, "csrf", "missing or wrong X-CSRF-Token");
    }
  }
  // Every request body the API reads is JSON. A body of another type (a form
  // post or text/plain from a page elsewhere, which a browser sends without a
  // CORS preflight) is refused before it is parsed; the partner API also
  // refuses a POST without a body that does not say it is JSON.
  std::string required = route->media_type;
  if (required.empty() && changes_state && !req.body.empty()) required = "application/json";
  if (!required.empty() && !IsMediaType(req.Header("content-type"), required)) {
    return Response::Error(415, "unsupported_media_type",
                           "the body must be sent as Content-Type: " + required);
  }
  return route->handler(req);
}

}  // namespace qayd::web
