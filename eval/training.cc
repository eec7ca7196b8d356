#include "eval/training.h"

#include "config/matching_weights.h"
#include "eval/loaders.h"

namespace qayd::eval {

Status LoadTrainingReports(const std::string& task, const std::string& data_dir,
                           std::vector<Report>* out) {
  if (task != "drift" && task != "cross-script" && task != "all")
    return Error(ErrorCode::kInvalidInput, "unknown training task: " + task);
  const std::string dir = data_dir + "/gaza-moh/";
  out->clear();
  auto add = [&](Result<std::vector<Report>> r) -> Status {
    if (!r.ok()) return r.status();
    for (Report& x : *r) out->push_back(std::move(x));
    return Status();
  };
  if (task != "cross-script") {
    if (Status s = add(LoadGazaCsv(dir + "release-2024-01-05.csv")); !s.ok()) return s;
  }
  if (task != "drift") {
    if (Status s = add(LoadGazaJson(dir + "update-2024-02-19-with-english.json", "en_name"));
        !s.ok())
      return s;
  }
  return add(LoadGazaCsv(dir + "release-2024-03-29.csv"));
}

Result<matching::TrainResult> TrainDefaults(const std::string& data_dir) {
  std::vector<Report> reports;
  if (Status s = LoadTrainingReports("all", data_dir, &reports); !s.ok()) return s;
  matching::TrainOptions options;  // seed 1, 300,000 pairs: kDefaultsCommand
  return matching::TrainWeights(reports, DefaultConfig().matching, {}, options);
}

std::map<std::string, double> ShippedEstimates(const std::map<std::string, double>& trained) {
  std::map<std::string, double> out;
  for (const char* name : kEstimatedWeights) {
    auto it = trained.find(name);
    if (it != trained.end()) out.insert(*it);
  }
  return out;
}

MatchingSettings WithWeights(const MatchingSettings& base,
                             const std::map<std::string, double>& trained) {
  MatchingSettings s = base;
  for (const auto& [k, v] : trained) s.weights[k] = v;
  return s;
}

}  // namespace qayd::eval
