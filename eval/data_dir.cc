#include "eval/data_dir.h"

#include <cstdlib>
#include <filesystem>

namespace qayd::eval {

std::string DefaultDataDir() {
  if (const char* env = std::getenv("QAYD_DATA_DIR"); env != nullptr && *env != '\0') {
    return env;
  }
  std::error_code ec;
  if (std::filesystem::is_directory(QAYD_BUILT_DATA_DIR, ec)) return QAYD_BUILT_DATA_DIR;
  return "data";
}

}  // namespace qayd::eval
