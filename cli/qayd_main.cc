// qayd: the command line. Wires subcommands from the libraries to argv and
// turns exceptions into exit codes.
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "cli/args.h"
#include "cli/commands.h"

namespace {

struct Entry {
  const char* name;
  qayd::cli::CommandFn fn;
  const char* help;
};

const Entry kCommands[] = {
#define QAYD_COMMAND(name, fn, help) {name, fn, help},
#include "cli/command_list.inc"
#undef QAYD_COMMAND
};

void Usage(std::ostream& out) {
  out << "usage: qayd COMMAND [OPTIONS]\n\ncommands:\n";
  for (const auto& c : kCommands) {
    std::string name = c.name;
    name.resize(14, ' ');
    out << "  " << name << c.help << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "help") {
    Usage(argc < 2 ? std::cerr : std::cout);
    return argc < 2 ? 2 : 0;
  }
  const std::string cmd = argv[1];
  std::vector<std::string> args(argv + 2, argv + argc);
  for (const auto& c : kCommands) {
    if (cmd != c.name) continue;
    try {
      return c.fn(args);
    } catch (const std::exception& e) {
      std::cerr << "qayd " << cmd << ": " << e.what() << "\n";
      return 1;
    }
  }
  std::cerr << "qayd: unknown command " << cmd << "\n";
  Usage(std::cerr);
  return 2;
}
