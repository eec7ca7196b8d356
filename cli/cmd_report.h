// `qayd report --db DB (--month YYYY-MM | --year YYYY) [--by death|documented]
//              [--format md|csv|json|html] [--lang en|ar] [--out FILE]
//              [--victim-link PATTERN] [--config FILE]`
// The death-toll report of a month (or the year to date) from the
// deduplicated register (docs/REPORTS.md). Writes to stdout unless --out.
#pragma once

#include <string>
#include <vector>

namespace qayd::cli {

int CmdReport(const std::vector<std::string>& args);

}  // namespace qayd::cli
