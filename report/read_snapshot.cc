// Reading the register for a report: one consistent scan of the victims, the
// vocabularies and the open review queue.
#include <set>

#include "base/log.h"
#include "report/death_report.h"

namespace qayd::report {

Result<RegisterSnapshot> ReadSnapshot(Store* store) {
  RegisterSnapshot snap;
  Status scan = store->ScanVictims([&](const Victim& v, const std::vector<Report>& reports) {
    if (v.state != VictimState::kAbsorbed) snap.victims.push_back(FactsOf(v, reports));
    return true;
  });
  if (!scan.ok()) return scan;

  auto txn = store->Begin(Store::Mode::kRead);
  if (!txn.ok()) return txn.status();
  for (auto [kind, out] : {std::pair{"perpetrator", &snap.perpetrators},
                           std::pair{"governorate", &snap.governorates}}) {
    auto entries = (*txn)->Vocabulary(kind);
    if (!entries.ok()) {
      // A backend without vocabularies still gets a report: values are shown as given.
      log::Warning("report: vocabulary unavailable",
                   {{"kind", kind}, {"error", entries.status().ToString()}});
      continue;
    }
    *out = std::move(*entries);
  }
  std::set<int64_t> seen;
  for (ReviewState state : {ReviewState::kPending, ReviewState::kUnsure}) {
    ReviewFilter filter;
    filter.state = state;
    filter.limit = 500;
    for (filter.offset = 0;; filter.offset += filter.limit) {
      auto items = (*txn)->ListReviewItems(filter);
      if (!items.ok()) return items.status();
      for (const ReviewItem& item : *items) {
        if (item.state == ReviewState::kDecided || !seen.insert(item.id).second) continue;
        PendingReview p;
        p.item_id = item.id;
        if (item.provisional_victim_id) p.victim_ids.push_back(item.provisional_victim_id);
        for (const ReviewCandidate& c : item.candidates) p.victim_ids.push_back(c.victim_id);
        snap.pending.push_back(std::move(p));
      }
      if (static_cast<int>(items->size()) < filter.limit) break;
    }
  }
  return snap;
}

Result<DeathReport> BuildDeathReport(Store* store, const ReportRequest& request) {
  auto snap = ReadSnapshot(store);
  if (!snap.ok()) return snap.status();
  return ComputeDeathReport(*snap, request);
}

}  // namespace qayd::report
