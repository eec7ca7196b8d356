#include "daemon/status.h"

#include <filesystem>
#include <system_error>

#include "base/log.h"
#include "base/metrics.h"
#include "daemon/services.h"

namespace qayd::daemon {
namespace {

// Regular files directly in `dir` whose name does not start with '.' (what
// the spool would pick up, or has moved to done/ or failed/).
int64_t CountFiles(const std::filesystem::path& dir) {
  std::error_code ec;
  int64_t n = 0;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!name.empty() && name[0] != '.' && it->is_regular_file(ec) &&
        name.find(".report.json") == std::string::npos) {
      ++n;
    }
  }
  return n;
}

void SetFeedGauges(const std::vector<FeedState>& states) {
  auto& r = metrics::Registry::Global();
  const char* failures = "qayd_feed_consecutive_failures";
  const char* failing = "qayd_feed_failing";
  const char* success = "qayd_feed_last_success_timestamp_seconds";
  r.ClearGaugeFamily(failures);
  r.ClearGaugeFamily(failing);
  r.ClearGaugeFamily(success);
  for (const auto& s : states) {
    const metrics::Labels feed{{"feed", s.feed_id}};
    r.GetGauge(failures, "Polls of the feed that failed in a row", feed)
        ->Set(static_cast<double>(s.consecutive_failures));
    r.GetGauge(failing, "1 while the feed's last poll failed", feed)
        ->Set(s.consecutive_failures > 0 ? 1 : 0);
    r.GetGauge(success, "Time of the feed's last successful poll (0: never)", feed)
        ->Set(static_cast<double>(s.last_success_ms) / 1000.0);
  }
}

void SetSpoolGauges(const std::string& dir) {
  auto& r = metrics::Registry::Global();
  const char* name = "qayd_spool_files";
  const char* help = "Files in the spool folder: waiting, done (ingested), failed";
  r.ClearGaugeFamily(name);
  if (dir.empty()) return;
  const std::filesystem::path root(dir);
  r.GetGauge(name, help, {{"state", "waiting"}})->Set(static_cast<double>(CountFiles(root)));
  r.GetGauge(name, help, {{"state", "done"}})->Set(static_cast<double>(CountFiles(root / "done")));
  r.GetGauge(name, help, {{"state", "failed"}})
      ->Set(static_cast<double>(CountFiles(root / "failed")));
}

}  // namespace

void RegisterStatus::Refresh(Store* store, const Services* services) {
  auto txn = store->Begin(Store::Mode::kRead);
  Result<Counts> counts = txn.ok() ? (*txn)->GetCounts() : Result<Counts>(txn.status());
  if (counts.ok()) {
    metrics::Std().inbox_pending->Set(static_cast<double>(counts->pending_match));
    metrics::Registry::Global()
        .GetGauge("qayd_quarantine_pending",
                  "Rejected records kept for correction, not yet replayed")
        ->Set(static_cast<double>(counts->quarantined));
    std::lock_guard lock(mutex_);
    counts_ = *counts;
    known_ = true;
  } else {
    log::Warning("cannot read the register's counts", {{"error", counts.status().ToString()}});
  }
  if (services) {
    SetFeedGauges(services->FeedStates());
    SetSpoolGauges(services->spool_dir());
  }
}

std::string RegisterStatus::Line(const PipelineCounts& c) const {
  std::string line;
  {
    std::lock_guard lock(mutex_);
    if (known_) {
      line = "register: " + std::to_string(counts_.reports) + " reports, " +
             std::to_string(counts_.active_victims) + " victims, " +
             std::to_string(counts_.pending_reviews) + " awaiting review, " +
             std::to_string(counts_.quarantined) + " quarantined, " +
             std::to_string(counts_.pending_match) + " awaiting matching; ";
    }
  }
  return line + "since start: ingested " + std::to_string(c.ingested) + ", merged " +
         std::to_string(c.merged) + ", queued for review " + std::to_string(c.review) +
         ", rejected " + std::to_string(c.rejected);
}

}  // namespace qayd::daemon
