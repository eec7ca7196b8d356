// Review logic behind the monitors' screen and the review API: the queue,
// claims (leases), item views with both sides in full, decisions, victim
// views, undo, split, name search and pair explanations.
//
// Contract
// - Blocking: every method uses the store; call from a worker thread.
// - Threads: one ReviewService may be used from many threads at once.
// - Each decision is applied in ONE store transaction (decision, merge or
//   constraint, state, resolution), then the engine's index is updated.
// - Privacy: relatives' contact details and raw payloads appear only when
//   Viewer::admin is true.
// - Errors: Status values. Errors the UI must tell apart carry a stable code
//   as the message prefix "code: text" (see StableCode()).
// Ownership: store and engine are borrowed and must outlive the service.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/result.h"
#include "matching/engine.h"
#include "store/store.h"

namespace qayd::review {

struct Viewer {
  std::string user;
  bool admin = false;
};

struct DecisionInput {
  int64_t item_id = 0;
  std::string decision;  // same | different | unsure | related
  int64_t victim_id = 0;  // same/related: the candidate victim (default: best candidate)
  std::string relation;   // related: sibling | parent | child | spouse
  std::string reason;     // required for related
  std::string note;
};

// "lease_expired: ..." -> "lease_expired"; "" when the message has no code.
std::string StableCode(const Status& status);

class ReviewService {
 public:
  ReviewService(Store* store, matching::Engine* engine, std::function<int64_t()> now_ms);

  // {"items":[...],"offset":n,"limit":n}; each item with its report summary.
  Result<std::string> Queue(const ReviewFilter& filter, const Viewer& viewer);
  // Claims an item for lease_ms. {"item_id":..,"lease_expires_ms":..}
  Result<std::string> Claim(int64_t item_id, const Viewer& viewer, int64_t lease_ms);
  // Claims the first item of the filtered queue under no live lease (the
  // viewer's own leased items are skipped too: "next" means another item).
  // kNotFound ("queue_empty: ...") when there is none.
  Result<std::string> ClaimNext(ReviewFilter filter, const Viewer& viewer, int64_t lease_ms);
  // The item with both sides in full (see docs/API.md).
  Result<std::string> Item(int64_t item_id, const Viewer& viewer);
  // Applies a decision; requires the viewer's unexpired lease on the item.
  Result<std::string> Decide(const DecisionInput& input, const Viewer& viewer);

  Result<std::string> Victim(int64_t victim_id, const Viewer& viewer);
  Result<std::string> UndoMerge(int64_t merge_seq, const std::string& reason,
                                const Viewer& viewer);
  Result<std::string> Split(int64_t victim_id, const std::vector<int64_t>& report_ids,
                            const std::string& reason, const Viewer& viewer);
  // Victims whose names resemble `name` (either script), best first.
  Result<std::string> Search(const std::string& name, int limit, const Viewer& viewer);
  // Scores two stored reports: explanation and name-part alignment.
  Result<std::string> Explain(int64_t report_a, int64_t report_b, const Viewer& viewer);

 private:
  // Reports per folded token across the register (rebuilt every 10 minutes).
  int64_t Commonness(const std::string& token);
  void RefreshTokenCounts();

  Store* store_;
  matching::Engine* engine_;
  std::function<int64_t()> now_ms_;
  std::mutex tokens_mutex_;
  std::unordered_map<std::string, int64_t> token_counts_;
  int64_t tokens_built_ms_ = -1;
};

}  // namespace qayd::review
