#include "review/review_service.h"

#include <set>

#include "base/log.h"
#include "base/metrics.h"
#include "review/json_out.h"
#include "review/propose.h"

namespace qayd::review {
namespace {

Status Coded(ErrorCode code, const std::string& stable, const std::string& message) {
  return Error(code, stable + ": " + message);
}

std::string DetailsJson(const DecisionInput& in, int64_t report_id, int64_t target,
                        const std::vector<int64_t>& others) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("item");
  w.Int64(in.item_id);
  w.Key("report_id");
  w.Int64(report_id);
  Str(w, "decision", in.decision);
  w.Key("victim_id");
  w.Int64(target);
  if (!in.relation.empty()) Str(w, "relation", in.relation);
  if (!others.empty()) {
    w.Key("others");  // the victims recorded as different people (undo lifts exactly these)
    w.StartArray();
    for (int64_t o : others) w.Int64(o);
    w.EndArray();
  }
  Str(w, "reason", in.reason);
  if (!in.note.empty()) Str(w, "note", in.note);
  w.EndObject();
  return buf.GetString();
}

}  // namespace

Result<std::vector<matching::Candidate>> ReviewService::Propose(Txn& txn, const ReviewItem& item,
                                                                const Report& report) const {
  return ProposeCandidates(*engine_, txn, item, report);
}

std::string StableCode(const Status& status) {
  const std::string& m = status.message();
  size_t colon = m.find(": ");
  if (colon == std::string::npos || colon == 0) return "";
  for (size_t i = 0; i < colon; ++i) {
    char c = m[i];
    if (!((c >= 'a' && c <= 'z') || c == '_')) return "";
  }
  return m.substr(0, colon);
}

ReviewService::ReviewService(Store* store, matching::Engine* engine,
                             std::function<int64_t()> now_ms)
    : store_(store), engine_(engine), now_ms_(std::move(now_ms)) {}

Result<std::string> ReviewService::Queue(const ReviewFilter& filter, const Viewer& viewer) {
  auto txn = store_->Begin(Store::Mode::kRead);
  if (!txn.ok()) return txn.status();
  ReviewFilter f = filter;
  f.exclude_unsure_of = viewer.user;
  auto items = (*txn)->ListReviewItems(f);
  if (!items.ok()) return items.status();
  int64_t now = now_ms_();
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("offset");
  w.Int(f.offset);
  w.Key("limit");
  w.Int(f.limit);
  w.Key("items");
  w.StartArray();
  for (const ReviewItem& item : *items) {
    w.StartObject();
    WriteReviewItemSummary(w, item, now);
    auto report = (*txn)->GetReport(item.report_id);
    if (report.ok()) {
      const NameSpelling* n = report->primary_name();
      Str(w, "name", n ? n->full : "");
      Str(w, "source", report->source);
      Str(w, "date_of_death", report->date_of_death.ToString());
      Str(w, "governorate", report->place_of_death.governorate);
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buf.GetString());
}

Result<std::string> ReviewService::Claim(int64_t item_id, const Viewer& viewer, int64_t lease_ms) {
  auto txn = store_->Begin();
  if (!txn.ok()) return txn.status();
  auto item = (*txn)->GetReviewItem(item_id);
  if (!item.ok()) return item.status();
  if (item->state == ReviewState::kDecided) {
    return Coded(ErrorCode::kConflict, "already_decided", "the item has been decided");
  }
  int64_t now = now_ms_();
  Status s = (*txn)->ClaimReviewItem(item_id, viewer.user, now, lease_ms);
  if (s.code() == ErrorCode::kConflict) {
    return Coded(ErrorCode::kConflict, "claimed_by_other", "another monitor holds this item");
  }
  if (!s.ok()) return s;
  if (Status c = (*txn)->Commit(); !c.ok()) return c;
  return "{\"item_id\":" + std::to_string(item_id) +
         ",\"lease_expires_ms\":" + std::to_string(now + lease_ms) + "}";
}

Result<std::string> ReviewService::ClaimNext(ReviewFilter filter, const Viewer& viewer,
                                             int64_t lease_ms) {
  filter.exclude_unsure_of = viewer.user;
  filter.limit = 50;
  for (int page = 0; page < 20; ++page) {
    std::vector<ReviewItem> items;
    {
      auto txn = store_->Begin(Store::Mode::kRead);
      if (!txn.ok()) return txn.status();
      auto list = (*txn)->ListReviewItems(filter);
      if (!list.ok()) return list.status();
      items = std::move(*list);
    }
    int64_t now = now_ms_();
    for (const ReviewItem& item : items) {
      // Skip every item under a live lease, one's own too: "next" means another item.
      if (!item.claimed_by.empty() && item.lease_expires_ms > now) continue;
      auto claimed = Claim(item.id, viewer, lease_ms);
      if (claimed.ok()) return claimed;
      if (claimed.status().code() != ErrorCode::kConflict) return claimed.status();
    }
    if (static_cast<int>(items.size()) < filter.limit) break;
    filter.offset += filter.limit;
  }
  return Coded(ErrorCode::kNotFound, "queue_empty", "no unclaimed item in this queue");
}

Result<std::string> ReviewService::Decide(const DecisionInput& in, const Viewer& viewer) {
  static const std::set<std::string> kDecisions = {"same", "different", "unsure", "related"};
  static const std::set<std::string> kRelations = {"sibling", "parent", "child", "spouse"};
  if (!kDecisions.count(in.decision)) {
    return Coded(ErrorCode::kInvalidInput, "bad_decision",
                 "decision must be same, different, unsure or related");
  }
  if (in.decision == "related") {
    if (!kRelations.count(in.relation)) {
      return Coded(ErrorCode::kInvalidInput, "bad_relation",
                   "relation must be sibling, parent, child or spouse");
    }
    if (in.reason.empty()) {
      return Coded(ErrorCode::kInvalidInput, "reason_required",
                   "a related decision needs a reason");
    }
  }
  if (in.reason.size() > 2000 || in.note.size() > 10000) {
    return Coded(ErrorCode::kInvalidInput, "too_long", "reason or note too long");
  }

  auto txn_r = store_->Begin();
  if (!txn_r.ok()) return txn_r.status();
  Txn& txn = **txn_r;
  auto item = txn.GetReviewItem(in.item_id);
  if (!item.ok()) return item.status();
  if (item->state == ReviewState::kDecided) {
    return Coded(ErrorCode::kConflict, "already_decided", "the item has been decided");
  }
  int64_t now = now_ms_();
  if (item->claimed_by != viewer.user || item->lease_expires_ms <= now) {
    return Coded(ErrorCode::kConflict, "lease_expired",
                 "claim the item before deciding (your lease is missing or expired)");
  }

  auto report = txn.GetReport(item->report_id);
  if (!report.ok()) return report.status();
  auto proposed = Propose(txn, *item, *report);
  if (!proposed.ok()) return proposed.status();
  int64_t target = in.victim_id;
  if ((in.decision == "same" || in.decision == "related") && target == 0) {
    if (proposed->empty()) {
      return Coded(ErrorCode::kInvalidInput, "no_candidate", "the item has no candidate");
    }
    target = proposed->front().victim_id;
  }
  if (target != 0) {
    // A candidate shown on the screen: proposed now, or queued earlier (and
    // then followed to its survivor if merged away since).
    bool known = false;
    for (const auto& c : *proposed) known = known || c.victim_id == target;
    for (const auto& c : item->candidates) known = known || c.victim_id == target;
    if (!known) {
      return Coded(ErrorCode::kInvalidInput, "not_a_candidate",
                   "victim " + std::to_string(target) + " is not a candidate of this item");
    }
    auto survivor = Survivor(txn, target);
    if (!survivor.ok()) return survivor.status();
    target = *survivor;
  }
  std::vector<ReviewCandidate> fresh;
  for (const auto& c : *proposed) fresh.push_back({c.victim_id, c.score});
  if (Status s = txn.SetReviewCandidates(item->id, fresh); !s.ok()) return s;

  const int64_t provisional = item->provisional_victim_id;
  std::vector<int64_t> moved;   // reports whose victim changes in the index
  std::vector<int64_t> others;  // "different"/"related": the victims ruled out
  if (in.decision == "related" || (in.decision == "different" && target != 0)) {
    others.push_back(target);
  } else if (in.decision == "different") {
    for (const auto& c : fresh) others.push_back(c.victim_id);
  }
  const std::string details = DetailsJson(in, item->report_id, target, others);
  int64_t merge_seq = 0;
  if (in.decision == "same") {
    auto prov = txn.GetVictim(provisional);
    if (!prov.ok()) return prov.status();
    moved = prov->report_ids;
    auto seq = txn.MergeVictims(target, provisional, viewer.user, details);
    if (!seq.ok()) {
      if (seq.status().code() == ErrorCode::kConflict) {
        return Coded(ErrorCode::kConflict, "marked_different",
                     "these victims were recorded as different people");
      }
      return seq.status();
    }
    merge_seq = *seq;
    if (Status s = txn.SetResolution(item->report_id, Resolution::kAttached); !s.ok()) return s;
  } else if (in.decision == "different" || in.decision == "related") {
    for (int64_t other : others) {
      if (Status s = txn.RecordDifferent(provisional, other, viewer.user, in.reason); !s.ok()) {
        return s;
      }
    }
    if (in.decision == "related") {
      if (Status s = txn.RecordRelation(provisional, target, in.relation, viewer.user); !s.ok()) {
        return s;
      }
    }
    if (Status s = txn.SetVictimState(provisional, VictimState::kActive, viewer.user); !s.ok()) {
      return s;
    }
    if (Status s = txn.SetResolution(item->report_id, Resolution::kAttached); !s.ok()) return s;
  }
  if (Status s = txn.DecideReviewItem(in.item_id, viewer.user, in.decision, details, now);
      !s.ok()) {
    return s;
  }
  if (Status s = txn.Commit(); !s.ok()) return s;

  for (int64_t report_id : moved) engine_->Reassign(report_id, target);
  metrics::Std().review_decisions->Inc();
  if (in.decision == "same") metrics::Std().merged->Inc(static_cast<double>(moved.size()));
  log::Info(
      "review decision",
      {{"item", std::to_string(in.item_id)}, {"decision", in.decision}, {"user", viewer.user}});

  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("item_id");
  w.Int64(in.item_id);
  Str(w, "decision", in.decision);
  w.Key("victim_id");
  w.Int64(in.decision == "same" ? target : provisional);
  w.Key("merge_seq");
  w.Int64(merge_seq);
  w.EndObject();
  return std::string(buf.GetString());
}

}  // namespace qayd::review
