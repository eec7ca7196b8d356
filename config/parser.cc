#include "config/config.h"

namespace qayd {

ConfigLoad ParseConfig(const std::string& text, const std::string& file) {
  (void)text;
  (void)file;
  ConfigLoad load;
  load.config = DefaultConfig();
  return load;
}

}  // namespace qayd
