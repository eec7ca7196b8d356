#include "pipeline/batches.h"

#include <algorithm>
#include <chrono>
#include <deque>
#include <future>
#include <memory>
#include <optional>

#include "base/thread_pool.h"

namespace qayd {

Status ProcessBatches(Pipeline* pipeline, const BatchSource& next, const BatchDone& on_batch) {
  using Batch = std::optional<std::vector<IncomingRecord>>;  // nullopt: no more
  // One helper thread for the whole run, so its normaliser caches stay warm.
  // It is joined (after finishing what it is producing) before `next` goes
  // away; the batches it produces live in its tasks until taken.
  bool exhausted = false;                // `next` said there is no more (helper thread only)
  ThreadPool helper(1);                  // after `exhausted`, which its tasks use
  std::deque<std::future<Batch>> queue;  // batches being produced, in order
  auto produce = [&](bool prepare) {
    auto task = std::make_shared<std::packaged_task<Batch()>>([&, prepare]() -> Batch {
      if (exhausted) return std::nullopt;
      std::vector<IncomingRecord> batch;
      if (!next(&batch)) {
        exhausted = true;
        return std::nullopt;
      }
      if (prepare) PrepareRecords(&batch);
      return batch;
    });
    queue.push_back(task->get_future());
    if (!helper.Post([task] { (*task)(); })) (*task)();
  };
  // The next batch; another is queued in its place.
  auto take = [&]() -> Batch {
    if (queue.empty()) return std::nullopt;
    Batch b = queue.front().get();
    queue.pop_front();
    if (b) produce(true);
    return b;
  };
  // Two batches in production: the one after the current one is usually
  // ready when the current one starts. The first is prepared inside Process,
  // by the pipeline's workers.
  produce(false);
  produce(true);
  Batch current = take();
  size_t first = 0;
  while (current) {
    // The batch after this one, if it is ready: the pipeline matches it
    // ahead while this one commits (Process's `next`).
    Batch following;
    if (!queue.empty() &&
        queue.front().wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
      following = take();
    }
    const size_t size = current->size();
    if (size > 0) {
      std::vector<IncomingRecord>* after = following && !following->empty() ? &*following : nullptr;
      const auto start = std::chrono::steady_clock::now();
      auto outcomes = pipeline->Process(std::move(*current), after);
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (!outcomes.ok()) {
        pipeline->DropAhead();
        return outcomes.status();
      }
      if (!on_batch(first, *outcomes, seconds)) {
        pipeline->DropAhead();
        break;
      }
      first += size;
    }
    // `following` moves on as it is (its records stay where they are).
    if (following)
      current = std::move(following);
    else
      current = take();
  }
  return Status::Ok();
}

Status ProcessInBatches(Pipeline* pipeline, std::vector<IncomingRecord> records, size_t batch_size,
                        const BatchDone& on_batch) {
  batch_size = std::max<size_t>(1, batch_size);
  size_t taken = 0;
  return ProcessBatches(
      pipeline,
      [&](std::vector<IncomingRecord>* batch) {
        if (taken >= records.size()) return false;
        const size_t end = std::min(records.size(), taken + batch_size);
        batch->reserve(end - taken);
        for (; taken < end; ++taken) batch->push_back(std::move(records[taken]));
        return true;
      },
      on_batch);
}

Result<std::vector<RecordOutcome>> ProcessAll(Pipeline* pipeline,
                                              std::vector<IncomingRecord> records,
                                              size_t batch_size) {
  std::vector<RecordOutcome> all;
  all.reserve(records.size());
  Status s = ProcessInBatches(pipeline, std::move(records), batch_size,
                              [&](size_t, std::vector<RecordOutcome>& outcomes, double) {
                                for (RecordOutcome& o : outcomes) all.push_back(std::move(o));
                                return true;
                              });
  if (!s.ok()) return s;
  return all;
}

}  // namespace qayd
