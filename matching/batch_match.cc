// BatchMatch: the up-front part of a batch on the pool's workers (and the
// caller while it waits), the in-order part that adds the batch's own earlier
// reports (engine.h).
#include <absl/container/flat_hash_map.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <stdexcept>

#include "base/thread_pool.h"
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
  std::vector<const Report*> reports;
  std::vector<PreparedReport> prepared;
  std::vector<MatchResult> results;
  std::vector<std::vector<Entry>> entries;
  std::vector<std::vector<uint64_t>> keys, taken;
  std::vector<double> seconds;
  std::vector<uint64_t> epoch;  // the index's epoch when report i was scored
  // The batch's resolved reports, proposed to later ones by shared keys.
  std::vector<int64_t> victim, report_id;
  // Block key -> the batch's resolved reports under it, as a list through
  // `block_nodes` (newest first; 1 + node index, 0 ends the list): one
  // allocation per key at most, none per report.
  struct BlockNode {
    uint32_t report, next;
  };
  absl::flat_hash_map<uint64_t, uint32_t> blocks;
  std::vector<BlockNode> block_nodes;
  // Term frequencies with the resolved reports counted in, as the index will
  // have them: made (a copy of the index's) only when a report meets earlier
  // ones of its batch, e.g. a large first batch into an empty register, where
  // the index's own frequencies would make every shared name look rare.
  std::vector<uint32_t> resolved;  // in order
  std::unique_ptr<Frequencies> freq;
  size_t counted = 0;  // entries of `resolved` counted into `freq`

  // The up-front part: reports arrive by Add() (all at once for MatchBatch)
  // and are claimed in order by the pool's workers, and by the caller while
  // it waits for one. Every vector above is sized to the capacity up front, so
  // adding never moves an element a worker is writing.
  std::mutex mu;
  std::condition_variable cv;
  size_t size = 0;            // reports added (mu)
  size_t next = 0;            // the next index to claim (mu)
  bool closed = false;        // no more Add() (mu)
  bool cancelled = false;     // the batch is being destroyed (mu)
  std::vector<uint8_t> done;  // (mu)
  int workers = 0;            // worker tasks running now (mu)

  void Compute(size_t i);
  void Finish(size_t i) {
    {
      std::lock_guard lock(mu);
      done[i] = 1;
    }
    cv.notify_all();
  }
  // A worker: computes claimed indices until the batch is closed and
  // exhausted, or cancelled.
  void Work() {
    for (;;) {
      size_t i;
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return cancelled || next < size || closed; });
        if (cancelled || next >= size) return;
        i = next++;
      }
      Compute(i);
      Finish(i);
    }
  }
  // Returns once index i (< size) has been computed, computing the next
  // unclaimed ones meanwhile rather than waiting.
  void Wait(size_t i) {
    for (;;) {
      size_t j;
      {
        std::unique_lock lock(mu);
        if (done[i]) return;
        if (next >= size) {
          cv.wait(lock, [&] { return done[i] != 0; });
          return;
        }
        j = next++;
      }
      Compute(j);
      Finish(j);
    }
  }
};

void BatchMatch::State::Compute(size_t i) {
  const auto start = std::chrono::steady_clock::now();
  // A report prepared ahead is not read here: the caller may be storing it
  // meanwhile (the id its profile lacks is given at UpsertPrepared).
  if (!prepared[i].ready()) prepared[i] = Engine::Prepare(*reports[i]);
  const Profile& q = *prepared[i].profile_;
  if (q.unidentified) {
    results[i].decision = Decision::kUnidentified;
  } else {
    std::shared_lock lock(m->mu);
    std::vector<uint32_t> slots = m->Candidates(q, &keys[i], &taken[i]);
    std::vector<ScoredEntry> scored = m->ScoreSlots(q, slots, {});
    entries[i].reserve(scored.size());
    for (const ScoredEntry& e : scored) {
      entries[i].push_back(
          {static_cast<uint32_t>(e.profile - m->slots.data()), e.report_id, e.victim, e.score});
    }
    results[i] = m->Decide(prepared[i].name_, q, std::move(scored), 1, &prepared[i].steps_);
    epoch[i] = m->epoch;
    results[i].candidates_considered = static_cast<int>(slots.size());
    if (!results[i].candidates.empty()) {
      results[i].best_why_json = results[i].candidates.front().why.ToJson();
    }
  }
  seconds[i] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

BatchMatch::BatchMatch(std::shared_ptr<State> s) : s_(std::move(s)) {}
BatchMatch::BatchMatch(BatchMatch&&) noexcept = default;
BatchMatch& BatchMatch::operator=(BatchMatch&&) noexcept = default;

BatchMatch::~BatchMatch() {
  if (!s_) return;
  // Unclaimed work is dropped; work in progress on a worker is waited for,
  // since it reads the reports and the engine. A worker task that has not
  // started yet will find the batch cancelled and touch nothing else.
  std::unique_lock lock(s_->mu);
  s_->cancelled = true;
  s_->cv.notify_all();
  s_->cv.wait(lock, [&] { return s_->workers == 0; });
}

size_t BatchMatch::size() const {
  std::lock_guard lock(s_->mu);
  return s_->size;
}

size_t BatchMatch::Add(const Report* report, PreparedReport prepared) {
  State& s = *s_;
  size_t i;
  {
    std::lock_guard lock(s.mu);
    if (s.closed || s.size >= s.reports.size()) {
      throw std::logic_error("BatchMatch::Add beyond capacity or after Close");
    }
    i = s.size;
    s.reports[i] = report;
    s.prepared[i] = std::move(prepared);
    ++s.size;
  }
  s.cv.notify_all();
  return i;
}

void BatchMatch::Close() {
  {
    std::lock_guard lock(s_->mu);
    s_->closed = true;
  }
  s_->cv.notify_all();
}

const PreparedReport& BatchMatch::prepared(size_t i) const {
  s_->Wait(i);
  return s_->prepared.at(i);
}

double BatchMatch::seconds(size_t i) const {
  s_->Wait(i);
  return s_->seconds.at(i);
}

BatchMatch Engine::StartBatch(size_t capacity, ThreadPool* pool) const {
  auto st = std::make_shared<BatchMatch::State>();
  const size_t n = capacity;
  st->m = impl_.get();
  st->reports.assign(n, nullptr);
  st->prepared.resize(n);
  st->results.resize(n);
  st->entries.resize(n);
  st->keys.resize(n);
  st->taken.resize(n);
  st->seconds.resize(n);
  st->epoch.assign(n, 0);
  st->victim.assign(n, 0);
  st->report_id.assign(n, 0);
  st->done.assign(n, 0);
  st->blocks.reserve(8 * n);  // about the block keys of n reports: no rehashing
  st->block_nodes.reserve(12 * n);
  // Workers start at once and stay ahead of the caller, who resolves (and
  // writes to the store) report by report.
  const size_t helpers = pool == nullptr || n < 2 ? 0 : pool->size();
  for (size_t h = 0; h < helpers; ++h) {
    pool->Post([st] {
      {
        std::lock_guard lock(st->mu);
        if (st->cancelled) return;  // started after the batch was dropped
        ++st->workers;
      }
      st->Work();
      std::lock_guard lock(st->mu);
      --st->workers;
      st->cv.notify_all();
    });
  }
  return BatchMatch(std::move(st));
}

BatchMatch Engine::MatchBatch(const std::vector<const Report*>& reports, ThreadPool* pool) const {
  BatchMatch batch = StartBatch(reports.size(), pool);
  for (const Report* r : reports) batch.Add(r);
  batch.Close();
  return batch;
}

void BatchMatch::Resolved(size_t i, int64_t report_id, int64_t victim_id) {
  State& s = *s_;
  s.Wait(i);
  const Profile* q = s.prepared.at(i).profile_.get();
  if (q == nullptr || q->unidentified) return;  // never proposed by name
  s.victim[i] = victim_id;
  s.report_id[i] = report_id;
  for (uint64_t k : s.keys[i]) {
    uint32_t& head = s.blocks[k];
    s.block_nodes.push_back({static_cast<uint32_t>(i), head});
    head = static_cast<uint32_t>(s.block_nodes.size());
  }
  s.resolved.push_back(static_cast<uint32_t>(i));
}

MatchResult BatchMatch::Result(size_t i) {
  State& s = *s_;
  s.Wait(i);
  const Profile* q = s.prepared.at(i).profile_.get();
  if (q == nullptr || q->unidentified) return s.results[i];
  // Earlier reports of the batch under a key this report's proposals took.
  std::vector<uint32_t> local;
  for (uint64_t k : s.taken[i]) {
    auto it = s.blocks.find(k);
    if (it == s.blocks.end()) continue;
    for (uint32_t n = it->second; n != 0; n = s.block_nodes[n - 1].next) {
      const uint32_t j = s.block_nodes[n - 1].report;
      if (j < i) local.push_back(j);
    }
  }
  std::sort(local.begin(), local.end());
  local.erase(std::unique(local.begin(), local.end()), local.end());
  const Engine::Impl& m = *s.m;
  std::shared_lock lock(m.mu);
  // The index changes only under its exclusive lock, which counts the
  // changes: the same epoch means every entry scored is unchanged.
  bool changed = !local.empty();
  for (size_t e = 0; !changed && m.epoch != s.epoch[i] && e < s.entries[i].size(); ++e) {
    const State::Entry& x = s.entries[i][e];
    const Profile& c = m.slots[x.slot];
    changed = !c.indexed || c.report_id != x.report_id || c.victim_id != x.victim;
  }
  if (!changed) return std::move(s.results[i]);
  // Redo the decision with the index's current victims and the batch's own.
  // The index's candidates keep the scores they got with the index's term
  // frequencies; the batch's own are scored with frequencies that count the
  // batch's resolved reports, as indexing them one by one would (a large
  // first batch into an empty register would otherwise find every name it
  // shares rare). Rescoring every index candidate with those as well was
  // most of the caller's matching time and changed one decision in 100,000
  // (docs/PERFORMANCE.md). The best candidate of the up-front decision was
  // explained then: its name's steps are reused if it is explained again.
  const Candidate* before =
      s.results[i].candidates.empty() ? nullptr : &s.results[i].candidates.front();
  std::vector<ScoredEntry> scored;
  scored.reserve(s.entries[i].size() + local.size());
  for (const State::Entry& x : s.entries[i]) {
    const Profile& c = m.slots[x.slot];
    if (!c.indexed || c.report_id != x.report_id) continue;
    const bool known = before != nullptr && before->report_id == x.report_id;
    scored.push_back({c.victim_id, x.report_id, x.score, &c, &m.names[x.slot], nullptr,
                      known ? &before->why.steps_b : nullptr});
  }
  if (!local.empty()) {
    if (!s.freq) s.freq = std::make_unique<Frequencies>(m.freq);
    for (; s.counted < s.resolved.size(); ++s.counted) {
      CountProfile(*s.prepared[s.resolved[s.counted]].profile_, +1, s.freq.get());
    }
    const Frequencies& f = *s.freq;
    for (uint32_t j : local) {
      const Profile& c = *s.prepared[j].profile_;
      scored.push_back({s.victim[j], s.report_id[j], Score(*q, c, m.weights, f, nullptr), &c,
                        &s.prepared[j].name_, &f, &s.prepared[j].steps_});
    }
  }
  MatchResult r =
      m.Decide(s.prepared[i].name_, *q, std::move(scored), 1, &s.prepared[i].steps_, before);
  // The same best candidate with the same score: the same explanation, whose
  // JSON a worker has rendered already.
  if (before != nullptr && !r.candidates.empty() &&
      r.candidates.front().report_id == before->report_id &&
      r.candidates.front().score == before->score) {
    r.best_why_json = std::move(s.results[i].best_why_json);
  }
  r.candidates_considered = s.results[i].candidates_considered + static_cast<int>(local.size());
  return r;
}

}  // namespace qayd::matching
