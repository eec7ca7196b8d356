#include "matching/train.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include "matching/engine.h"

namespace qayd::matching {
namespace {

// Comparison fields and their levels; level -1 = missing (uninformative).
enum Field { kF0 = 0, kF1, kF2, kF3, kDob, kSex, kFields };
constexpr int kLevels = 4;
const char* kRoleField[4] = {"name.first", "name.father", "name.grandfather", "name.family"};

using Pattern = std::array<int8_t, kFields>;

Pattern PatternOf(const Explanation& why) {
  Pattern p;
  p.fill(-1);
  for (const auto& f : why.fields) {
    for (int r = 0; r < 4; ++r) {
      if (f.field != kRoleField[r]) continue;
      if (f.level == "exact" || f.level == "same-key")
        p[r] = 0;
      else if (f.level == "near")
        p[r] = 1;
      else if (f.level == "disagree")
        p[r] = 2;
    }
    if (f.field == "date_of_birth") {
      if (f.level == "exact")
        p[kDob] = 0;
      else if (f.level == "same-year")
        p[kDob] = 1;
      else if (f.level == "within-year")
        p[kDob] = 2;
      else if (f.level == "disagree" || f.level == "far")
        p[kDob] = 3;
    }
    if (f.field == "sex") p[kSex] = f.level == "agree" ? 0 : 1;
  }
  return p;
}

double Log2Ratio(double m, double u) {
  return std::clamp(std::log2(std::max(m, 1e-6) / std::max(u, 1e-6)), -25.0, 15.0);
}

}  // namespace

std::string TrainResult::ToConfigJson() const {
  std::string out = "{\"matching\": {\"weights\": {";
  bool first = true;
  for (const auto& [k, v] : weights) {
    char buf[128];
    std::snprintf(buf, sizeof buf, "%s\n  \"%s\": %.3f", first ? "" : ",", k.c_str(), v);
    out += buf;
    first = false;
  }
  out += "\n}}}\n";
  return out;
}

TrainResult TrainWeights(const std::vector<Report>& reports, const MatchingSettings& base,
                         const std::vector<LabeledPair>& labeled, const TrainOptions& options) {
  Engine engine(base);
  for (size_t i = 0; i < reports.size(); ++i) {
    engine.Upsert(static_cast<int64_t>(i) + 1, static_cast<int64_t>(i) + 1, reports[i]);
  }
  std::vector<Pattern> patterns;
  std::vector<double> fixed;  // -1 = estimate; else the known match probability
  for (size_t i = 0; i < reports.size() && patterns.size() < options.max_pairs; ++i) {
    for (int64_t v : engine.Propose(reports[i])) {
      size_t j = static_cast<size_t>(v - 1);
      if (j <= i) continue;
      patterns.push_back(PatternOf(engine.ScorePair(reports[i], reports[j])));
      fixed.push_back(-1);
    }
  }
  for (const auto& l : labeled) {
    if (l.a >= reports.size() || l.b >= reports.size()) continue;
    patterns.push_back(PatternOf(engine.ScorePair(reports[l.a], reports[l.b])));
    fixed.push_back(l.same ? 1.0 : 0.0);
  }
  TrainResult result;
  result.pairs = patterns.size();
  if (patterns.empty()) return result;

  double p = options.initial_match_share;
  double m[kFields][kLevels], u[kFields][kLevels];
  for (int f = 0; f < kFields; ++f) {
    for (int l = 0; l < kLevels; ++l) {
      m[f][l] = l == 0 ? 0.85 : 0.15 / (kLevels - 1);
      u[f][l] = l == 0 ? 0.2 : 0.8 / (kLevels - 1);
    }
  }
  std::vector<double> g(patterns.size());
  int it = 0;
  for (; it < options.max_iterations; ++it) {
    // E step.
    for (size_t k = 0; k < patterns.size(); ++k) {
      if (fixed[k] >= 0) {
        g[k] = fixed[k];
        continue;
      }
      double lm = std::log(p), lu = std::log(1 - p);
      for (int f = 0; f < kFields; ++f) {
        int l = patterns[k][f];
        if (l < 0) continue;
        lm += std::log(std::max(m[f][l], 1e-9));
        lu += std::log(std::max(u[f][l], 1e-9));
      }
      g[k] = 1.0 / (1.0 + std::exp(lu - lm));
    }
    // M step (add-one smoothing keeps empty levels finite).
    double sum_g = 0;
    double cm[kFields][kLevels] = {}, cu[kFields][kLevels] = {};
    for (size_t k = 0; k < patterns.size(); ++k) {
      sum_g += g[k];
      for (int f = 0; f < kFields; ++f) {
        int l = patterns[k][f];
        if (l < 0) continue;
        cm[f][l] += g[k];
        cu[f][l] += 1 - g[k];
      }
    }
    double new_p = std::clamp(sum_g / patterns.size(), 1e-4, 1 - 1e-4);
    double change = std::abs(new_p - p);
    p = new_p;
    for (int f = 0; f < kFields; ++f) {
      double tm = 0, tu = 0;
      for (int l = 0; l < kLevels; ++l) tm += cm[f][l] + 0.5, tu += cu[f][l] + 0.5;
      for (int l = 0; l < kLevels; ++l) {
        double nm = (cm[f][l] + 0.5) / tm, nu = (cu[f][l] + 0.5) / tu;
        change = std::max({change, std::abs(nm - m[f][l]), std::abs(nu - u[f][l])});
        m[f][l] = nm;
        u[f][l] = nu;
      }
    }
    if (change < 1e-5) break;
  }
  result.iterations = it + 1;
  result.match_share = p;
  auto& w = result.weights;
  const char* disagree[4] = {"name.first.disagree", "name.father.disagree",
                             "name.grandfather.disagree", "name.family.disagree"};
  double m_agree = 0;
  for (int r = 0; r < 4; ++r) {
    w[disagree[r]] = Log2Ratio(m[r][2], u[r][2]);
    m_agree += m[r][0] / 4;
  }
  w["name.m"] = std::clamp(m_agree, 0.5, 0.999);
  w["dob.m"] = std::clamp(m[kDob][0], 0.3, 0.999);
  w["dob.same_year"] = Log2Ratio(m[kDob][1], u[kDob][1]);
  w["dob.within_year"] = Log2Ratio(m[kDob][2], u[kDob][2]);
  w["dob.disagree"] = Log2Ratio(m[kDob][3], u[kDob][3]);
  w["sex.agree"] = Log2Ratio(m[kSex][0], u[kSex][0]);
  w["sex.disagree"] = Log2Ratio(m[kSex][1], u[kSex][1]);
  return result;
}

}  // namespace qayd::matching
