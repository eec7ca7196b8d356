#include "bench/e2e/accuracy.h"

#include <cstdio>

namespace qayd::bench {

void Accuracy::AddVictim(int64_t victim_id, const std::string& truth) {
  victim_truth_[victim_id] = truth;
  persons_.insert(truth);
}

void Accuracy::Observe(const std::string& truth, const std::string& decision, int64_t victim_id,
                       const std::vector<int64_t>& candidate_victims) {
  ++reports;
  const bool was_present = persons_.count(truth) > 0;
  present += was_present;
  auto truth_of = [&](int64_t v) {
    auto it = victim_truth_.find(v);
    return it == victim_truth_.end() ? std::string() : it->second;
  };
  if (decision == "merged") {
    ++merges;
    merges_correct += truth_of(victim_id) == truth;
  } else if (decision == "new") {
    ++news;
    false_new += was_present;
    AddVictim(victim_id, truth);
  } else if (decision == "review") {
    ++reviews;
    for (int64_t c : candidate_victims) {
      if (truth_of(c) == truth) {
        ++review_true_in_candidates;
        break;
      }
    }
    AddVictim(victim_id, truth);  // the provisional victim
  } else {
    ++other;
  }
  persons_.insert(truth);
}

std::string Accuracy::ToJson() const {
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "{\"reports\":%lld,\"present\":%lld,\"merges\":%lld,\"merges_correct\":%lld,"
                "\"precision\":%.5f,\"recall\":%.5f,\"new\":%lld,\"false_new\":%lld,"
                "\"review\":%lld,\"review_true_in_candidates\":%lld,\"other\":%lld}",
                static_cast<long long>(reports), static_cast<long long>(present),
                static_cast<long long>(merges), static_cast<long long>(merges_correct),
                precision(), recall(), static_cast<long long>(news),
                static_cast<long long>(false_new), static_cast<long long>(reviews),
                static_cast<long long>(review_true_in_candidates), static_cast<long long>(other));
  return buf;
}

}  // namespace qayd::bench
