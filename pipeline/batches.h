// Feeding a long run of records (files given to `qayd ingest`, the
// benchmark's incoming reports) through the pipeline in batches, with the
// next batch read and normalised ahead of time.
//
// Contract
// - Batches are processed in order, one at a time, on the calling thread
//   (Pipeline::Process: blocking, never call it on the io_context). Outcomes
//   and errors are exactly those of Process.
// - One helper thread owned by the call produces the batches (`next`, called
//   there one call at a time, in order) and, from the second batch on, runs
//   PrepareRecords on them: while batch k is processed, batch k+1 is parsed
//   and normalised, on the time the pipeline's own threads spend waiting for
//   the store. Normalising ahead changes no decision (Engine::Prepare depends
//   on the report alone). When batch k+1 is ready as batch k starts, it is
//   given to Process as `next`, and the match pool matches it while batch k
//   commits (dropped and redone if anything else changed the index).
// - `on_batch(first, outcomes, seconds)` runs on the calling thread after each
//   batch: `first` is the number of records before the batch, `seconds` the
//   time Process took. Returning false stops before the next batch.
// - A Process failure (the store refused a batch) stops the run and is
//   returned; the batches before it were committed, that one was not.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "base/result.h"
#include "pipeline/pipeline.h"

namespace qayd {

// Fills `batch` (empty on entry) with the next batch; false when there is none.
using BatchSource = std::function<bool(std::vector<IncomingRecord>* batch)>;
using BatchDone =
    std::function<bool(size_t first, std::vector<RecordOutcome>& outcomes, double seconds)>;

Status ProcessBatches(Pipeline* pipeline, const BatchSource& next, const BatchDone& on_batch);

// The same over records already in memory, in batches of `batch_size`.
Status ProcessInBatches(Pipeline* pipeline, std::vector<IncomingRecord> records, size_t batch_size,
                        const BatchDone& on_batch);

// The pipeline batch size of `qayd ingest`, the spool and feeds.
inline constexpr size_t kPipelineBatch = 1000;

// ProcessInBatches collecting every outcome, in order: the sink of the
// daemon's spool and feeds, so that they run the same pipeline as `qayd
// ingest` at its speed (a file's records normalised ahead, the next batch
// matched during each commit). On a store failure the batches before were
// committed and the failure is returned (their records are deduplicated
// when the rest is retried).
Result<std::vector<RecordOutcome>> ProcessAll(Pipeline* pipeline,
                                              std::vector<IncomingRecord> records,
                                              size_t batch_size = kPipelineBatch);

}  // namespace qayd
