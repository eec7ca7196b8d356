#include "eval/cross_validation.h"

#include <cstdio>

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

}  // namespace

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
  CrossValidation cv;
  cv.task = o.task;
  cv.folds = folds;
  cv.held_out.task = o.task + " (held out)";
  cv.held_out.existing = o.existing;
  cv.held_out.incoming = o.incoming;
  cv.held_out.seconds = o.seconds;
  std::vector<std::vector<size_t>> in_fold(static_cast<size_t>(folds));
  for (size_t i = 0; i < o.queries.size(); ++i) {
    in_fold[Fnv(o.queries[i].national_id, seed) % static_cast<uint64_t>(folds)].push_back(i);
  }
  double sum = 0;
  for (int k = 0; k < folds; ++k) {
    std::vector<size_t> train;
    for (int j = 0; j < folds; ++j) {
      if (j != k) train.insert(train.end(), in_fold[j].begin(), in_fold[j].end());
    }
    const double t = FitThreshold(o, train, fit);
    cv.thresholds.push_back(t);
    sum += t;
    AddInto(&cv.held_out, Replay(o, t, &in_fold[static_cast<size_t>(k)]));
  }
  cv.held_out.auto_merge = folds ? sum / folds : 0;  // the mean fitted threshold
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

std::string CrossValidation::ToText() const {
  return std::to_string(folds) + "-fold cross-validation by person, auto_merge fitted per fold (" +
         Thresholds(thresholds) + "):\n" + held_out.ToText();
}

std::string CrossValidation::ToJson() const {
  return "{\"cross_validation\":\"" + task + "\",\"folds\":" + std::to_string(folds) +
         ",\"thresholds\":[" + Thresholds(thresholds) + "],\"held_out\":" + held_out.ToJson() + "}";
}

std::string Transfer::ToText() const {
  return "transfer: auto_merge fitted on " + from + " (" + Num(threshold) + "), scored on " + to +
         ":\n" + scored.ToText();
}

std::string Transfer::ToJson() const {
  return "{\"transfer_from\":\"" + from + "\",\"transfer_to\":\"" + to +
         "\",\"threshold\":" + Num(threshold) + ",\"scored\":" + scored.ToJson() + "}";
}

}  // namespace qayd::eval
