#include "config/config.h"
#include "config/json_tree.h"
#include "config/schema.h"

namespace qayd {

ConfigLoad ParseConfig(const std::string& text, const std::string& file) {
  using namespace config_internal;
  ConfigLoad load;
  load.config = DefaultConfig();
  load.config.path = file;
  Node root;
  std::string error;
  Pos pos;
  if (!ParseJsonTree(text, &root, &error, &pos)) {
    load.errors.push_back({file, pos.line, pos.column, "", error});
    return load;
  }
  CheckConfig(root, file, &load.config, &load.errors);
  return load;
}

}  // namespace qayd
