// Incoming records from JSON lines, as ingest hands them to the pipeline: the
// raw payload kept, each labelled "test record <source_record_id>". A line
// that does not parse as a report fails the calling test (gtest).
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "model/report_json.h"
#include "pipeline/pipeline.h"

namespace qayd::testing {

inline std::vector<IncomingRecord> IncomingBatch(const std::vector<std::string>& lines) {
  std::vector<IncomingRecord> batch;
  for (const std::string& json : lines) {
    IncomingRecord rec;
    EXPECT_TRUE(ReportFromJsonText(json, &rec.report, &rec.errors)) << json;
    rec.report.raw_payload = json;
    rec.record_label = "test record " + rec.report.source_record_id;
    batch.push_back(std::move(rec));
  }
  return batch;
}

}  // namespace qayd::testing
