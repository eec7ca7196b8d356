// Small files that must survive a crash: crash markers and set-aside bodies.
// Threads: plain functions; they block on disk I/O (worker threads only).
#pragma once

#include <filesystem>
#include <string_view>

#include "base/result.h"

namespace qayd::ingest {

// Writes `text` to a temporary name beside `path`, syncs it, renames it over
// `path` and syncs the folder: after a crash `path` holds either its old
// content or `text`. Errors name the path.
Status WriteFileDurably(const std::filesystem::path& path, std::string_view text);

}  // namespace qayd::ingest
