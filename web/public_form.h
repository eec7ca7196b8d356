// The relatives' public form (POST /api/v1/public/submissions): its body ->
// one IncomingRecord in the record format. Shared by the endpoint and the
// HTTP fuzzer so both exercise the same code. Pure; thread-safe.
#pragma once

#include <string>

#include "pipeline/pipeline.h"

namespace qayd::web {

// Builds the record of a form submission. `reference` becomes its
// source_record_id. The submitter's relation and contact go only into the
// report's submitter fields, never into raw_payload. Returns false with a
// message in `error` when the body is not valid UTF-8 or not a form (bad JSON,
// unknown field, wrong type); the record's own field errors are in rec->errors.
// Ages and dates are read as people write them: Arabic-Indic digits ("١٢",
// "٢٠٢٤/٠٥/٠٤"), day/month/year or year/month/day with '/', '.', '-' or spaces,
// an age's unit word ("١٢ سنة").
bool BuildPublicFormRecord(const std::string& body, const std::string& reference,
                           IncomingRecord* rec, std::string* error);

}  // namespace qayd::web
