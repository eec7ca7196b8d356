#include "cli/cmd_users.h"

#include <fstream>
#include <iostream>

#include "cli/args.h"
#include "store/store.h"
#include "web/auth.h"
#include "web/users.h"

namespace qayd::cli {
namespace {

int Fail(const std::string& message, int code = 1) {
  std::cerr << "qayd: " << message << "\n";
  return code;
}

bool ReadPassword(const Args& args, std::string* out) {
  std::string file = args.Get("password-file");
  if (!file.empty()) {
    std::ifstream in(file);
    if (!in || !std::getline(in, *out)) return false;
  } else if (!std::getline(std::cin, *out)) {
    return false;
  }
  while (!out->empty() && (out->back() == '\r' || out->back() == '\n')) out->pop_back();
  return true;
}

// Users and tokens are small writes beside a running qaydd: no writer lock.
Result<std::unique_ptr<Txn>> OpenTxn(const std::string& db, std::unique_ptr<Store>* store) {
  StoreOptions options;
  options.writer_lock = false;
  auto opened = OpenStore(db, options);
  if (!opened.ok()) return opened.status();
  *store = std::move(*opened);
  return (*store)->Begin();
}

}  // namespace

int CmdUser(const std::vector<std::string>& argv) {
  auto parsed = ParseArgs(argv, {"db", "role", "password-file"}, {});
  if (!parsed.ok()) return Fail(parsed.status().message(), 2);
  const Args& args = *parsed;
  if (args.positional.size() != 2 || !args.Has("db")) {
    return Fail("usage: qayd user add|passwd|disable NAME --db DB [--role R] [--password-file F]",
                2);
  }
  const std::string& verb = args.positional[0];
  const std::string& name = args.positional[1];
  if (verb != "add" && verb != "passwd" && verb != "disable")
    return Fail("unknown verb " + verb, 2);
  if (Status s = web::CheckUserName(name); !s.ok()) return Fail(s.message(), 2);
  if (verb == "add" && args.Get("role") != "monitor" && args.Get("role") != "admin") {
    return Fail("--role must be monitor or admin", 2);
  }
  std::unique_ptr<Store> store;
  auto txn = OpenTxn(args.Get("db"), &store);
  if (!txn.ok()) return Fail(txn.status().ToString());
  std::string password;
  if (verb != "disable" && !ReadPassword(args, &password)) return Fail("cannot read the password");
  Status s = verb == "add"      ? web::AddUser(txn->get(), name, args.Get("role"), password)
             : verb == "passwd" ? web::SetPassword(txn->get(), name, password)
                                : web::DisableUser(txn->get(), name);
  if (s.ok()) s = (*txn)->Commit();
  if (!s.ok()) return Fail(s.message());
  std::cout << "user " << name << " "
            << (verb == "add"      ? "added"
                : verb == "passwd" ? "password changed"
                                   : "disabled")
            << "\n";
  return 0;
}

int CmdToken(const std::vector<std::string>& argv) {
  auto parsed = ParseArgs(argv, {"db", "scope"}, {});
  if (!parsed.ok()) return Fail(parsed.status().message(), 2);
  const Args& args = *parsed;
  if (args.positional.size() != 2 || args.positional[0] != "add" || !args.Has("db")) {
    return Fail("usage: qayd token add NAME --scope submit --db DB", 2);
  }
  std::string scope = args.Get("scope", "submit");
  if (scope != "submit") return Fail("--scope must be submit", 2);
  std::unique_ptr<Store> store;
  auto txn = OpenTxn(args.Get("db"), &store);
  if (!txn.ok()) return Fail(txn.status().ToString());
  std::string token = web::RandomToken();
  if (Status s = (*txn)->PutApiToken(web::Sha256Hex(token), args.positional[1], scope); !s.ok()) {
    return Fail(s.ToString());
  }
  if (Status s = (*txn)->Commit(); !s.ok()) return Fail(s.ToString());
  std::cout << token << "\n";
  return 0;
}

}  // namespace qayd::cli
