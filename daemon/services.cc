#include "daemon/services.h"

#include "base/log.h"

namespace qayd::daemon {

struct Services::Impl {
  Store* store;
  Pipeline* pipeline;
};

Services::Services(Store* store, Pipeline* pipeline) : impl_(std::make_unique<Impl>()) {
  impl_->store = store;
  impl_->pipeline = pipeline;
}

Services::~Services() { Stop(); }

void Services::Apply(const Config& config) {
  log::Info("input services configured", {{"feeds", std::to_string(config.feeds.size())}});
}

void Services::Stop() {}

}  // namespace qayd::daemon
