// A test sink standing in for Pipeline::Process: records every batch, answers
// "rejected" for records with errors and "new" for the others, and can be told
// to fail the next calls (a store outage) for fault injection.
#pragma once

#include <atomic>
#include <mutex>
#include <vector>

#include "ingest/feed_poller.h"

namespace qayd::ingest::testing {

class CollectingSink {
 public:
  RecordSink fn() {
    return [this](std::vector<IncomingRecord> batch) -> Result<std::vector<RecordOutcome>> {
      if (fail_next > 0) {
        --fail_next;
        return Error(ErrorCode::kUnavailable, "store down");
      }
      std::vector<RecordOutcome> out;
      std::lock_guard<std::mutex> lock(mu_);
      for (auto& rec : batch) {
        RecordOutcome o;
        o.source = rec.report.source;
        o.source_record_id = rec.report.source_record_id;
        o.decision = rec.errors.empty() ? "new" : "rejected";
        for (const auto& e : rec.errors) o.error += e.field + ": " + e.problem + "; ";
        out.push_back(o);
        received_.push_back(std::move(rec));
      }
      return out;
    };
  }
  std::vector<IncomingRecord> received() const {
    std::lock_guard<std::mutex> lock(mu_);
    return received_;
  }
  size_t size() const {
    std::lock_guard<std::mutex> lock(mu_);
    return received_.size();
  }
  std::atomic<int> fail_next{0};

 private:
  mutable std::mutex mu_;
  std::vector<IncomingRecord> received_;
};

}  // namespace qayd::ingest::testing
