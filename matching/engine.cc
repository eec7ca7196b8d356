#include "matching/engine.h"

#include <sys/mman.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <unordered_map>

#include "matching/block_keys.h"
#include "matching/engine_impl.h"
#include "matching/interner.h"
#include "matching/name_normalizer.h"
#include "matching/profile.h"
#include "matching/scorer.h"

namespace qayd::matching {
namespace {

// Lists longer than this are skipped at query time (a very common pair of
// tokens); rarer keys of the same report still propose its victim.
constexpr size_t kMaxListLength = 1500;
// Proposals gathered per query from lists longer than kAlwaysTaken. 300 (was
// 600): at a 100k register 91 candidates per report instead of 138, 30% less
// ingest CPU, same precision; 150 lost true matches (docs/PERFORMANCE.md).
constexpr size_t kProposalBudget = 300;
constexpr size_t kAlwaysTaken = 64;

// Asks the kernel to back a large array with 2 MiB pages (transparent huge
// pages, "madvise" mode as Debian ships it). Scoring reads profiles at
// random across hundreds of MB: with 4 KiB pages nearly every candidate is a
// TLB miss, and the prefetches stall on page walks. Advisory: ignored where
// unsupported.
void AdviseHugePages(const void* data, size_t bytes) {
  constexpr uintptr_t kHuge = 2u << 20;
  const uintptr_t begin = (reinterpret_cast<uintptr_t>(data) + kHuge - 1) & ~(kHuge - 1);
  const uintptr_t end = (reinterpret_cast<uintptr_t>(data) + bytes) & ~(kHuge - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

}  // namespace

std::string PrimaryFull(const Report& r) {
  const NameSpelling* n = r.primary_name();
  if (!n) return "";
  if (!n->full.empty()) return n->full;
  std::string out;
  for (const std::string* s : {&n->first, &n->father, &n->grandfather, &n->family}) {
    if (!s->empty()) out += (out.empty() ? "" : " ") + *s;
  }
  return out;
}

const char* DecisionName(Decision d) {
  switch (d) {
    case Decision::kNew:
      return "new";
    case Decision::kMerge:
      return "merge";
    case Decision::kReview:
      return "review";
    case Decision::kUnidentified:
      return "unidentified";
  }
  return "";
}

PreparedReport::PreparedReport() = default;
PreparedReport::~PreparedReport() = default;
PreparedReport::PreparedReport(const PreparedReport& other)
    : profile_(other.profile_ ? std::make_unique<Profile>(*other.profile_) : nullptr),
      name_(other.name_),
      steps_(other.steps_) {}
PreparedReport& PreparedReport::operator=(const PreparedReport& other) {
  if (this != &other) *this = PreparedReport(other);
  return *this;
}
PreparedReport::PreparedReport(PreparedReport&&) noexcept = default;
PreparedReport& PreparedReport::operator=(PreparedReport&&) noexcept = default;

void CountProfile(const Profile& p, int delta, Frequencies* f) {
  if (p.unidentified || p.nnames == 0) return;
  const NameProfile& n = p.names[0];
  for (int i = 0; i < n.n; ++i) {
    uint32_t k = n.parts[i].key;
    if (k >= f->key_count.size()) f->key_count.resize(k + 1024, 0);
    f->key_count[k] += delta;
  }
  f->total_parts += delta * n.n;
  if (p.dob != kNoDate) f->AddDob(p.dob, p.dob_year, delta);
}

void Engine::Impl::Count(const Profile& p, int delta) { CountProfile(p, delta, &freq); }

void Engine::Impl::Insert(uint32_t slot) {
  const Profile& p = slots[slot];
  Count(p, +1);
  if (p.unidentified) return;  // never proposed by name
  std::vector<uint64_t> keys;
  BlockKeys(p, &keys);
  for (uint64_t k : keys) blocks[k].push_back(slot);
}

void Engine::Impl::Erase(uint32_t slot) {
  const Profile& p = slots[slot];
  Count(p, -1);
  if (p.unidentified) return;
  std::vector<uint64_t> keys;
  BlockKeys(p, &keys);
  for (uint64_t k : keys) {
    auto it = blocks.find(k);
    if (it == blocks.end()) continue;
    auto& v = it->second;
    v.erase(std::remove(v.begin(), v.end(), slot), v.end());
    if (v.empty()) blocks.erase(it);
  }
}

void Engine::Impl::Replace(uint32_t slot, Profile&& p) {
  Profile& old = slots[slot];
  bool same = old.unidentified == p.unidentified;
  if (same && !p.unidentified) {
    std::vector<uint64_t> before, after;
    BlockKeys(old, &before);
    BlockKeys(p, &after);
    same = before == after;
  }
  if (!same) {
    Erase(slot);
    slots[slot] = std::move(p);
    Insert(slot);
    return;
  }
  Count(old, -1);
  old = std::move(p);
  Count(old, +1);
}

namespace {

// Reorders v so that v[i] becomes the old v[order[i]] (order: a permutation),
// in place: one element moved at a time along each cycle, so a vector of
// profiles is not copied whole.
template <typename T>
void Permute(std::vector<T>& v, const std::vector<uint32_t>& order) {
  std::vector<bool> done(order.size(), false);
  for (size_t i = 0; i < order.size(); ++i) {
    if (done[i] || order[i] == i) continue;
    T held = std::move(v[i]);
    size_t j = i;
    for (;;) {
      done[j] = true;
      const size_t k = order[j];
      if (k == i) {
        v[j] = std::move(held);
        break;
      }
      v[j] = std::move(v[k]);
      j = k;
    }
  }
}

}  // namespace

void Engine::Impl::Regroup() {
  const size_t n = slots.size();
  if (n < 2) return;
  // Free and unnamed slots last; named ones by family, father, first and
  // grandfather (the strings' stable hashes: equal names together, in an order
  // that does not depend on thread timing).
  struct Keyed {
    std::array<uint32_t, 4> key;
    uint32_t slot;
    bool operator<(const Keyed& o) const { return key != o.key ? key < o.key : slot < o.slot; }
  };
  std::vector<Keyed> keyed(n);
  for (size_t s = 0; s < n; ++s) {
    const Profile& p = slots[s];
    keyed[s].slot = static_cast<uint32_t>(s);
    if (!p.indexed || p.unidentified || p.nnames == 0) {
      keyed[s].key = {UINT32_MAX, UINT32_MAX, UINT32_MAX, UINT32_MAX};
      continue;
    }
    const NameProfile& nm = p.names[0];
    keyed[s].key = {InternedHash(nm.role(kFamily).key), InternedHash(nm.role(kFather).key),
                    InternedHash(nm.role(kFirst).key), InternedHash(nm.role(kGrandfather).key)};
  }
  std::sort(keyed.begin(), keyed.end());
  std::vector<uint32_t> order(n), moved_to(n);
  for (size_t i = 0; i < n; ++i) {
    order[i] = keyed[i].slot;
    moved_to[keyed[i].slot] = static_cast<uint32_t>(i);
  }
  keyed = {};
  // The profiles (most of the bytes) move on a second thread meanwhile.
  std::thread profiles([&] { Permute(slots, order); });
  Permute(summaries, order);
  Permute(names, order);
  for (auto& [report, slot] : by_report) slot = moved_to[slot];
  for (uint32_t& slot : free_slots) slot = moved_to[slot];
  for (auto& [k, list] : blocks) {
    for (uint32_t& slot : list) slot = moved_to[slot];
    std::sort(list.begin(), list.end());
  }
  profiles.join();
  ++epoch;
}

std::vector<uint32_t> Engine::Impl::Candidates(const Profile& q, std::vector<uint64_t>* keys_out,
                                               std::vector<uint64_t>* taken) const {
  std::vector<uint64_t> local_keys;
  std::vector<uint64_t>& keys = keys_out != nullptr ? *keys_out : local_keys;
  keys.clear();
  BlockKeys(q, &keys);
  struct List {
    uint64_t key;
    const std::vector<uint32_t>* slots;
  };
  std::vector<List> lists;
  lists.reserve(keys.size());
  for (uint64_t k : keys) {
    auto it = blocks.find(k);
    if (it != blocks.end())
      lists.push_back({k, &it->second});
    else if (taken != nullptr)
      taken->push_back(k);
  }
  // Shortest first; lists of one length by key (stable across runs), so the
  // budget takes the same ones every time.
  std::sort(lists.begin(), lists.end(), [](const List& a, const List& b) {
    return a.slots->size() != b.slots->size() ? a.slots->size() < b.slots->size() : a.key < b.key;
  });
  std::vector<uint32_t> out;
  out.reserve(kProposalBudget + 2 * kAlwaysTaken);
  for (const List& l : lists) {
    bool small = l.slots->size() <= kAlwaysTaken;
    if (!small &&
        (l.slots->size() > kMaxListLength || out.size() + l.slots->size() > kProposalBudget))
      continue;
    out.insert(out.end(), l.slots->begin(), l.slots->end());
    if (taken != nullptr) taken->push_back(l.key);
  }
  if (out.empty() && !lists.empty()) {
    out = *lists.front().slots;
    if (taken != nullptr) taken->push_back(lists.front().key);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<ScoredEntry> Engine::Impl::ScoreSlots(
    const Profile& q, const std::vector<uint32_t>& cand,
    const std::function<bool(int64_t)>& excluded) const {
  // Bounds first, from the summaries (one cache line per candidate instead of
  // a profile's three and the name tables').
  struct Bounded {
    double bound;
    uint32_t slot;
  };
  std::vector<Bounded> order(cand.size());
  {
    const ScoreBound bound(q, weights, freq);
    constexpr size_t kAhead = 8;
    for (size_t i = 0; i < cand.size(); ++i) {
      if (i + kAhead < cand.size()) __builtin_prefetch(&summaries[cand[i + kAhead]]);
      order[i] = {bound.Of(summaries[cand[i]]), cand[i]};
    }
  }
  // The bound and Score add their terms in different orders: a margin far
  // above the rounding keeps a candidate whose score could equal the limit.
  constexpr double kMargin = 1e-6;
  const double review = settings.review;
  double best = -std::numeric_limits<double>::infinity();
  std::vector<ScoredEntry> scored;
  scored.reserve(cand.size());
  // Scores order[begin, end); profiles are scattered in memory, so a few
  // candidates ahead are fetched. With `stop`, ends at the first bound below
  // min(review, best): the range is sorted by bound, highest first.
  auto score_range = [&](size_t begin, size_t end, bool stop) {
    constexpr size_t kPrefetchAhead = 4;
    for (size_t i = begin; i < end; ++i) {
      if (stop && order[i].bound + kMargin < std::min(review, best)) break;
      if (i + kPrefetchAhead < end) {
        const char* ahead = reinterpret_cast<const char*>(&slots[order[i + kPrefetchAhead].slot]);
        for (size_t off = 0; off < kProfileHotBytes; off += 64) __builtin_prefetch(ahead + off);
      }
      const uint32_t s = order[i].slot;
      const Profile& c = slots[s];
      if (!c.indexed) continue;
      if (excluded && excluded(c.victim_id)) continue;
      const double score = Score(q, c, weights, freq, nullptr);
      best = std::max(best, score);
      scored.push_back({c.victim_id, c.report_id, score, &c, &names[s]});
    }
  };
  // Every candidate that could reach the review threshold is scored.
  const auto low = std::partition(order.begin(), order.end(),
                                  [&](const Bounded& b) { return b.bound + kMargin >= review; });
  const size_t high = static_cast<size_t>(low - order.begin());
  score_range(0, high, false);
  // Below it, only what could still be the best score: the highest bound
  // first (when nothing was scored yet), then, among those whose bound
  // reaches the best score so far, in order of bound.
  size_t rest = high;
  auto by_bound = [](const Bounded& a, const Bounded& b) {
    return a.bound != b.bound ? a.bound > b.bound : a.slot < b.slot;
  };
  while (rest < order.size() && scored.empty()) {
    std::iter_swap(
        order.begin() + static_cast<long>(rest),
        std::min_element(order.begin() + static_cast<long>(rest), order.end(), by_bound));
    score_range(rest, rest + 1, false);
    ++rest;
  }
  if (best < review && rest < order.size()) {
    const auto end = std::partition(order.begin() + static_cast<long>(rest), order.end(),
                                    [&](const Bounded& b) { return b.bound + kMargin >= best; });
    std::sort(order.begin() + static_cast<long>(rest), end, by_bound);
    score_range(rest, static_cast<size_t>(end - order.begin()), true);
  }
  return scored;
}

MatchResult Engine::Impl::Decide(const std::string& qname, const Profile& q,
                                 std::vector<ScoredEntry> scored, size_t explain,
                                 const std::vector<std::string>* qsteps,
                                 const Candidate* known) const {
  MatchResult result;
  if (scored.empty()) {
    result.decision = Decision::kNew;
    return result;
  }
  // Only entries at or above the review threshold can be shown or decide a
  // merge (auto_merge >= review): the rest give the best score at most.
  const double auto_merge = settings.auto_merge, review = settings.review;
  double best = scored.front().score;
  size_t kept = 0;
  for (const ScoredEntry& e : scored) {
    best = std::max(best, e.score);
    if (e.score >= review) scored[kept++] = e;
  }
  scored.resize(kept);
  // Best report per victim, best victims first (ties: the lower report id, so
  // the result does not depend on the order entries were gathered in).
  std::sort(scored.begin(), scored.end(), [](const ScoredEntry& a, const ScoredEntry& b) {
    if (a.victim != b.victim) return a.victim < b.victim;
    if (a.score != b.score) return a.score > b.score;
    return a.report_id < b.report_id;
  });
  scored.erase(
      std::unique(scored.begin(), scored.end(),
                  [](const ScoredEntry& a, const ScoredEntry& b) { return a.victim == b.victim; }),
      scored.end());
  std::sort(scored.begin(), scored.end(), [](const ScoredEntry& a, const ScoredEntry& b) {
    return a.score != b.score ? a.score > b.score : a.victim < b.victim;
  });
  // Candidates worth a human's look (score >= review); the first `explain`
  // of them explained; a decision of "new" carries none.
  const size_t keep =
      std::min(scored.size(), static_cast<size_t>(std::max(1, settings.max_candidates)));
  std::vector<std::string> steps_q;
  if (keep > 0 && explain > 0) steps_q = qsteps != nullptr ? *qsteps : NormalizeName(qname).steps;
  for (size_t i = 0; i < keep; ++i) {
    Candidate c;
    c.victim_id = scored[i].victim;
    c.report_id = scored[i].report_id;
    c.score = scored[i].score;
    if (i < explain && known != nullptr && known->report_id == c.report_id &&
        known->score == c.score) {
      c.why = known->why;
    } else if (i < explain) {
      Score(q, *scored[i].profile, weights, scored[i].freq != nullptr ? *scored[i].freq : freq,
            &c.why);
      c.why.steps_a = steps_q;
      c.why.steps_b =
          scored[i].steps != nullptr ? *scored[i].steps : NormalizeName(*scored[i].name).steps;
    }
    result.candidates.push_back(std::move(c));
  }
  result.score = best;
  if (result.score >= auto_merge) {
    bool ambiguous = scored.size() > 1 && scored[1].score >= auto_merge &&
                     scored[0].score - scored[1].score < weights.ambiguity_margin;
    result.decision = ambiguous ? Decision::kReview : Decision::kMerge;
  } else if (result.score >= review) {
    result.decision = Decision::kReview;
  } else {
    result.decision = Decision::kNew;
  }
  return result;
}

Engine::Engine(const MatchingSettings& settings) : impl_(std::make_unique<Impl>()) {
  SetSettings(settings);
}
Engine::~Engine() = default;

void Engine::SetSettings(const MatchingSettings& settings) {
  std::unique_lock lock(impl_->mu);
  impl_->settings = settings;
  impl_->weights = Weights::From(settings);
}

MatchingSettings Engine::settings() const {
  std::shared_lock lock(impl_->mu);
  return impl_->settings;
}

void Engine::Upsert(int64_t report_id, int64_t victim_id, const Report& report) {
  Profile p = BuildProfile(report);  // outside the lock: the expensive part
  p.report_id = report_id;
  p.victim_id = victim_id;
  UpsertProfile(std::move(p), PrimaryFull(report));
}

void Engine::UpsertPrepared(int64_t report_id, int64_t victim_id, const PreparedReport& prepared) {
  if (!prepared.ready()) return;
  Profile p = *prepared.profile_;
  p.report_id = report_id;
  p.victim_id = victim_id;
  UpsertProfile(std::move(p), prepared.name_);
}

void Engine::UpsertProfile(Profile p, std::string name) {
  const CandidateSummary summary = Summarize(p);  // outside the lock: reads the name tables
  std::unique_lock lock(impl_->mu);
  Impl& m = *impl_;
  auto it = m.by_report.find(p.report_id);
  uint32_t slot;
  p.indexed = true;
  ++m.epoch;
  if (it != m.by_report.end()) {
    slot = it->second;
    m.Replace(slot, std::move(p));
    m.summaries[slot] = summary;
    m.names[slot] = std::move(name);
    return;
  }
  if (!m.free_slots.empty()) {
    slot = m.free_slots.back();
    m.free_slots.pop_back();
  } else {
    slot = static_cast<uint32_t>(m.slots.size());
    m.slots.emplace_back();
    m.summaries.emplace_back();
    m.names.emplace_back();
  }
  m.by_report[p.report_id] = slot;
  m.slots[slot] = std::move(p);
  m.summaries[slot] = summary;
  m.names[slot] = std::move(name);
  m.Insert(slot);
}

void Engine::Reassign(int64_t report_id, int64_t new_victim_id) {
  std::unique_lock lock(impl_->mu);
  auto it = impl_->by_report.find(report_id);
  if (it != impl_->by_report.end()) {
    impl_->slots[it->second].victim_id = new_victim_id;
    ++impl_->epoch;
  }
}

void Engine::Remove(int64_t report_id) {
  std::unique_lock lock(impl_->mu);
  Impl& m = *impl_;
  auto it = m.by_report.find(report_id);
  if (it == m.by_report.end()) return;
  uint32_t slot = it->second;
  ++m.epoch;
  m.Erase(slot);
  m.slots[slot].indexed = false;
  m.summaries[slot] = CandidateSummary();
  m.names[slot].clear();
  m.free_slots.push_back(slot);
  m.by_report.erase(it);
}

size_t Engine::indexed_reports() const {
  std::shared_lock lock(impl_->mu);
  return impl_->by_report.size();
}

uint64_t Engine::epoch() const {
  std::shared_lock lock(impl_->mu);
  return impl_->epoch;
}

std::vector<int64_t> Engine::Propose(const Report& report) const {
  Profile q = BuildProfile(report);
  std::vector<int64_t> out;
  if (q.unidentified) return out;
  std::shared_lock lock(impl_->mu);
  for (uint32_t s : impl_->Candidates(q)) {
    if (impl_->slots[s].indexed) out.push_back(impl_->slots[s].victim_id);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

PreparedReport Engine::Prepare(const Report& report) {
  PreparedReport p;
  p.profile_ = std::make_unique<Profile>(BuildProfile(report, &p.steps_));
  p.name_ = PrimaryFull(report);
  if (p.steps_.empty()) p.steps_ = NormalizeName(p.name_).steps;  // no name: still explained
  return p;
}

void Engine::Reserve(size_t reports) {
  // Headroom for the reports that arrive after start-up: growing the slot
  // vector later copies every profile (400 MB at a million) and briefly
  // holds both copies. Reserved pages are not resident until used.
  const size_t room = reports + reports / 4 + 1024;
  std::unique_lock lock(impl_->mu);
  Impl& m = *impl_;
  m.slots.reserve(room);
  AdviseHugePages(m.slots.data(), m.slots.capacity() * sizeof(Profile));
  m.summaries.reserve(room);
  AdviseHugePages(m.summaries.data(), m.summaries.capacity() * sizeof(CandidateSummary));
  m.names.reserve(room);
  m.by_report.reserve(room);
  m.blocks.reserve(reports * 3);
}

void Engine::GroupByName() {
  std::unique_lock lock(impl_->mu);
  impl_->Regroup();
}

MatchResult Engine::Match(const Report& report,
                          const std::function<bool(int64_t)>& excluded) const {
  return MatchProfile(BuildProfile(report), PrimaryFull(report), excluded);
}

MatchResult Engine::MatchAndPrepare(const Report& report, PreparedReport* prepared,
                                    const std::function<bool(int64_t)>& excluded) const {
  prepared->profile_ = std::make_unique<Profile>(BuildProfile(report));
  prepared->name_ = PrimaryFull(report);
  return MatchProfile(*prepared->profile_, prepared->name_, excluded);
}

MatchResult Engine::MatchProfile(const Profile& q, const std::string& qname,
                                 const std::function<bool(int64_t)>& excluded) const {
  MatchResult result;
  if (q.unidentified) {
    result.decision = Decision::kUnidentified;
    return result;
  }
  std::shared_lock lock(impl_->mu);
  const Impl& m = *impl_;
  std::vector<uint32_t> slots = m.Candidates(q);
  std::vector<ScoredEntry> scored = m.ScoreSlots(q, slots, excluded);
  result = m.Decide(qname, q, std::move(scored));
  result.candidates_considered = static_cast<int>(slots.size());
  return result;
}

Explanation Engine::ScorePair(const Report& a, const Report& b) const {
  Profile pa = BuildProfile(a), pb = BuildProfile(b);
  Explanation why;
  {
    std::shared_lock lock(impl_->mu);
    Score(pa, pb, impl_->weights, impl_->freq, &why);
  }
  why.steps_a = NormalizeName(PrimaryFull(a)).steps;
  why.steps_b = NormalizeName(PrimaryFull(b)).steps;
  return why;
}

double NameSimilarity(const std::string& a, const std::string& b) {
  NormalizedName na = NormalizeName(a), nb = NormalizeName(b);
  if (na.unidentified || nb.unidentified) return 0;
  return NameProfileSimilarity(ToNameProfile(na), ToNameProfile(nb));
}

}  // namespace qayd::matching
