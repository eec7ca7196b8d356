// JSON writers shared by the review views (internal to qayd_review).
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <functional>
#include <string>

#include "matching/engine.h"
#include "model/report.h"
#include "model/victim.h"

namespace qayd::review {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void Str(JsonWriter& w, const char* key, const std::string& value);
void Raw(JsonWriter& w, const char* key, const std::string& json);  // json must be valid

// {"id":..,"record":{..qayd record..},"translit":[..]} (each name in the
// other script, review/transliterate.h) plus, for admins only,
// "raw_payload" and the submitter inside "record".
void WriteReport(JsonWriter& w, const Report& r, bool admin);
void WriteEvent(JsonWriter& w, const HistoryEvent& e);
void WriteReviewItemSummary(JsonWriter& w, const ReviewItem& item, int64_t now_ms);

// Everything a monitor needs to compare two reports: the engine's
// explanation, the name-part alignment with token commonness, dates with the
// gap in days, places, and sex/age conflicts.
void WriteComparison(JsonWriter& w, const Report& a, const Report& b,
                     const matching::Explanation& why,
                     const std::function<int64_t(const std::string&)>& commonness);

}  // namespace qayd::review
