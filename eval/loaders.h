// Loaders for the evaluation data (data/gaza-moh) into Reports.
//
// Each record becomes one Report: source = the file's stem, source_record_id
// = the id column (or the 1-based row number when empty), national_id = id,
// one name spelling (script detected), sex, date of birth, age. Malformed
// dates or ages are left unknown (the data is real and messy). Errors: an
// unreadable or structurally broken file is a Status.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "model/report.h"

namespace qayd::eval {

// CSV with a header naming at least id and name_ar_raw (dob, sex, age optional).
Result<std::vector<Report>> LoadGazaCsv(const std::string& path);

// JSON array of objects; `name_field` picks the name ("name" or "en_name").
Result<std::vector<Report>> LoadGazaJson(const std::string& path, const std::string& name_field);

// True for ids of exactly nine digits: the only ids that carry truth.
bool IsNationalId(const std::string& id);

}  // namespace qayd::eval
