// A small thread-safe Prometheus registry: counters, gauges and histograms,
// rendered in the Prometheus text exposition format (version 0.0.4).
//
// Ownership: the registry owns every metric; the pointers it hands out stay
// valid for the registry's lifetime (the process, for Global()).
// Threads: every method may be called from any thread. Inc/Set/Observe are
// lock-free (atomics); creating a metric and Exposition() take a mutex.
// Labels: a metric may be a family of children told apart by labels, e.g.
// qayd_feed_consecutive_failures{feed="partner-a"}; label values are escaped.
// Numbers print in their shortest round-trip form (0.0005, not 0.0005000…01).
// Errors: asking for a name that exists with another type is a broken
// invariant (throws std::logic_error); names must match [a-zA-Z_:][a-zA-Z0-9_:]*.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace qayd::metrics {

class Counter {
 public:
  void Inc(double delta = 1.0);  // delta must be >= 0
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Gauge {
 public:
  void Set(double v) { value_.store(v, std::memory_order_relaxed); }
  void Add(double delta);
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Histogram {
 public:
  explicit Histogram(std::vector<double> upper_bounds);  // ascending; +Inf is implicit
  void Observe(double v);
  const std::vector<double>& bounds() const { return bounds_; }
  // Cumulative count per bound (last entry: +Inf), sum and count.
  std::vector<uint64_t> cumulative() const;
  double sum() const { return sum_.load(std::memory_order_relaxed); }
  uint64_t count() const { return count_.load(std::memory_order_relaxed); }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // bounds_.size() + 1
  std::atomic<double> sum_{0};
  std::atomic<uint64_t> count_{0};
};

// Label names and values of one child of a family, in the order rendered.
using Labels = std::vector<std::pair<std::string, std::string>>;

// The shortest text that reads back as `v` ("+Inf", "-Inf", "NaN" too).
std::string FormatNumber(double v);

class Registry {
 public:
  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // The process-wide registry served at /metrics.
  static Registry& Global();

  // Returns the metric of that name, creating it on first use.
  Counter* GetCounter(const std::string& name, const std::string& help);
  Gauge* GetGauge(const std::string& name, const std::string& help);
  Histogram* GetHistogram(const std::string& name, const std::string& help,
                          const std::vector<double>& upper_bounds);
  // The child of a labelled family, created on first use. A family holds
  // either labelled children or one unlabelled value, not both.
  Counter* GetCounter(const std::string& name, const std::string& help, const Labels& labels);
  Gauge* GetGauge(const std::string& name, const std::string& help, const Labels& labels);
  // Drops every child of a gauge family (e.g. before re-setting per-feed
  // gauges, so a removed feed's gauge goes away).
  void ClearGaugeFamily(const std::string& name);

  // Prometheus text format, metrics sorted by name.
  std::string Exposition() const;

 private:
  struct Entry {
    std::string type, help;
    std::unique_ptr<Counter> counter;
    std::unique_ptr<Gauge> gauge;
    std::unique_ptr<Histogram> histogram;
    std::map<std::string, std::unique_ptr<Counter>> counters;  // rendered labels -> child
    std::map<std::string, std::unique_ptr<Gauge>> gauges;
  };
  Entry* GetEntry(const std::string& name, const std::string& type, const std::string& help);

  mutable std::mutex mutex_;
  std::map<std::string, Entry> entries_;
};

// The standard metrics of qayd, registered in Global() on first call. Other
// modules increment these; the web server serves them.
struct Standard {
  Counter* ingested;          // qayd_reports_ingested_total
  Counter* merged;            // qayd_reports_merged_total (automatic and reviewed)
  Counter* queued;            // qayd_review_queued_total
  Counter* rejected;          // qayd_reports_rejected_total (quarantined)
  Counter* feed_errors;       // qayd_feed_errors_total
  Counter* review_decisions;  // qayd_review_decisions_total
  Gauge* queue_size;          // qayd_review_queue_size
  Gauge* queue_oldest_age;    // qayd_review_queue_oldest_age_seconds
  Histogram* match_latency;   // qayd_match_latency_seconds
  Counter* http_requests;     // qayd_http_requests_total
  Gauge* inbox_pending;       // qayd_inbox_pending: accepted reports waiting to be matched
  Gauge* matcher_lock_held;   // qayd_matcher_lock_held: 1 while this instance matches
  Gauge* build_info;          // qayd_build_info{version,git} 1
};
const Standard& Std();

}  // namespace qayd::metrics
