#include "base/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <system_error>

#include "base/version.h"

namespace qayd::metrics {
namespace {

void AtomicAdd(std::atomic<double>& a, double delta) {
  double cur = a.load(std::memory_order_relaxed);
  while (!a.compare_exchange_weak(cur, cur + delta, std::memory_order_relaxed)) {
  }
}

bool ValidName(const std::string& name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

// Backslash and newline escaped (HELP text); with `quote`, '"' too (label values).
std::string Escape(const std::string& s, bool quote) {
  std::string out;
  for (char c : s) {
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '\\' || (quote && c == '"')) out += '\\';
    out += c;
  }
  return out;
}

std::string RenderLabels(const Labels& labels) {
  std::string out;
  for (const auto& [k, v] : labels) {
    if (!ValidName(k) || k.find(':') != std::string::npos)
      throw std::logic_error("bad label name: " + k);
    out += (out.empty() ? "" : ",") + k + "=\"" + Escape(v, /*quote=*/true) + "\"";
  }
  return out;
}

}  // namespace

std::string FormatNumber(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (std::isnan(v)) return "NaN";
  // Shortest round-trip digits; plain decimals in the usual range (0.0005,
  // not 5e-04), exponents only for the very small and very large.
  const double a = std::fabs(v);
  const bool fixed = a == 0 || (a >= 1e-6 && a < 1e21);
  char buf[128];
  auto [end, ec] = fixed ? std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed)
                         : std::to_chars(buf, buf + sizeof buf, v);
  if (ec != std::errc()) return "NaN";  // cannot happen with 128 bytes
  return std::string(buf, end);
}

void Counter::Inc(double delta) {
  if (delta < 0) throw std::logic_error("counter decremented");
  AtomicAdd(value_, delta);
}

void Gauge::Add(double delta) { AtomicAdd(value_, delta); }

Histogram::Histogram(std::vector<double> upper_bounds) : bounds_(std::move(upper_bounds)) {
  if (!std::is_sorted(bounds_.begin(), bounds_.end())) {
    throw std::logic_error("histogram bounds not ascending");
  }
  buckets_ = std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1);
  for (size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0);
}

void Histogram::Observe(double v) {
  size_t i = std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin();
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  AtomicAdd(sum_, v);
  count_.fetch_add(1, std::memory_order_relaxed);
}

std::vector<uint64_t> Histogram::cumulative() const {
  std::vector<uint64_t> out(bounds_.size() + 1);
  uint64_t total = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    total += buckets_[i].load(std::memory_order_relaxed);
    out[i] = total;
  }
  return out;
}

Registry& Registry::Global() {
  static Registry* registry = new Registry();  // never destroyed: used until exit
  return *registry;
}

Registry::Entry* Registry::GetEntry(const std::string& name, const std::string& type,
                                    const std::string& help) {
  if (!ValidName(name)) throw std::logic_error("bad metric name: " + name);
  auto [it, inserted] = entries_.try_emplace(name);
  if (inserted) {
    it->second.type = type;
    it->second.help = help;
  } else if (it->second.type != type) {
    throw std::logic_error("metric " + name + " already registered as " + it->second.type);
  }
  return &it->second;
}

Counter* Registry::GetCounter(const std::string& name, const std::string& help) {
  std::lock_guard lock(mutex_);
  Entry* e = GetEntry(name, "counter", help);
  if (!e->counters.empty()) throw std::logic_error("metric " + name + " has labels");
  if (!e->counter) e->counter = std::make_unique<Counter>();
  return e->counter.get();
}

Gauge* Registry::GetGauge(const std::string& name, const std::string& help) {
  std::lock_guard lock(mutex_);
  Entry* e = GetEntry(name, "gauge", help);
  if (!e->gauges.empty()) throw std::logic_error("metric " + name + " has labels");
  if (!e->gauge) e->gauge = std::make_unique<Gauge>();
  return e->gauge.get();
}

Histogram* Registry::GetHistogram(const std::string& name, const std::string& help,
                                  const std::vector<double>& upper_bounds) {
  std::lock_guard lock(mutex_);
  Entry* e = GetEntry(name, "histogram", help);
  if (!e->histogram) e->histogram = std::make_unique<Histogram>(upper_bounds);
  return e->histogram.get();
}

Counter* Registry::GetCounter(const std::string& name, const std::string& help,
                              const Labels& labels) {
  const std::string key = RenderLabels(labels);
  std::lock_guard lock(mutex_);
  Entry* e = GetEntry(name, "counter", help);
  if (e->counter) throw std::logic_error("metric " + name + " has no labels");
  auto& child = e->counters[key];
  if (!child) child = std::make_unique<Counter>();
  return child.get();
}

Gauge* Registry::GetGauge(const std::string& name, const std::string& help, const Labels& labels) {
  const std::string key = RenderLabels(labels);
  std::lock_guard lock(mutex_);
  Entry* e = GetEntry(name, "gauge", help);
  if (e->gauge) throw std::logic_error("metric " + name + " has no labels");
  auto& child = e->gauges[key];
  if (!child) child = std::make_unique<Gauge>();
  return child.get();
}

void Registry::ClearGaugeFamily(const std::string& name) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(name);
  if (it != entries_.end()) it->second.gauges.clear();
}

std::string Registry::Exposition() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& [name, e] : entries_) {
    out += "# HELP " + name + " " + Escape(e.help, /*quote=*/false) + "\n";
    out += "# TYPE " + name + " " + e.type + "\n";
    if (e.counter) out += name + " " + FormatNumber(e.counter->value()) + "\n";
    if (e.gauge) out += name + " " + FormatNumber(e.gauge->value()) + "\n";
    for (const auto& [labels, c] : e.counters)
      out += name + "{" + labels + "} " + FormatNumber(c->value()) + "\n";
    for (const auto& [labels, g] : e.gauges)
      out += name + "{" + labels + "} " + FormatNumber(g->value()) + "\n";
    if (e.histogram) {
      auto cum = e.histogram->cumulative();
      const auto& b = e.histogram->bounds();
      for (size_t i = 0; i < b.size(); ++i) {
        out += name + "_bucket{le=\"" + FormatNumber(b[i]) + "\"} " + std::to_string(cum[i]) + "\n";
      }
      out += name + "_bucket{le=\"+Inf\"} " + std::to_string(cum.back()) + "\n";
      out += name + "_sum " + FormatNumber(e.histogram->sum()) + "\n";
      out += name + "_count " + std::to_string(e.histogram->count()) + "\n";
    }
  }
  return out;
}

const Standard& Std() {
  static const Standard s = [] {
    Registry& r = Registry::Global();
    Standard m{};
    m.ingested = r.GetCounter("qayd_reports_ingested_total", "Reports accepted into the store");
    m.merged = r.GetCounter("qayd_reports_merged_total", "Reports merged into an existing victim");
    m.queued = r.GetCounter("qayd_review_queued_total", "Reports queued for human review");
    m.rejected = r.GetCounter("qayd_reports_rejected_total", "Records quarantined as invalid");
    m.feed_errors = r.GetCounter("qayd_feed_errors_total", "Failed feed polls");
    m.review_decisions = r.GetCounter("qayd_review_decisions_total", "Review decisions recorded");
    m.queue_size = r.GetGauge("qayd_review_queue_size", "Pending review items");
    m.queue_oldest_age =
        r.GetGauge("qayd_review_queue_oldest_age_seconds", "Age of the oldest pending review item");
    m.match_latency =
        r.GetHistogram("qayd_match_latency_seconds", "Time to match one report",
                       {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5});
    m.http_requests = r.GetCounter("qayd_http_requests_total", "HTTP requests served");
    m.inbox_pending =
        r.GetGauge("qayd_inbox_pending", "Accepted reports waiting in the inbox to be matched");
    m.matcher_lock_held = r.GetGauge("qayd_matcher_lock_held",
                                     "1 while this instance holds the matcher lock and matches");
    m.build_info = r.GetGauge("qayd_build_info", "Version of the running build (value 1)",
                              {{"version", ProjectVersion()}, {"git", GitDescribe()}});
    m.build_info->Set(1);
    return m;
  }();
  return s;
}

}  // namespace qayd::metrics
