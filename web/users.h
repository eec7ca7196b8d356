// Staff accounts: the rules behind `qayd user add|passwd|disable` and the
// admin API's users page, so both check the same things.
//
// Names are 1..64 bytes without spaces or slashes; roles monitor | admin;
// passwords at least kMinPasswordBytes, stored as Argon2id hashes. Setting a
// password enables the account again; disabling ends its sessions at once
// (every request checks the user). Each function works inside the caller's
// write transaction and does not commit. Errors: kInvalidInput (name, role,
// password), kConflict (add: the name exists), kNotFound (no such user),
// store errors as they come. Thread-safe (no state of its own).
#pragma once

#include <cstddef>
#include <string>

#include "base/result.h"
#include "store/store.h"

namespace qayd::web {

inline constexpr size_t kMinPasswordBytes = 10;

Status CheckUserName(const std::string& name);
Status AddUser(Txn* txn, const std::string& name, const std::string& role,
               const std::string& password);
Status SetPassword(Txn* txn, const std::string& name, const std::string& password);
Status DisableUser(Txn* txn, const std::string& name);

}  // namespace qayd::web
