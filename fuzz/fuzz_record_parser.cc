// Fuzzes ingest/record_parser.h ParseRecords and ValidateRecords. The first
// byte picks the format (and a records_path / field map for json), the rest is
// the body.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ingest/record_parser.h"
#include "ingest/validate.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  qayd::ingest::ParseOptions opts;
  const uint8_t mode = data[0];
  switch (mode % 3) {
    case 0: opts.format = "jsonl"; break;
    case 1: opts.format = "json"; break;
    default: opts.format = "csv"; break;
  }
  if (mode & 0x04) opts.records_path = "data.records";
  if (mode & 0x08) {
    opts.field_map = {{"nom", "name.first"}, {"alias", "names[]"}, {"gov", "place_of_death.governorate"},
                      {"drop", ""}, {"id", "source_record_id"}};
  }
  if (mode & 0x10) opts.cursor_field = "updated_at";
  if (mode & 0x20) {
    opts.source = "fuzz";
    opts.override_source = true;
  }
  opts.label = "fuzz";
  opts.id_prefix = "f-";
  std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  auto parsed = qayd::ingest::ParseRecords(body, opts);
  if (!parsed.ok()) return 0;
  if (parsed->cursors.size() != parsed->records.size()) __builtin_trap();
  qayd::ingest::ValidateOptions vopts;
  vopts.today = qayd::FuzzyDate{2024, 6, 1, qayd::DatePrecision::kExact};  // deterministic
  qayd::ingest::ValidateRecords(&parsed->records, vopts);
  return 0;
}
