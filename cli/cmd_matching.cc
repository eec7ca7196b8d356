#include "cli/cmd_matching.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include "cli/args.h"
#include "config/config.h"
#include "eval/data_dir.h"
#include "eval/tasks.h"
#include "matching/engine.h"
#include "matching/train.h"
#include "model/report_json.h"

namespace qayd::cli {
namespace {

// Matching settings from --config, else the defaults. Returns false (after
// printing the errors) when the config does not load.
bool LoadSettings(const Args& args, MatchingSettings* out) {
  if (!args.Has("config")) {
    *out = DefaultConfig().matching;
    return true;
  }
  ConfigLoad load = LoadConfig(args.Get("config"));
  for (const auto& e : load.errors) std::cerr << e.ToString() << "\n";
  if (!load.ok()) return false;
  *out = load.config.matching;
  return true;
}

}  // namespace

int CmdNameScore(const std::vector<std::string>& argv) {
  auto args = ParseArgs(argv, {}, {});
  if (!args.ok() || !args->positional.empty()) {
    std::cerr << "usage: qayd name-score < pairs.tsv   (nameA<TAB>nameB per line)\n";
    return 2;
  }
  std::string line;
  while (std::getline(std::cin, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    size_t tab = line.find('\t');
    if (tab == std::string::npos) {
      std::cout << "\n";
      continue;
    }
    std::printf("%.4f\n", matching::NameSimilarity(line.substr(0, tab), line.substr(tab + 1)));
    std::fflush(stdout);
  }
  return 0;
}

int CmdEval(const std::vector<std::string>& argv) {
  auto args = ParseArgs(argv, {"data", "task", "sample", "seed", "config"}, {"json"});
  if (!args.ok()) {
    std::cerr << args.status().message() << "\nusage: qayd eval [--data DIR (default: the repository's data/)] "
              << "[--task drift|cross-script|words|all] [--sample N] [--seed S] [--json]\n";
    return 2;
  }
  eval::EvalOptions o;
  o.data_dir = args->Get("data", eval::DefaultDataDir());
  try {
    o.sample = std::stoll(args->Get("sample", "0"));
    o.seed = std::stoull(args->Get("seed", "1"));
  } catch (const std::exception&) {
    std::cerr << "--sample and --seed take integers\n";
    return 2;
  }
  if (!LoadSettings(*args, &o.settings)) return 2;
  std::string task = args->Get("task", "all");
  if (task != "all" && task != "drift" && task != "cross-script" && task != "words") {
    std::cerr << "unknown task: " << task << " (drift, cross-script, words, all)\n";
    return 2;
  }
  bool json = args->Has("json");
  bool ok = true;
  std::string json_out = "[";
  auto link = [&](const char* name, Result<eval::LinkMetrics> (*run)(const eval::EvalOptions&),
                  double precision, double auto_recall, double review_recall, double load) {
    auto m = run(o);
    if (!m.ok()) {
      std::cerr << m.status().ToString() << "\n";
      ok = false;
      return;
    }
    bool pass = m->precision() >= precision && m->auto_recall() >= auto_recall &&
                m->review_recall() >= review_recall && m->review_load() <= load &&
                m->blocking_recall() >= 0.995;
    ok = ok && pass;
    if (json) {
      json_out += (json_out.size() > 1 ? "," : "") + m->ToJson();
    } else {
      std::cout << m->ToText() << "  bars " << (pass ? "met" : "NOT met") << "\n";
    }
    (void)name;
  };
  if (task == "all" || task == "drift") link("drift", eval::RunDrift, 0.995, 0.90, 0.99, 0.10);
  if (task == "all" || task == "cross-script") {
    link("cross-script", eval::RunCrossScript, 0.99, 0.75, 0.95, 0.15);
  }
  if (task == "all" || task == "words") {
    auto m = eval::RunWords(o);
    if (!m.ok()) {
      std::cerr << m.status().ToString() << "\n";
      ok = false;
    } else {
      bool pass = m->rank1_share() >= 0.90;
      ok = ok && pass;
      if (json)
        json_out += (json_out.size() > 1 ? "," : "") + m->ToJson();
      else
        std::cout << m->ToText() << "  bar " << (pass ? "met" : "NOT met") << "\n";
    }
  }
  if (json) std::cout << json_out << "]\n";
  return ok ? 0 : 1;
}

int CmdExplain(const std::vector<std::string>& argv) {
  auto args = ParseArgs(argv, {"a", "b", "config"}, {"json"});
  if (!args.ok() || !args->Has("a") || !args->Has("b")) {
    std::cerr << "usage: qayd explain --a REPORT_JSON --b REPORT_JSON [--json]\n";
    return 2;
  }
  Report a, b;
  std::vector<FieldError> errors;
  if (!ReportFromJsonText(args->Get("a"), &a, &errors) ||
      !ReportFromJsonText(args->Get("b"), &b, &errors)) {
    std::cerr << FieldErrorsToJson(errors) << "\n";
    return 2;
  }
  MatchingSettings settings;
  if (!LoadSettings(*args, &settings)) return 2;
  matching::Engine engine(settings);
  matching::Explanation why = engine.ScorePair(a, b);
  if (args->Has("json")) {
    std::cout << why.ToJson() << "\n";
    return 0;
  }
  const char* band = why.total >= settings.auto_merge ? "merge"
                     : why.total >= settings.review   ? "review"
                                                      : "new";
  std::printf("score %.2f -> %s (auto_merge %.1f, review %.1f)\n", why.total, band,
              settings.auto_merge, settings.review);
  for (const auto& f : why.fields) {
    std::printf("  %-18s %-12s %+7.2f  %s\n", f.field.c_str(), f.level.c_str(), f.weight,
                f.detail.c_str());
  }
  std::printf("steps a:\n");
  for (const auto& s : why.steps_a) std::printf("  %s\n", s.c_str());
  std::printf("steps b:\n");
  for (const auto& s : why.steps_b) std::printf("  %s\n", s.c_str());
  return 0;
}

int CmdTrain(const std::vector<std::string>& argv) {
  auto args = ParseArgs(argv, {"config", "max-pairs"}, {});
  if (!args.ok() || args->positional.empty()) {
    std::cerr << "usage: qayd train FILE.jsonl... [--config FILE] [--max-pairs N]\n";
    return 2;
  }
  MatchingSettings settings;
  if (!LoadSettings(*args, &settings)) return 2;
  std::vector<Report> reports;
  for (const auto& path : args->positional) {
    std::ifstream in(path);
    if (!in) {
      std::cerr << "cannot read " << path << "\n";
      return 1;
    }
    std::string line;
    size_t lineno = 0, bad = 0;
    while (std::getline(in, line)) {
      ++lineno;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      Report r;
      std::vector<FieldError> errors;
      if (!ReportFromJsonText(line, &r, &errors)) {
        ++bad;
        continue;
      }
      reports.push_back(std::move(r));
    }
    if (bad) std::cerr << path << ": " << bad << " of " << lineno << " lines skipped (invalid)\n";
  }
  matching::TrainOptions options;
  if (args->Has("max-pairs")) options.max_pairs = std::stoul(args->Get("max-pairs"));
  matching::TrainResult result = matching::TrainWeights(reports, settings, {}, options);
  std::cerr << "train: " << reports.size() << " reports, " << result.pairs << " candidate pairs, "
            << result.iterations << " iterations, match share " << result.match_share << "\n";
  std::cout << result.ToConfigJson();
  return 0;
}

}  // namespace qayd::cli
