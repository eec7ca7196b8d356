#include "ingest/quarantine_replay.h"

#include "ingest/record_parser.h"
#include "ingest/validate.h"

namespace qayd::ingest {

Result<ReplayResult> ReplayQuarantined(Store* store, Pipeline* pipeline,
                                       const std::vector<FeedSettings>& feeds, int64_t id,
                                       const std::optional<std::string>& corrected,
                                       int64_t now_ms) {
  QuarantineRecord q;
  {
    auto txn = store->Begin(Store::Mode::kRead);
    if (!txn.ok()) return txn.status();
    auto got = (*txn)->GetQuarantined(id);
    if (!got.ok()) return got.status();
    q = std::move(*got);
  }
  if (q.replayed_report_id != 0) {
    return Error(ErrorCode::kConflict, "quarantine " + std::to_string(id) +
                                           " was already replayed as report " +
                                           std::to_string(q.replayed_report_id));
  }
  ParseOptions po;
  std::string text = q.raw;
  if (corrected) {
    text = *corrected;  // a corrected record is in qayd's own field names
  } else {
    for (const FeedSettings& f : feeds) {
      if (f.id == q.source) po = ParseOptionsFor(f);
    }
  }
  // One record: a JSON object (possibly over several lines) or CSV header + row.
  const size_t first = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  if (first != std::string::npos && text[first] == '{') {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    po.format = "json";
    po.records_path.clear();
    text = "[" + text + "]";
  } else {
    po.format = "csv";
  }
  ReplayResult out;
  out.label = "quarantine " + std::to_string(id);
  po.source = q.source;
  po.override_source = true;
  po.label = out.label;
  po.received_at_ms = now_ms;
  auto parsed = ParseRecords(text, po);
  if (!parsed.ok()) return Error(ErrorCode::kInvalidInput, parsed.status().message());
  if (parsed->records.size() != 1) {
    return Error(ErrorCode::kInvalidInput,
                 "expected one record, found " + std::to_string(parsed->records.size()));
  }
  IncomingRecord& rec = parsed->records[0];
  if (po.format == "json") rec.report.raw_payload = text.substr(1, text.size() - 2);
  if (!q.source_record_id.empty()) rec.report.source_record_id = q.source_record_id;
  rec.replays_quarantine_id = id;
  ValidateOptions vo;
  if (auto vocab = LoadVocabularies(store); vocab.ok()) vo.vocab = *vocab;
  ValidateRecords(&parsed->records, vo);
  if (!rec.errors.empty()) {
    out.errors = rec.errors;
    return out;
  }
  auto outcomes = pipeline->Process(std::move(parsed->records));
  if (!outcomes.ok()) return outcomes.status();
  if (outcomes->size() != 1) return Error(ErrorCode::kInternal, "pipeline: no outcome");
  out.outcome = std::move(outcomes->front());
  return out;
}

}  // namespace qayd::ingest
