// BatchMatch: the up-front part of a batch on several threads, then the
// in-order part that adds the batch's own earlier reports (engine.h).
#include <algorithm>
#include <chrono>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include "base/parallel_for.h"
#include "matching/engine.h"
#include "matching/engine_impl.h"

namespace qayd::matching {

struct BatchMatch::State {
  struct Entry {  // one index report scored in the up-front part
    uint32_t slot;
    int64_t report_id, victim;
    double score;
  };
  const Engine::Impl* m = nullptr;
  std::vector<PreparedReport> prepared;
  std::vector<MatchResult> results;
  std::vector<std::vector<Entry>> entries;
  std::vector<std::vector<uint64_t>> keys, taken;
  std::vector<double> seconds;
  // The batch's resolved reports, proposed to later ones by shared keys.
  std::vector<int64_t> victim, report_id;
  std::unordered_map<uint64_t, std::vector<uint32_t>> blocks;
};

BatchMatch::BatchMatch(std::unique_ptr<State> s) : s_(std::move(s)) {}
BatchMatch::BatchMatch(BatchMatch&&) noexcept = default;
BatchMatch& BatchMatch::operator=(BatchMatch&&) noexcept = default;
BatchMatch::~BatchMatch() = default;

size_t BatchMatch::size() const { return s_->prepared.size(); }
const PreparedReport& BatchMatch::prepared(size_t i) const { return s_->prepared.at(i); }
double BatchMatch::seconds(size_t i) const { return s_->seconds.at(i); }

BatchMatch Engine::MatchBatch(const std::vector<const Report*>& reports, ThreadPool* pool) const {
  auto st = std::make_unique<BatchMatch::State>();
  const size_t n = reports.size();
  st->m = impl_.get();
  st->prepared.resize(n);
  st->results.resize(n);
  st->entries.resize(n);
  st->keys.resize(n);
  st->taken.resize(n);
  st->seconds.resize(n);
  st->victim.assign(n, 0);
  st->report_id.assign(n, 0);
  BatchMatch::State& s = *st;
  const Impl& m = *impl_;
  ParallelFor(pool, n, [&](size_t i) {
    const auto start = std::chrono::steady_clock::now();
    s.prepared[i] = Prepare(*reports[i]);
    const Profile& q = *s.prepared[i].profile_;
    if (q.unidentified) {
      s.results[i].decision = Decision::kUnidentified;
    } else {
      std::shared_lock lock(m.mu);
      std::vector<uint32_t> slots = m.Candidates(q, &s.keys[i], &s.taken[i]);
      std::vector<ScoredEntry> scored = m.ScoreSlots(q, slots, {});
      auto& entries = s.entries[i];
      entries.reserve(scored.size());
      for (const ScoredEntry& e : scored) {
        entries.push_back(
            {static_cast<uint32_t>(e.profile - m.slots.data()), e.report_id, e.victim, e.score});
      }
      s.results[i] = m.Decide(s.prepared[i].name_, q, std::move(scored));
      s.results[i].candidates_considered = static_cast<int>(slots.size());
    }
    s.seconds[i] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  });
  return BatchMatch(std::move(st));
}

void BatchMatch::Resolved(size_t i, int64_t report_id, int64_t victim_id) {
  State& s = *s_;
  const Profile* q = s.prepared.at(i).profile_.get();
  if (q == nullptr || q->unidentified) return;  // never proposed by name
  s.victim[i] = victim_id;
  s.report_id[i] = report_id;
  for (uint64_t k : s.keys[i]) s.blocks[k].push_back(static_cast<uint32_t>(i));
}

MatchResult BatchMatch::Result(size_t i) {
  State& s = *s_;
  const Profile* q = s.prepared.at(i).profile_.get();
  if (q == nullptr || q->unidentified) return s.results[i];
  // Earlier reports of the batch under a key this report's proposals took.
  std::vector<uint32_t> local;
  for (uint64_t k : s.taken[i]) {
    auto it = s.blocks.find(k);
    if (it == s.blocks.end()) continue;
    for (uint32_t j : it->second) {
      if (j < i) local.push_back(j);
    }
  }
  std::sort(local.begin(), local.end());
  local.erase(std::unique(local.begin(), local.end()), local.end());
  const Engine::Impl& m = *s.m;
  std::shared_lock lock(m.mu);
  bool changed = !local.empty();
  for (size_t e = 0; !changed && e < s.entries[i].size(); ++e) {
    const State::Entry& x = s.entries[i][e];
    const Profile& c = m.slots[x.slot];
    changed = !m.live[x.slot] || c.report_id != x.report_id || c.victim_id != x.victim;
  }
  if (!changed) return std::move(s.results[i]);
  // Redo the decision with the index's current victims and the batch's own.
  std::vector<ScoredEntry> scored;
  scored.reserve(s.entries[i].size() + local.size());
  for (const State::Entry& x : s.entries[i]) {
    const Profile& c = m.slots[x.slot];
    if (!m.live[x.slot] || c.report_id != x.report_id) continue;
    scored.push_back({c.victim_id, x.report_id, x.score, &c, &m.names[x.slot]});
  }
  for (uint32_t j : local) {
    const Profile& c = *s.prepared[j].profile_;
    scored.push_back({s.victim[j], s.report_id[j], Score(*q, c, m.weights, m.freq, nullptr), &c,
                      &s.prepared[j].name_});
  }
  MatchResult r = m.Decide(s.prepared[i].name_, *q, std::move(scored));
  r.candidates_considered = s.results[i].candidates_considered + static_cast<int>(local.size());
  return r;
}

}  // namespace qayd::matching
