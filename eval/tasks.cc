#include "eval/tasks.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <thread>
#include <unordered_map>

#include "eval/loaders.h"
#include "matching/engine.h"

namespace qayd::eval {
namespace {

double Share(int64_t a, int64_t b) {
  return b ? static_cast<double>(a) / static_cast<double>(b) : 0;
}

std::string Pct(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f%%", 100 * v);
  return buf;
}

std::string Fix(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  return buf;
}

std::vector<size_t> Sample(size_t n, int64_t sample, uint64_t seed) {
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

void AddInto(LinkMetrics* to, const LinkMetrics& m) {
  to->scored += m.scored;
  to->with_truth += m.with_truth;
  to->merges_correct += m.merges_correct;
  to->merges_wrong += m.merges_wrong;
  to->auto_found += m.auto_found;
  to->review_found += m.review_found;
  to->reviews += m.reviews;
  to->blocking_found += m.blocking_found;
  to->unidentified += m.unidentified;
  to->candidates_total += m.candidates_total;
}

}  // namespace

double LinkMetrics::precision() const {
  return Share(merges_correct, merges_correct + merges_wrong);
}
double LinkMetrics::auto_recall() const { return Share(auto_found, with_truth); }
double LinkMetrics::review_recall() const { return Share(review_found, with_truth); }
double LinkMetrics::review_load() const { return Share(reviews, scored); }
double LinkMetrics::blocking_recall() const { return Share(blocking_found, with_truth); }

std::string LinkMetrics::ToText() const {
  std::string s = "task " + task + ": existing " + std::to_string(existing) + ", incoming " +
                  std::to_string(incoming) + ", scored " + std::to_string(scored) +
                  ", with truth " + std::to_string(with_truth) + "\n";
  s += "  merge precision   " + Pct(precision()) + "  (" + std::to_string(merges_correct) +
       " right, " + std::to_string(merges_wrong) + " wrong)\n";
  s += "  automatic recall  " + Pct(auto_recall()) + "\n";
  s += "  recall w/ review  " + Pct(review_recall()) + "\n";
  s +=
      "  review load       " + Pct(review_load()) + "  (" + std::to_string(reviews) + " reviews)\n";
  s += "  blocking recall   " + Pct(blocking_recall()) + "  (mean " +
       Fix(Share(candidates_total, scored)) + " victims proposed)\n";
  s += "  unidentified      " + std::to_string(unidentified) + "\n";
  s += "  time              " + Fix(seconds) + " s\n";
  return s;
}

std::string LinkMetrics::ToJson() const {
  return "{\"task\":\"" + task + "\",\"existing\":" + std::to_string(existing) +
         ",\"incoming\":" + std::to_string(incoming) + ",\"scored\":" + std::to_string(scored) +
         ",\"with_truth\":" + std::to_string(with_truth) +
         ",\"merges_correct\":" + std::to_string(merges_correct) +
         ",\"merges_wrong\":" + std::to_string(merges_wrong) +
         ",\"precision\":" + Fix(precision()) + ",\"auto_recall\":" + Fix(auto_recall()) +
         ",\"review_recall\":" + Fix(review_recall()) + ",\"review_load\":" + Fix(review_load()) +
         ",\"blocking_recall\":" + Fix(blocking_recall()) +
         ",\"mean_proposed\":" + Fix(Share(candidates_total, scored)) +
         ",\"unidentified\":" + std::to_string(unidentified) + ",\"seconds\":" + Fix(seconds) + "}";
}

std::string WordMetrics::ToText() const {
  return "task words: " + std::to_string(pairs) + " pairs, rank-1 " + Pct(rank1_share()) + " (" +
         std::to_string(rank1) + ")\n";
}

std::string WordMetrics::ToJson() const {
  return "{\"task\":\"words\",\"pairs\":" + std::to_string(pairs) +
         ",\"rank1\":" + std::to_string(rank1) + ",\"rank1_share\":" + Fix(rank1_share()) + "}";
}

LinkMetrics RunLinkTask(const std::string& task, const std::vector<Report>& existing,
                        const std::vector<Report>& incoming, const EvalOptions& options) {
  auto t0 = std::chrono::steady_clock::now();
  LinkMetrics total;
  total.task = task;
  total.existing = static_cast<int64_t>(existing.size());
  matching::Engine engine(options.settings);
  std::unordered_map<int64_t, std::string> victim_nid;  // victim -> national id
  std::unordered_map<std::string, std::vector<int64_t>> nid_victims;
  for (size_t i = 0; i < existing.size(); ++i) {
    int64_t vid = static_cast<int64_t>(i) + 1;
    engine.Upsert(vid, vid, existing[i]);
    victim_nid[vid] = existing[i].national_id;
    if (IsNationalId(existing[i].national_id)) nid_victims[existing[i].national_id].push_back(vid);
  }
  std::vector<size_t> picks = Sample(incoming.size(), options.sample, options.seed);
  total.incoming = static_cast<int64_t>(picks.size());
  const unsigned workers = 2;
  std::vector<LinkMetrics> part(workers);
  std::vector<std::thread> threads;
  for (unsigned w = 0; w < workers; ++w) {
    threads.emplace_back([&, w] {
      LinkMetrics& m = part[w];
      for (size_t k = w; k < picks.size(); k += workers) {
        const Report& r = incoming[picks[k]];
        if (!IsNationalId(r.national_id)) continue;
        ++m.scored;
        auto truth_it = nid_victims.find(r.national_id);
        const std::vector<int64_t>* truth =
            truth_it == nid_victims.end() ? nullptr : &truth_it->second;
        auto is_true = [&](int64_t v) {
          return truth && std::find(truth->begin(), truth->end(), v) != truth->end();
        };
        matching::MatchResult res = engine.Match(r);
        m.candidates_total += res.candidates_considered;
        if (res.decision == matching::Decision::kUnidentified) ++m.unidentified;
        if (res.decision == matching::Decision::kReview) ++m.reviews;
        if (res.decision == matching::Decision::kMerge) {
          int64_t target = res.candidates.front().victim_id;
          const std::string& nid = victim_nid[target];
          if (nid == r.national_id)
            ++m.merges_correct;
          else if (IsNationalId(nid))
            ++m.merges_wrong;
        }
        if (!truth) continue;
        ++m.with_truth;
        if (res.decision == matching::Decision::kMerge &&
            is_true(res.candidates.front().victim_id)) {
          ++m.auto_found;
          ++m.review_found;
        } else if (res.decision == matching::Decision::kReview) {
          for (const auto& c : res.candidates) {
            if (is_true(c.victim_id)) {
              ++m.review_found;
              break;
            }
          }
        }
        for (int64_t v : engine.Propose(r)) {
          if (is_true(v)) {
            ++m.blocking_found;
            break;
          }
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& m : part) AddInto(&total, m);
  total.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return total;
}

Result<LinkMetrics> RunDrift(const EvalOptions& o) {
  auto existing = LoadGazaCsv(o.data_dir + "/gaza-moh/release-2024-01-05.csv");
  if (!existing.ok()) return existing.status();
  auto incoming = LoadGazaCsv(o.data_dir + "/gaza-moh/release-2024-03-29.csv");
  if (!incoming.ok()) return incoming.status();
  return RunLinkTask("drift", *existing, *incoming, o);
}

Result<LinkMetrics> RunCrossScript(const EvalOptions& o) {
  auto existing =
      LoadGazaJson(o.data_dir + "/gaza-moh/update-2024-02-19-with-english.json", "en_name");
  if (!existing.ok()) return existing.status();
  auto incoming = LoadGazaCsv(o.data_dir + "/gaza-moh/release-2024-03-29.csv");
  if (!incoming.ok()) return incoming.status();
  return RunLinkTask("cross-script", *existing, *incoming, o);
}

Result<WordMetrics> RunWords(const EvalOptions& o) {
  std::string path = o.data_dir + "/translit/ar2en-eval.txt";
  std::ifstream in(path);
  if (!in) return Error(ErrorCode::kIo, "cannot read " + path);
  std::vector<std::pair<std::string, std::string>> pairs;
  std::string line;
  while (std::getline(in, line)) {
    size_t tab = line.find('\t');
    if (tab == std::string::npos) continue;
    std::string latin = line.substr(tab + 1);
    while (!latin.empty() && (latin.back() == '\r' || latin.back() == ' ')) latin.pop_back();
    pairs.emplace_back(line.substr(0, tab), latin);
  }
  WordMetrics m;
  std::mt19937_64 rng(o.seed);
  std::vector<size_t> picks = Sample(pairs.size(), o.sample, o.seed);
  std::uniform_int_distribution<size_t> pick(0, pairs.size() - 1);
  for (size_t i : picks) {
    const auto& [ar, en] = pairs[i];
    double truth = matching::NameSimilarity(ar, en);
    bool first = true;
    int drawn = 0;
    while (drawn < 20) {
      const std::string& other = pairs[pick(rng)].second;
      if (other == en) continue;
      ++drawn;
      if (matching::NameSimilarity(ar, other) >= truth) first = false;
    }
    ++m.pairs;
    if (first) ++m.rank1;
  }
  return m;
}

}  // namespace qayd::eval
