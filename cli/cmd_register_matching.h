// Matching commands that read a register:
//   qayd explain --db DB --report REPORT_ID --victim VICTIM_ID [--config F] [--json]
//   qayd train --db DB [--config F] [--max-pairs N]
// (the file-based forms live in cli/cmd_matching.cc; these dispatch there when
// --db is absent).
#pragma once

#include <string>
#include <vector>

namespace qayd::cli {

int CmdExplainAny(const std::vector<std::string>& args);
int CmdTrainAny(const std::vector<std::string>& args);

}  // namespace qayd::cli
