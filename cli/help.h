// `qayd help COMMAND`, `qayd COMMAND --help`: each subcommand's usage and
// options, the text the qayd(1) man page is generated from.
// Threads: constant data. Errors: an unknown command has no help (nullptr).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace qayd::cli {

// The full help of a subcommand (usage lines, then its options), or nullptr.
const char* CommandHelp(std::string_view command);

// True when `args` (a subcommand's arguments) ask for help: "--help" or "-h"
// before any "--".
bool WantsHelp(const std::vector<std::string>& args);

}  // namespace qayd::cli
