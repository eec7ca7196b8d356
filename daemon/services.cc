#include "daemon/services.h"

#include <atomic>
#include <filesystem>
#include <mutex>

#include "backup/scheduler.h"
#include "base/log.h"
#include "base/metrics.h"
#include "ingest/feed_manager.h"
#include "ingest/feed_state_store.h"
#include "ingest/fetcher.h"
#include "ingest/spool.h"
#include "pipeline/batches.h"

namespace qayd::daemon {
struct Services::Impl {
  Store* store;
  Pipeline* pipeline;
  std::unique_ptr<ingest::FeedStateStore> states;
  std::unique_ptr<ingest::Fetcher> fetcher;
  std::unique_ptr<ingest::FeedManager> feeds;
  backup::Scheduler backups;

  mutable std::mutex mutex;  // Apply/Stop and the spool fields
  bool stopped = false;
  std::unique_ptr<ingest::Spool> spool;
  std::atomic<ingest::Spool*> live_spool{nullptr};  // spool, for Interrupt() (no mutex)
  std::string spool_dir;
  int spool_interval_s = 0;

  ingest::ValidateOptions validate;  // vocabularies from the register

  // Feeds and the spool: the pipeline of `qayd ingest` (pipeline/batches.h).
  ingest::RecordSink Sink() {
    return [p = pipeline](std::vector<IncomingRecord> records) {
      return ProcessAll(p, std::move(records));
    };
  }
  // The spool's sink: a file's batches through ProcessBatches, the loop of
  // `qayd ingest` (the next batch parsed and normalised, then matched, while
  // one commits), counting what went through it (qayd_spool_*_total).
  ingest::SpoolSink SpoolSink() {
    auto& m = metrics::Registry::Global();
    metrics::Counter* records =
        m.GetCounter("qayd_spool_records_total", "Spool records handed to the pipeline");
    metrics::Counter* failed = m.GetCounter("qayd_spool_batch_failures_total",
                                            "Spool batches the store refused (left for a retry)");
    return [p = pipeline, records, failed](const BatchSource& next, const BatchDone& done) {
      Status s = ProcessBatches(p, next,
                                [&](size_t first, std::vector<RecordOutcome>& out, double seconds) {
                                  records->Inc(static_cast<double>(out.size()));
                                  return done(first, out, seconds);
                                });
      if (!s.ok()) failed->Inc();
      return s;
    };
  }
};

Services::Services(Store* store, Pipeline* pipeline, std::string crash_dir)
    : impl_(std::make_unique<Impl>()) {
  impl_->store = store;
  impl_->pipeline = pipeline;
  impl_->states = ingest::MakeStoreFeedStateStore(store);
  impl_->fetcher = ingest::MakeCurlFetcher();
  auto vocab = ingest::LoadVocabularies(store);
  if (vocab.ok()) {
    impl_->validate.vocab = *vocab;
  } else {
    log::Warning("cannot read the vocabularies; using the built-in ones",
                 {{"error", vocab.status().ToString()}});
  }
  ingest::FeedManagerDeps deps;
  deps.options.validate = impl_->validate;
  deps.options.crash_dir = std::move(crash_dir);
  deps.sink = impl_->Sink();
  deps.states = impl_->states.get();
  deps.fetcher = impl_->fetcher.get();
  impl_->feeds = std::make_unique<ingest::FeedManager>(std::move(deps));
}

Services::~Services() { Stop(); }

Status Services::Apply(const Config& config) {
  std::lock_guard lock(impl_->mutex);
  if (impl_->stopped) return Error(ErrorCode::kUnavailable, "services stopped");
  const auto& sub = config.submissions;
  const std::string dir = sub.enabled ? sub.spool_dir : "";
  const bool spool_changed =
      dir != impl_->spool_dir || sub.spool_scan_interval_s != impl_->spool_interval_s;

  // Stage: everything that can fail, before anything running is touched.
  if (spool_changed && !dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
      return Error(ErrorCode::kIo,
                   "submissions.spool_dir: cannot create " + dir + ": " + ec.message());
    }
  }

  // Commit: nothing below fails.
  impl_->backups.Apply(config);
  impl_->feeds->Apply(config.feeds);  // logs "feeds applied"
  if (!spool_changed) return Status::Ok();
  if (impl_->spool) {
    impl_->spool->Stop();
    impl_->live_spool = nullptr;
    impl_->spool.reset();
  }
  impl_->spool_dir = dir;
  impl_->spool_interval_s = sub.spool_scan_interval_s;
  if (dir.empty()) {
    log::Info("spool folder off");
    return Status::Ok();
  }
  ingest::SpoolOptions spool_options;
  spool_options.validate = impl_->validate;
  spool_options.batch_records = kPipelineBatch;
  spool_options.max_file_bytes = sub.spool_max_file_bytes;
  spool_options.max_record_bytes = static_cast<size_t>(sub.spool_max_record_bytes);
  impl_->spool = std::make_unique<ingest::Spool>(dir, impl_->SpoolSink(), spool_options);
  impl_->live_spool = impl_->spool.get();
  impl_->spool->Start(sub.spool_scan_interval_s);
  log::Info("spool folder watched",
            {{"dir", dir}, {"interval_s", std::to_string(sub.spool_scan_interval_s)}});
  return Status::Ok();
}

void Services::Stop() {
  std::lock_guard lock(impl_->mutex);
  impl_->stopped = true;
  if (impl_->feeds) impl_->feeds->Stop();
  if (impl_->spool) impl_->spool->Stop();
  impl_->backups.Stop();
}

void Services::Interrupt() {
  // Stop() keeps the spool alive (it only joins its thread), so the pointer stays
  // valid while Stop() holds the mutex on the drain thread.
  if (ingest::Spool* spool = impl_->live_spool.load()) spool->Interrupt();
}

std::vector<FeedState> Services::FeedStates() const { return impl_->feeds->states(); }

std::string Services::spool_dir() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->spool_dir;
}

}  // namespace qayd::daemon
