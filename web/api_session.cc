// Login, logout and "who am I".
#include "base/log.h"
#include "web/api.h"
#include "web/json_body.h"

namespace qayd::web {
namespace {

// A real Argon2id hash to verify against when the user does not exist, so
// that unknown and known names take the same time.
const std::string& DummyHash() {
  static const std::string hash = [] {
    auto h = HashPassword(RandomToken());
    return h.ok() ? *h : std::string();
  }();
  return hash;
}

// Secure when the request came over TLS (to a trusted proxy): the browser
// then never sends the session over plain HTTP.
std::string SessionCookie(const std::string& value, int64_t max_age_s, bool secure) {
  return std::string(kSessionCookie) + "=" + value + "; HttpOnly; SameSite=Strict; Path=/; " +
         (secure ? "Secure; " : "") + "Max-Age=" + std::to_string(max_age_s);
}

}  // namespace

void Api::AddSessionRoutes() {
  router_.Add("POST", "/api/v1/login", Access::kPublic, [this](Request& req) {
    JsonBody body(req.body, {"user", "password"});
    std::string name = body.String("user"), password = body.String("password");
    if (!body.ok()) return Response::Error(400, "bad_request", body.error());
    if (name.empty() || password.empty() || name.size() > 200 || password.size() > 1024) {
      return Response::Error(400, "bad_request", "user and password are required");
    }
    int64_t now = deps_.now_ms();
    if (int64_t wait = throttle_.RetryAfterMs(name, req.remote, now); wait > 0) {
      Response r = Response::Error(429, "too_many_attempts", "too many failed logins; wait");
      r.headers.emplace_back("Retry-After", std::to_string((wait + 999) / 1000));
      return r;
    }
    auto txn = deps_.store->Begin();
    if (!txn.ok()) return Response::FromStatus(txn.status());
    auto user = (*txn)->GetUser(name);
    bool ok = false;
    if (user.ok()) {
      ok = VerifyPassword(user->password_hash, password) && !user->disabled &&
           (user->role == "monitor" || user->role == "admin");
    } else {
      VerifyPassword(DummyHash(), password);
    }
    if (!ok) {
      throttle_.RecordFailure(name, req.remote, now);
      log::Info("login failed", {{"remote", req.remote}});
      return Response::Error(401, "bad_credentials", "wrong user name or password");
    }
    std::string token = RandomToken();
    Session s{Sha256Hex(token), user->name, RandomToken(), now + kSessionLifetimeMs};
    if (Status st = (*txn)->PutSession(s); !st.ok()) return Response::FromStatus(st);
    if (Status st = (*txn)->Commit(); !st.ok()) return Response::FromStatus(st);
    throttle_.RecordSuccess(name, req.remote);
    log::Info("login", {{"user", user->name}, {"role", user->role}});
    Response r = Response::Json("{\"user\":" + JsonString(user->name) + ",\"role\":" +
                                JsonString(user->role) + ",\"csrf\":" + JsonString(s.csrf) +
                                ",\"expires_ms\":" + std::to_string(s.expires_ms) + "}");
    r.headers.emplace_back("Set-Cookie",
                           SessionCookie(token, kSessionLifetimeMs / 1000, req.secure));
    return r;
  });

  router_.Add("POST", "/api/v1/logout", Access::kStaff, [this](Request& req) {
    auto txn = deps_.store->Begin();
    if (!txn.ok()) return Response::FromStatus(txn.status());
    if (Status s = (*txn)->DeleteSession(req.principal.session_hash); !s.ok()) {
      return Response::FromStatus(s);
    }
    if (Status s = (*txn)->Commit(); !s.ok()) return Response::FromStatus(s);
    Response r = Response::Json("{\"logged_out\":true}");
    r.headers.emplace_back("Set-Cookie", SessionCookie("", 0, req.secure));
    return r;
  });

  router_.Add("GET", "/api/v1/me", Access::kStaff, [](Request& req) {
    return Response::Json("{\"user\":" + JsonString(req.principal.user) +
                          ",\"role\":" + JsonString(req.principal.role) +
                          ",\"csrf\":" + JsonString(req.principal.csrf) + "}");
  });
}

}  // namespace qayd::web
