// ReviewService: undo of a review decision (every kind puts the item back in
// the queue) and the release of a lease (skip).
#include <rapidjson/document.h>

#include <algorithm>
#include <optional>

#include "base/log.h"
#include "review/event_at.h"
#include "review/json_out.h"
#include "review/review_service.h"

namespace qayd::review {
namespace {

Status Coded(ErrorCode code, const std::string& stable, const std::string& message) {
  return Error(code, stable + ": " + message);
}

// The details of a history event as a JSON document (empty object if none).
rapidjson::Document Details(const HistoryEvent& e) {
  rapidjson::Document d;
  if (e.details.empty() || d.Parse(e.details.c_str()).HasParseError() || !d.IsObject()) {
    d.SetObject();
  }
  return d;
}

int64_t IntOf(const rapidjson::Document& d, const char* key) {
  auto it = d.FindMember(key);
  return it != d.MemberEnd() && it->value.IsInt64() ? it->value.GetInt64() : 0;
}

std::string StringOf(const rapidjson::Document& d, const char* key) {
  auto it = d.FindMember(key);
  return it != d.MemberEnd() && it->value.IsString() ? it->value.GetString() : "";
}

// The newest decision event of `item_id` among the provisional victim's
// events, unless the item was reopened after it (then nothing to undo).
Result<std::optional<HistoryEvent>> LastDecision(Txn& txn, const ReviewItem& item) {
  auto history = txn.VictimHistory(item.provisional_victim_id);
  if (!history.ok()) return history.status();
  std::optional<HistoryEvent> last;
  for (const HistoryEvent& e : *history) {
    if (e.type != EventType::kReviewDecision && e.type != EventType::kReviewQueued) continue;
    rapidjson::Document d = Details(e);
    if (IntOf(d, "item") != item.id) continue;
    if (e.type == EventType::kReviewDecision) last = e;
    if (e.type == EventType::kReviewQueued && d.HasMember("reopened")) last.reset();
  }
  return last;
}

std::string UndoneJson(int64_t item_id, const std::string& decision) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("item_id");
  w.Int64(item_id);
  Str(w, "undone", decision);
  w.EndObject();
  return buf.GetString();
}

}  // namespace

Status ReviewService::ReopenMergedItem(Txn& txn, int64_t absorbed, int64_t undo_of,
                                       const std::string& actor) {
  auto history = txn.VictimHistory(absorbed);
  if (!history.ok()) return history.status();
  int64_t item_id = 0;
  for (const HistoryEvent& e : *history) {
    if (e.type != EventType::kReviewDecision) continue;
    rapidjson::Document d = Details(e);
    if (StringOf(d, "decision") == "same") item_id = IntOf(d, "item");
  }
  if (item_id == 0) return Status::Ok();
  auto item = txn.GetReviewItem(item_id);
  if (!item.ok()) return item.status();
  if (item->state != ReviewState::kDecided || item->decision != "same" ||
      item->provisional_victim_id != absorbed) {
    return Status::Ok();
  }
  if (Status s = txn.SetResolution(item->report_id, Resolution::kReview); !s.ok()) return s;
  return txn.ReopenReviewItem(
      item_id, item->candidates, actor,
      "{\"reopened\":true,\"undoes_merge\":" + std::to_string(undo_of) + "}");
}

Result<std::string> ReviewService::UndoDecision(int64_t item_id, const Viewer& viewer) {
  auto txn_r = store_->Begin();
  if (!txn_r.ok()) return txn_r.status();
  Txn& txn = **txn_r;
  auto item = txn.GetReviewItem(item_id);
  if (!item.ok()) return item.status();
  auto last = LastDecision(txn, *item);
  if (!last.ok()) return last.status();
  if (!last->has_value()) {
    return Coded(ErrorCode::kConflict, "nothing_to_undo", "the item has no decision to undo");
  }
  const HistoryEvent& e = **last;
  rapidjson::Document d = Details(e);
  const std::string decision = StringOf(d, "decision");
  if (e.actor != viewer.user && !viewer.admin) {
    return Coded(ErrorCode::kPermission, "not_your_decision",
                 "only the monitor who decided, or an admin, may undo it");
  }
  if ((decision == "unsure") != (item->state != ReviewState::kDecided)) {
    return Coded(ErrorCode::kConflict, "nothing_to_undo", "the item has no decision to undo");
  }
  const int64_t provisional = item->provisional_victim_id;
  std::vector<int64_t> restored;
  const std::string reopen = "{\"reopened\":true,\"undoes\":" + std::to_string(e.seq) + "}";
  if (decision == "same") {
    // The merge this decision made: the newest merge of the provisional victim.
    auto history = txn.VictimHistory(provisional);
    if (!history.ok()) return history.status();
    int64_t merge_seq = 0;
    for (const HistoryEvent& h : *history) {
      if (h.type == EventType::kMerge && h.other_victim_id == provisional) merge_seq = h.seq;
    }
    if (merge_seq == 0) {
      return Coded(ErrorCode::kConflict, "cannot_undo", "the decision's merge was not found");
    }
    Status s = txn.UndoMerge(merge_seq, viewer.user, "undo of review decision");
    if (s.code() == ErrorCode::kConflict)
      return Coded(ErrorCode::kConflict, "cannot_undo", s.message());
    if (!s.ok()) return s;
    if (Status r = ReopenMergedItem(txn, provisional, merge_seq, viewer.user); !r.ok()) return r;
    auto victim = txn.GetVictim(provisional);
    if (!victim.ok()) return victim.status();
    restored = victim->report_ids;
  } else if (decision == "different" || decision == "related") {
    std::vector<int64_t> others;
    if (auto it = d.FindMember("others"); it != d.MemberEnd() && it->value.IsArray()) {
      for (const auto& v : it->value.GetArray()) {
        if (v.IsInt64()) others.push_back(v.GetInt64());
      }
    }
    if (others.empty() && IntOf(d, "victim_id") != 0) others.push_back(IntOf(d, "victim_id"));
    for (int64_t other : others) {
      if (Status s = txn.LiftDifferent(provisional, other, viewer.user, "undo of review decision");
          !s.ok()) {
        return s;
      }
    }
    if (decision == "related") {
      if (Status s = txn.RemoveRelation(provisional, IntOf(d, "victim_id"), StringOf(d, "relation"),
                                        viewer.user);
          !s.ok()) {
        return s;
      }
    }
    if (Status s = txn.SetVictimState(provisional, VictimState::kProvisional, viewer.user);
        !s.ok()) {
      return s;
    }
    if (Status s = txn.SetResolution(item->report_id, Resolution::kReview); !s.ok()) return s;
    if (Status s = txn.ReopenReviewItem(item_id, item->candidates, viewer.user, reopen); !s.ok()) {
      return s;
    }
  } else {  // unsure: the item never left the queue; it shows again to this monitor
    if (Status s = txn.ReopenReviewItem(item_id, item->candidates, viewer.user, reopen); !s.ok()) {
      return s;
    }
  }
  if (Status s = txn.Commit(); !s.ok()) return s;
  for (int64_t rid : restored) engine_->Reassign(rid, provisional);
  log::Info("review decision undone",
            {{"item", std::to_string(item_id)}, {"decision", decision}, {"user", viewer.user}});
  return UndoneJson(item_id, decision);
}

Result<std::string> ReviewService::UndoSplit(int64_t split_seq, const Viewer& viewer) {
  auto txn_r = store_->Begin();
  if (!txn_r.ok()) return txn_r.status();
  Txn& txn = **txn_r;
  auto split = EventAt(txn, split_seq, EventType::kSplit, "no_such_split", "split");
  if (!split.ok()) return split.status();
  const int64_t source = split->victim_id, minted = split->other_victim_id;
  std::vector<int64_t> moved;
  rapidjson::Document d = Details(*split);
  if (auto it = d.FindMember("reports"); it != d.MemberEnd() && it->value.IsArray()) {
    for (const auto& v : it->value.GetArray()) {
      if (v.IsInt64()) moved.push_back(v.GetInt64());
    }
  }
  auto victim = txn.GetVictim(minted);
  if (!victim.ok()) return victim.status();
  std::sort(moved.begin(), moved.end());
  if (victim->state == VictimState::kAbsorbed || victim->report_ids != moved) {
    return Coded(ErrorCode::kConflict, "cannot_undo",
                 "the victim made by the split has changed since; merge it by review instead");
  }
  auto seq = txn.MergeVictims(source, minted, viewer.user,
                              "{\"undoes_split\":" + std::to_string(split_seq) + "}");
  if (!seq.ok()) {
    if (seq.status().code() == ErrorCode::kConflict) {
      return Coded(ErrorCode::kConflict, "cannot_undo", seq.status().message());
    }
    return seq.status();
  }
  if (Status c = txn.Commit(); !c.ok()) return c;
  for (int64_t rid : moved) engine_->Reassign(rid, source);
  return "{\"undone\":" + std::to_string(split_seq) + ",\"victim_id\":" + std::to_string(source) +
         ",\"merge_seq\":" + std::to_string(*seq) + "}";
}

Result<std::string> ReviewService::Release(int64_t item_id, const Viewer& viewer) {
  auto txn = store_->Begin();
  if (!txn.ok()) return txn.status();
  auto item = (*txn)->GetReviewItem(item_id);
  if (!item.ok()) return item.status();
  const int64_t now = now_ms_();
  bool mine = item->state != ReviewState::kDecided && item->claimed_by == viewer.user &&
              item->lease_expires_ms > now;
  if (mine) {
    // A lease that ends now: ClaimNext takes only leases that end later.
    if (Status s = (*txn)->ClaimReviewItem(item_id, viewer.user, now, 0); !s.ok()) return s;
    if (Status s = (*txn)->Commit(); !s.ok()) return s;
  }
  return std::string("{\"item_id\":") + std::to_string(item_id) +
         ",\"released\":" + (mine ? "true" : "false") + "}";
}

}  // namespace qayd::review
