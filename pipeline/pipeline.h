// The ingest pipeline shared by the daemon (feeds, submissions, spool) and
// `qayd ingest`: validate -> store durably (the acknowledgement point) ->
// match -> decide -> record the decision and its history.
//
// Contract
// - Process() is blocking: call it from a worker thread, never on the
//   io_context. It may be called from several threads; batches are applied in
//   the order their store transactions commit.
// - A record with errors is quarantined (verbatim, with reasons) and gets the
//   decision "rejected"; one bad record never blocks the others of its batch.
// - A record counts as accepted once Process() has returned its outcome.
//   While this instance holds the store's matcher lock, a batch's acceptance
//   and its decisions commit in one transaction (one durable commit per
//   batch; the process dying before it leaves nothing of the unacknowledged
//   batch). If matching fails, that transaction is rolled back and the batch
//   is accepted into the store's inbox alone (Resolution::kPending), where
//   ResumePending() matches it later.
// - Without the matcher lock, Process() only accepts into the inbox, for the
//   lock holder.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "matching/engine.h"
#include "model/report.h"
#include "model/report_json.h"
#include "store/store.h"

namespace qayd {

// One record as it arrived, parsed (or not) by ingest.
struct IncomingRecord {
  Report report;                   // parsed fields; report.raw_payload = verbatim bytes
  std::vector<FieldError> errors;  // non-empty: quarantine
  std::string record_label;        // e.g. "feed moh-daily record 17" for messages
  // Optional: the report normalised ahead of Process (PrepareRecords), so a
  // producer thread can take that work off the pipeline's. Process prepares
  // the records that lack it. Stale if `report` changes afterwards. Shared by
  // copies of the record (read-only once made); a pointer, so that code that
  // only parses records (ingest) need not link the matching library.
  std::shared_ptr<matching::PreparedReport> prepared;
  // Non-zero: the quarantine entry this record corrects (correct-and-replay).
  // The transaction that accepts the record marks it replayed with the
  // record's report (Txn::MarkReplayed); if it was replayed meanwhile the
  // batch is refused (kConflict) and nothing of it is stored.
  int64_t replays_quarantine_id = 0;
};

// Normalises each record without errors into its `prepared` (names, keys,
// dates: Engine::Prepare). Needs no store, engine or lock; thread-safe for
// different vectors. Records that later prove duplicates waste their work.
void PrepareRecords(std::vector<IncomingRecord>* records);

struct RecordOutcome {
  std::string source, source_record_id;
  std::string decision;  // merged | review | new | duplicate | unidentified | rejected | pending
  int64_t report_id = 0;
  int64_t victim_id = 0;
  double score = 0;
  std::vector<matching::Candidate> candidates;  // best first
  std::string error;                            // for rejected: "record X: field: problem; ..."
  std::string ToJson() const;                   // the `qayd ingest --decisions` line
};

struct PipelineCounts {
  int64_t ingested = 0, merged = 0, review = 0, created = 0, duplicate = 0;
  int64_t unidentified = 0, rejected = 0;
  int64_t matched_ahead = 0;  // batches whose matching began during the commit before
};

class Pipeline {
 public:
  // `store` and `engine` must outlive the pipeline. The engine's index must
  // hold the register (LoadIndex) before the first Process. The pipeline
  // follows the change log from the store's newest event at construction:
  // load the index after constructing the pipeline, or call FollowFrom with
  // the seq read before LoadIndex.
  Pipeline(Store* store, matching::Engine* engine);
  ~Pipeline();
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // Validates, stores, matches and decides a batch. Returns one outcome per
  // record, in order. A store failure is returned as a Status (nothing of the
  // batch was acknowledged).
  //
  // `next`, if given, is the batch the caller will pass to its next Process
  // call (this same vector, moved in, its records unchanged and prepared by
  // PrepareRecords): once this batch is in the index, the match pool starts
  // matching `next` against it while this batch commits. That work is used
  // only if the next call gets exactly those records and the index has not
  // changed meanwhile (another batch, a review decision followed); otherwise
  // it is dropped and the batch matched as usual, so decisions are the same.
  // A caller that will not process `next` after all calls DropAhead() before
  // destroying it.
  Result<std::vector<RecordOutcome>> Process(std::vector<IncomingRecord> batch,
                                             std::vector<IncomingRecord>* next = nullptr);
  // Stops and forgets matching started ahead for a `next` batch (waits for
  // work in progress, which reads its records).
  void DropAhead();

  // Matches reports left in the inbox (after a crash, or by another instance).
  Result<int64_t> ResumePending(int limit = 1000);

  // Re-applies victim changes made outside the pipeline (review decisions,
  // undo, split, other instances) from the store's change log.
  Status FollowChanges();
  // Where FollowChanges starts: call with Txn::LastEventSeq() read before
  // LoadIndex, so a fresh index does not replay the whole history.
  void FollowFrom(int64_t seq);

  PipelineCounts counts() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Loads every non-absorbed victim's reports into the engine's index.
Status LoadIndex(Store* store, matching::Engine* engine, int64_t* reports_loaded = nullptr);

}  // namespace qayd
