#include "backup/scheduler.h"

#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <regex>
#include <thread>
#include <vector>

#include "backup/backup.h"
#include "backup/file_util.h"
#include "base/log.h"
#include "base/metrics.h"
#include "store/store.h"

extern char** environ;

namespace qayd::backup {
namespace {

using Clock = std::chrono::steady_clock;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

const std::regex& BackupName() {
  static const std::regex re(R"(qayd-\d{8}T\d{6}Z(-\d+)?\.db(\.enc)?)");
  return re;
}

// Scheduler backups in `dir`, oldest first (the names sort by time).
std::vector<std::string> ListBackups(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (entry.is_regular_file(ec) && std::regex_match(name, BackupName())) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

struct Metrics {
  metrics::Gauge* status;
  metrics::Gauge* last_success;
  metrics::Gauge* duration;
  metrics::Gauge* post_status;
  metrics::Counter* total;
  metrics::Counter* failures;
};

const Metrics& M() {
  static const Metrics m = [] {
    auto& r = metrics::Registry::Global();
    Metrics x{
        r.GetGauge("qayd_backup_last_status", "Last scheduled backup: 0 ok, 1 failed"),
        r.GetGauge("qayd_backup_last_success_timestamp_seconds",
                   "Unix time of the last successful scheduled backup"),
        r.GetGauge("qayd_backup_last_duration_seconds", "Duration of the last scheduled backup"),
        r.GetGauge("qayd_backup_post_command_exit_status",
                   "Exit status of the last backup post command (-1: none)"),
        r.GetCounter("qayd_backups_total", "Scheduled backups attempted"),
        r.GetCounter("qayd_backup_failures_total", "Scheduled backups that failed")};
    x.post_status->Set(-1);
    return x;
  }();
  return m;
}

}  // namespace

int PruneBackups(const std::string& dir, int keep) {
  auto names = ListBackups(dir);
  int removed = 0;
  for (size_t i = 0; i + static_cast<size_t>(std::max(keep, 1)) < names.size(); ++i) {
    const std::string path = dir + "/" + names[i];
    RemoveQuietly(ManifestPathFor(path));
    if (::unlink(path.c_str()) == 0) ++removed;
  }
  // The files are gone either way; a failed directory fsync only means the
  // removal may not survive a crash, and the next pass removes them again.
  if (removed > 0) (void)FsyncDir(dir);
  return removed;
}

struct Scheduler::Impl {
  mutable std::mutex mu;
  std::condition_variable cv;
  bool stopping = false;
  bool trigger = false;
  bool enabled = false;
  bool settings_changed = false;
  std::string db;
  BackupSettings settings;
  std::optional<BackupRun> last;
  int64_t runs = 0;
  std::thread thread;

  Clock::time_point FirstDue(const BackupSettings& s) {
    auto names = ListBackups(s.dir);
    if (names.empty()) return Clock::now();
    std::error_code ec;
    auto mtime = std::filesystem::last_write_time(s.dir + "/" + names.back(), ec);
    if (ec) return Clock::now();
    auto age = std::filesystem::file_time_type::clock::now() - mtime;
    auto wait =
        std::chrono::seconds(s.interval_s) - std::chrono::duration_cast<std::chrono::seconds>(age);
    return Clock::now() + std::max(wait, std::chrono::seconds(0));
  }

  void Loop() {
    std::unique_lock<std::mutex> lock(mu);
    Clock::time_point due = Clock::time_point::max();
    while (!stopping) {
      if (settings_changed) {
        settings_changed = false;
        due = enabled ? FirstDue(settings) : Clock::time_point::max();
      }
      if (!trigger && Clock::now() < due) {
        if (due == Clock::time_point::max()) {
          cv.wait(lock);
        } else {
          cv.wait_until(lock, due);
        }
        continue;
      }
      trigger = false;
      if (!enabled) continue;
      const BackupSettings s = settings;
      const std::string source = db;
      lock.unlock();
      BackupRun run = RunOnce(source, s);
      lock.lock();
      last = run;
      ++runs;
      due = Clock::now() + std::chrono::seconds(s.interval_s);
      cv.notify_all();
    }
  }

  std::string NewName(const BackupSettings& s) {
    const std::string ext = s.public_key_file.empty() ? ".db" : ".db.enc";
    const std::string stem = s.dir + "/qayd-" + CompactUtc(NowMs());
    std::string path = stem + ext;
    for (int n = 1; Exists(path); ++n) path = stem + "-" + std::to_string(n) + ext;
    return path;
  }

  BackupRun RunOnce(const std::string& source, const BackupSettings& s) {
    const auto start = Clock::now();
    BackupRun run;
    M().total->Inc();
    std::error_code ec;
    std::filesystem::create_directories(s.dir, ec);
    BackupOptions opts;
    opts.db = source;
    opts.out = NewName(s);
    opts.public_key_file = s.public_key_file;
    auto manifest = TakeBackup(opts);
    M().duration->Set(std::chrono::duration<double>(Clock::now() - start).count());
    if (!manifest.ok()) {
      run.error = manifest.status().ToString();
      log::Error("scheduled backup failed", {{"dir", s.dir}, {"error", run.error}});
      M().failures->Inc();
      M().status->Set(1);
    } else {
      run.ok = true;
      run.file = opts.out;
      M().status->Set(0);
      M().last_success->Set(static_cast<double>(NowMs()) / 1000.0);
      int removed = PruneBackups(s.dir, s.keep);
      if (removed > 0)
        log::Info("old backups pruned", {{"dir", s.dir}, {"removed", std::to_string(removed)}});
      if (!s.post_command.empty()) {
        run.post_command_status = RunPostCommand(s, opts.out);
        M().post_status->Set(run.post_command_status);
      }
    }
    run.finished_ms = NowMs();
    return run;
  }

  // Runs the post command; returns its exit status (128+N when killed by signal N).
  int RunPostCommand(const BackupSettings& s, const std::string& file) {
    std::vector<std::string> env_strings;
    for (char** e = environ; *e != nullptr; ++e) {
      std::string kv = *e;
      if (kv.rfind("QAYD_BACKUP_", 0) != 0) env_strings.push_back(kv);
    }
    env_strings.push_back("QAYD_BACKUP_FILE=" + file);
    env_strings.push_back("QAYD_BACKUP_MANIFEST=" + ManifestPathFor(file));
    env_strings.push_back("QAYD_BACKUP_DIR=" + s.dir);
    std::vector<char*> envp;
    for (auto& kv : env_strings) envp.push_back(kv.data());
    envp.push_back(nullptr);
    std::string sh = "sh", dash_c = "-c", cmd = s.post_command;
    char* argv[] = {sh.data(), dash_c.data(), cmd.data(), nullptr};
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    pid_t pid = 0;
    int rc = posix_spawn(&pid, "/bin/sh", nullptr, &attr, argv, envp.data());
    posix_spawnattr_destroy(&attr);
    if (rc != 0) {
      log::Error("backup post command could not start", {{"error", std::strerror(rc)}});
      return 127;
    }
    const auto deadline = Clock::now() + std::chrono::seconds(s.interval_s);
    Clock::time_point term_sent{};
    int status = 0;
    for (;;) {
      pid_t w = ::waitpid(pid, &status, WNOHANG);
      if (w == pid) break;
      if (w < 0 && errno != EINTR) {
        status = 127 << 8;
        break;
      }
      bool stop_now;
      {
        std::lock_guard<std::mutex> lock(mu);
        stop_now = stopping;
      }
      if ((stop_now || Clock::now() > deadline) && term_sent == Clock::time_point{}) {
        log::Warning("backup post command killed", {{"reason", stop_now ? "stopping" : "timeout"}});
        ::kill(-pid, SIGTERM);
        term_sent = Clock::now();
      } else if (term_sent != Clock::time_point{} &&
                 Clock::now() - term_sent > std::chrono::seconds(5)) {
        ::kill(-pid, SIGKILL);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (code == 0) {
      log::Info("backup post command done", {{"file", file}, {"exit_status", "0"}});
    } else {
      log::Error("backup post command failed",
                 {{"file", file}, {"exit_status", std::to_string(code)}});
    }
    return code;
  }
};

Scheduler::Scheduler() : impl_(std::make_unique<Impl>()) {
  M();
  impl_->thread = std::thread([this] { impl_->Loop(); });
}

Scheduler::~Scheduler() { Stop(); }

void Scheduler::Apply(const Config& config) {
  const BackupSettings& b = config.backup;
  const bool pg = !config.store.postgres.empty();
  const bool enable = !b.dir.empty() && !pg;
  if (!b.dir.empty() && pg) {
    log::Warning(
        "backup section ignored: PostgreSQL registers are backed up with pg_dump or "
        "WAL archiving (docs/BACKUP.md)");
  }
  std::lock_guard<std::mutex> lock(impl_->mu);
  const std::string db = config.store.sqlite_path;
  if (enable == impl_->enabled && b == impl_->settings && db == impl_->db) return;
  impl_->enabled = enable;
  impl_->settings = b;
  impl_->db = db;
  impl_->settings_changed = true;
  impl_->cv.notify_all();
  log::Info(enable ? "scheduled backups on" : "scheduled backups off",
            {{"dir", b.dir},
             {"interval_s", std::to_string(b.interval_s)},
             {"keep", std::to_string(b.keep)}});
}

void Scheduler::TriggerNow() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->trigger = true;
  impl_->cv.notify_all();
}

void Scheduler::Stop() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->stopping = true;
    impl_->cv.notify_all();
  }
  if (impl_->thread.joinable()) impl_->thread.join();
}

std::optional<BackupRun> Scheduler::last() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->last;
}

int64_t Scheduler::runs() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->runs;
}

}  // namespace qayd::backup
