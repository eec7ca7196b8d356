#include "daemon/daemon.h"

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "base/log.h"
#include "base/metrics.h"
#include "base/thread_pool.h"
#include "base/version.h"
#include "config/config.h"
#include "daemon/notifier.h"
#include "daemon/reload.h"
#include "daemon/services.h"
#include "daemon/static_dir.h"
#include "daemon/status.h"
#include "matching/engine.h"
#include "pipeline/pipeline.h"
#include "store/store.h"
#include "web/server.h"

namespace qayd::daemon {
namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

void ApplyLogLevel(const Config& cfg) {
  log::Level level = log::Level::kInfo;
  if (log::ParseLevel(cfg.logging.level, &level)) log::SetLevel(level);
}

std::string JoinErrors(const std::vector<ConfigError>& errors) {
  std::string out;
  for (const auto& e : errors) out += (out.empty() ? "" : "; ") + e.ToString();
  return out;
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

// Feeds' crash markers: in the state directory systemd gives the unit
// (StateDirectory=), else beside an SQLite register; none for a PostgreSQL
// register run outside systemd.
std::string FeedCrashDir(const Config& cfg) {
  const char* state = std::getenv("STATE_DIRECTORY");
  std::string base;
  if (state != nullptr && *state != '\0') {
    base = std::string(state);
    base = base.substr(0, base.find(':'));  // several directories: the first
  } else if (cfg.store.postgres.empty()) {
    base = std::filesystem::path(cfg.store.sqlite_path).parent_path().string();
    if (base.empty()) base = ".";
  } else {
    log::Info("feeds keep no crash marker: no STATE_DIRECTORY for a PostgreSQL register");
    return "";
  }
  return (std::filesystem::path(base) / "feed-imports").string();
}

}  // namespace

struct Daemon::Impl {
  std::string config_path;
  mutable std::mutex config_mutex;
  Config config;

  asio::io_context io;
  asio::signal_set signals{io};
  asio::steady_timer watchdog_timer{io};
  asio::steady_timer housekeeping_timer{io};
  Notifier notifier;
  std::atomic<bool> stopping{false};
  std::atomic<bool> housekeeping_running{false};
  asio::steady_timer drain_timer{io};
  std::chrono::steady_clock::time_point drain_deadline;
  std::thread drain_thread;
  std::atomic<bool> drained{false};

  std::unique_ptr<Store> store;
  std::unique_ptr<matching::Engine> engine;
  std::unique_ptr<Pipeline> pipeline;
  std::unique_ptr<ThreadPool> pool;
  std::unique_ptr<web::Server> http;
  std::unique_ptr<Services> services;  // feeds and spool

  // SIGHUP's work runs on this thread, never on the io_context: one reload
  // at a time, a signal during a reload runs one more afterwards.
  std::mutex reload_mutex;
  std::thread reload_thread;
  bool reload_running = false;  // guarded by reload_mutex
  int reload_requests = 0;      // guarded by reload_mutex

  RegisterStatus status;  // register counts for STATUS= and the gauges
  std::atomic<int> housekeeping_rounds{0};

  Config CurrentConfig() const {
    std::lock_guard lock(config_mutex);
    return config;
  }

  void Start();
  void WaitForSignal();
  void RequestReload();
  void ReloadLoop();
  void Reload();
  void Drain();
  void CheckDrained();
  void ArmWatchdog(std::chrono::microseconds interval);
  void ArmHousekeeping();
  std::string StatusLine() const;
};

Daemon::Daemon(std::string config_path) : impl_(std::make_unique<Impl>()) {
  impl_->config_path = std::move(config_path);
}

Daemon::~Daemon() = default;

void Daemon::Impl::Start() {
  ConfigLoad load = LoadConfig(config_path);
  if (!load.ok()) throw std::runtime_error("invalid configuration: " + JoinErrors(load.errors));
  config = load.config;
  ApplyLogLevel(config);
  log::Info("qaydd starting", {{"config", config_path}, {"version", VersionLine()}});
  config.http.static_dir = ResolveStaticDir(config.http.static_dir, /*warn=*/true);
  metrics::Std();  // qayd_build_info and the standard metrics exist from the start

  auto opened = OpenStore(config.store.location());
  if (!opened.ok()) throw std::runtime_error("cannot open store: " + opened.status().ToString());
  store = std::move(*opened);
  log::Info("store open",
            {{"backend", store->backend()}, {"schema_version", std::to_string(SchemaVersion())}});

  engine = std::make_unique<matching::Engine>(config.matching);
  pipeline = std::make_unique<Pipeline>(store.get(), engine.get());
  int64_t last_seq = 0;
  {
    auto txn = store->Begin(Store::Mode::kRead);
    if (!txn.ok()) throw std::runtime_error("cannot read store: " + txn.status().ToString());
    auto seq = (*txn)->LastEventSeq();
    if (!seq.ok()) throw std::runtime_error("cannot read history: " + seq.status().ToString());
    last_seq = *seq;
  }
  const auto t0 = std::chrono::steady_clock::now();
  int64_t loaded = 0;
  Status s = LoadIndex(store.get(), engine.get(), &loaded);
  if (!s.ok()) throw std::runtime_error("cannot load the matching index: " + s.ToString());
  pipeline->FollowFrom(last_seq);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
  log::Info("matching index loaded",
            {{"reports", std::to_string(loaded)}, {"ms", std::to_string(ms.count())}});

  unsigned threads = config.matching.threads > 0
                         ? static_cast<unsigned>(config.matching.threads)
                         : std::max(2u, std::thread::hardware_concurrency());
  pool = std::make_unique<ThreadPool>(threads);

  web::Deps deps;
  deps.store = store.get();
  deps.engine = engine.get();
  deps.pipeline = pipeline.get();
  deps.pool = pool.get();
  deps.config = [this] { return CurrentConfig(); };
  http = std::make_unique<web::Server>(io, deps, config.http);
  Status listen = http->Listen();
  if (!listen.ok()) throw std::runtime_error("cannot listen: " + listen.ToString());

  services = std::make_unique<Services>(store.get(), pipeline.get(), FeedCrashDir(config));
  Status applied = services->Apply(config);
  if (!applied.ok()) throw std::runtime_error(applied.ToString());
  status.Refresh(store.get(), services.get());

  signals.add(SIGHUP);
  signals.add(SIGTERM);
  signals.add(SIGINT);
  WaitForSignal();
  const uint64_t wd = notifier.WatchdogUsec();
  if (wd > 0) ArmWatchdog(std::chrono::microseconds(wd / 4));
  ArmHousekeeping();
  notifier.Ready(StatusLine());
  log::Info("qaydd ready");
}

std::string Daemon::Impl::StatusLine() const {
  return status.Line(pipeline ? pipeline->counts() : PipelineCounts{});
}

void Daemon::Impl::WaitForSignal() {
  signals.async_wait([this](const boost::system::error_code& ec, int signo) {
    if (ec) return;
    if (signo == SIGHUP) {
      RequestReload();
      WaitForSignal();
    } else {
      log::Info("stop requested", {{"signal", std::to_string(signo)}});
      Drain();
    }
  });
}

void Daemon::Impl::RequestReload() {
  std::lock_guard lock(reload_mutex);
  ++reload_requests;
  if (reload_running || stopping) return;
  reload_running = true;
  if (reload_thread.joinable()) reload_thread.join();  // the previous one has returned
  reload_thread = std::thread([this] { ReloadLoop(); });
}

void Daemon::Impl::ReloadLoop() {
  for (;;) {
    {
      std::lock_guard lock(reload_mutex);
      if (reload_requests == 0 || stopping) {
        reload_running = false;
        return;
      }
      reload_requests = 0;
    }
    Reload();
  }
}

// Parse and validate, keep restart-only settings, stage the services (a
// spool folder that cannot be created rejects the reload), then commit:
// swap the config, apply log level and matching settings. On any error the
// running config stays, everywhere.
void Daemon::Impl::Reload() {
  notifier.Reloading();
  ConfigLoad load = LoadConfig(config_path);
  if (!load.ok()) {
    for (const auto& e : load.errors)
      log::Error("reload rejected; keeping the running config", {{"error", e.ToString()}});
    notifier.Ready(StatusLine());
    return;
  }
  Config next = load.config;
  next.http.static_dir = ResolveStaticDir(next.http.static_dir, /*warn=*/false);
  const Config previous = CurrentConfig();
  const std::vector<std::string> kept = KeepRestartOnly(previous, &next);
  if (!kept.empty()) {
    log::Warning("these settings need a restart; keeping their running values",
                 {{"keys", Join(kept)}});
  }
  Status applied = services->Apply(next);
  if (!applied.ok()) {
    log::Error("reload rejected; keeping the running config", {{"error", applied.ToString()}});
    notifier.Ready(StatusLine());
    return;
  }
  {
    std::lock_guard lock(config_mutex);
    config = next;
  }
  ApplyLogLevel(next);
  engine->SetSettings(next.matching);
  log::Info("configuration reloaded", {{"matching_version", next.matching.version()},
                                       {"auto_merge", std::to_string(next.matching.auto_merge)},
                                       {"review", std::to_string(next.matching.review)},
                                       {"feeds", std::to_string(next.feeds.size())}});
  notifier.Ready(StatusLine());
}

void Daemon::Impl::Drain() {
  if (stopping.exchange(true)) return;
  notifier.Stopping();
  http->StopAccepting();
  watchdog_timer.cancel();
  housekeeping_timer.cancel();
  const auto bound = std::chrono::seconds(CurrentConfig().daemon.drain_timeout_s);
  // Finish queued work on a helper thread so the loop keeps serving
  // in-flight HTTP responses meanwhile.
  drain_deadline = std::chrono::steady_clock::now() + bound;
  // Stopping feeds and the spool joins their threads (and waits for a
  // reload in progress): on the helper thread too, never the loop.
  drain_thread = std::thread([this] {
    services->Stop();
    pool->Stop();
    drained = true;
  });
  CheckDrained();
}

void Daemon::Impl::CheckDrained() {
  if (drained || std::chrono::steady_clock::now() >= drain_deadline) {
    if (!drained) {
      log::Warning(
          "drain bound reached; unfinished matching stays in the inbox and resumes at start");
      services->Interrupt();  // a spool import resumes at its last batch boundary
    }
    http->Stop();
    io.stop();
    return;
  }
  drain_timer.expires_after(20ms);
  drain_timer.async_wait([this](const boost::system::error_code&) { CheckDrained(); });
}

void Daemon::Impl::ArmWatchdog(std::chrono::microseconds interval) {
  watchdog_timer.expires_after(interval);
  watchdog_timer.async_wait([this, interval](const boost::system::error_code& ec) {
    if (ec || stopping) return;
    notifier.Watchdog();
    ArmWatchdog(interval);
  });
}

void Daemon::Impl::ArmHousekeeping() {
  housekeeping_timer.expires_after(2s);
  housekeeping_timer.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopping) return;
    notifier.Status(StatusLine());
    // The register's counts and the feed/spool gauges every 10 s (a few
    // COUNTs and a folder listing); the inbox and change log every 2 s.
    const bool refresh = housekeeping_rounds.fetch_add(1) % 5 == 4;
    if (!housekeeping_running.exchange(true)) {
      const bool posted = pool->Post([this, refresh] {
        if (refresh) status.Refresh(store.get(), services.get());
        auto resumed = pipeline->ResumePending();
        if (!resumed.ok())
          log::Warning("resuming the inbox failed", {{"error", resumed.status().ToString()}});
        Status f = pipeline->FollowChanges();
        if (!f.ok()) log::Warning("following the change log failed", {{"error", f.ToString()}});
        housekeeping_running = false;
      });
      if (!posted) housekeeping_running = false;
    }
    ArmHousekeeping();
  });
}

int Daemon::Run() {
  impl_->Start();
  impl_->io.run();
  if (!impl_->drained) {
    // Work still running past the bound: accepted reports are durable in the
    // inbox, so leave without tearing down what the workers still use.
    log::Info("qaydd stopped (drain bound reached)");
    std::_Exit(0);
  }
  if (impl_->drain_thread.joinable()) impl_->drain_thread.join();
  {
    std::unique_lock lock(impl_->reload_mutex);
    std::thread reload = std::move(impl_->reload_thread);
    lock.unlock();
    if (reload.joinable()) reload.join();
  }
  impl_->services.reset();
  impl_->http.reset();
  impl_->pool.reset();
  impl_->pipeline.reset();
  impl_->store.reset();  // closes the database cleanly
  log::Info("qaydd stopped");
  return 0;
}

int CheckConfig(const std::string& path, std::ostream& out, std::ostream& err) {
  ConfigLoad load = LoadConfig(path);
  if (load.ok()) {
    out << path << ": ok\n";
    return 0;
  }
  for (const auto& e : load.errors) err << e.ToString() << "\n";
  return 1;
}

}  // namespace qayd::daemon
