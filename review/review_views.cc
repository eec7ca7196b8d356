// The read-mostly side of ReviewService: item and victim views, undo, split,
// search and explain.
#include <rapidjson/document.h>

#include <set>
#include <sstream>

#include "base/log.h"
#include "review/json_out.h"
#include "review/name_parts.h"
#include "review/review_service.h"

namespace qayd::review {
namespace {

Status Coded(ErrorCode code, const std::string& stable, const std::string& message) {
  return Error(code, stable + ": " + message);
}

// Reads a report; admins also get the submitter's relation and contact.
Result<Report> LoadReport(Txn& txn, int64_t id, bool admin) {
  auto r = txn.GetReport(id);
  if (!r.ok() || !admin) return r;
  auto contact = txn.GetContact(id);
  if (contact.ok()) {
    r->submitter_relation = contact->first;
    r->submitter_contact = contact->second;
  }
  return r;
}

bool IsDecisionEvent(EventType t) {
  return t == EventType::kReviewDecision || t == EventType::kDifferentPeople ||
         t == EventType::kRelation || t == EventType::kMerge || t == EventType::kUndoMerge ||
         t == EventType::kSplit;
}

int64_t UndoesSeq(const HistoryEvent& e) {
  rapidjson::Document d;
  if (e.details.empty() || d.Parse(e.details.c_str()).HasParseError() || !d.IsObject()) return 0;
  auto it = d.FindMember("undoes");
  return it != d.MemberEnd() && it->value.IsInt64() ? it->value.GetInt64() : 0;
}

}  // namespace

int64_t ReviewService::Commonness(const std::string& part) {
  std::lock_guard lock(tokens_mutex_);
  int64_t now = now_ms_();
  if (tokens_built_ms_ < 0 || now - tokens_built_ms_ > 10 * 60 * 1000) RefreshTokenCounts();
  // A part may hold several tokens ("abd al-rahman"): report the rarest.
  std::istringstream in(part);
  std::string t;
  int64_t best = -1;
  while (in >> t) {
    auto it = token_counts_.find(FoldToken(t));
    int64_t n = it == token_counts_.end() ? 0 : it->second;
    if (best < 0 || n < best) best = n;
  }
  return best < 0 ? 0 : best;
}

void ReviewService::RefreshTokenCounts() {
  std::unordered_map<std::string, int64_t> counts;
  Status s = store_->ScanVictims([&](const qayd::Victim&, const std::vector<Report>& reports) {
    for (const Report& r : reports) {
      std::set<std::string> seen;
      for (const auto& n : r.names) {
        std::istringstream in(n.full);
        std::string t;
        while (in >> t) seen.insert(FoldToken(t));
      }
      for (const auto& t : seen) counts[t]++;
    }
    return true;
  });
  if (!s.ok()) {
    log::Warning("token counts not refreshed", {{"error", s.ToString()}});
    return;
  }
  token_counts_ = std::move(counts);
  tokens_built_ms_ = now_ms_();
}

Result<std::string> ReviewService::Item(int64_t item_id, const Viewer& viewer) {
  auto txn_r = store_->Begin(Store::Mode::kRead);
  if (!txn_r.ok()) return txn_r.status();
  Txn& txn = **txn_r;
  auto item = txn.GetReviewItem(item_id);
  if (!item.ok()) return item.status();
  auto report = LoadReport(txn, item->report_id, viewer.admin);
  if (!report.ok()) return report.status();
  auto commonness = [this](const std::string& p) { return Commonness(p); };

  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("item");
  w.StartObject();
  WriteReviewItemSummary(w, *item, now_ms_());
  w.EndObject();
  w.Key("report");
  WriteReport(w, *report, viewer.admin);

  std::set<int64_t> involved = {item->provisional_victim_id};
  w.Key("candidates");
  w.StartArray();
  for (const auto& cand : item->candidates) {
    auto victim = txn.GetVictim(cand.victim_id);
    if (!victim.ok()) continue;
    involved.insert(cand.victim_id);
    w.StartObject();
    w.Key("victim_id");
    w.Int64(cand.victim_id);
    w.Key("score");
    w.Double(cand.score);
    Str(w, "state", VictimStateName(victim->state));
    w.Key("merged_into");
    w.Int64(victim->merged_into);
    std::vector<Report> reports;
    for (int64_t rid : victim->report_ids) {
      if (rid == item->report_id) continue;
      auto r = LoadReport(txn, rid, viewer.admin);
      if (r.ok()) reports.push_back(std::move(*r));
    }
    w.Key("reports");
    w.StartArray();
    for (const auto& r : reports) WriteReport(w, r, viewer.admin);
    w.EndArray();
    // The comparison with the candidate's best-scoring report.
    const Report* best = nullptr;
    matching::Explanation best_why;
    for (const auto& r : reports) {
      matching::Explanation why = engine_->ScorePair(*report, r);
      if (!best || why.total > best_why.total) {
        best = &r;
        best_why = std::move(why);
      }
    }
    if (best) {
      w.Key("comparison");
      WriteComparison(w, *report, *best, best_why, commonness);
    }
    w.EndObject();
  }
  w.EndArray();

  // Earlier decisions touching these victims.
  std::set<int64_t> seen;
  w.Key("earlier_decisions");
  w.StartArray();
  for (int64_t vid : involved) {
    auto history = txn.VictimHistory(vid);
    if (!history.ok()) continue;
    for (const auto& e : *history) {
      if (!IsDecisionEvent(e.type) || !seen.insert(e.seq).second) continue;
      WriteEvent(w, e);
    }
  }
  w.EndArray();
  w.EndObject();
  return std::string(buf.GetString());
}

Result<std::string> ReviewService::Victim(int64_t victim_id, const Viewer& viewer) {
  auto txn_r = store_->Begin(Store::Mode::kRead);
  if (!txn_r.ok()) return txn_r.status();
  Txn& txn = **txn_r;
  auto victim = txn.GetVictim(victim_id);
  if (!victim.ok()) return victim.status();
  auto history = txn.VictimHistory(victim_id);
  if (!history.ok()) return history.status();

  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("victim");
  w.StartObject();
  w.Key("id");
  w.Int64(victim->id);
  Str(w, "state", VictimStateName(victim->state));
  w.Key("merged_into");
  w.Int64(victim->merged_into);
  Str(w, "corroboration", CorroborationName(victim->corroboration));
  w.Key("created_at_ms");
  w.Int64(victim->created_at_ms);
  w.EndObject();
  w.Key("reports");
  w.StartArray();
  for (int64_t rid : victim->report_ids) {
    auto r = LoadReport(txn, rid, viewer.admin);
    if (r.ok()) WriteReport(w, *r, viewer.admin);
  }
  w.EndArray();
  std::set<int64_t> undone;
  for (const auto& e : *history) {
    if (e.type == EventType::kUndoMerge) undone.insert(UndoesSeq(e));
  }
  w.Key("merges");
  w.StartArray();
  for (const auto& e : *history) {
    if (e.type != EventType::kMerge || e.victim_id != victim_id) continue;
    w.StartObject();
    w.Key("seq");
    w.Int64(e.seq);
    w.Key("absorbed");
    w.Int64(e.other_victim_id);
    Str(w, "actor", e.actor);
    w.Key("at_ms");
    w.Int64(e.at_ms);
    w.Key("undone");
    w.Bool(undone.count(e.seq) > 0);
    w.EndObject();
  }
  w.EndArray();
  w.Key("history");
  w.StartArray();
  for (const auto& e : *history) WriteEvent(w, e);
  w.EndArray();
  w.EndObject();
  return std::string(buf.GetString());
}

Result<std::string> ReviewService::UndoMerge(int64_t merge_seq, const std::string& reason,
                                             const Viewer& viewer) {
  if (reason.size() > 2000) return Coded(ErrorCode::kInvalidInput, "too_long", "reason too long");
  auto txn_r = store_->Begin();
  if (!txn_r.ok()) return txn_r.status();
  Txn& txn = **txn_r;
  auto events = txn.EventsSince(merge_seq - 1, 1);
  if (!events.ok()) return events.status();
  if (events->empty() || events->front().seq != merge_seq ||
      events->front().type != EventType::kMerge) {
    return Coded(ErrorCode::kNotFound, "no_such_merge", "no merge event with that number");
  }
  const int64_t survivor = events->front().victim_id;
  const int64_t absorbed = events->front().other_victim_id;
  Status s = txn.UndoMerge(merge_seq, viewer.user, reason);
  if (s.code() == ErrorCode::kConflict) {
    return Coded(ErrorCode::kConflict, "cannot_undo", s.message());
  }
  if (!s.ok()) return s;
  auto restored = txn.GetVictim(absorbed);
  if (!restored.ok()) return restored.status();
  if (Status c = txn.Commit(); !c.ok()) return c;
  for (int64_t rid : restored->report_ids) engine_->Reassign(rid, absorbed);
  log::Info("merge undone", {{"seq", std::to_string(merge_seq)}, {"user", viewer.user}});
  return "{\"undone\":" + std::to_string(merge_seq) + ",\"survivor\":" + std::to_string(survivor) +
         ",\"restored\":" + std::to_string(absorbed) + "}";
}

Result<std::string> ReviewService::Split(int64_t victim_id, const std::vector<int64_t>& report_ids,
                                         const std::string& reason, const Viewer& viewer) {
  if (report_ids.empty()) {
    return Coded(ErrorCode::kInvalidInput, "no_reports", "name the reports to split off");
  }
  if (reason.empty()) {
    return Coded(ErrorCode::kInvalidInput, "reason_required", "a split needs a reason");
  }
  auto txn_r = store_->Begin();
  if (!txn_r.ok()) return txn_r.status();
  auto created = (*txn_r)->SplitVictim(victim_id, report_ids, viewer.user, reason);
  if (!created.ok()) return created.status();
  if (Status c = (*txn_r)->Commit(); !c.ok()) return c;
  for (int64_t rid : report_ids) engine_->Reassign(rid, *created);
  return "{\"victim_id\":" + std::to_string(victim_id) +
         ",\"new_victim_id\":" + std::to_string(*created) + "}";
}

Result<std::string> ReviewService::Search(const std::string& name, int limit,
                                          const Viewer& viewer) {
  if (name.empty() || name.size() > 300) {
    return Coded(ErrorCode::kInvalidInput, "bad_name", "give a name of 1 to 300 bytes");
  }
  Report q;
  NameSpelling n;
  n.full = name;
  n.script = Transliterate(name).empty() ? Script::kLatin : Script::kArabic;
  q.names.push_back(n);
  matching::MatchResult m = engine_->Match(q);
  auto txn_r = store_->Begin(Store::Mode::kRead);
  if (!txn_r.ok()) return txn_r.status();
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("results");
  w.StartArray();
  int shown = 0;
  for (const auto& c : m.candidates) {
    if (shown++ >= limit) break;
    auto r = LoadReport(**txn_r, c.report_id, viewer.admin);
    w.StartObject();
    w.Key("victim_id");
    w.Int64(c.victim_id);
    w.Key("score");
    w.Double(c.score);
    if (r.ok()) {
      w.Key("report");
      WriteReport(w, *r, viewer.admin);
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buf.GetString());
}

Result<std::string> ReviewService::Explain(int64_t report_a, int64_t report_b,
                                           const Viewer& viewer) {
  auto txn_r = store_->Begin(Store::Mode::kRead);
  if (!txn_r.ok()) return txn_r.status();
  auto a = LoadReport(**txn_r, report_a, viewer.admin);
  if (!a.ok()) return a.status();
  auto b = LoadReport(**txn_r, report_b, viewer.admin);
  if (!b.ok()) return b.status();
  matching::Explanation why = engine_->ScorePair(*a, *b);
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("a");
  WriteReport(w, *a, viewer.admin);
  w.Key("b");
  WriteReport(w, *b, viewer.admin);
  w.Key("comparison");
  WriteComparison(w, *a, *b, why, [this](const std::string& p) { return Commonness(p); });
  w.EndObject();
  return std::string(buf.GetString());
}

}  // namespace qayd::review
