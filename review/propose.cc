#include "review/propose.h"

#include <algorithm>
#include <set>

namespace qayd::review {

Result<int64_t> Survivor(Txn& txn, int64_t id) {
  for (int hop = 0; id != 0 && hop < 16; ++hop) {
    auto v = txn.GetVictim(id);
    if (!v.ok()) return v.status();
    if (v->state != VictimState::kAbsorbed || v->merged_into == 0) break;
    id = v->merged_into;
  }
  return id;
}

Result<std::vector<matching::Candidate>> ProposeCandidates(const matching::Engine& engine, Txn& txn,
                                                           const ReviewItem& item,
                                                           const Report& report) {
  const int64_t own = item.provisional_victim_id;
  matching::MatchResult m = engine.Match(report, [own](int64_t v) { return v == own; });
  std::vector<matching::Candidate> out;
  std::set<int64_t> seen = {own};
  for (auto& c : m.candidates) {
    if (c.report_id == item.report_id || !seen.insert(c.victim_id).second) continue;
    out.push_back(std::move(c));
  }
  // Candidates queued earlier that the engine no longer proposes (their score
  // fell below the review threshold as the register changed): still shown,
  // with their score now.
  for (const auto& queued : item.candidates) {
    auto id = Survivor(txn, queued.victim_id);
    if (!id.ok()) return id.status();
    if (!seen.insert(*id).second) continue;
    auto victim = txn.GetVictim(*id);
    if (!victim.ok()) return victim.status();
    matching::Candidate best;
    bool any = false;
    for (int64_t rid : victim->report_ids) {
      if (rid == item.report_id) continue;
      auto r = txn.GetReport(rid);
      if (!r.ok()) return r.status();
      matching::Explanation why = engine.ScorePair(report, *r);
      if (!any || why.total > best.score) {
        best.victim_id = *id;
        best.report_id = rid;
        best.score = why.total;
        best.why = std::move(why);
        any = true;
      }
    }
    if (any) out.push_back(std::move(best));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.score > b.score; });
  return out;
}

}  // namespace qayd::review
