#include "cli/cmd_matching.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <string>

#include "cli/args.h"
#include "config/config.h"
#include "eval/cross_validation.h"
#include "eval/data_dir.h"
#include "eval/outcomes.h"
#include "eval/tasks.h"
#include "eval/training.h"
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

// The bars of docs/ACCURACY.md, per link task.
struct Bars {
  double precision, auto_recall, review_recall, load;
  bool Met(const eval::LinkMetrics& m) const {
    return m.precision() >= precision && m.auto_recall() >= auto_recall &&
           m.review_recall() >= review_recall && m.review_load() <= load &&
           m.blocking_recall() >= 0.995;
  }
};

int CmdEval(const std::vector<std::string>& argv) {
  auto args =
      ParseArgs(argv, {"data", "task", "sample", "seed", "config", "folds", "target-precision"},
                {"json", "fixed-weights"});
  const char* usage =
      "usage: qayd eval [--data DIR (default: the repository's data/)] [--task "
      "drift|cross-script|words|all] [--sample N] "
      "[--seed S] [--folds K] [--target-precision P] [--fixed-weights] [--config F] [--json]\n";
  if (!args.ok()) {
    std::cerr << args.status().message() << "\n" << usage;
    return 2;
  }
  eval::EvalOptions o;
  o.data_dir = args->Get("data", eval::DefaultDataDir());
  int folds = 5;
  eval::FitOptions fit;
  try {
    o.sample = std::stoll(args->Get("sample", "0"));
    o.seed = std::stoull(args->Get("seed", "1"));
    folds = std::stoi(args->Get("folds", "5"));
    fit.target_precision = std::stod(args->Get("target-precision", "0.998"));
  } catch (const std::exception&) {
    std::cerr << "--sample, --seed and --folds take integers, --target-precision a number\n"
              << usage;
    return 2;
  }
  if (folds == 1 || folds < 0 || folds > 100) {
    std::cerr << "--folds: 0 (none) or 2..100, got " << folds << "\n";
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
  auto emit = [&](const std::string& text, const std::string& js, bool pass, bool checked) {
    ok = ok && pass;
    if (json) {
      json_out += (json_out.size() > 1 ? "," : "") + js;
    } else {
      std::cout << text
                << (checked ? std::string("  bars ") + (pass ? "met" : "NOT met") + "\n" : "");
    }
  };
  // Each fold (and each transfer) re-estimates the trained weights
  // (kEstimatedWeights) by EM on its fitting records, unless --fixed-weights.
  const bool refit = !args->Has("fixed-weights");
  std::map<std::string, eval::LinkOutcomes> outcomes;
  std::map<std::string, eval::TaskRecords> records;
  auto link = [&](const std::string& name, const Bars& bars) {
    std::vector<Report> existing, incoming;
    Status s = eval::LoadLinkTask(name, o.data_dir, &existing, &incoming);
    if (!s.ok()) {
      std::cerr << s.ToString() << "\n";
      ok = false;
      return;
    }
    const double floor =
        folds > 0 ? std::min(fit.min_threshold, o.settings.auto_merge) : o.settings.auto_merge;
    eval::LinkOutcomes out =
        eval::Collect(name, existing, incoming, o.settings, floor, o.sample, o.seed);
    eval::LinkMetrics in = eval::Replay(out, o.settings.auto_merge);
    emit(in.ToText(), in.ToJson(), bars.Met(in), true);
    if (folds > 0) {
      eval::CrossValidation cv =
          refit ? eval::CrossValidateTrained(name, existing, incoming, o.settings, folds, o.seed,
                                             fit, matching::TrainOptions{}, o.sample)
                : eval::CrossValidate(out, folds, o.seed, fit);
      emit(cv.ToText(), cv.ToJson(), bars.Met(cv.held_out), true);
      outcomes[name] = std::move(out);
      records[name] = {name, std::move(existing), std::move(incoming)};
    }
  };
  if (task == "all" || task == "drift") link("drift", {0.995, 0.90, 0.99, 0.10});
  if (task == "all" || task == "cross-script") link("cross-script", {0.99, 0.75, 0.95, 0.15});
  if (outcomes.size() == 2) {
    for (auto [from, to] :
         {std::pair{"drift", "cross-script"}, std::pair{"cross-script", "drift"}}) {
      eval::Transfer tr =
          refit ? eval::FitAndTransferTrained(records[from], records[to], o.settings, fit,
                                              matching::TrainOptions{}, o.sample, o.seed)
                : eval::FitAndTransfer(outcomes[from], outcomes[to], fit);
      emit(tr.ToText(), tr.ToJson(), true, false);
    }
  }
  if (task == "all" || task == "words") {
    auto m = eval::RunWords(o);
    if (!m.ok()) {
      std::cerr << m.status().ToString() << "\n";
      ok = false;
    } else {
      emit(m->ToText(), m->ToJson(), m->rank1_share() >= 0.90, true);
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
  for (const auto& c : why.caps) {
    std::printf("%s%s (score before the cap %.2f)\n", "  ", c.reason.c_str(), c.score_before);
  }
  std::printf("steps a:\n");
  for (const auto& s : why.steps_a) std::printf("  %s\n", s.c_str());
  std::printf("steps b:\n");
  for (const auto& s : why.steps_b) std::printf("  %s\n", s.c_str());
  return 0;
}

void PrintTrained(const matching::TrainResult& result) {
  // The fragment holds the weights that ship as trained defaults; the
  // name-part disagreements EM also estimates are policy (docs/MATCHING.md
  // §6), shown for comparison only.
  matching::TrainResult shipped = result;
  shipped.weights = eval::ShippedEstimates(result.weights);
  std::cerr << "train: estimated but policy (not in the fragment):";
  for (const auto& [k, v] : result.weights) {
    if (!shipped.weights.count(k)) std::cerr << " " << k << "=" << v;
  }
  std::cerr << "\n";
  std::cout << shipped.ToConfigJson();
}

int CmdTrain(const std::vector<std::string>& argv) {
  auto args = ParseArgs(argv, {"config", "max-pairs", "task", "data", "seed", "header"}, {});
  const char* usage =
      "usage: qayd train FILE.jsonl... [--config FILE] [--max-pairs N] [--seed S]\n"
      "       qayd train --task drift|cross-script|all [--data DIR] [--header OUT.h] ...\n";
  if (!args.ok() || args->positional.empty() == !args->Has("task")) {
    std::cerr << usage;
    return 2;
  }
  MatchingSettings settings;
  if (!LoadSettings(*args, &settings)) return 2;
  matching::TrainOptions options;
  try {
    options.max_pairs = std::stoul(args->Get("max-pairs", "300000"));
    options.seed = std::stoull(args->Get("seed", "1"));
  } catch (const std::exception&) {
    std::cerr << "--max-pairs and --seed take integers\n" << usage;
    return 2;
  }
  std::vector<Report> reports;
  if (args->Has("task")) {
    Status s = eval::LoadTrainingReports(args->Get("task"),
                                         args->Get("data", eval::DefaultDataDir()), &reports);
    if (!s.ok()) {
      std::cerr << "qayd train: " << s.ToString() << "\n";
      return s.code() == ErrorCode::kInvalidInput ? 2 : 1;
    }
  }
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
  matching::TrainResult result = matching::TrainWeights(reports, settings, {}, options);
  std::cerr << "train: " << reports.size() << " reports, " << result.pairs << " candidate pairs, "
            << result.iterations << " iterations, match share " << result.match_share << "\n";
  if (!args->Has("header")) {
    PrintTrained(result);
    return 0;
  }
  std::ofstream out(args->Get("header"), std::ios::trunc);
  std::string command = "qayd train";
  for (const auto& a : argv) command += " " + a;
  out << result.ToHeader(command);
  if (!out.flush()) {
    std::cerr << "qayd train: cannot write " << args->Get("header") << "\n";
    return 1;
  }
  return 0;
}

}  // namespace qayd::cli
