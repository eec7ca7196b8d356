#include "tests/support/run_command.h"

#include <sys/wait.h>

#include <cstdio>

namespace qayd::testing {

std::string CommandResult::trimmed() const {
  std::string s = out;
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

CommandResult RunCommand(const std::string& cmd) {
  CommandResult r;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int st = pclose(p);
  r.code = st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

std::string RunCommandOut(const std::string& cmd) { return RunCommand(cmd).trimmed(); }

}  // namespace qayd::testing
