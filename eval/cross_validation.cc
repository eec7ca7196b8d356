#include "eval/cross_validation.h"

#include <algorithm>
#include <cstdio>

#include "eval/loaders.h"
#include "eval/training.h"

namespace qayd::eval {
namespace {

uint64_t Fnv(const std::string& s, uint64_t seed) {
  uint64_t h = 1469598103934665603ull ^ seed;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

std::string Thresholds(const std::vector<double>& t) {
  std::string out;
  for (double v : t) out += (out.empty() ? "" : ",") + Num(v);
  return out;
}

std::vector<size_t> Except(const std::vector<std::vector<size_t>>& in_fold, int k) {
  std::vector<size_t> out;
  for (size_t j = 0; j < in_fold.size(); ++j) {
    if (static_cast<int>(j) != k) out.insert(out.end(), in_fold[j].begin(), in_fold[j].end());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::vector<size_t>> QueriesByFold(const LinkOutcomes& o, int folds, uint64_t seed) {
  std::vector<std::vector<size_t>> in_fold(static_cast<size_t>(folds));
  for (size_t i = 0; i < o.queries.size(); ++i) {
    in_fold[static_cast<size_t>(FoldOf(o.queries[i].national_id, seed, folds))].push_back(i);
  }
  return in_fold;
}

CrossValidation Start(const LinkOutcomes& o, int folds) {
  CrossValidation cv;
  cv.task = o.task;
  cv.folds = folds;
  cv.held_out.task = o.task + " (held out)";
  cv.held_out.existing = o.existing;
  cv.held_out.incoming = o.incoming;
  return cv;
}

}  // namespace

int FoldOf(const std::string& key, uint64_t seed, int folds) {
  return static_cast<int>(Fnv(key, seed) % static_cast<uint64_t>(folds));
}

double FitThreshold(const LinkOutcomes& o, const std::vector<size_t>& which,
                    const FitOptions& fit) {
  // The lowest threshold reaching the target; if none does, the lowest one
  // with the best precision.
  const double lo = std::max(fit.min_threshold, o.floor);
  double best_t = lo, best_p = -1;
  for (int i = 0;; ++i) {
    const double t = lo + i * fit.step;
    if (t > fit.max_threshold + 1e-9) break;
    const double p = Replay(o, t, &which).precision();
    if (p >= fit.target_precision) return t;
    if (p > best_p) best_p = p, best_t = t;
  }
  return best_t;
}

CrossValidation CrossValidate(const LinkOutcomes& o, int folds, uint64_t seed,
                              const FitOptions& fit) {
  CrossValidation cv = Start(o, folds);
  cv.held_out.seconds = o.seconds;
  const auto in_fold = QueriesByFold(o, folds, seed);
  double sum = 0;
  for (int k = 0; k < folds; ++k) {
    const double t = FitThreshold(o, Except(in_fold, k), fit);
    cv.thresholds.push_back(t);
    sum += t;
    AddInto(&cv.held_out, Replay(o, t, &in_fold[static_cast<size_t>(k)]));
  }
  cv.held_out.auto_merge = folds ? sum / folds : 0;  // the mean fitted threshold
  return cv;
}

CrossValidation CrossValidateTrained(const std::string& task, const std::vector<Report>& existing,
                                     const std::vector<Report>& incoming,
                                     const MatchingSettings& settings, int folds, uint64_t seed,
                                     const FitOptions& fit, const matching::TrainOptions& train,
                                     int64_t sample) {
  CrossValidation cv;
  double sum = 0;
  auto fold_of = [&](const Report& r) {
    return FoldOf(IsNationalId(r.national_id) ? r.national_id : r.source + ":" + r.source_record_id,
                  seed, folds);
  };
  for (int k = 0; k < folds; ++k) {
    std::vector<Report> fitting;
    for (const auto* list : {&existing, &incoming}) {
      for (const Report& r : *list) {
        if (fold_of(r) != k) fitting.push_back(r);
      }
    }
    const matching::TrainResult trained = matching::TrainWeights(fitting, settings, {}, train);
    const auto weights = ShippedEstimates(trained.weights);
    const LinkOutcomes o = Collect(task, existing, incoming, WithWeights(settings, weights),
                                   std::min(fit.min_threshold, settings.auto_merge), sample, seed);
    if (k == 0) {
      cv = Start(o, folds);
      cv.task = task;
    }
    cv.held_out.seconds += o.seconds;
    const auto in_fold = QueriesByFold(o, folds, seed);
    const double t = FitThreshold(o, Except(in_fold, k), fit);
    cv.thresholds.push_back(t);
    cv.weights.push_back(weights);
    sum += t;
    AddInto(&cv.held_out, Replay(o, t, &in_fold[static_cast<size_t>(k)]));
  }
  cv.held_out.auto_merge = folds ? sum / folds : 0;
  return cv;
}

Transfer FitAndTransfer(const LinkOutcomes& from, const LinkOutcomes& to, const FitOptions& fit) {
  Transfer tr;
  tr.from = from.task;
  tr.to = to.task;
  std::vector<size_t> all(from.queries.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  tr.threshold = FitThreshold(from, all, fit);
  tr.scored = Replay(to, tr.threshold);
  tr.scored.task = from.task + " -> " + to.task;
  return tr;
}

Transfer FitAndTransferTrained(const TaskRecords& from, const TaskRecords& to,
                               const MatchingSettings& settings, const FitOptions& fit,
                               const matching::TrainOptions& train, int64_t sample, uint64_t seed) {
  std::vector<Report> fitting = from.existing;
  fitting.insert(fitting.end(), from.incoming.begin(), from.incoming.end());
  const auto weights =
      ShippedEstimates(matching::TrainWeights(fitting, settings, {}, train).weights);
  const MatchingSettings trained = WithWeights(settings, weights);
  const double floor = std::min(fit.min_threshold, settings.auto_merge);
  Transfer tr =
      FitAndTransfer(Collect(from.task, from.existing, from.incoming, trained, floor, sample, seed),
                     Collect(to.task, to.existing, to.incoming, trained, floor, sample, seed), fit);
  tr.weights = weights;
  return tr;
}

std::string CrossValidation::ToText() const {
  std::string out = std::to_string(folds) + "-fold cross-validation by person, " +
                    (weights.empty() ? "" : "weights (EM) and ") + "auto_merge fitted per fold (" +
                    Thresholds(thresholds) + "):\n";
  for (size_t k = 0; k < weights.size(); ++k) {
    out += "  fold " + std::to_string(k) + " weights:";
    for (const auto& [name, v] : weights[k]) out += " " + name + "=" + Num(v);
    out += "\n";
  }
  return out + held_out.ToText();
}

std::string CrossValidation::ToJson() const {
  std::string w;
  for (const auto& fold : weights) {
    w += w.empty() ? "{" : ",{";
    bool first = true;
    for (const auto& [name, v] : fold) {
      w += (first ? "\"" : ",\"") + name + "\":" + Num(v);
      first = false;
    }
    w += "}";
  }
  return "{\"cross_validation\":\"" + task + "\",\"folds\":" + std::to_string(folds) +
         ",\"thresholds\":[" + Thresholds(thresholds) + "],\"weights\":[" + w +
         "],\"held_out\":" + held_out.ToJson() + "}";
}

std::string Transfer::ToText() const {
  std::string w;
  for (const auto& [name, v] : weights) w += " " + name + "=" + Num(v);
  return "transfer: " + std::string(weights.empty() ? "" : "weights (EM) and ") +
         "auto_merge fitted on " + from + " (" + Num(threshold) + "), scored on " + to + ":\n" +
         (w.empty() ? "" : "  weights:" + w + "\n") + scored.ToText();
}

std::string Transfer::ToJson() const {
  return "{\"transfer_from\":\"" + from + "\",\"transfer_to\":\"" + to +
         "\",\"threshold\":" + Num(threshold) + ",\"scored\":" + scored.ToJson() + "}";
}

}  // namespace qayd::eval
