#include "bench/e2e/accuracy.h"

#include <algorithm>
#include <cstdio>

namespace qayd::bench {

uint32_t Accuracy::Key(const std::string& truth) {
  uint32_t v = 0;
  bool digits = !truth.empty() && truth.size() <= 9;
  for (char c : truth) {
    if (c < '0' || c > '9') digits = false;
  }
  if (digits) return static_cast<uint32_t>(std::stoul(truth)) | 0x80000000u;
  for (char c : truth) v = v * 16777619u ^ static_cast<unsigned char>(c);
  return (v & 0x7fffffffu) | 1u;
}

void Accuracy::AddVictim(int64_t victim_id, uint32_t truth) {
  if (victim_id <= 0) return;
  if (static_cast<size_t>(victim_id) >= victim_truth_.size()) {
    victim_truth_.resize(std::max<size_t>(static_cast<size_t>(victim_id) + 1, victim_truth_.size() * 2));
  }
  victim_truth_[static_cast<size_t>(victim_id)] = truth;
  persons_.insert(truth);
}

void Accuracy::Observe(const std::string& truth, const std::string& decision, int64_t victim_id,
                       const std::vector<int64_t>& candidate_victims) {
  const uint32_t key = Key(truth);
  ++reports;
  const bool was_present = persons_.count(key) > 0;
  present += was_present;
  auto truth_of = [&](int64_t v) -> uint32_t {
    return v > 0 && static_cast<size_t>(v) < victim_truth_.size() ? victim_truth_[v] : 0;
  };
  if (decision == "merged") {
    ++merges;
    merges_correct += truth_of(victim_id) == key;
  } else if (decision == "new") {
    ++news;
    false_new += was_present;
    AddVictim(victim_id, key);
  } else if (decision == "review") {
    ++reviews;
    for (int64_t c : candidate_victims) {
      if (truth_of(c) == key) {
        ++review_true_in_candidates;
        break;
      }
    }
    AddVictim(victim_id, key);  // the provisional victim
  } else {
    ++other;
  }
  persons_.insert(key);
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
