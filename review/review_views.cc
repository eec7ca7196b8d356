// The read-mostly side of ReviewService: item and victim views, undo, split,
// search and explain.
#include <rapidjson/document.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "base/log.h"
#include "matching/name_normalizer.h"
#include "review/event_at.h"
#include "review/json_out.h"
#include "review/name_parts.h"
#include "review/review_service.h"
#include "review/transliterate.h"

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
  std::unordered_map<std::string, std::vector<int64_t>> parts, incidents;
  Status s = store_->ScanVictims([&](const qayd::Victim& v, const std::vector<Report>& reports) {
    std::set<std::string> keys, victim_incidents;
    for (const Report& r : reports) {
      if (!r.incident_id.empty()) victim_incidents.insert(r.incident_id);
      std::set<std::string> seen;
      for (const auto& n : r.names) {
        std::istringstream in(n.full);
        std::string t;
        while (in >> t) seen.insert(FoldToken(t));
        for (const auto& part : matching::NormalizeName(n.full).parts) {
          if (part.key.size() >= 2) keys.insert(part.key);
        }
      }
      for (const auto& t : seen) counts[t]++;
    }
    for (const auto& k : keys) parts[k].push_back(v.id);
    for (const auto& i : victim_incidents) incidents[i].push_back(v.id);
    return true;
  });
  if (!s.ok()) {
    log::Warning("token counts not refreshed", {{"error", s.ToString()}});
    return;
  }
  token_counts_ = std::move(counts);
  part_victims_ = std::move(parts);
  incident_victims_ = std::move(incidents);
  tokens_built_ms_ = now_ms_();
}

std::vector<int64_t> ReviewService::VictimsOfIncident(const std::string& incident, size_t limit) {
  std::lock_guard lock(tokens_mutex_);
  int64_t now = now_ms_();
  if (tokens_built_ms_ < 0 || now - tokens_built_ms_ > 10 * 60 * 1000) RefreshTokenCounts();
  auto it = incident_victims_.find(incident);
  if (incident.empty() || it == incident_victims_.end()) return {};
  std::vector<int64_t> out(
      it->second.begin(),
      it->second.begin() + static_cast<std::ptrdiff_t>(std::min(limit, it->second.size())));
  return out;
}

void ReviewService::WriteContext(JsonWriter& w, Txn& txn, const Report& report,
                                 const std::set<int64_t>& skip, const Viewer& viewer) {
  auto list = [&](const char* key, const std::vector<int64_t>& victims) {
    w.Key(key);
    w.StartArray();
    int shown = 0;
    for (int64_t id : victims) {
      if (skip.count(id) || shown >= 10) continue;
      auto v = txn.GetVictim(id);
      if (!v.ok() || v->state == VictimState::kAbsorbed || v->report_ids.empty()) continue;
      auto r = LoadReport(txn, v->report_ids.front(), viewer.admin);
      if (!r.ok()) continue;
      ++shown;
      w.StartObject();
      w.Key("victim_id");
      w.Int64(id);
      Str(w, "state", VictimStateName(v->state));
      w.Key("report");
      WriteReport(w, *r, viewer.admin);
      w.EndObject();
    }
    w.EndArray();
  };
  w.Key("context");
  w.StartObject();
  list("incident", VictimsOfIncident(report.incident_id, 40));
  // Likely relatives: the same father and family name (siblings; a father and
  // son share two parts shifted, which the engine's own row flags).
  std::vector<std::string> keys;
  const NameSpelling* n = report.primary_name();
  if (n != nullptr) {
    matching::NormalizedName norm = matching::NormalizeName(n->full);
    if (norm.father() != nullptr && norm.family() != nullptr) {
      keys = {norm.father()->key, norm.family()->key};
    }
  }
  list("relatives", keys.empty() ? std::vector<int64_t>{} : VictimsWithParts(keys, 40));
  w.EndObject();
}

std::vector<int64_t> ReviewService::VictimsWithParts(const std::vector<std::string>& keys,
                                                     size_t limit) {
  std::lock_guard lock(tokens_mutex_);
  int64_t now = now_ms_();
  if (tokens_built_ms_ < 0 || now - tokens_built_ms_ > 10 * 60 * 1000) RefreshTokenCounts();
  std::vector<int64_t> out;
  if (keys.empty()) return out;
  // The rarest key first; then keep the victims that hold every other key.
  std::vector<const std::vector<int64_t>*> lists;
  for (const auto& k : keys) {
    auto it = part_victims_.find(k);
    if (it == part_victims_.end()) return out;
    lists.push_back(&it->second);
  }
  std::sort(lists.begin(), lists.end(), [](auto* a, auto* b) { return a->size() < b->size(); });
  for (int64_t v : *lists.front()) {
    bool all = true;
    for (size_t i = 1; all && i < lists.size(); ++i) {
      all = std::binary_search(lists[i]->begin(), lists[i]->end(), v);
    }
    if (all) out.push_back(v);
    if (out.size() >= limit) break;
  }
  return out;
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
  bool stale = false;
  std::vector<ReviewCandidate> fresh;

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
  // The candidates as proposed now, each with the score and explanation of
  // one computation; stored back when they changed (queue, what-if).
  auto proposed = Propose(txn, *item, *report);
  if (!proposed.ok()) return proposed.status();
  w.Key("candidates");
  w.StartArray();
  for (const auto& cand : *proposed) {
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
    const Report* best = nullptr;
    for (int64_t rid : victim->report_ids) {
      if (rid == item->report_id) continue;
      auto r = LoadReport(txn, rid, viewer.admin);
      if (r.ok()) reports.push_back(std::move(*r));
    }
    for (const auto& r : reports) {
      if (r.id == cand.report_id) best = &r;
    }
    w.Key("reports");
    w.StartArray();
    for (const auto& r : reports) WriteReport(w, r, viewer.admin);
    w.EndArray();
    if (best) {  // the comparison with the report that scored
      w.Key("comparison");
      WriteComparison(w, *report, *best, cand.why, commonness);
    }
    w.EndObject();
  }
  w.EndArray();
  stale = item->state != ReviewState::kDecided && proposed->size() != item->candidates.size();
  for (size_t i = 0; !stale && i < proposed->size(); ++i) {
    stale = (*proposed)[i].victim_id != item->candidates[i].victim_id ||
            std::abs((*proposed)[i].score - item->candidates[i].score) > 1e-9;
  }
  for (const auto& c : *proposed) fresh.push_back({c.victim_id, c.score});

  WriteContext(w, txn, *report, involved, viewer);

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
  std::string out = buf.GetString();
  txn_r->reset();
  if (stale) {  // best effort: the screen is right either way
    auto write = store_->Begin();
    Status s = write.ok() ? (*write)->SetReviewCandidates(item_id, fresh) : write.status();
    if (s.ok()) s = (*write)->Commit();
    if (!s.ok()) log::Warning("review candidates not refreshed", {{"error", s.ToString()}});
  }
  return out;
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
  auto merge = EventAt(txn, merge_seq, EventType::kMerge, "no_such_merge", "merge");
  if (!merge.ok()) return merge.status();
  const int64_t survivor = merge->victim_id;
  const int64_t absorbed = merge->other_victim_id;
  Status s = txn.UndoMerge(merge_seq, viewer.user, reason);
  if (s.code() == ErrorCode::kConflict) {
    return Coded(ErrorCode::kConflict, "cannot_undo", s.message());
  }
  if (!s.ok()) return s;
  if (Status r = ReopenMergedItem(txn, absorbed, merge_seq, viewer.user); !r.ok()) return r;
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
  n.script = HasArabic(name) ? Script::kArabic : Script::kLatin;
  q.names.push_back(n);
  matching::MatchResult m = engine_->Match(q);
  std::vector<std::string> keys;
  for (const auto& part : matching::NormalizeName(name).parts) {
    if (part.key.size() >= 2) keys.push_back(part.key);
  }
  std::vector<int64_t> by_part = VictimsWithParts(keys, static_cast<size_t>(limit) * 4);
  auto txn_r = store_->Begin(Store::Mode::kRead);
  if (!txn_r.ok()) return txn_r.status();
  Txn& txn = **txn_r;
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("results");
  w.StartArray();
  int shown = 0;
  std::set<int64_t> seen;
  auto write = [&](int64_t victim_id, int64_t report_id, const double* score) {
    auto victim = txn.GetVictim(victim_id);
    if (!victim.ok() || victim->state == VictimState::kAbsorbed || victim->report_ids.empty()) {
      return;
    }
    if (!seen.insert(victim_id).second) return;
    ++shown;
    auto r = LoadReport(txn, report_id != 0 ? report_id : victim->report_ids.front(), viewer.admin);
    w.StartObject();
    w.Key("victim_id");
    w.Int64(victim_id);
    if (score) {
      w.Key("score");
      w.Double(*score);
    }
    Str(w, "match", score ? "name" : "part");
    Str(w, "state", VictimStateName(victim->state));
    w.Key("reports");
    w.Int64(static_cast<int64_t>(victim->report_ids.size()));
    if (r.ok()) {
      w.Key("report");
      WriteReport(w, *r, viewer.admin);
    }
    w.EndObject();
  };
  for (const auto& c : m.candidates) {
    if (shown >= limit) break;
    write(c.victim_id, c.report_id, &c.score);
  }
  for (int64_t v : by_part) {
    if (shown >= limit) break;
    write(v, 0, nullptr);
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
