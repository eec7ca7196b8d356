#include "daemon/services.h"

#include <filesystem>

#include "backup/scheduler.h"
#include "base/log.h"
#include "ingest/feed_manager.h"
#include "ingest/feed_state_store.h"
#include "ingest/fetcher.h"
#include "ingest/spool.h"
#include "pipeline/batches.h"

namespace qayd::daemon {
namespace {
// A spool file goes to the sink in parts this large, which ProcessAll cuts
// into pipeline batches: one part streams like `qayd ingest`.
constexpr size_t kSpoolSinkRecords = 100000;
}  // namespace

struct Services::Impl {
  Store* store;
  Pipeline* pipeline;
  std::unique_ptr<ingest::FeedStateStore> states;
  std::unique_ptr<ingest::Fetcher> fetcher;
  std::unique_ptr<ingest::FeedManager> feeds;
  std::unique_ptr<ingest::Spool> spool;
  backup::Scheduler backups;
  std::string spool_dir;
  int spool_interval_s = 0;

  ingest::ValidateOptions validate;  // vocabularies from the register

  // Feeds and the spool: the pipeline of `qayd ingest` (pipeline/batches.h).
  ingest::RecordSink Sink() {
    return [p = pipeline](std::vector<IncomingRecord> records) {
      return ProcessAll(p, std::move(records));
    };
  }
};

Services::Services(Store* store, Pipeline* pipeline) : impl_(std::make_unique<Impl>()) {
  impl_->store = store;
  impl_->pipeline = pipeline;
  impl_->states = ingest::MakeStoreFeedStateStore(store);
  impl_->fetcher = ingest::MakeCurlFetcher();
  auto vocab = ingest::LoadVocabularies(store);
  if (vocab.ok()) {
    impl_->validate.vocab = *vocab;
  } else {
    log::Warning("cannot read the vocabularies; using the built-in ones", {{"error", vocab.status().ToString()}});
  }
  ingest::FeedManagerDeps deps;
  deps.options.validate = impl_->validate;
  deps.sink = impl_->Sink();
  deps.states = impl_->states.get();
  deps.fetcher = impl_->fetcher.get();
  impl_->feeds = std::make_unique<ingest::FeedManager>(std::move(deps));
}

Services::~Services() { Stop(); }

void Services::Apply(const Config& config) {
  impl_->backups.Apply(config);
  ingest::FeedChanges changes = impl_->feeds->Apply(config.feeds);
  log::Info("feeds configured", {{"added", std::to_string(changes.added.size())},
                                 {"removed", std::to_string(changes.removed.size())},
                                 {"restarted", std::to_string(changes.restarted.size())},
                                 {"unchanged", std::to_string(changes.unchanged.size())}});
  const auto& sub = config.submissions;
  const std::string dir = sub.enabled ? sub.spool_dir : "";
  if (dir == impl_->spool_dir && sub.spool_scan_interval_s == impl_->spool_interval_s) return;
  if (impl_->spool) {
    impl_->spool->Stop();
    impl_->spool.reset();
  }
  impl_->spool_dir = dir;
  impl_->spool_interval_s = sub.spool_scan_interval_s;
  if (dir.empty()) return;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    log::Error("cannot create the spool folder; spool disabled", {{"dir", dir}, {"error", ec.message()}});
    return;
  }
  ingest::SpoolOptions spool_options;
  spool_options.validate = impl_->validate;
  spool_options.batch_records = kSpoolSinkRecords;
  impl_->spool = std::make_unique<ingest::Spool>(dir, impl_->Sink(), spool_options);
  impl_->spool->Start(sub.spool_scan_interval_s);
  log::Info("spool folder watched", {{"dir", dir}, {"interval_s", std::to_string(sub.spool_scan_interval_s)}});
}

void Services::Stop() {
  if (impl_->feeds) impl_->feeds->Stop();
  if (impl_->spool) impl_->spool->Stop();
  impl_->backups.Stop();
}

}  // namespace qayd::daemon
