#include "cli/args.h"

namespace qayd::cli {

std::string Args::Get(const std::string& flag, const std::string& fallback) const {
  auto it = values.find(flag);
  if (it == values.end() || it->second.empty()) return fallback;
  return it->second.back();
}

const std::vector<std::string>& Args::All(const std::string& flag) const {
  static const std::vector<std::string> kEmpty;
  auto it = values.find(flag);
  return it == values.end() ? kEmpty : it->second;
}

Result<Args> ParseArgs(const std::vector<std::string>& argv, const std::set<std::string>& value_flags,
                       const std::set<std::string>& bool_flags) {
  Args args;
  bool flags_done = false;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (flags_done || a.size() < 3 || a.compare(0, 2, "--") != 0) {
      if (a == "--") {
        flags_done = true;
        continue;
      }
      args.positional.push_back(a);
      continue;
    }
    std::string name = a.substr(2);
    std::string value;
    bool has_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_value = true;
    }
    if (value_flags.count(name)) {
      if (!has_value) {
        if (i + 1 >= argv.size()) return Error(ErrorCode::kInvalidInput, "--" + name + " needs a value");
        value = argv[++i];
      }
      args.values[name].push_back(value);
    } else if (bool_flags.count(name)) {
      if (has_value) return Error(ErrorCode::kInvalidInput, "--" + name + " takes no value");
      args.switches.insert(name);
    } else {
      return Error(ErrorCode::kInvalidInput, "unknown option --" + name);
    }
  }
  return args;
}

}  // namespace qayd::cli
