// Internal: validates a parsed JSON tree against qayd's closed config schema.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "config/json_tree.h"

namespace qayd::config_internal {

// Fills `cfg` (which starts from DefaultConfig()) and appends every problem.
void CheckConfig(const Node& root, const std::string& file, Config* cfg,
                 std::vector<ConfigError>* errors);

}  // namespace qayd::config_internal
