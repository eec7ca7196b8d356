// The matching engine: given a report, find the victim it describes, if any.
//
// Pipeline: normalise names (ICU, name rules) -> candidate victims from an
// in-memory index -> Fellegi-Sunter score per candidate -> decision band.
//
// Threads: Match(), ScorePair() and the index reads may run concurrently from
// any number of threads; index updates (Upsert/Reassign/Remove) and
// SetSettings() take an exclusive lock. ICU transliterators are created once
// per thread and reused.
// Errors: none expected; Match() on a report with no usable name returns
// Decision::kUnidentified.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "model/report.h"

namespace qayd {
class ThreadPool;
}

namespace qayd::matching {

// One field comparison's contribution to a score.
struct FieldContribution {
  std::string field;   // e.g. "name.first", "date_of_birth", "sex"
  std::string level;   // e.g. "exact", "near", "disagree", "missing"
  double weight = 0;   // log-likelihood contribution (may be negative)
  std::string detail;  // e.g. "محمد ~ mohammed (token freq 1/12)"
};

// A rule that held a pair at review (docs/MATCHING.md "Caps"): a hard
// conflict, a first-name disagreement, or too little positive evidence.
struct Cap {
  std::string rule;         // e.g. "date_of_birth", "family_name", "evidence"
  std::string reason;       // e.g. "capped at review: dates of birth 57 years apart"
  double score_before = 0;  // the score before the cap
};

struct Explanation {
  std::vector<FieldContribution> fields;  // caps appear here too, as "cap.<rule>" fields
  std::vector<Cap> caps;                  // every rule that capped the score, first first
  double total = 0;
  std::vector<std::string> steps_a, steps_b;  // normalisation steps of both names
  // {"total":..,"fields":[..],"caps":[{"rule","reason","score_before"}],"steps_a":[..],"steps_b":[..]}
  std::string ToJson() const;
};

struct Candidate {
  int64_t victim_id = 0;
  int64_t report_id = 0;  // the victim's report that scored best
  double score = 0;
  Explanation why;
};

enum class Decision { kNew, kMerge, kReview, kUnidentified };

struct Profile;

// A report normalised once by Engine::MatchAndPrepare, for the
// Engine::UpsertPrepared of the same report that follows (the pipeline
// matches then indexes each report; this spares the second normalisation).
// Owns its data; copies are deep; read-only after preparation, so it may be
// shared between threads once filled. Empty (unusable) until filled.
class PreparedReport {
 public:
  PreparedReport();
  ~PreparedReport();
  PreparedReport(const PreparedReport& other);
  PreparedReport& operator=(const PreparedReport& other);
  PreparedReport(PreparedReport&&) noexcept;
  PreparedReport& operator=(PreparedReport&&) noexcept;
  bool ready() const { return profile_ != nullptr; }

 private:
  friend class Engine;
  friend class BatchMatch;
  std::unique_ptr<Profile> profile_;
  std::string name_;                // primary name (explanations)
  std::vector<std::string> steps_;  // its normalisation steps (explanations)
};
const char* DecisionName(Decision d);

class Engine;

struct MatchResult {
  Decision decision = Decision::kNew;
  double score = 0;                   // best candidate's score (0 if none)
  std::vector<Candidate> candidates;  // score >= review, best first, at most max_candidates
  int candidates_considered = 0;      // how many the index proposed (blocking)
  // candidates.front().why.ToJson() when BatchMatch rendered it on a worker
  // (the pipeline records it); empty otherwise.
  std::string best_why_json;
};

// A batch of reports matched as the pipeline resolves them: report i is
// matched against the index as it stood when the batch began plus the
// earlier reports of the batch that the caller has Resolved(). The expensive
// part (normalising, proposing, scoring against the index, explaining) runs
// on the pool's workers as reports are added, ahead of the caller, who also
// computes when it would otherwise wait. Result(i) then only adds the earlier
// reports of the batch that share a block key its proposals took, and redoes
// the decision when that (or a victim change meanwhile) alters it. The
// batch's own reports are scored with the term frequencies counting the
// batch's resolved reports (as indexing them one by one would); the index's
// candidates keep their scores (the index's frequencies).
//
// The index is not changed: once its decisions are committed, the caller
// indexes each report with Engine::UpsertPrepared(prepared(i)).
// Threads: one caller at a time. The engine and the reports must outlive the
// batch; its destructor drops unstarted work and waits for work in progress.
class BatchMatch {
 public:
  BatchMatch(BatchMatch&&) noexcept;
  BatchMatch& operator=(BatchMatch&&) noexcept;
  ~BatchMatch();
  // Reports added so far.
  size_t size() const;
  // Adds the next report (Engine::StartBatch); returns its index. The report
  // must stay where it is until the batch is destroyed. `prepared`, when
  // ready, is Engine::Prepare(*report) made earlier (e.g. on another thread
  // while an earlier batch was processed) and is used instead of preparing
  // again. Throws std::logic_error beyond the capacity or after Close() (a
  // broken invariant).
  size_t Add(const Report* report, PreparedReport prepared = {});
  // No more reports: lets the workers finish once the added ones are done.
  void Close();
  // The result for report i (< size()); call in increasing i, after
  // Resolved() of the earlier reports that were resolved. Only the best
  // candidate carries an explanation (the one a decision records).
  MatchResult Result(size_t i);
  // Report i now belongs to `victim_id` (in the caller's transaction); later
  // reports of the batch are matched against it.
  void Resolved(size_t i, int64_t report_id, int64_t victim_id);
  // Report i's normalised profile, for Engine::UpsertPrepared.
  const PreparedReport& prepared(size_t i) const;
  // Seconds spent matching report i when the batch was made.
  double seconds(size_t i) const;

 private:
  friend class Engine;
  struct State;
  explicit BatchMatch(std::shared_ptr<State> s);
  std::shared_ptr<State> s_;  // shared with the pool's workers
};

class Engine {
 public:
  explicit Engine(const MatchingSettings& settings);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Replaces weights and thresholds; applies to the next Match().
  void SetSettings(const MatchingSettings& settings);
  MatchingSettings settings() const;

  // --- the index: one entry per stored report, grouped by victim ---
  void Upsert(int64_t report_id, int64_t victim_id, const Report& report);
  // As Upsert, with the profile MatchAndPrepare computed for this same report
  // (unchanged since). Does nothing if `prepared` was never filled.
  void UpsertPrepared(int64_t report_id, int64_t victim_id, const PreparedReport& prepared);
  // Normalises a report for UpsertPrepared without touching the index.
  // Thread-safe, takes no engine lock (for loading the index on many threads).
  static PreparedReport Prepare(const Report& report);
  // Makes room for `reports` index entries and some headroom (start-up).
  void Reserve(size_t reports);
  // Renumbers the index's entries so that reports sharing a family name (then
  // father's, first and grandfather's name) lie next to each other in memory:
  // a query's candidates mostly come from such groups, and scoring then reads
  // neighbouring cache lines instead of one line per candidate at random.
  // Changes no result (the index's order is not observable). Start-up only,
  // after loading: no BatchMatch may be open (it holds entry numbers).
  void GroupByName();
  void Reassign(int64_t report_id, int64_t new_victim_id);
  void Remove(int64_t report_id);
  size_t indexed_reports() const;
  // Counts the index's changes (Upsert, Reassign, Remove): an unchanged value
  // means an unchanged index.
  uint64_t epoch() const;

  // Matches a report against the index. `excluded(victim_id)` returning true
  // removes a victim from consideration (a "different people" constraint).
  MatchResult Match(const Report& report, const std::function<bool(int64_t)>& excluded = {}) const;
  // As Match, and fills `prepared` (not null) with the report's normalised
  // profile for a following UpsertPrepared. Same result as Match.
  MatchResult MatchAndPrepare(const Report& report, PreparedReport* prepared,
                              const std::function<bool(int64_t)>& excluded = {}) const;

  // Matches a batch; see BatchMatch. `pool` (may be null) lends its workers
  // to the up-front part; the caller's thread takes part too.
  BatchMatch MatchBatch(const std::vector<const Report*>& reports, ThreadPool* pool) const;
  // An empty batch for up to `capacity` reports that are Add()ed one by one
  // while the workers already match the ones added (the pipeline adds each
  // report as the store accepts it); Close() it after the last.
  BatchMatch StartBatch(size_t capacity, ThreadPool* pool) const;

  // Scores two reports directly (explain, what-if, review screen).
  Explanation ScorePair(const Report& a, const Report& b) const;

  // The victims the index proposes for a report before scoring (blocking),
  // ascending, without the `excluded` filter. For evaluation and diagnostics.
  std::vector<int64_t> Propose(const Report& report) const;

 private:
  friend class BatchMatch;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  MatchResult MatchProfile(const Profile& q, const std::string& qname,
                           const std::function<bool(int64_t)>& excluded) const;
  void UpsertProfile(Profile p, std::string name);
};

// Similarity of two names in any scripts, 0..1 (`qayd name-score`).
double NameSimilarity(const std::string& a, const std::string& b);

}  // namespace qayd::matching
