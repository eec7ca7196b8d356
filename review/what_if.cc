#include "review/what_if.h"

#include <algorithm>
#include <cstdio>

#include "matching/engine.h"
#include "pipeline/pipeline.h"
#include "review/json_out.h"
#include "review/propose.h"

namespace qayd::review {
namespace {

struct Pair {
  Report report;
  std::vector<Report> victim_reports;
  bool same = false;
};

struct PendingItem {
  ReviewItem item;
  Report report;
};

double BestScore(const matching::Engine& engine, const Report& r,
                 const std::vector<Report>& others) {
  double best = -1e300;
  for (const Report& o : others) best = std::max(best, engine.ScorePair(r, o).total);
  return best;
}

Result<std::vector<Report>> ReportsOf(Txn& txn, int64_t victim_id, int64_t exclude_report) {
  auto v = txn.GetVictim(victim_id);
  if (!v.ok()) return v.status();
  std::vector<Report> out;
  for (int64_t rid : v->report_ids) {
    if (rid == exclude_report) continue;
    auto r = txn.GetReport(rid);
    if (!r.ok()) return r.status();
    out.push_back(std::move(*r));
  }
  return out;
}

Status Score(Store* store, matching::Engine& engine, const MatchingSettings& settings,
             const std::vector<Pair>& pairs, const std::vector<PendingItem>& pending,
             SettingsOutcome* out) {
  engine.SetSettings(settings);
  out->version = settings.version();
  out->auto_merge = settings.auto_merge;
  out->review = settings.review;
  for (const Pair& p : pairs) {
    if (p.victim_reports.empty()) continue;
    bool predicted = BestScore(engine, p.report, p.victim_reports) >= settings.auto_merge;
    if (predicted && p.same) out->true_positives++;
    if (predicted && !p.same) out->false_positives++;
    if (!predicted && p.same) out->false_negatives++;
    if (!predicted && !p.same) out->true_negatives++;
  }
  int64_t tp = out->true_positives, fp = out->false_positives, fn = out->false_negatives;
  if (tp + fp > 0) out->precision = static_cast<double>(tp) / static_cast<double>(tp + fp);
  if (tp + fn > 0) out->recall = static_cast<double>(tp) / static_cast<double>(tp + fn);
  auto txn = store->Begin(Store::Mode::kRead);
  if (!txn.ok()) return txn.status();
  for (const PendingItem& p : pending) {
    // The best candidate as the review screen proposes it.
    auto proposed = ProposeCandidates(engine, **txn, p.item, p.report);
    if (!proposed.ok()) return proposed.status();
    double top = proposed->empty() ? -1e300 : proposed->front().score;
    if (top >= settings.auto_merge)
      out->pending_would_merge++;
    else if (top >= settings.review)
      out->pending_would_queue++;
    else
      out->pending_would_be_new++;
  }
  return Status::Ok();
}

void WriteOutcome(JsonWriter& w, const char* key, const SettingsOutcome& o) {
  w.Key(key);
  w.StartObject();
  Str(w, "version", o.version);
  w.Key("auto_merge");
  w.Double(o.auto_merge);
  w.Key("review");
  w.Double(o.review);
  w.Key("true_positives");
  w.Int64(o.true_positives);
  w.Key("false_positives");
  w.Int64(o.false_positives);
  w.Key("false_negatives");
  w.Int64(o.false_negatives);
  w.Key("true_negatives");
  w.Int64(o.true_negatives);
  w.Key("precision");
  o.precision ? w.Double(*o.precision) : w.Null();
  w.Key("recall");
  o.recall ? w.Double(*o.recall) : w.Null();
  w.Key("pending_would_merge");
  w.Int64(o.pending_would_merge);
  w.Key("pending_would_queue");
  w.Int64(o.pending_would_queue);
  w.Key("pending_would_be_new");
  w.Int64(o.pending_would_be_new);
  w.EndObject();
}

std::string Ratio(const std::optional<double>& v) {
  if (!v) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", *v);
  return buf;
}

}  // namespace

Result<WhatIfResult> RunWhatIf(Store* store, const MatchingSettings& current,
                               const MatchingSettings& proposed) {
  std::vector<Pair> pairs;
  std::vector<PendingItem> pending;
  {
    auto txn_r = store->Begin(Store::Mode::kRead);
    if (!txn_r.ok()) return txn_r.status();
    Txn& txn = **txn_r;
    for (ReviewState state : {ReviewState::kDecided, ReviewState::kPending, ReviewState::kUnsure}) {
      ReviewFilter f;
      f.state = state;
      f.limit = 500;
      for (;;) {
        auto items = txn.ListReviewItems(f);
        if (!items.ok()) return items.status();
        for (const ReviewItem& item : *items) {
          auto report = txn.GetReport(item.report_id);
          if (!report.ok()) return report.status();
          if (state != ReviewState::kDecided) {
            pending.push_back(PendingItem{item, *report});
            continue;
          }
          if (item.decision == "same") {
            auto now_in = txn.VictimOfReport(item.report_id);
            if (!now_in.ok()) return now_in.status();
            if (*now_in == item.provisional_victim_id || *now_in == 0) continue;  // undone
            auto rs = ReportsOf(txn, *now_in, item.report_id);
            if (!rs.ok()) return rs.status();
            pairs.push_back(Pair{*report, std::move(*rs), true});
          } else if (item.decision == "different" || item.decision == "related") {
            for (const auto& c : item.candidates) {
              auto rs = ReportsOf(txn, c.victim_id, item.report_id);
              if (!rs.ok()) continue;
              pairs.push_back(Pair{*report, std::move(*rs), false});
            }
          }
        }
        if (static_cast<int>(items->size()) < f.limit) break;
        f.offset += f.limit;
      }
    }
  }
  WhatIfResult out;
  for (const Pair& p : pairs) {
    if (p.victim_reports.empty()) continue;
    out.labelled_pairs++;
    (p.same ? out.positives : out.negatives)++;
  }
  out.pending_items = static_cast<int64_t>(pending.size());
  // Scores depend on token rarity in the index: score with the register loaded,
  // exactly as the live engine does.
  matching::Engine engine(current);
  if (Status s = LoadIndex(store, &engine); !s.ok()) return s;
  if (Status s = Score(store, engine, current, pairs, pending, &out.current); !s.ok()) return s;
  if (Status s = Score(store, engine, proposed, pairs, pending, &out.proposed); !s.ok()) return s;
  if (out.labelled_pairs < kMinLabelledPairs) {
    out.warnings.push_back("only " + std::to_string(out.labelled_pairs) +
                           " labelled pairs (fewer than " + std::to_string(kMinLabelledPairs) +
                           "): precision and recall are not reliable");
  }
  return out;
}

std::string WhatIfResult::ToJson() const {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("labelled_pairs");
  w.Int64(labelled_pairs);
  w.Key("positives");
  w.Int64(positives);
  w.Key("negatives");
  w.Int64(negatives);
  w.Key("pending_items");
  w.Int64(pending_items);
  WriteOutcome(w, "current", current);
  WriteOutcome(w, "proposed", proposed);
  w.Key("warnings");
  w.StartArray();
  for (const auto& s : warnings) w.String(s.c_str());
  w.EndArray();
  w.EndObject();
  return buf.GetString();
}

std::string WhatIfResult::ToText() const {
  std::string out;
  out += "labelled pairs: " + std::to_string(labelled_pairs) + " (" + std::to_string(positives) +
         " same, " + std::to_string(negatives) + " different)\n";
  out += "pending review items: " + std::to_string(pending_items) + "\n";
  for (const auto* o : {&current, &proposed}) {
    out += std::string(o == &current ? "current" : "proposed") + " settings " + o->version +
           " (auto_merge " + std::to_string(o->auto_merge) + ", review " +
           std::to_string(o->review) + "):\n";
    out += "  precision " + Ratio(o->precision) + "  recall " + Ratio(o->recall) + "  (tp " +
           std::to_string(o->true_positives) + ", fp " + std::to_string(o->false_positives) +
           ", fn " + std::to_string(o->false_negatives) + ", tn " +
           std::to_string(o->true_negatives) + ")\n";
    out += "  pending items: " + std::to_string(o->pending_would_merge) + " would merge, " +
           std::to_string(o->pending_would_queue) + " would stay queued, " +
           std::to_string(o->pending_would_be_new) + " would not be queued (best score now below review)\n";
  }
  for (const auto& w : warnings) out += "warning: " + w + "\n";
  return out;
}

}  // namespace qayd::review
