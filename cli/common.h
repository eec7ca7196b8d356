// What most `qayd` subcommands need: a register opened from --db (a SQLite
// path or a PostgreSQL URL) with the config's matching settings, its matching
// index loaded and a pipeline over both.
#pragma once

#include <memory>
#include <string>

#include "base/result.h"
#include "config/config.h"
#include "matching/engine.h"
#include "pipeline/pipeline.h"
#include "store/store.h"

namespace qayd::cli {

struct Register {
  Config config;
  std::unique_ptr<Store> store;
  std::unique_ptr<matching::Engine> engine;
  std::unique_ptr<Pipeline> pipeline;
};

// `config_path` may be empty (defaults). Loads the index unless `load_index` is false.
// `read_only`: for commands that only read (see OpenStore: no lock, a missing
// register is refused, not created).
Result<std::unique_ptr<Register>> OpenRegister(const std::string& db,
                                               const std::string& config_path,
                                               bool load_index = true, bool read_only = false);

}  // namespace qayd::cli
