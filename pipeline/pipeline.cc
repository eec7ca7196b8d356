#include "pipeline/pipeline.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <deque>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "base/log.h"
#include "base/metrics.h"
#include "base/thread_pool.h"

namespace qayd {
namespace {

constexpr const char* kEngineActor = "engine";

int64_t NowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string ErrorText(const IncomingRecord& rec) {
  std::string out = rec.record_label.empty() ? "record" : rec.record_label;
  out += ":";
  bool first = true;
  for (const auto& e : rec.errors) {
    out += first ? " " : "; ";
    first = false;
    out += e.field.empty() ? "(record)" : e.field;
    out += ": ";
    out += e.problem;
  }
  return out;
}

// The best candidate's explanation as JSON (rendered by the batch's workers
// when they could), "null" without candidates.
std::string BestWhyJson(const matching::MatchResult& m) {
  if (m.candidates.empty()) return "null";
  return m.best_why_json.empty() ? m.candidates.front().why.ToJson() : m.best_why_json;
}

// {"score":..,"config_version":"..","explanation":{..}} for history events.
std::string DecisionDetails(const matching::MatchResult& m, const std::string& config_version,
                            const std::string& best_why) {
  std::string out =
      "{\"score\":" + std::to_string(m.score) + ",\"config_version\":\"" + config_version + "\"";
  if (!m.candidates.empty()) out += ",\"explanation\":" + best_why;
  out += "}";
  return out;
}

// A batch the store could not take (disk full, database down): nothing of it
// is acknowledged, the caller answers with an error. Logged at error level
// because an operator must act (a conflict, a race the caller answers, at
// info); the message of a store or disk failure is the
// database's and holds no record data, other messages are left out.
Status RefuseBatch(const Status& s, size_t records) {
  if (s.code() == ErrorCode::kConflict) {
    // Not a fault: the batch lost a race (a quarantine entry it corrects was
    // replayed meanwhile); the caller answers it, nobody needs to act.
    log::Info("batch refused", {{"error", ErrorCodeName(s.code())},
                                {"records", std::to_string(records)}});
    return s;
  }
  const bool store_fault = s.code() == ErrorCode::kIo || s.code() == ErrorCode::kUnavailable;
  log::Error("batch not stored; nothing of it acknowledged",
             {{"error", store_fault ? s.ToString() : ErrorCodeName(s.code())},
              {"records", std::to_string(records)}});
  return s;
}

std::string CandidatesJson(const matching::MatchResult& m) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartArray();
  for (const auto& c : m.candidates) {
    w.StartObject();
    w.Key("victim_id");
    w.Int64(c.victim_id);
    w.Key("report_id");
    w.Int64(c.report_id);
    w.Key("score");
    w.Double(c.score);
    w.EndObject();
  }
  w.EndArray();
  return buf.GetString();
}

// The record's prepared report for BatchMatch::Add (empty if it has none):
// moved out when the record holds the only reference (the usual case),
// copied when a copy of the record shares it.
matching::PreparedReport TakePrepared(IncomingRecord& rec) {
  matching::PreparedReport pre;
  if (rec.prepared) {
    if (rec.prepared.use_count() == 1)
      pre = std::move(*rec.prepared);
    else
      pre = *rec.prepared;
    rec.prepared.reset();
  }
  return pre;
}

}  // namespace

struct Pipeline::Impl {
  Store* store;
  matching::Engine* engine;
  mutable std::mutex mutex;  // serialises matching + decision transactions
  PipelineCounts counts;
  int64_t followed_seq = 0;
  // Reports this pipeline resolved (committed): their engine events are
  // already in the index. Engine events of other instances are not.
  std::unordered_set<int64_t> own_reports;
  // Each committed batch's resolved reports with the newest event seq of its
  // transaction: once the change log has been followed past it, the batch's
  // events have been skipped and its ids leave own_reports (so the set does
  // not grow for the life of the daemon).
  std::deque<std::pair<int64_t, std::vector<int64_t>>> own_batches;
  // Lends its workers to the up-front part of batch matching (the caller's
  // thread takes part too): one per core beyond the first.
  std::unique_ptr<ThreadPool> match_pool;
  bool lock_logged = false;

  // A batch matched ahead (Process's `next`): set on a match-pool thread
  // during the commit of the batch before, taken by the Process call that
  // gets these records. Declared after `match_pool`, so it goes first.
  struct Ahead {
    const IncomingRecord* records = nullptr;  // the batch's first record
    size_t size = 0;
    uint64_t epoch = 0;         // the index's epoch it is matched against
    std::vector<size_t> index;  // record -> BatchMatch index (SIZE_MAX: not matched)
    std::optional<matching::BatchMatch> match;
  };
  std::mutex ahead_mu;
  std::optional<Ahead> ahead;

  // Starts matching `next` ahead (on a match-pool thread, once the batch
  // before is in the index). Only if each of its records without errors was
  // prepared: its reports are not read while the caller stores them.
  void StartAhead(std::vector<IncomingRecord>* next);
  // The work started ahead for `batch`, if it is still valid (same records,
  // index unchanged since); any other is dropped. Call after catching up.
  std::optional<Ahead> TakeAhead(const std::vector<IncomingRecord>& batch);

  // FollowChanges with `mutex` held.
  Status Follow();
  // TryAcquireMatcherLock; logs the first acquisition and, before matching,
  // catches the index up with the change log (another instance may have
  // matched until it died).
  Result<bool> AcquireAndCatchUp();

  // What Resolve wrote, for Applied() once its transaction has committed.
  struct Decisions {
    PipelineCounts delta;
    std::vector<int64_t> resolved;
    struct ToIndex {
      size_t report;  // into the reports resolved
      size_t match;   // into the BatchMatch
      int64_t victim;
    };
    std::vector<ToIndex> to_index;
    int64_t last_seq = 0;
    // What Resolve decided but the store may still hold in memory
    // (PostgreSQL: written by Finish, a few statements for the batch).
    std::unique_ptr<DecisionWriter> writer;
  };
  // Matches accepted reports and gives the decisions to `txn`'s decision
  // writer; Finish() writes what it buffered. Between the two the decisions
  // are final unless the writing fails, so the index may learn them
  // (Process: the next batch is matched meanwhile).
  // `outcomes[i]` is filled for reports[i]; `batch` holds reports[i] at index
  // i (added, closed). `fresh`: the reports were accepted in this same
  // transaction, so none can have been resolved meanwhile.
  // `at[i]`: reports[i]'s index in `batch` (empty: i).
  Result<Decisions> Resolve(Txn& txn, const std::vector<const Report*>& reports,
                            const std::vector<int64_t>& previous_versions,
                            std::vector<RecordOutcome*>& outcomes, matching::BatchMatch& batch,
                            bool fresh, const std::vector<size_t>& at = {});
  // Writes the decisions Resolve buffered (the writer's Flush) and reads the
  // newest event seq of the transaction.
  Status Finish(Txn& txn, Decisions& d);
  // The index learns the decided reports (Index), or forgets them again
  // (Unindex: only for reports that were not in the index before, i.e. new
  // ones, if the transaction that decided them failed to commit).
  void Index(const Decisions& r, const std::vector<const Report*>& reports,
             matching::BatchMatch& batch);
  void Unindex(const Decisions& r, const std::vector<const Report*>& reports);
  // After the commit: counts, and the reports this pipeline resolved itself.
  // `seq_before`: the newest event seq when the batch's write transaction
  // began (-1: unknown). If the change log had been followed up to it, the
  // events up to the batch's last are all this batch's own (writes are
  // serialised), so following skips them without reading them back.
  void Applied(Decisions r, int64_t seq_before = -1);
};

void PrepareRecords(std::vector<IncomingRecord>* records) {
  for (IncomingRecord& rec : *records) {
    if (rec.errors.empty()) {
      rec.prepared =
          std::make_shared<matching::PreparedReport>(matching::Engine::Prepare(rec.report));
    }
  }
}

Pipeline::Pipeline(Store* store, matching::Engine* engine) : impl_(std::make_unique<Impl>()) {
  impl_->store = store;
  impl_->engine = engine;
  const unsigned cores = std::max(2u, std::thread::hardware_concurrency());
  impl_->match_pool = std::make_unique<ThreadPool>(cores - 1);
  // The change log is followed from here: what happened before is in the
  // index LoadIndex loads (after this, or FollowFrom says where it began).
  // Following from 0 instead would re-index the whole register on the first
  // batch (every victim's reports read, erased and indexed again, as `qayd
  // ingest` did until issue 24). If the store cannot be read, from 0: slow,
  // never wrong.
  if (auto txn = store->Begin(Store::Mode::kRead); txn.ok()) {
    if (auto seq = (*txn)->LastEventSeq(); seq.ok()) impl_->followed_seq = *seq;
  }
}

Pipeline::~Pipeline() = default;

PipelineCounts Pipeline::counts() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->counts;
}

Result<Pipeline::Impl::Decisions> Pipeline::Impl::Resolve(
    Txn& txn, const std::vector<const Report*>& reports,
    const std::vector<int64_t>& previous_versions, std::vector<RecordOutcome*>& outcomes,
    matching::BatchMatch& batch, bool fresh, const std::vector<size_t>& at) {
  // Reports resolved meanwhile (ResumePending and Process can pick up the
  // same inbox entries) are never matched twice; new versions of a known
  // report join the victim of the version they replace. Both are looked up
  // first (the batch is matching meanwhile).
  const std::string config_version = engine->settings().version();
  std::vector<uint8_t> skip(reports.size(), 0);
  std::vector<int64_t> attach_to(reports.size(), 0);
  for (size_t i = 0; i < reports.size(); ++i) {
    auto resolution =
        fresh ? Result<Resolution>(Resolution::kPending) : txn.GetResolution(reports[i]->id);
    if (!resolution.ok()) return resolution.status();
    if (*resolution != Resolution::kPending) {
      RecordOutcome& out = *outcomes[i];
      auto victim = txn.VictimOfReport(reports[i]->id);
      if (victim.ok()) out.victim_id = *victim;
      out.decision = *resolution == Resolution::kReview         ? "review"
                     : *resolution == Resolution::kUnidentified ? "unidentified"
                                                                : "merged";
      skip[i] = 1;
      continue;
    }
    if (previous_versions[i] != 0) {
      auto victim = txn.VictimOfReport(previous_versions[i]);
      if (victim.ok() && *victim != 0) attach_to[i] = *victim;
    }
  }

  Decisions res;
  PipelineCounts& delta = res.delta;
  std::vector<int64_t>& resolved = res.resolved;
  std::vector<Decisions::ToIndex>& to_index = res.to_index;
  // Written at Flush (PostgreSQL: a few statements for the batch); victim
  // ids are known at once, so later reports of the batch can join them.
  res.writer = txn.Decisions();
  DecisionWriter* decide = res.writer.get();
  for (size_t i = 0; i < reports.size(); ++i) {
    if (skip[i]) continue;
    const Report& r = *reports[i];
    const size_t b = at.empty() ? i : at[i];
    RecordOutcome& out = *outcomes[i];
    Status s;
    if (attach_to[i] != 0) {
      // A changed payload under a known id.
      s = decide->Attach(r.id, attach_to[i], Resolution::kAttached, kEngineActor,
                         "{\"new_version_of\":" + std::to_string(previous_versions[i]) + "}");
      if (!s.ok()) return s;
      batch.Resolved(b, r.id, attach_to[i]);
      to_index.push_back({i, b, attach_to[i]});
      out.decision = "merged";
      out.victim_id = attach_to[i];
      out.score = 0;
      ++delta.merged;
      resolved.push_back(r.id);
      continue;
    }
    const auto match_start = std::chrono::steady_clock::now();
    matching::MatchResult m = batch.Result(b);
    metrics::Std().match_latency->Observe(
        batch.seconds(b) +
        std::chrono::duration<double>(std::chrono::steady_clock::now() - match_start).count());
    out.score = m.score;
    const std::string best_why =
        m.decision == matching::Decision::kUnidentified ? std::string() : BestWhyJson(m);
    switch (m.decision) {
      case matching::Decision::kUnidentified: {
        auto v = decide->NewVictim(r.id, VictimState::kUnidentified, Resolution::kUnidentified,
                                   kEngineActor, "{\"reason\":\"no usable name\"}");
        if (!v.ok())
          s = v.status();
        else
          out.victim_id = *v;
        out.decision = "unidentified";
        ++delta.unidentified;
        break;
      }
      case matching::Decision::kMerge: {
        const int64_t victim = m.candidates.front().victim_id;
        s = decide->Attach(r.id, victim, Resolution::kAttached, kEngineActor,
                           DecisionDetails(m, config_version, best_why));
        out.victim_id = victim;
        out.decision = "merged";
        ++delta.merged;
        break;
      }
      case matching::Decision::kReview: {
        auto v = decide->NewVictim(r.id, VictimState::kProvisional, Resolution::kReview,
                                   kEngineActor, DecisionDetails(m, config_version, best_why));
        if (!v.ok()) {
          s = v.status();
          break;
        }
        ReviewItem item;
        item.report_id = r.id;
        item.provisional_victim_id = *v;
        for (const auto& c : m.candidates) item.candidates.push_back({c.victim_id, c.score});
        item.top_score = m.score;
        item.created_at_ms = NowMs();
        item.explanation = "{\"config_version\":\"" + config_version +
                           "\",\"candidates\":" + CandidatesJson(m) + ",\"best\":" + best_why + "}";
        s = decide->QueueReview(item);
        out.victim_id = *v;
        out.decision = "review";
        ++delta.review;
        break;
      }
      case matching::Decision::kNew: {
        auto v = decide->NewVictim(r.id, VictimState::kActive, Resolution::kAttached, kEngineActor,
                                   DecisionDetails(m, config_version, best_why));
        if (!v.ok())
          s = v.status();
        else
          out.victim_id = *v;
        out.decision = "new";
        ++delta.created;
        break;
      }
    }
    if (!s.ok()) return s;
    out.candidates = std::move(m.candidates);
    resolved.push_back(r.id);
    if (m.decision != matching::Decision::kUnidentified) {
      batch.Resolved(b, r.id, out.victim_id);
      to_index.push_back({i, b, out.victim_id});
    }
  }
  return res;
}

Status Pipeline::Impl::Finish(Txn& txn, Decisions& d) {
  if (Status s = d.writer->Flush(); !s.ok()) return s;
  d.writer.reset();
  auto last_seq = txn.LastEventSeq();
  if (!last_seq.ok()) return last_seq.status();
  d.last_seq = *last_seq;
  return Status::Ok();
}

void Pipeline::Impl::Index(const Decisions& r, const std::vector<const Report*>& reports,
                           matching::BatchMatch& batch) {
  for (const auto& x : r.to_index) {
    engine->UpsertPrepared(reports[x.report]->id, x.victim, batch.prepared(x.match));
  }
}

void Pipeline::Impl::StartAhead(std::vector<IncomingRecord>* next) {
  for (const IncomingRecord& rec : *next) {
    if (rec.errors.empty() && !rec.prepared) return;
  }
  Ahead a;
  a.records = next->data();
  a.size = next->size();
  a.index.assign(next->size(), SIZE_MAX);
  // Nothing else changes the index before this batch's Process returns (it
  // holds the pipeline's mutex), so this is the state the matching sees.
  a.epoch = engine->epoch();
  a.match.emplace(engine->StartBatch(next->size(), match_pool.get()));
  for (size_t i = 0; i < next->size(); ++i) {
    IncomingRecord& rec = (*next)[i];
    if (rec.errors.empty()) a.index[i] = a.match->Add(&rec.report, TakePrepared(rec));
  }
  a.match->Close();
  std::lock_guard lock(ahead_mu);
  ahead = std::move(a);
}

std::optional<Pipeline::Impl::Ahead> Pipeline::Impl::TakeAhead(
    const std::vector<IncomingRecord>& batch) {
  std::optional<Ahead> a;
  {
    std::lock_guard lock(ahead_mu);
    a.swap(ahead);
  }
  if (a && a->records == batch.data() && a->size == batch.size() && a->epoch == engine->epoch()) {
    return a;
  }
  return std::nullopt;  // a stale one's work in progress is waited for here
}

void Pipeline::DropAhead() {
  std::optional<Impl::Ahead> a;
  std::lock_guard lock(impl_->ahead_mu);
  a.swap(impl_->ahead);
}

void Pipeline::Impl::Unindex(const Decisions& r, const std::vector<const Report*>& reports) {
  for (const auto& x : r.to_index) engine->Remove(reports[x.report]->id);
}

void Pipeline::Impl::Applied(Decisions r, int64_t seq_before) {
  if (seq_before == followed_seq) {  // never for -1: followed_seq starts at 0
    followed_seq = r.last_seq;
  } else {
    own_reports.insert(r.resolved.begin(), r.resolved.end());
    own_batches.emplace_back(r.last_seq, std::move(r.resolved));
  }
  metrics::Std().merged->Inc(static_cast<double>(r.delta.merged));
  metrics::Std().queued->Inc(static_cast<double>(r.delta.review));
  counts.merged += r.delta.merged;
  counts.review += r.delta.review;
  counts.created += r.delta.created;
  counts.unidentified += r.delta.unidentified;
}

Result<std::vector<RecordOutcome>> Pipeline::Process(std::vector<IncomingRecord> batch,
                                                     std::vector<IncomingRecord>* next) {
  std::vector<RecordOutcome> outcomes(batch.size());
  std::vector<const Report*> to_match;  // into `batch`, which stays put from here on
  std::vector<int64_t> previous;
  std::vector<RecordOutcome*> match_outcomes;
  std::vector<size_t> match_at;  // to_match[i]'s index in the batch's BatchMatch
  int64_t rejected = 0, duplicates = 0;
  // Stores the batch in `txn`: bad records quarantined, the others accepted
  // into the inbox; each report accepted as new goes to `match` at once
  // (unless `matched_ahead` already holds its index there).
  auto accept = [&](Txn& txn, matching::BatchMatch* match,
                    const std::vector<size_t>* matched_ahead) -> Status {
    to_match.clear();
    match_at.clear();
    previous.clear();
    match_outcomes.clear();
    rejected = duplicates = 0;
    const int64_t now = NowMs();
    std::vector<const Report*> accepting;
    std::vector<size_t> accepting_at;  // accepting[k] is batch[accepting_at[k]]
    for (size_t i = 0; i < batch.size(); ++i) {
      IncomingRecord& rec = batch[i];
      RecordOutcome& out = outcomes[i];
      out = RecordOutcome();
      out.source = rec.report.source;
      out.source_record_id = rec.report.source_record_id;
      if (rec.report.received_at_ms == 0) rec.report.received_at_ms = now;
      if (!rec.errors.empty()) {
        QuarantineRecord q;
        q.source = rec.report.source;
        q.source_record_id = rec.report.source_record_id;
        q.raw = rec.report.raw_payload;
        q.reasons = FieldErrorsToJson(rec.errors);
        q.received_at_ms = rec.report.received_at_ms;
        auto id = txn.Quarantine(q);
        if (!id.ok()) return id.status();
        out.decision = "rejected";
        out.error = ErrorText(rec);
        ++rejected;
        continue;
      }
      accepting.push_back(&rec.report);
      accepting_at.push_back(i);
    }
    // The batch's reports in one call (PostgreSQL: a few statements); each
    // report accepted as new goes to `match` as soon as the store has it.
    auto accepted = txn.AcceptReports(accepting, [&](size_t k, const AcceptOutcome& a) {
      const size_t i = accepting_at[k];
      IncomingRecord& rec = batch[i];
      RecordOutcome& out = outcomes[i];
      out.report_id = a.report_id;
      if (a.kind == AcceptOutcome::Kind::kDuplicate) {
        out.decision = "duplicate";
        out.victim_id = a.victim_id;
        ++duplicates;
        return;
      }
      rec.report.id = a.report_id;
      out.decision = "pending";
      to_match.push_back(&rec.report);
      if (matched_ahead != nullptr) {
        match_at.push_back((*matched_ahead)[i]);
      } else if (match) {
        // Unprepared reports are prepared by the batch's workers.
        match_at.push_back(match->Add(&rec.report, TakePrepared(rec)));
      }
      previous.push_back(a.kind == AcceptOutcome::Kind::kNewVersion ? a.previous_report_id : 0);
      match_outcomes.push_back(&out);
    });
    if (!accepted.ok()) return accepted.status();
    // A corrected quarantine entry is marked replayed in this transaction:
    // the report and the mark are stored together or not at all.
    for (size_t k = 0; k < accepting.size(); ++k) {
      const int64_t entry = batch[accepting_at[k]].replays_quarantine_id;
      if (entry == 0) continue;
      Status s = txn.MarkReplayed(entry, (*accepted)[k].report_id);
      if (!s.ok()) return s;
    }
    return Status::Ok();
  };
  auto count_accepted = [&] {
    impl_->counts.ingested += static_cast<int64_t>(to_match.size());
    metrics::Std().ingested->Inc(static_cast<double>(to_match.size()));
    metrics::Std().rejected->Inc(static_cast<double>(rejected));
    impl_->counts.rejected += rejected;
    impl_->counts.duplicate += duplicates;
  };

  // One batch at a time: matching starts while the store is still accepting,
  // so the index must be caught up (and the matcher lock held) first.
  std::lock_guard lock(impl_->mutex);
  auto locked = impl_->AcquireAndCatchUp();
  // Matched ahead during the last batch's commit: used below if still valid
  // (taken after catching up, which may change the index), else dropped.
  std::optional<Impl::Ahead> ahead = impl_->TakeAhead(batch);
  if (locked.ok() && *locked) {
    // The matcher: acceptance and decisions in one transaction, whose commit
    // is the acknowledgement point. The workers match each report as soon as
    // the store has accepted it.
    Status failed;
    {
      matching::BatchMatch match =
          ahead ? std::move(*ahead->match)
                : impl_->engine->StartBatch(batch.size(), impl_->match_pool.get());
      auto txn_or = impl_->store->Begin(Store::Mode::kWrite);
      if (!txn_or.ok()) return RefuseBatch(txn_or.status(), batch.size());
      Txn& txn = **txn_or;
      // Under the store's writer lock: no other event can come before this
      // batch's own. A failure refuses the batch like any statement's (on
      // PostgreSQL the transaction is aborted: going on would report the
      // next statement's "transaction aborted" instead of this error).
      auto seq_before = txn.LastEventSeq();
      if (!seq_before.ok()) return RefuseBatch(seq_before.status(), batch.size());
      Status a = accept(txn, &match, ahead ? &ahead->index : nullptr);
      if (!a.ok()) return RefuseBatch(a, batch.size());
      match.Close();
      auto decided = impl_->Resolve(txn, to_match, previous, match_outcomes, match, true, match_at);
      failed = decided.status();
      if (decided.ok()) {
        // The index learns the batch on a worker (and the next batch is
        // matched against it) while the decisions are written and the commit
        // made durable here: the batch's matching is over. If the writing or
        // the commit fails, the new reports leave the index again.
        std::promise<void> indexed;
        std::future<void> done = indexed.get_future();
        const bool posted = impl_->match_pool->Post([&] {
          impl_->Index(*decided, to_match, match);
          if (next != nullptr) impl_->StartAhead(next);
          indexed.set_value();
        });
        if (!posted) impl_->Index(*decided, to_match, match);
        failed = impl_->Finish(txn, *decided);
        Status c = failed.ok() ? txn.Commit() : Status::Ok();
        if (posted) done.wait();
        if (!failed.ok() || !c.ok()) impl_->Unindex(*decided, to_match);
        if (!c.ok()) return RefuseBatch(c, batch.size());
        if (failed.ok()) {
          count_accepted();
          if (ahead) ++impl_->counts.matched_ahead;
          impl_->Applied(std::move(*decided), *seq_before);
          return outcomes;
        }
      }
    }
    // Matching failed (the transaction rolled back): store the batch in the
    // inbox alone, as a non-matcher would; ResumePending matches it later.
    log::Warning("matching failed; reports stay in the inbox",
                 {{"error", failed.ToString()}, {"reports", std::to_string(to_match.size())}});
  }
  // Not the matcher (or the lock could not be checked, or matching failed):
  // durable acceptance only; the reports stay in the inbox, "pending", for
  // the instance that holds the lock.
  auto txn_or = impl_->store->Begin(Store::Mode::kWrite);
  if (!txn_or.ok()) return RefuseBatch(txn_or.status(), batch.size());
  Status a = accept(**txn_or, nullptr, nullptr);
  if (!a.ok()) return RefuseBatch(a, batch.size());
  Status c = (*txn_or)->Commit();
  if (!c.ok()) return RefuseBatch(c, batch.size());
  count_accepted();
  return outcomes;
}

Result<int64_t> Pipeline::ResumePending(int limit) {
  std::lock_guard lock(impl_->mutex);
  auto locked = impl_->AcquireAndCatchUp();
  if (!locked.ok()) return locked.status();
  if (!*locked) return int64_t{0};
  std::vector<Report> pending;
  {
    auto txn = impl_->store->Begin(Store::Mode::kRead);
    if (!txn.ok()) return txn.status();
    auto p = (*txn)->PendingReports(limit);
    if (!p.ok()) return p.status();
    pending = std::move(*p);
  }
  if (pending.empty()) return int64_t{0};
  std::vector<RecordOutcome> outcomes(pending.size());
  std::vector<RecordOutcome*> ptrs;
  std::vector<int64_t> previous(pending.size(), 0);
  std::vector<const Report*> reports;
  for (auto& o : outcomes) ptrs.push_back(&o);
  for (const Report& r : pending) reports.push_back(&r);
  matching::BatchMatch batch = impl_->engine->MatchBatch(reports, impl_->match_pool.get());
  auto txn = impl_->store->Begin(Store::Mode::kWrite);
  if (!txn.ok()) return txn.status();
  auto decided = impl_->Resolve(**txn, reports, previous, ptrs, batch, false);
  if (!decided.ok()) return decided.status();
  if (Status f = impl_->Finish(**txn, *decided); !f.ok()) return f;
  Status c = (*txn)->Commit();
  if (!c.ok()) return c;
  // Committed: only now does the index learn these.
  impl_->Index(*decided, reports, batch);
  impl_->Applied(std::move(*decided));
  return static_cast<int64_t>(pending.size());
}

void Pipeline::FollowFrom(int64_t seq) {
  std::lock_guard lock(impl_->mutex);
  impl_->followed_seq = seq;
}

Status Pipeline::FollowChanges() {
  std::lock_guard lock(impl_->mutex);
  return impl_->Follow();
}

Result<bool> Pipeline::Impl::AcquireAndCatchUp() {
  auto locked = store->TryAcquireMatcherLock();
  metrics::Std().matcher_lock_held->Set(locked.ok() && *locked ? 1 : 0);
  if (!locked.ok() || !*locked) {
    lock_logged = false;
    return locked;
  }
  if (!lock_logged) {
    lock_logged = true;
    log::Info("matcher lock acquired", {{"pid", std::to_string(getpid())}});
  }
  Status f = Follow();
  if (!f.ok()) return f;
  return true;
}

Status Pipeline::Impl::Follow() {
  auto txn_or = store->Begin(Store::Mode::kRead);
  if (!txn_or.ok()) return txn_or.status();
  Txn& txn = **txn_or;
  for (;;) {
    auto events = txn.EventsSince(followed_seq, 1000, /*with_details=*/false);
    if (!events.ok()) return events.status();
    if (events->empty()) {
      while (!own_batches.empty() && own_batches.front().first <= followed_seq) {
        for (int64_t id : own_batches.front().second) own_reports.erase(id);
        own_batches.pop_front();
      }
      return Status::Ok();
    }
    for (const HistoryEvent& e : *events) {
      followed_seq = e.seq;
      // Applied by this pipeline when it committed the decision. Engine events
      // of another instance (the matcher before a failover) are applied here.
      if (e.actor == kEngineActor && own_reports.count(e.report_id) != 0) continue;
      for (int64_t victim_id : {e.victim_id, e.other_victim_id}) {
        if (victim_id == 0) continue;
        auto v = txn.GetVictim(victim_id);
        if (!v.ok()) continue;
        for (int64_t report_id : v->report_ids) {
          if (v->state == VictimState::kAbsorbed || v->state == VictimState::kUnidentified)
            continue;
          auto r = txn.GetReport(report_id);
          if (r.ok()) engine->Upsert(report_id, victim_id, *r);
        }
      }
    }
  }
}

}  // namespace qayd
