#include "web/users.h"

#include "web/auth.h"

namespace qayd::web {
namespace {

Result<std::string> Hash(const std::string& password) {
  if (password.size() < kMinPasswordBytes) {
    return Error(ErrorCode::kInvalidInput,
                 "passwords need at least " + std::to_string(kMinPasswordBytes) + " characters");
  }
  return HashPassword(password);
}

Result<User> Existing(Txn* txn, const std::string& name) {
  if (Status s = CheckUserName(name); !s.ok()) return s;
  auto user = txn->GetUser(name);
  if (!user.ok() && user.status().code() == ErrorCode::kNotFound) {
    return Error(ErrorCode::kNotFound, "no user " + name);
  }
  return user;
}

}  // namespace

Status CheckUserName(const std::string& name) {
  if (name.empty() || name.size() > 64 || name.find_first_of(" \t\r\n/") != std::string::npos) {
    return Error(ErrorCode::kInvalidInput,
                 "user names are 1..64 characters without spaces or slashes");
  }
  return Status::Ok();
}

Status AddUser(Txn* txn, const std::string& name, const std::string& role,
               const std::string& password) {
  if (Status s = CheckUserName(name); !s.ok()) return s;
  if (role != "monitor" && role != "admin") {
    return Error(ErrorCode::kInvalidInput, "the role must be monitor or admin");
  }
  auto existing = txn->GetUser(name);
  if (existing.ok()) return Error(ErrorCode::kConflict, "user " + name + " already exists");
  if (existing.status().code() != ErrorCode::kNotFound) return existing.status();
  auto hash = Hash(password);
  if (!hash.ok()) return hash.status();
  return txn->PutUser(User{name, role, *hash, false});
}

Status SetPassword(Txn* txn, const std::string& name, const std::string& password) {
  auto user = Existing(txn, name);
  if (!user.ok()) return user.status();
  auto hash = Hash(password);
  if (!hash.ok()) return hash.status();
  user->password_hash = *hash;
  user->disabled = false;
  return txn->PutUser(*user);
}

Status DisableUser(Txn* txn, const std::string& name) {
  auto user = Existing(txn, name);
  if (!user.ok()) return user.status();
  user->disabled = true;
  return txn->PutUser(*user);
}

}  // namespace qayd::web
