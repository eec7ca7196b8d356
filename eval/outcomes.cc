#include "eval/outcomes.h"

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "eval/loaders.h"
#include "eval/tasks.h"
#include "matching/engine.h"

namespace qayd::eval {
namespace {

// The error classes of docs/ACCURACY.md, from a pair's explanation: what
// disagreed (the first that applies), else what thin evidence it rested on.
std::string ErrorClass(const matching::Explanation& why) {
  std::map<std::string, std::string> level;
  for (const auto& f : why.fields) level[f.field] = f.level;
  auto is = [&](const char* field, std::initializer_list<const char*> levels) {
    auto it = level.find(field);
    if (it == level.end()) return false;
    for (const char* l : levels) {
      if (it->second == l) return true;
    }
    return false;
  };
  const char* kDisagree[] = {"name.family", "name.father", "name.grandfather", "name.first"};
  const char* kClass[] = {"family names differ", "fathers' names differ",
                          "grandfathers' names differ", "first names differ"};
  for (int i = 0; i < 4; ++i) {
    if (is(kDisagree[i], {"disagree"})) return kClass[i];
  }
  if (is("date_of_birth", {"far", "disagree", "approximate-disagree"}))
    return "dates of birth years apart";
  if (is("age", {"disagree", "disagree-with-dob"})) return "ages apart";
  int parts = 0, near = 0;
  for (const char* f : kDisagree) {
    parts += is(f, {"exact", "same-key", "near"});
    near += is(f, {"near"});
  }
  if (parts < 4 && !is("date_of_birth", {"exact"})) return "thin: under four parts, no date";
  if (is("date_of_birth", {"placeholder-missing"}))
    return "no date of birth against a placeholder date";
  if (is("date_of_birth", {"placeholder", "placeholder-agree"})) return "placeholder date of birth";
  if (is("date_of_birth", {"one-missing"}) || !level.count("date_of_birth"))
    return "no date of birth on one side";
  if (is("date_of_birth", {"same-year", "within-year"})) return "dates of birth within a year";
  if (near > 0) return "a near spelling";
  return "same name and date, other id";
}

}  // namespace

std::vector<size_t> SampleIndexes(size_t n, int64_t sample, uint64_t seed) {
  std::vector<size_t> idx(n);
  for (size_t i = 0; i < n; ++i) idx[i] = i;
  if (sample > 0 && static_cast<size_t>(sample) < n) {
    std::mt19937_64 rng(seed);
    std::shuffle(idx.begin(), idx.end(), rng);
    idx.resize(static_cast<size_t>(sample));
    std::sort(idx.begin(), idx.end());
  }
  return idx;
}

LinkOutcomes Collect(const std::string& task, const std::vector<Report>& existing,
                     const std::vector<Report>& incoming, const MatchingSettings& settings,
                     double floor, int64_t sample, uint64_t seed) {
  auto t0 = std::chrono::steady_clock::now();
  LinkOutcomes out;
  out.task = task;
  out.existing = static_cast<int64_t>(existing.size());
  out.floor = std::min(floor, settings.auto_merge);
  out.settings = settings;
  MatchingSettings run = settings;
  run.auto_merge = out.floor;
  run.review = std::min(settings.review, out.floor);
  run.max_candidates = 50;
  matching::Engine engine(run);
  std::unordered_map<int64_t, std::string> victim_nid;
  std::unordered_map<std::string, std::vector<int64_t>> nid_victims;
  for (size_t i = 0; i < existing.size(); ++i) {
    int64_t vid = static_cast<int64_t>(i) + 1;
    engine.Upsert(vid, vid, existing[i]);
    victim_nid[vid] = existing[i].national_id;
    if (IsNationalId(existing[i].national_id)) nid_victims[existing[i].national_id].push_back(vid);
  }
  // Ids the incoming release no longer holds were replaced (relatives'
  // submissions superseded by a ministry record): merges into them are not
  // scored either way, as on the held-back lists (docs/ACCURACY.md).
  std::unordered_set<std::string> incoming_ids;
  for (const Report& r : incoming) incoming_ids.insert(r.national_id);
  std::vector<size_t> picks = SampleIndexes(incoming.size(), sample, seed);
  out.incoming = static_cast<int64_t>(picks.size());
  std::vector<size_t> scored;
  for (size_t k : picks) {
    if (IsNationalId(incoming[k].national_id)) scored.push_back(k);
  }
  out.queries.resize(scored.size());
  const unsigned workers = 2;
  std::vector<std::thread> threads;
  for (unsigned w = 0; w < workers; ++w) {
    threads.emplace_back([&, w] {
      for (size_t k = w; k < scored.size(); k += workers) {
        const Report& r = incoming[scored[k]];
        QueryOutcome& q = out.queries[k];
        q.national_id = r.national_id;
        auto truth_it = nid_victims.find(r.national_id);
        const std::vector<int64_t>* truth =
            truth_it == nid_victims.end() ? nullptr : &truth_it->second;
        auto is_true = [&](int64_t v) {
          return truth && std::find(truth->begin(), truth->end(), v) != truth->end();
        };
        q.with_truth = truth != nullptr;
        matching::MatchResult res = engine.Match(r);
        q.proposed = res.candidates_considered;
        q.unidentified = res.decision == matching::Decision::kUnidentified;
        for (const auto& c : res.candidates) {
          CandidateOutcome o;
          o.victim = c.victim_id;
          o.capped = !c.why.caps.empty();
          o.score = o.capped ? c.why.caps.front().score_before : c.score;
          o.right = is_true(c.victim_id);
          const std::string& nid = victim_nid[c.victim_id];
          o.dropped = !o.right && IsNationalId(nid) && !incoming_ids.count(nid);
          o.wrong = !o.right && !o.dropped && nid != r.national_id && IsNationalId(nid);
          if (o.wrong) o.wrong_class = ErrorClass(c.why);
          q.candidates.push_back(std::move(o));
        }
        if (truth) {
          for (int64_t v : engine.Propose(r)) {
            if (is_true(v)) {
              q.blocking_found = true;
              break;
            }
          }
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

LinkMetrics Replay(const LinkOutcomes& o, double threshold, const std::vector<size_t>* which) {
  LinkMetrics m;
  m.task = o.task;
  m.existing = o.existing;
  m.incoming = o.incoming;
  m.auto_merge = threshold;
  m.seconds = o.seconds;
  const double review = o.settings.review;
  const double margin = o.settings.weight("decision.ambiguity_margin");
  const size_t keep = static_cast<size_t>(std::max(1, o.settings.max_candidates));
  const size_t n = which ? which->size() : o.queries.size();
  std::vector<std::pair<double, const CandidateOutcome*>> ranked;
  for (size_t i = 0; i < n; ++i) {
    const QueryOutcome& q = o.queries[which ? (*which)[i] : i];
    ++m.scored;
    m.candidates_total += q.proposed;
    if (q.unidentified) ++m.unidentified;
    ranked.clear();
    for (const auto& c : q.candidates) {
      const double s = c.capped ? std::min(c.score, threshold - 0.5) : c.score;
      if (s >= review) ranked.push_back({s, &c});
    }
    std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second->victim < b.second->victim;
    });
    matching::Decision d = matching::Decision::kNew;
    if (!ranked.empty() && ranked[0].first >= threshold) {
      const bool ambiguous = ranked.size() > 1 && ranked[1].first >= threshold &&
                             ranked[0].first - ranked[1].first < margin;
      d = ambiguous ? matching::Decision::kReview : matching::Decision::kMerge;
    } else if (!ranked.empty()) {
      d = matching::Decision::kReview;
    }
    if (d == matching::Decision::kReview) ++m.reviews;
    if (d == matching::Decision::kMerge) {
      const CandidateOutcome& t = *ranked[0].second;
      if (t.right) ++m.merges_correct;
      if (t.dropped) ++m.merges_dropped;
      if (t.wrong) {
        ++m.merges_wrong;
        ++m.wrong_by_class[t.wrong_class];
      }
    }
    if (!q.with_truth) continue;
    ++m.with_truth;
    if (q.blocking_found) ++m.blocking_found;
    if (d == matching::Decision::kMerge && ranked[0].second->right) {
      ++m.auto_found;
      ++m.review_found;
    } else if (d == matching::Decision::kReview) {
      for (size_t k = 0; k < ranked.size() && k < keep; ++k) {
        if (ranked[k].second->right) {
          ++m.review_found;
          break;
        }
      }
    }
  }
  return m;
}

}  // namespace qayd::eval
