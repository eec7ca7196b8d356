// Command-line flag parsing for `qayd` subcommands: "--flag value",
// "--flag=value", boolean "--flag", positional arguments; "--" ends flags.
// Unknown flags are errors (returned, not thrown).
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "base/result.h"

namespace qayd::cli {

struct Args {
  std::map<std::string, std::vector<std::string>> values;  // flag (without --) -> values
  std::set<std::string> switches;                          // boolean flags given
  std::vector<std::string> positional;

  bool Has(const std::string& flag) const { return values.count(flag) || switches.count(flag); }
  std::string Get(const std::string& flag, const std::string& fallback = "") const;
  const std::vector<std::string>& All(const std::string& flag) const;
};

// `value_flags` take a value; `bool_flags` do not.
Result<Args> ParseArgs(const std::vector<std::string>& argv, const std::set<std::string>& value_flags,
                       const std::set<std::string>& bool_flags);

// Signature of every subcommand: arguments after the subcommand name; returns
// the process exit code (0 ok, 1 failure, 2 usage error).
using CommandFn = int (*)(const std::vector<std::string>& args);

}  // namespace qayd::cli
