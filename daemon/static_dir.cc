#include "daemon/static_dir.h"

#include <filesystem>
#include <system_error>
#include <vector>

#include "base/log.h"

namespace qayd::daemon {
namespace {

bool HasIndex(const std::string& dir) {
  std::error_code ec;
  return std::filesystem::is_regular_file(std::filesystem::path(dir) / "index.html", ec);
}

// <folder of this executable>/../share/qayd/static, "" if unknown.
std::string BesideExecutable() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  return (exe.parent_path().parent_path() / "share" / "qayd" / "static").string();
}

}  // namespace

std::string ResolveStaticDir(const std::string& configured, bool warn) {
  std::string dir = configured;
  if (dir.empty()) {
    std::vector<std::string> candidates{QAYD_DEFAULT_STATIC_DIR, BesideExecutable()};
    dir = candidates.front();
    for (const auto& c : candidates) {
      if (!c.empty() && HasIndex(c)) {
        dir = c;
        break;
      }
    }
  }
  if (warn && !HasIndex(dir)) {
    log::Warning("review UI files not found: GET / answers 404 (set http.static_dir)",
                 {{"static_dir", dir}});
  }
  return dir;
}

}  // namespace qayd::daemon
