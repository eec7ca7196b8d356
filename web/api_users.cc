// The admin users page's API: list, add, reset a password, disable
// (web/users.h holds the rules `qayd user` applies too).
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "web/api.h"
#include "web/json_body.h"
#include "web/users.h"

namespace qayd::web {
namespace {

// Runs `change` in one write transaction and commits it.
template <typename F>
Response Change(Store* store, F change, int ok_status, const std::string& name) {
  auto txn = store->Begin(Store::Mode::kWrite);
  if (!txn.ok()) return Response::FromStatus(txn.status());
  Status s = change(txn->get());
  if (s.ok()) s = (*txn)->Commit();
  if (s.code() == ErrorCode::kConflict) return Response::Error(409, "user_exists", s.message());
  if (!s.ok()) return Response::FromStatus(s);
  return Response::Json("{\"user\":" + JsonString(name) + "}", ok_status);
}

}  // namespace

void Api::AddUserRoutes() {
  router_.Add("GET", "/api/v1/admin/users", Access::kAdmin, [this](Request&) {
    auto txn = deps_.store->Begin(Store::Mode::kRead);
    if (!txn.ok()) return Response::FromStatus(txn.status());
    auto users = (*txn)->ListUsers();
    if (!users.ok()) return Response::FromStatus(users.status());
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    w.StartObject();
    w.Key("users");
    w.StartArray();
    for (const User& u : *users) {  // never the password hash
      w.StartObject();
      w.Key("name");
      w.String(u.name.c_str(), static_cast<rapidjson::SizeType>(u.name.size()));
      w.Key("role");
      w.String(u.role.c_str(), static_cast<rapidjson::SizeType>(u.role.size()));
      w.Key("disabled");
      w.Bool(u.disabled);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    return Response::Json(buf.GetString());
  });

  router_.Add("POST", "/api/v1/admin/users", Access::kAdmin, [this](Request& req) {
    JsonBody body(req.body, {"name", "role", "password"});
    std::string name = body.String("name"), role = body.String("role"),
                password = body.String("password");
    if (!body.ok()) return Response::Error(400, "bad_request", body.error());
    return Change(
        deps_.store, [&](Txn* txn) { return AddUser(txn, name, role, password); }, 201, name);
  });

  router_.Add("POST", "/api/v1/admin/users/{name}/password", Access::kAdmin, [this](Request& req) {
    JsonBody body(req.body, {"password"});
    std::string password = body.String("password");
    if (!body.ok()) return Response::Error(400, "bad_request", body.error());
    const std::string name = req.params["name"];
    return Change(
        deps_.store, [&](Txn* txn) { return SetPassword(txn, name, password); }, 200, name);
  });

  router_.Add("POST", "/api/v1/admin/users/{name}/disable", Access::kAdmin, [this](Request& req) {
    const std::string name = req.params["name"];
    // An admin cannot lock themselves out from the page (the CLI still can).
    if (name == req.principal.user) {
      return Response::Error(409, "self_disable", "you cannot disable your own account");
    }
    return Change(
        deps_.store, [&](Txn* txn) { return DisableUser(txn, name); }, 200, name);
  });
}

}  // namespace qayd::web
