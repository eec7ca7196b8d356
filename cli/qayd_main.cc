// qayd: the command line. Wires subcommands from the libraries to argv and
// turns exceptions into exit codes.
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "base/version.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "cli/help.h"

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
  out << "usage: qayd COMMAND [OPTIONS]\n"
         "       qayd help COMMAND | qayd COMMAND --help\n"
         "       qayd --version\n\ncommands:\n";
  for (const auto& c : kCommands) {
    std::string name = c.name;
    name.resize(14, ' ');
    out << "  " << name << c.help << "\n";
  }
}

const Entry* Find(const std::string& name) {
  for (const auto& c : kCommands) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

// `qayd help [COMMAND]`, `qayd COMMAND --help`: stdout, exit 0.
int PrintHelp(const std::string& cmd) {
  const char* text = qayd::cli::CommandHelp(cmd);
  if (!Find(cmd) || !text) {
    std::cerr << "qayd: unknown command " << cmd << "\n";
    Usage(std::cerr);
    return 2;
  }
  std::cout << text;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    Usage(std::cerr);
    return 2;
  }
  const std::string cmd = argv[1];
  std::vector<std::string> args(argv + 2, argv + argc);
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    if (cmd == "help" && !args.empty()) return PrintHelp(args[0]);
    Usage(std::cout);
    return 0;
  }
  if (cmd == "--version" || cmd == "version") {
    std::cout << "qayd " << qayd::VersionLine() << "\n";
    return 0;
  }
  const Entry* c = Find(cmd);
  if (!c) {
    std::cerr << "qayd: unknown command " << cmd << "\n";
    Usage(std::cerr);
    return 2;
  }
  if (qayd::cli::WantsHelp(args)) return PrintHelp(cmd);
  try {
    return c->fn(args);
  } catch (const std::exception& e) {
    std::cerr << "qayd " << cmd << ": " << e.what() << "\n";
    return 1;
  }
}
