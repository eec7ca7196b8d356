// `qayd export --db DB [--format jsonl|csv] [--out FILE]` and
// `qayd history --db DB VICTIM_ID`.
#pragma once

#include <string>
#include <vector>

namespace qayd::cli {

int CmdExport(const std::vector<std::string>& args);
int CmdHistory(const std::vector<std::string>& args);

}  // namespace qayd::cli
