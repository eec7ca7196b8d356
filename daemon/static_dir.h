// Where the review UI's files are: `http.static_dir` when set, otherwise the
// install's share/qayd/static (the configured install prefix, or beside the
// running qaydd, for an install moved with `cmake --install --prefix`).
// Threads: reads the file system; call at start or on the reload thread.
#pragma once

#include <string>

namespace qayd::daemon {

// The folder to serve. With `warn`, logs a warning when it holds no
// index.html (GET / would answer 404).
std::string ResolveStaticDir(const std::string& configured, bool warn);

}  // namespace qayd::daemon
