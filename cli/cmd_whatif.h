// `qayd what-if --db DB --config NEW.json [--current CURRENT.json] [--json]`:
// replays the reviewed decisions and the pending queue under NEW's matching
// settings (against CURRENT's, default: built-in defaults) and prints
// precision/recall, automatic merges and queue size. Writes nothing.
#pragma once

#include <string>
#include <vector>

namespace qayd::cli {

int CmdWhatIf(const std::vector<std::string>& args);

}  // namespace qayd::cli
