// Parsing feed and file bodies into IncomingRecords (see docs/RECORD-FORMAT.md).
//
// Formats: "jsonl" (one qayd JSON record per line), "json" (an array of
// records, at the top level or at `records_path`, e.g. "data.records"), and
// "csv" (RFC 4180 with a header row). Feed field names are renamed through
// `field_map` before model/report_json.h's ReportFromJson reads the record.
//
// Errors: a body that cannot be split into records at all (a JSON document that
// does not parse or nests deeper than base/json_parse.h allows, a missing
// records_path, a CSV without header) is a Status.
// Everything else is per record: a malformed JSON line or CSV row becomes one
// IncomingRecord with errors and its verbatim bytes, and the others go on.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "config/config.h"
#include "pipeline/pipeline.h"

namespace qayd::ingest {

// The default limit on one record's text (a JSON line, an array element, a
// CSV row): far above any real record (a name part may hold 200 bytes, notes
// 10,000), low enough that a hostile record costs little memory.
inline constexpr size_t kMaxRecordBytes = size_t{1} << 20;

struct ParseOptions {
  std::string format = "jsonl";  // jsonl | json | csv
  std::string records_path;      // json only: dotted path to the records array; "" = top level
  // Feed field -> qayd field. Targets may be nested ("place_of_death.governorate",
  // "name.first"), "names[]" appends a spelling, "" drops the feed field.
  std::map<std::string, std::string> field_map;
  std::string source;            // stamped on records that carry no source
  bool override_source = false;  // feeds: the feed id always wins over the record's own
  std::string source_type;       // stamped when the record has none
  std::string reliability;       // stamped when the record has none
  int64_t received_at_ms = 0;    // stamped when the record has none
  std::string label;             // records are labelled "<label> record N"
  std::string cursor_field;      // feed field whose value ParseRecords returns per record
  std::string id_prefix;         // prepended to the record-number fallback source_record_id
  // jsonl: the number of the body's first line, when the body is a chunk of a
  // larger file (SplitJsonLines); a byte order mark is only stripped at line 1.
  int first_line = 1;
  // A longer record is rejected without being parsed ("record of N bytes is
  // larger than the limit of M bytes"); its raw payload keeps the first M bytes.
  size_t max_record_bytes = kMaxRecordBytes;
};

// A JSON-lines body cut into chunks of whole lines, to parse and process a
// large file a batch at a time: each chunk's text (a view into the body) and
// the number of its first line (ParseOptions::first_line) and how many of its
// lines hold a record (not blank).
struct LinesChunk {
  std::string_view text;
  int first_line = 1;
  size_t records = 0;
};
std::vector<LinesChunk> SplitJsonLines(std::string_view body, size_t lines_per_chunk);

struct ParsedRecords {
  std::vector<IncomingRecord> records;
  // Per record, the text of `cursor_field` ("" when absent or not requested).
  std::vector<std::string> cursors;
};

// Splits and parses `body`. Record numbers N (labels, and source_record_id
// when the record maps none): jsonl: the 1-based line number; csv: the 1-based
// data row (header not counted); json: the 1-based array position.
// report.raw_payload is verbatim: the line (jsonl), the array element's text
// (json), or the header line + "\n" + the row's text (csv, so it re-parses alone).
Result<ParsedRecords> ParseRecords(std::string_view body, const ParseOptions& opts);

// Options for a configured feed: format, path, field map, cursor field; the
// feed id as the (overriding) source; its source type and reliability.
ParseOptions ParseOptionsFor(const FeedSettings& feed);

// "jsonl" for .jsonl/.ndjson/.jsonlines, "json" for .json, "csv" for .csv, "" otherwise.
std::string FormatForFileName(std::string_view name);

}  // namespace qayd::ingest
