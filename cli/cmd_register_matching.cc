#include "cli/cmd_register_matching.h"

#include <cstdio>
#include <iostream>
#include <map>

#include "cli/args.h"
#include "cli/cmd_matching.h"
#include "config/config.h"
#include "matching/engine.h"
#include "matching/train.h"
#include "store/store.h"

namespace qayd::cli {
namespace {

bool HasDb(const std::vector<std::string>& argv) {
  for (const auto& a : argv) {
    if (a == "--db" || a.rfind("--db=", 0) == 0) return true;
  }
  return false;
}

bool Settings(const Args& a, MatchingSettings* out) {
  if (!a.Has("config")) {
    *out = DefaultConfig().matching;
    return true;
  }
  ConfigLoad load = LoadConfig(a.Get("config"));
  for (const auto& e : load.errors) std::cerr << e.ToString() << "\n";
  if (!load.ok()) return false;
  *out = load.config.matching;
  return true;
}

void PrintExplanation(const matching::Explanation& why, const MatchingSettings& s,
                      int64_t report_id) {
  const char* band = why.total >= s.auto_merge ? "merge" : why.total >= s.review ? "review" : "new";
  std::printf("  against report %lld: score %.2f -> %s (auto_merge %.1f, review %.1f)\n",
              static_cast<long long>(report_id), why.total, band, s.auto_merge, s.review);
  for (const auto& f : why.fields) {
    std::printf("    %-18s %-12s %+7.2f  %s\n", f.field.c_str(), f.level.c_str(), f.weight,
                f.detail.c_str());
  }
  for (const auto& c : why.caps) {
    std::printf("%s%s (score before the cap %.2f)\n", "    ", c.reason.c_str(), c.score_before);
  }
  for (const auto& step : why.steps_a) std::printf("    report: %s\n", step.c_str());
  for (const auto& step : why.steps_b) std::printf("    victim: %s\n", step.c_str());
}

}  // namespace

int CmdExplainAny(const std::vector<std::string>& argv) {
  if (!HasDb(argv)) return CmdExplain(argv);
  auto a = ParseArgs(argv, {"db", "report", "victim", "config"}, {"json"});
  if (!a.ok() || !a->Has("report") || !a->Has("victim")) {
    std::cerr << "usage: qayd explain --db DB --report REPORT_ID --victim VICTIM_ID [--config F] "
                 "[--json]\n"
                 "       qayd explain --a REPORT_JSON --b REPORT_JSON [--json]\n";
    return 2;
  }
  MatchingSettings settings;
  if (!Settings(*a, &settings)) return 2;
  auto store = OpenStore(a->Get("db"));
  if (!store.ok()) {
    std::cerr << "qayd explain: " << store.status().ToString() << "\n";
    return 1;
  }
  auto txn = (*store)->Begin(Store::Mode::kRead);
  if (!txn.ok()) {
    std::cerr << "qayd explain: " << txn.status().ToString() << "\n";
    return 1;
  }
  int64_t report_id = 0, victim_id = 0;
  try {
    report_id = std::stoll(a->Get("report"));
    victim_id = std::stoll(a->Get("victim"));
  } catch (const std::exception&) {
    std::cerr << "qayd explain: --report and --victim take numeric ids\n";
    return 2;
  }
  auto report = (*txn)->GetReport(report_id);
  auto victim = (*txn)->GetVictim(victim_id);
  if (!report.ok() || !victim.ok()) {
    std::cerr << "qayd explain: " << (!report.ok() ? report.status() : victim.status()).ToString()
              << "\n";
    return 1;
  }
  matching::Engine engine(settings);
  std::printf("report %lld against victim %lld (%zu reports)\n", static_cast<long long>(report_id),
              static_cast<long long>(victim_id), victim->report_ids.size());
  double best = -1e9;
  std::string json = "[";
  for (int64_t rid : victim->report_ids) {
    if (rid == report_id) continue;
    auto other = (*txn)->GetReport(rid);
    if (!other.ok()) continue;
    matching::Explanation why = engine.ScorePair(*report, *other);
    best = std::max(best, why.total);
    if (a->Has("json")) {
      json += (json.size() > 1 ? "," : "") + std::string("{\"report_id\":") + std::to_string(rid) +
              ",\"explanation\":" + why.ToJson() + "}";
    } else {
      PrintExplanation(why, settings, rid);
    }
  }
  if (a->Has("json"))
    std::cout << json << "]\n";
  else if (best > -1e9)
    std::printf("victim score (best report): %.2f\n", best);
  return 0;
}

int CmdTrainAny(const std::vector<std::string>& argv) {
  if (!HasDb(argv)) return CmdTrain(argv);
  auto a = ParseArgs(argv, {"db", "config", "max-pairs", "seed"}, {});
  if (!a.ok() || !a->positional.empty()) {
    std::cerr << "usage: qayd train --db DB [--config F] [--max-pairs N] [--seed S]\n"
                 "       qayd train FILE.jsonl... [--config F] [--max-pairs N] [--seed S]\n"
                 "       qayd train --task drift|cross-script|all [--data DIR] [--header OUT.h]\n";
    return 2;
  }
  MatchingSettings settings;
  if (!Settings(*a, &settings)) return 2;
  auto store = OpenStore(a->Get("db"));
  if (!store.ok()) {
    std::cerr << "qayd train: " << store.status().ToString() << "\n";
    return 1;
  }
  // Every report of the register, plus the reviewed decisions as labelled pairs
  // (the item's report against the best report of each candidate victim).
  std::vector<Report> reports;
  std::map<int64_t, size_t> index_of_report;
  std::map<int64_t, std::vector<int64_t>> reports_of_victim;
  Status s = (*store)->ScanVictims([&](const Victim& v, const std::vector<Report>& rs) {
    for (const Report& r : rs) {
      index_of_report[r.id] = reports.size();
      reports_of_victim[v.id].push_back(r.id);
      reports.push_back(r);
    }
    return true;
  });
  if (!s.ok()) {
    std::cerr << "qayd train: " << s.ToString() << "\n";
    return 1;
  }
  std::vector<matching::LabeledPair> labeled;
  auto txn = (*store)->Begin(Store::Mode::kRead);
  if (txn.ok()) {
    ReviewFilter filter;
    filter.state = ReviewState::kDecided;
    for (filter.offset = 0;; filter.offset += filter.limit) {
      filter.limit = 500;
      auto items = (*txn)->ListReviewItems(filter);
      if (!items.ok() || items->empty()) break;
      for (const ReviewItem& item : *items) {
        if (item.decision != "same" && item.decision != "different") continue;
        auto a_it = index_of_report.find(item.report_id);
        if (a_it == index_of_report.end() || item.candidates.empty()) continue;
        // "same" merged the report into its candidate; pair it with a report of
        // the victim it now belongs to. "different": the top candidate's reports.
        const int64_t victim = item.candidates.front().victim_id;
        for (int64_t rid : reports_of_victim[victim]) {
          if (rid == item.report_id) continue;
          labeled.push_back({a_it->second, index_of_report[rid], item.decision == "same"});
          break;
        }
      }
    }
  }
  matching::TrainOptions options;
  try {
    options.max_pairs = std::stoul(a->Get("max-pairs", "300000"));
    options.seed = std::stoull(a->Get("seed", "1"));
  } catch (const std::exception&) {
    std::cerr << "qayd train: --max-pairs and --seed take integers\n";
    return 2;
  }
  matching::TrainResult result = matching::TrainWeights(reports, settings, labeled, options);
  std::cerr << "train: " << reports.size() << " reports, " << labeled.size() << " reviewed pairs, "
            << result.pairs << " candidate pairs, " << result.iterations
            << " iterations, match share " << result.match_share << "\n";
  PrintTrained(result);
  return 0;
}

}  // namespace qayd::cli
