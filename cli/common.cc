#include "cli/common.h"

namespace qayd::cli {

Result<std::unique_ptr<Register>> OpenRegister(const std::string& db,
                                               const std::string& config_path, bool load_index,
                                               bool read_only) {
  auto reg = std::make_unique<Register>();
  if (config_path.empty()) {
    reg->config = DefaultConfig();
  } else {
    ConfigLoad load = LoadConfig(config_path);
    if (!load.ok()) {
      std::string msg;
      for (const auto& e : load.errors) msg += (msg.empty() ? "" : "\n") + e.ToString();
      return Error(ErrorCode::kInvalidInput, msg);
    }
    reg->config = load.config;
  }
  StoreOptions options;
  options.read_only = read_only;
  auto store = OpenStore(db, options);
  if (!store.ok()) return store.status();
  reg->store = std::move(*store);
  reg->engine = std::make_unique<matching::Engine>(reg->config.matching);
  reg->pipeline = std::make_unique<Pipeline>(reg->store.get(), reg->engine.get());
  if (load_index) {
    Status s = LoadIndex(reg->store.get(), reg->engine.get());
    if (!s.ok()) return s;
  }
  return reg;
}

}  // namespace qayd::cli
