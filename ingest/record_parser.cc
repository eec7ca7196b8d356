#include "ingest/record_parser.h"

#include <algorithm>
#include <cstdlib>
#include <optional>

#include "base/csv.h"
#include "base/json_parse.h"
#include "base/utf8.h"
#include "ingest/json_spans.h"

namespace qayd::ingest {
namespace {

using rapidjson::Document;
using rapidjson::Value;

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return std::string(s);
}

// Converts a CSV cell to the JSON type the qayd field expects; leaves it a
// string when it does not convert (ReportFromJson then names the problem).
Value CsvValue(const std::string& target, const std::string& cell, Document::AllocatorType& a) {
  const std::string v = Trim(cell);
  if (target == "died_under_torture") {
    if (v == "true" || v == "yes" || v == "1" || v == "TRUE" || v == "Yes") return Value(true);
    if (v == "false" || v == "no" || v == "0" || v == "FALSE" || v == "No") return Value(false);
  } else if (target == "version" || target == "received_at") {
    char* end = nullptr;
    const long long n = std::strtoll(v.c_str(), &end, 10);
    if (!v.empty() && *end == '\0') return Value(static_cast<int64_t>(n));
  } else if (target == "place_of_death.lat" || target == "place_of_death.lon") {
    char* end = nullptr;
    const double d = std::strtod(v.c_str(), &end);
    if (!v.empty() && *end == '\0') return Value(d);
  } else if (target == "roles" || target == "names") {
    Value arr(rapidjson::kArrayType);
    size_t start = 0;
    while (start <= v.size()) {
      size_t sep = v.find_first_of(";|", start);
      if (sep == std::string::npos) sep = v.size();
      const std::string item = Trim(std::string_view(v).substr(start, sep - start));
      if (!item.empty()) arr.PushBack(Value(item.c_str(), a), a);
      start = sep + 1;
    }
    return arr;
  }
  return Value(cell.c_str(), static_cast<rapidjson::SizeType>(cell.size()), a);
}

// Builds a qayd record object from feed fields, renaming through field_map.
class Mapper {
 public:
  explicit Mapper(const ParseOptions& o) : o_(o) { out_.SetObject(); }

  void Put(const std::string& feed_key, Value value) {
    auto it = o_.field_map.find(feed_key);
    const std::string target = it == o_.field_map.end() ? feed_key : it->second;
    if (target.empty()) return;
    auto& a = out_.GetAllocator();
    if (target == "age") WholeYears(&value, a);
    if (target != feed_key) origin_[target] = feed_key;
    if (target == "names[]") {
      if (!out_.HasMember("names")) out_.AddMember("names", Value(rapidjson::kArrayType), a);
      if (out_["names"].IsArray()) out_["names"].PushBack(value, a);
      return;
    }
    Value* obj = &out_;
    size_t start = 0;
    while (true) {
      const size_t dot = target.find('.', start);
      const std::string key = target.substr(start, dot == std::string::npos ? dot : dot - start);
      auto m = obj->FindMember(key.c_str());
      if (dot == std::string::npos) {
        if (m != obj->MemberEnd()) {
          errors_.push_back(
              {PrintableUtf8(target),
               "set twice (feed field \"" + PrintableUtf8(feed_key) + "\" and another)"});
          return;
        }
        obj->AddMember(Value(key.c_str(), a), value, a);
        return;
      }
      if (m == obj->MemberEnd()) {
        obj->AddMember(Value(key.c_str(), a), Value(rapidjson::kObjectType), a);
        m = obj->FindMember(key.c_str());
      } else if (!m->value.IsObject()) {
        errors_.push_back({PrintableUtf8(target),
                           "cannot map feed field \"" + PrintableUtf8(feed_key) + "\": \"" +
                               PrintableUtf8(key) + "\" is already set as a value"});
        return;
      }
      obj = &m->value;
      start = dot + 1;
    }
  }

  // Infants' ages come as decimal years ("0.58", 0.25): whole years, rounded
  // down. (-1, an unknown age, is read so by ReportFromJson on every channel.)
  static void WholeYears(Value* v, Document::AllocatorType& a) {
    double years = -1;
    if (v->IsDouble()) {
      years = v->GetDouble();
    } else if (v->IsString()) {
      const std::string text = Trim(std::string_view(v->GetString(), v->GetStringLength()));
      const size_t dot = text.find('.');
      if (dot == std::string::npos || dot == 0 || dot + 1 == text.size()) return;
      if (text.find_first_not_of("0123456789.") != std::string::npos ||
          text.find('.', dot + 1) != std::string::npos) {
        return;
      }
      years = std::strtod(text.c_str(), nullptr);
    }
    if (years < 0 || years > 1000) return;
    v->SetString(std::to_string(static_cast<int>(years)).c_str(), a);
  }

  const std::string& Target(const std::string& feed_key) const {
    auto it = o_.field_map.find(feed_key);
    return it == o_.field_map.end() ? feed_key : it->second;
  }
  Document::AllocatorType& alloc() { return out_.GetAllocator(); }

  // Runs ReportFromJson; errors on mapped fields mention the feed's name.
  void Finish(Report* r, std::vector<FieldError>* errors) {
    *errors = std::move(errors_);
    const size_t before = errors->size();
    ReportFromJson(out_, r, errors);
    for (size_t i = before; i < errors->size(); ++i) {
      FieldError& e = (*errors)[i];
      std::string top = e.field.substr(0, e.field.find_first_of(".["));
      auto it = origin_.find(e.field);
      if (it == origin_.end()) it = origin_.find(top);
      if (it != origin_.end()) e.problem += " (feed field \"" + PrintableUtf8(it->second) + "\")";
    }
  }

 private:
  const ParseOptions& o_;
  Document out_;
  std::map<std::string, std::string> origin_;  // qayd target -> feed field
  std::vector<FieldError> errors_;
};

std::string ScalarText(const Value& v) {
  if (v.IsString()) return std::string(v.GetString(), v.GetStringLength());
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  if (v.IsUint64()) return std::to_string(v.GetUint64());
  if (v.IsDouble()) return std::to_string(v.GetDouble());
  return "";
}

class Builder {
 public:
  explicit Builder(const ParseOptions& o) : o_(o) {}

  void Stamp(IncomingRecord* rec, std::string_view raw, int number) {
    Report& r = rec->report;
    r.raw_payload.assign(raw.data(), raw.size());
    if (!o_.source.empty() && (o_.override_source || r.source.empty())) r.source = o_.source;
    if (r.source_record_id.empty()) r.source_record_id = o_.id_prefix + std::to_string(number);
    if (r.source_type.empty()) r.source_type = o_.source_type;
    if (r.reliability.empty()) r.reliability = o_.reliability;
    if (r.received_at_ms == 0) r.received_at_ms = o_.received_at_ms;
    rec->record_label =
        (o_.label.empty() ? std::string() : o_.label + " ") + "record " + std::to_string(number);
  }

  void Rejected(std::string_view raw, int number, FieldError error) {
    IncomingRecord rec;
    rec.errors.push_back(std::move(error));
    Stamp(&rec, raw, number);
    out.records.push_back(std::move(rec));
    out.cursors.emplace_back();
  }

  // A record longer than the limit: rejected unparsed, its start kept.
  bool TooLarge(std::string_view raw, int number) {
    if (raw.size() <= o_.max_record_bytes) return false;
    Rejected(
        raw.substr(0, o_.max_record_bytes), number,
        {"", "record of " + std::to_string(raw.size()) + " bytes is larger than the limit of " +
                 std::to_string(o_.max_record_bytes) + " bytes (only its first " +
                 std::to_string(o_.max_record_bytes) + " bytes are kept)"});
    return true;
  }

  // One JSON record (a jsonl line or an array element).
  void Json(std::string_view text, int number) {
    if (TooLarge(text, number)) return;
    Document doc;
    if (Status parsed = ParseJsonLimited<rapidjson::kParseStopWhenDoneFlag>(text, &doc);
        !parsed.ok()) {
      Rejected(text, number, {"", parsed.message()});
      return;
    }
    if (!doc.IsObject()) {
      Rejected(text, number, {"", "a record must be a JSON object"});
      return;
    }
    Mapper m(o_);
    std::string cursor;
    for (auto& member : doc.GetObject()) {
      const std::string key(member.name.GetString(), member.name.GetStringLength());
      if (!o_.cursor_field.empty() && key == o_.cursor_field) cursor = ScalarText(member.value);
      m.Put(key, Value(member.value, m.alloc()));
    }
    IncomingRecord rec;
    m.Finish(&rec.report, &rec.errors);
    Stamp(&rec, text, number);
    out.records.push_back(std::move(rec));
    out.cursors.push_back(std::move(cursor));
  }

  void Csv(const std::vector<std::string>& header, const CsvRow& row, std::string_view raw,
           int number) {
    if (TooLarge(raw, number)) return;
    if (!row.error.empty()) {
      Rejected(raw, number,
               {"", "malformed CSV row at line " + std::to_string(row.line) + ": " + row.error});
      return;
    }
    if (row.fields.size() != header.size()) {
      Rejected(raw, number,
               {"", "row at line " + std::to_string(row.line) + " has " +
                        std::to_string(row.fields.size()) + " fields, the header has " +
                        std::to_string(header.size())});
      return;
    }
    Mapper m(o_);
    std::string cursor;
    for (size_t i = 0; i < header.size(); ++i) {
      if (!o_.cursor_field.empty() && header[i] == o_.cursor_field) cursor = Trim(row.fields[i]);
      if (Trim(row.fields[i]).empty()) continue;
      m.Put(header[i], CsvValue(m.Target(header[i]), row.fields[i], m.alloc()));
    }
    IncomingRecord rec;
    m.Finish(&rec.report, &rec.errors);
    Stamp(&rec, raw, number);
    out.records.push_back(std::move(rec));
    out.cursors.push_back(std::move(cursor));
  }

  // Room for `n` records, so that a large body's records are not moved again
  // each time the vector grows.
  void Reserve(size_t n) {
    out.records.reserve(n);
    out.cursors.reserve(n);
  }

  ParsedRecords out;

 private:
  const ParseOptions& o_;
};

// A JSON-lines line without its line break, or nullopt when it holds no
// record (blank, or spaces and tabs only).
std::optional<std::string_view> RecordLine(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.find_first_not_of(" \t") == std::string_view::npos) return std::nullopt;
  return line;
}

Result<ParsedRecords> ParseJsonLines(std::string_view body, const ParseOptions& o) {
  Builder b(o);
  if (o.first_line <= 1) body = StripBom(body);
  b.Reserve(static_cast<size_t>(std::count(body.begin(), body.end(), '\n')) + 1);
  int line = std::max(1, o.first_line) - 1;
  size_t pos = 0;
  while (pos < body.size()) {
    size_t nl = body.find('\n', pos);
    if (nl == std::string_view::npos) nl = body.size();
    const auto text = RecordLine(body.substr(pos, nl - pos));
    pos = nl + 1;
    ++line;
    if (text) b.Json(*text, line);
  }
  return std::move(b.out);
}

Result<ParsedRecords> ParseJsonDocument(std::string_view body, const ParseOptions& o) {
  body = StripBom(body);
  // Validates the whole document (syntax, depth) before its elements are cut
  // out, without building it (each element is parsed on its own below).
  rapidjson::BaseReaderHandler<> check;
  if (Status parsed = ParseJsonSax(body, &check); !parsed.ok()) return parsed;
  auto spans = ArrayElementSpans(body, o.records_path);
  if (!spans.ok()) return spans.status();
  Builder b(o);
  b.Reserve(spans->size());
  int number = 0;
  for (const auto& [begin, end] : *spans) b.Json(body.substr(begin, end - begin), ++number);
  return std::move(b.out);
}

Result<ParsedRecords> ParseCsv(std::string_view body, const ParseOptions& o) {
  const std::vector<CsvRow> rows = SplitCsv(body);
  if (rows.empty()) return Error(ErrorCode::kInvalidInput, "empty CSV: no header row");
  if (!rows[0].error.empty()) {
    return Error(ErrorCode::kInvalidInput, "malformed CSV header: " + rows[0].error);
  }
  std::vector<std::string> header;
  for (const auto& h : rows[0].fields) header.push_back(Trim(h));
  const std::string header_text(body.substr(rows[0].begin, rows[0].end - rows[0].begin));
  Builder b(o);
  b.Reserve(rows.size() - 1);
  for (size_t i = 1; i < rows.size(); ++i) {
    const CsvRow& row = rows[i];
    const std::string raw =
        header_text + "\n" + std::string(body.substr(row.begin, row.end - row.begin));
    b.Csv(header, row, raw, static_cast<int>(i));
  }
  return std::move(b.out);
}

}  // namespace

Result<ParsedRecords> ParseRecords(std::string_view body, const ParseOptions& opts) {
  if (opts.format == "jsonl") return ParseJsonLines(body, opts);
  if (opts.format == "json") return ParseJsonDocument(body, opts);
  if (opts.format == "csv") return ParseCsv(body, opts);
  return Error(ErrorCode::kInvalidInput,
               "unknown format \"" + opts.format + "\" (jsonl, json, csv)");
}

ParseOptions ParseOptionsFor(const FeedSettings& feed) {
  ParseOptions o;
  o.format = feed.format;
  o.records_path = feed.records_path;
  o.field_map = feed.field_map;
  o.source = feed.id;
  o.override_source = true;
  o.source_type = feed.source_type;
  o.reliability = feed.reliability;
  o.label = "feed " + feed.id;
  o.cursor_field = feed.cursor_field;
  return o;
}

std::vector<LinesChunk> SplitJsonLines(std::string_view body, size_t lines_per_chunk) {
  lines_per_chunk = std::max<size_t>(1, lines_per_chunk);
  std::vector<LinesChunk> out;
  int line = 1;
  size_t pos = 0;
  while (pos < body.size()) {
    size_t end = pos;
    size_t lines = 0, records = 0;
    while (end < body.size() && lines < lines_per_chunk) {
      const size_t nl = body.find('\n', end);
      const size_t stop = nl == std::string_view::npos ? body.size() : nl;
      std::string_view text = body.substr(end, stop - end);
      if (end == 0) text = StripBom(text);  // as ParseJsonLines reads line 1
      if (RecordLine(text)) ++records;
      end = stop + 1;
      ++lines;
    }
    end = std::min(end, body.size());
    out.push_back({body.substr(pos, end - pos), line, records});
    line += static_cast<int>(lines);
    pos = end;
  }
  return out;
}

std::string FormatForFileName(std::string_view name) {
  auto ends = [&](std::string_view ext) {
    return name.size() > ext.size() && name.substr(name.size() - ext.size()) == ext;
  };
  if (ends(".jsonl") || ends(".ndjson") || ends(".jsonlines")) return "jsonl";
  if (ends(".json")) return "json";
  if (ends(".csv")) return "csv";
  return "";
}

}  // namespace qayd::ingest
