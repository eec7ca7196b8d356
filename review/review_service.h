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
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/result.h"
#include "matching/engine.h"
#include "review/json_out.h"
#include "store/store.h"

namespace qayd::review {

struct Viewer {
  std::string user;
  bool admin = false;
};

struct DecisionInput {
  int64_t item_id = 0;
  std::string decision;   // same | different | unsure | related
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
  // The candidate must be one of the item's candidates as proposed now.
  Result<std::string> Decide(const DecisionInput& input, const Viewer& viewer);
  // Undoes the item's last decision (same, different, related or unsure) and
  // puts the item back in the queue: the merge is undone, the different-people
  // constraints and relation it recorded are lifted, the provisional victim is
  // provisional again. Only the monitor who decided, or an admin.
  // {"item_id":..,"undone":"same"}; "nothing_to_undo" (kConflict) otherwise.
  Result<std::string> UndoDecision(int64_t item_id, const Viewer& viewer);
  // Gives up the viewer's lease on the item (skip): colleagues may take it.
  Result<std::string> Release(int64_t item_id, const Viewer& viewer);

  Result<std::string> Victim(int64_t victim_id, const Viewer& viewer);
  // Undoes a merge; when the restored victim was a review item's provisional
  // victim merged by a "same" decision, the item goes back in the queue.
  Result<std::string> UndoMerge(int64_t merge_seq, const std::string& reason, const Viewer& viewer);
  // Undoes a split: the victim it minted is merged back into the victim it
  // was split from (a merge event whose details name the split). kConflict
  // ("cannot_undo") when the minted victim has changed since.
  Result<std::string> UndoSplit(int64_t split_seq, const Viewer& viewer);
  Result<std::string> Split(int64_t victim_id, const std::vector<int64_t>& report_ids,
                            const std::string& reason, const Viewer& viewer);
  // Victims whose names resemble `name` (either script), best first; then
  // victims holding every part of `name` in any position (cross-script
  // skeletons), so a family name alone ("النجار", "Najjar") finds the family.
  // Each result with its report, state, dates and place.
  Result<std::string> Search(const std::string& name, int limit, const Viewer& viewer);
  // Scores two stored reports: explanation and name-part alignment.
  Result<std::string> Explain(int64_t report_a, int64_t report_b, const Viewer& viewer);

 private:
  // The item's candidates as the engine proposes them now (the register may
  // have changed since it was queued: merges, splits, undos): Match of the
  // item's report without its own provisional victim, then the queued
  // candidates no longer proposed (followed to their survivor when merged
  // away) scored against their best report. Each carries the score and the
  // explanation of that ONE computation (score == why.total).
  Result<std::vector<matching::Candidate>> Propose(Txn& txn, const ReviewItem& item,
                                                   const Report& report) const;
  // After a merge of `absorbed` was undone in `txn`: reopens the review item
  // whose "same" decision made that merge, if any.
  Status ReopenMergedItem(Txn& txn, int64_t absorbed, int64_t undo_of, const std::string& actor);
  // Reports per folded token across the register (rebuilt every 10 minutes).
  int64_t Commonness(const std::string& token);
  void RefreshTokenCounts();
  // Victims whose reports hold a name part with each of `keys` (skeletons).
  std::vector<int64_t> VictimsWithParts(const std::vector<std::string>& keys, size_t limit);
  // Victims with a report of this incident (incident_id), at most `limit`.
  std::vector<int64_t> VictimsOfIncident(const std::string& incident, size_t limit);
  // The item view's context: other victims of the report's incident and
  // likely relatives (same father and family name), without `skip`.
  void WriteContext(JsonWriter& w, Txn& txn, const Report& report, const std::set<int64_t>& skip,
                    const Viewer& viewer);

  Store* store_;
  matching::Engine* engine_;
  std::function<int64_t()> now_ms_;
  std::mutex tokens_mutex_;
  std::unordered_map<std::string, int64_t> token_counts_;
  std::unordered_map<std::string, std::vector<int64_t>> part_victims_;  // skeleton -> victims
  std::unordered_map<std::string, std::vector<int64_t>> incident_victims_;
  int64_t tokens_built_ms_ = -1;
};

}  // namespace qayd::review
