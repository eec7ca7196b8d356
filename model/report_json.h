// The qayd record format (docs/RECORD-FORMAT.md) <-> Report.
//
// ReportFromJson is the structural parser shared by ingest (which adds field
// mapping, vocabulary and plausibility checks) and the store (which keeps the
// parsed fields in this form). It never throws; every problem is reported as
// a FieldError naming the field.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "model/report.h"

namespace qayd {

struct FieldError {
  std::string field;    // e.g. "date_of_birth", "names[1].full"
  std::string problem;  // e.g. "not a date: \"2023-02-30\""
  bool operator==(const FieldError&) const = default;
};

// Fills `out` from a JSON object. Unknown keys are errors. Returns true when
// no error was found. Provenance fields (id, raw_payload) are not read.
bool ReportFromJson(const rapidjson::Value& obj, Report* out, std::vector<FieldError>* errors);
// Parses text; a syntax error is one FieldError with field "" .
bool ReportFromJsonText(std::string_view text, Report* out, std::vector<FieldError>* errors);

struct ReportJsonOptions {
  bool include_contact = false;    // submitter relation/contact (admin only)
  bool include_provenance = true;  // source, source_record_id, version, received_at
  // Written instead of the report's own version / received_at when non-zero
  // (the store renders a report as it will be stored without copying it).
  int version = 0;
  int64_t received_at_ms = 0;
};
std::string ReportToJson(const Report& r, const ReportJsonOptions& opts = {});

// JSON array text of FieldErrors: [{"field":"...","problem":"..."}].
std::string FieldErrorsToJson(const std::vector<FieldError>& errors);

}  // namespace qayd
