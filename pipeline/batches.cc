#include "pipeline/batches.h"

#include <algorithm>
#include <chrono>
#include <future>
#include <memory>
#include <optional>

#include "base/thread_pool.h"

namespace qayd {

Status ProcessBatches(Pipeline* pipeline, const BatchSource& next, const BatchDone& on_batch) {
  using Batch = std::optional<std::vector<IncomingRecord>>;  // nullopt: no more
  // One helper thread for the whole run, so its normaliser caches stay warm.
  // It is joined (after finishing a batch it is producing) before `next`
  // goes away; the batch it produces lives in its task.
  ThreadPool helper(1);
  std::future<Batch> ahead;
  auto produce = [&](bool prepare) {
    auto task = std::make_shared<std::packaged_task<Batch()>>([&next, prepare]() -> Batch {
      std::vector<IncomingRecord> batch;
      if (!next(&batch)) return std::nullopt;
      if (prepare) PrepareRecords(&batch);
      return batch;
    });
    ahead = task->get_future();
    if (!helper.Post([task] { (*task)(); })) (*task)();
  };
  // The first batch is prepared inside Process, by the pipeline's workers.
  produce(false);
  size_t first = 0;
  for (;;) {
    Batch batch = ahead.get();
    if (!batch) break;
    produce(true);
    const size_t size = batch->size();
    if (size == 0) continue;
    const auto start = std::chrono::steady_clock::now();
    auto outcomes = pipeline->Process(std::move(*batch));
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!outcomes.ok()) return outcomes.status();
    if (!on_batch(first, *outcomes, seconds)) break;
    first += size;
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

}  // namespace qayd
