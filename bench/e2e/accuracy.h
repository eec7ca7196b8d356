// Accuracy of merge decisions against the corpus truth (national_id = the
// person's true id), shared by qayd-bench and the pg_trgm baseline so both
// are measured the same way.
//
// Definitions (per incoming report, in processing order):
// - "present": the person already had a victim (register or an earlier report).
// - merge precision = merges into the victim of the same person / all merges.
// - merge recall    = merges into the victim of the same person / present reports.
// - review: a report sent to a monitor; "review_true_in_candidates" when the
//   person's victim is among the review candidates.
// - false_new: a present report that created a new active victim instead.
// Not thread-safe: feed it from one thread.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

namespace qayd::bench {

class Accuracy {
 public:
  // A victim created from a report of `truth` (register build or decision).
  void AddVictim(int64_t victim_id, const std::string& truth) { AddVictim(victim_id, Key(truth)); }
  void AddVictim(int64_t victim_id, uint32_t truth);
  // One decision: merged|new|review|duplicate|unidentified|rejected|pending.
  void Observe(const std::string& truth, const std::string& decision, int64_t victim_id,
               const std::vector<int64_t>& candidate_victims = {});

  int64_t reports = 0, present = 0, merges = 0, merges_correct = 0, news = 0, false_new = 0;
  int64_t reviews = 0, review_true_in_candidates = 0, other = 0;
  double precision() const { return merges ? double(merges_correct) / double(merges) : 1.0; }
  double recall() const { return present ? double(merges_correct) / double(present) : 1.0; }
  // {"reports":..,"present":..,"merges":..,"precision":..,"recall":..,...}
  std::string ToJson() const;

 private:
  // Truth ids are nine-digit numbers (others are hashed) to keep this compact.
  static uint32_t Key(const std::string& truth);
  std::vector<uint32_t> victim_truth_;  // by victim id (ids are dense from 1); 0 = unknown
  std::unordered_set<uint32_t> persons_;
};

}  // namespace qayd::bench
