#include "eval/tasks.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <thread>
#include <unordered_map>

#include "eval/loaders.h"
#include "eval/outcomes.h"
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

std::string ClassesJson(const std::map<std::string, int64_t>& m) {
  std::string out = "{";
  for (const auto& [k, v] : m) {
    if (out.size() > 1) out += ',';
    out += "\"" + k + "\":" + std::to_string(v);  // class names are plain ASCII without quotes
  }
  return out + "}";
}

}  // namespace

void AddInto(LinkMetrics* to, const LinkMetrics& m) {
  to->scored += m.scored;
  to->with_truth += m.with_truth;
  to->merges_correct += m.merges_correct;
  to->merges_wrong += m.merges_wrong;
  to->merges_dropped += m.merges_dropped;
  to->auto_found += m.auto_found;
  to->review_found += m.review_found;
  to->reviews += m.reviews;
  to->blocking_found += m.blocking_found;
  to->unidentified += m.unidentified;
  to->candidates_total += m.candidates_total;
  for (const auto& [k, v] : m.wrong_by_class) to->wrong_by_class[k] += v;
}

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
       " right, " + std::to_string(merges_wrong) + " wrong; " + std::to_string(merges_dropped) +
       " into ids the incoming list dropped, not scored)\n";
  s += "  automatic recall  " + Pct(auto_recall()) + "\n";
  s += "  recall w/ review  " + Pct(review_recall()) + "\n";
  s +=
      "  review load       " + Pct(review_load()) + "  (" + std::to_string(reviews) + " reviews)\n";
  s += "  blocking recall   " + Pct(blocking_recall()) + "  (mean " +
       Fix(Share(candidates_total, scored)) + " victims proposed)\n";
  for (const auto& [cls, n] : wrong_by_class) {
    s += "    wrong: " + cls + "  " + std::to_string(n) + "\n";
  }
  s += "  unidentified      " + std::to_string(unidentified) + "\n";
  s += "  auto_merge        " + Fix(auto_merge) + "\n";
  s += "  time              " + Fix(seconds) + " s\n";
  return s;
}

std::string LinkMetrics::ToJson() const {
  return "{\"task\":\"" + task + "\",\"existing\":" + std::to_string(existing) +
         ",\"incoming\":" + std::to_string(incoming) + ",\"scored\":" + std::to_string(scored) +
         ",\"with_truth\":" + std::to_string(with_truth) +
         ",\"merges_correct\":" + std::to_string(merges_correct) +
         ",\"merges_wrong\":" + std::to_string(merges_wrong) +
         ",\"merges_dropped\":" + std::to_string(merges_dropped) +
         ",\"precision\":" + Fix(precision()) + ",\"auto_recall\":" + Fix(auto_recall()) +
         ",\"review_recall\":" + Fix(review_recall()) + ",\"review_load\":" + Fix(review_load()) +
         ",\"blocking_recall\":" + Fix(blocking_recall()) +
         ",\"mean_proposed\":" + Fix(Share(candidates_total, scored)) +
         ",\"unidentified\":" + std::to_string(unidentified) +
         ",\"auto_merge\":" + Fix(auto_merge) +
         ",\"wrong_by_class\":" + ClassesJson(wrong_by_class) + ",\"seconds\":" + Fix(seconds) +
         "}";
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
  const MatchingSettings& s = options.settings;
  LinkOutcomes outcomes =
      Collect(task, existing, incoming, s, s.auto_merge, options.sample, options.seed);
  return Replay(outcomes, s.auto_merge);
}

Status LoadLinkTask(const std::string& task, const std::string& data_dir,
                    std::vector<Report>* existing, std::vector<Report>* incoming) {
  if (task != "drift" && task != "cross-script")
    return Error(ErrorCode::kInvalidInput, "unknown link task: " + task);
  const std::string dir = data_dir + "/gaza-moh/";
  Result<std::vector<Report>> e =
      task == "drift" ? LoadGazaCsv(dir + "release-2024-01-05.csv")
                      : LoadGazaJson(dir + "update-2024-02-19-with-english.json", "en_name");
  if (!e.ok()) return e.status();
  auto i = LoadGazaCsv(dir + "release-2024-03-29.csv");
  if (!i.ok()) return i.status();
  *existing = std::move(*e);
  *incoming = std::move(*i);
  return Status();
}

Result<LinkMetrics> RunDrift(const EvalOptions& o) {
  std::vector<Report> existing, incoming;
  Status s = LoadLinkTask("drift", o.data_dir, &existing, &incoming);
  if (!s.ok()) return s;
  return RunLinkTask("drift", existing, incoming, o);
}

Result<LinkMetrics> RunCrossScript(const EvalOptions& o) {
  std::vector<Report> existing, incoming;
  Status s = LoadLinkTask("cross-script", o.data_dir, &existing, &incoming);
  if (!s.ok()) return s;
  return RunLinkTask("cross-script", existing, incoming, o);
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
  std::vector<size_t> picks = SampleIndexes(pairs.size(), o.sample, o.seed);
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
