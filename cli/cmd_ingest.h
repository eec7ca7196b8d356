// `qayd ingest --db DB [--config FILE] [--decisions OUT] [--format F] [--source S]
//              [--map FEED=QAYD]... [--batch N] FILE...`
// Ingests reports through the same Pipeline as the daemon; writes one JSON
// line per input record to OUT; progress on a terminal; a summary at the end.
#pragma once

#include <string>
#include <vector>

namespace qayd::cli {

int CmdIngest(const std::vector<std::string>& args);

}  // namespace qayd::cli
