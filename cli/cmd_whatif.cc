#include "cli/cmd_whatif.h"

#include <iostream>

#include "cli/args.h"
#include "config/config.h"
#include "review/what_if.h"
#include "store/store.h"

namespace qayd::cli {

int CmdWhatIf(const std::vector<std::string>& argv) {
  auto parsed = ParseArgs(argv, {"db", "config", "current"}, {"json"});
  if (!parsed.ok()) {
    std::cerr << "qayd: " << parsed.status().message() << "\n";
    return 2;
  }
  const Args& args = *parsed;
  if (!args.Has("db") || !args.Has("config")) {
    std::cerr << "usage: qayd what-if --db DB --config NEW.json [--current CURRENT.json] [--json]\n";
    return 2;
  }
  Config current = DefaultConfig();
  if (args.Has("current")) {
    ConfigLoad c = LoadConfig(args.Get("current"));
    if (!c.ok()) {
      for (const auto& e : c.errors) std::cerr << e.ToString() << "\n";
      return 1;
    }
    current = c.config;
  }
  ConfigLoad proposed = LoadConfig(args.Get("config"));
  if (!proposed.ok()) {
    for (const auto& e : proposed.errors) std::cerr << e.ToString() << "\n";
    return 1;
  }
  StoreOptions read_only;  // what-if only reads the register
  read_only.read_only = true;
  auto store = OpenStore(args.Get("db"), read_only);
  if (!store.ok()) {
    std::cerr << "qayd: " << store.status().ToString() << "\n";
    return 1;
  }
  auto result = review::RunWhatIf(store->get(), current.matching, proposed.config.matching);
  if (!result.ok()) {
    std::cerr << "qayd: " << result.status().ToString() << "\n";
    return 1;
  }
  std::cout << (args.Has("json") ? result->ToJson() + "\n" : result->ToText());
  return 0;
}

}  // namespace qayd::cli
