// qaydd: the qayd daemon. Wires the daemon library to the command line and
// turns startup exceptions into exit codes.
#include <cstring>
#include <exception>
#include <iostream>
#include <string>

#include "base/log.h"
#include "base/version.h"
#include "daemon/daemon.h"

namespace {

constexpr const char* kDefaultConfig = "/etc/qayd/qayd.json";

void Usage(std::ostream& out) {
  out << "usage: qaydd [--config FILE]\n"
         "       qaydd --check-config [FILE]\n"
         "       qaydd --help | --version\n"
         "Runs the qayd register daemon (see qaydd(8) and qayd.json(5)).\n"
         "  --config FILE        the configuration (default "
      << kDefaultConfig
      << ")\n"
         "  --check-config FILE  validate FILE, print every problem, exit 0 when valid\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::string config = kDefaultConfig;
  bool check = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--config" && i + 1 < argc) {
      config = argv[++i];
    } else if (a.rfind("--config=", 0) == 0) {
      config = a.substr(9);
    } else if (a == "--check-config") {
      check = true;
      if (i + 1 < argc && argv[i + 1][0] != '-') config = argv[++i];
    } else if (a == "--help" || a == "-h") {
      Usage(std::cout);
      return 0;
    } else if (a == "--version") {
      std::cout << "qaydd " << qayd::VersionLine() << "\n";
      return 0;
    } else {
      std::cerr << "qaydd: unknown argument " << a << "\n";
      Usage(std::cerr);
      return 2;
    }
  }
  if (check) return qayd::daemon::CheckConfig(config, std::cout, std::cerr);
  try {
    qayd::daemon::Daemon daemon(config);
    return daemon.Run();
  } catch (const std::exception& e) {
    qayd::log::Error("qaydd failed to start", {{"error", e.what()}});
    return 1;
  }
}
