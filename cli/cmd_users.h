// `qayd user add|passwd|disable NAME --db DB` and `qayd token add NAME --db DB`.
//
//   qayd user add NAME --role monitor|admin [--password-file F] --db DB
//       password from the file's first line, else one line from stdin
//   qayd user passwd NAME [--password-file F] --db DB
//   qayd user disable NAME --db DB     (open sessions stop working at once)
//   qayd token add NAME --scope submit --db DB
//       prints the new API token once; only its SHA-256 is stored
#pragma once

#include <string>
#include <vector>

namespace qayd::cli {

int CmdUser(const std::vector<std::string>& args);
int CmdToken(const std::vector<std::string>& args);

}  // namespace qayd::cli
