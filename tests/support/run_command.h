// Runs a shell command for a test and captures what it prints on stdout
// (append " 2>&1" to capture stderr too). Blocks until the command exits:
// give commands that could hang a bound (`timeout 60 ...`).
#pragma once

#include <string>

namespace qayd::testing {

struct CommandResult {
  std::string out;  // everything the command printed
  int code = -1;    // exit code; -1 if it could not run or was killed by a signal
  // `out` without trailing newlines, carriage returns and spaces.
  std::string trimmed() const;
};

CommandResult RunCommand(const std::string& cmd);
// RunCommand(cmd).trimmed(): for commands that print one value.
std::string RunCommandOut(const std::string& cmd);

}  // namespace qayd::testing
