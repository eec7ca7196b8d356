// Internal to the matching library: the engine's index and the decision step
// shared by Engine::Match and BatchMatch. Not a public header.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstddef>
#include <cstdint>
#include <shared_mutex>
#include <string>
#include <vector>

#include "matching/engine.h"
#include "matching/profile.h"
#include "matching/score_bound.h"
#include "matching/scorer.h"

namespace qayd::matching {

std::string PrimaryFull(const Report& r);

// One scored candidate report before grouping by victim. `profile` and
// `name` point into the index (valid under its shared lock) or into a batch.
struct ScoredEntry {
  int64_t victim = 0;
  int64_t report_id = 0;
  double score = 0;
  const Profile* profile = nullptr;
  const std::string* name = nullptr;
  // The term frequencies `score` was computed with (null: the index's); an
  // explanation is computed with the same, so that it adds up to the score.
  const Frequencies* freq = nullptr;
  // The name's normalisation steps when already known (null: computed from
  // `name` if it is explained).
  const std::vector<std::string>* steps = nullptr;
};

// Adds (delta +1) or removes (-1) a profile's name parts and date of birth.
void CountProfile(const Profile& p, int delta, Frequencies* f);

struct Engine::Impl {
  mutable std::shared_mutex mu;
  MatchingSettings settings;
  Weights weights;
  std::vector<Profile> slots;
  std::vector<CandidateSummary> summaries;  // per slot: what ScoreBound reads
  std::vector<std::string> names;           // primary name per slot (explanations)
  std::vector<uint32_t> free_slots;
  absl::flat_hash_map<int64_t, uint32_t> by_report;
  absl::flat_hash_map<uint64_t, std::vector<uint32_t>> blocks;
  Frequencies freq;
  // Counts the index's changes (under the exclusive lock): a batch scored at
  // the same epoch needs no re-check of its entries.
  uint64_t epoch = 0;

  void Count(const Profile& p, int delta);
  void Insert(uint32_t slot);
  void Erase(uint32_t slot);
  // Replaces slot's profile by `p` (Erase + Insert), leaving the block lists
  // alone when `p` has the same block keys (a report re-indexed under another
  // victim, or unchanged): most upserts of reports already indexed.
  void Replace(uint32_t slot, Profile&& p);
  // Engine::GroupByName with the exclusive lock held.
  void Regroup();
  // Slots proposed for a query profile (caller holds the shared lock): the
  // rarest keys first, until a budget of proposals is spent; short lists are
  // always taken; if every list is too long, the shortest one. `keys` (if not
  // null) receives the query's block keys; `taken` (if not null) the keys
  // whose lists were taken or are not in the index yet (an entry added under
  // such a key would be proposed).
  std::vector<uint32_t> Candidates(const Profile& q, std::vector<uint64_t>* keys = nullptr,
                                   std::vector<uint64_t>* taken = nullptr) const;
  // Scores the proposed slots (caller holds the shared lock), leaving out
  // those whose ScoreBound is below both the review threshold and the best
  // score found: they could neither be shown, nor decide, nor be the best
  // score, so the decision, its score and its candidates are those of
  // scoring every slot. The entries returned are the ones scored. (A batch
  // that redoes a decision keeps them only: if an index entry leaves the
  // index before the redo, the best score of a decision below the review
  // threshold can be lower than one left out.)
  std::vector<ScoredEntry> ScoreSlots(const Profile& q, const std::vector<uint32_t>& slots,
                                      const std::function<bool(int64_t)>& excluded) const;
  // Groups entries by victim (best report each), explains the ones worth a
  // look and decides (caller holds the shared lock). The first `explain`
  // candidates get an explanation (the pipeline records only the best one's).
  // `qsteps`: the query name's normalisation steps when already known.
  // `known`: a candidate explained before; if it is explained again with the
  // same score, its explanation is copied instead of computed.
  MatchResult Decide(const std::string& qname, const Profile& q, std::vector<ScoredEntry> scored,
                     size_t explain = SIZE_MAX, const std::vector<std::string>* qsteps = nullptr,
                     const Candidate* known = nullptr) const;
};

}  // namespace qayd::matching
