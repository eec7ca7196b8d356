// What a SIGHUP reload may change. Settings bound at start (the store, the
// listener, the review UI folder, the worker pool size) need a restart: a
// reloaded config keeps their running values, so everything that reads the
// live config (the backup scheduler, the settings page) agrees with what the
// daemon actually uses.
// Threads: pure functions.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"

namespace qayd::daemon {

// Copies the restart-only settings of `running` into `next`; returns the key
// paths whose new value was set aside (e.g. "store.sqlite_path"), for the
// warning that a restart is needed.
std::vector<std::string> KeepRestartOnly(const Config& running, Config* next);

}  // namespace qayd::daemon
