// Plausibility and vocabulary checks on a parsed report (docs/RECORD-FORMAT.md
// lists every rule and message). Structural problems (not a date, unknown
// key) are found earlier by the parser; these are the rules a well-formed
// record can still break.
//
// Errors are FieldErrors naming the field; nothing is corrected or dropped.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "model/date.h"
#include "model/report.h"
#include "model/report_json.h"
#include "pipeline/pipeline.h"
#include "store/store.h"

namespace qayd::ingest {

// Controlled vocabularies. An empty list switches that check off. Values are
// compared after folding case, '_' / '-' to space and repeated spaces.
struct Vocabularies {
  std::vector<std::string> perpetrators;
  std::vector<std::string> causes;
  std::vector<std::string> governorates;  // place_of_death.governorate, governorate_of_origin
};

// The vocabularies of docs/DOMAIN.md, as the register seeds them (English labels;
// Syrian governorates and those of the Gaza Strip).
const Vocabularies& DefaultVocabularies();

struct ValidateOptions {
  Vocabularies vocab = DefaultVocabularies();
  FuzzyDate today;                 // dates after it are "in the future"; unset (the
                                   // default): the UTC date at each call, so a
                                   // long-running poller never works with a stale day
  size_t max_name_bytes = 200;     // every name spelling and name part
  size_t max_notes_bytes = 10000;  // notes and detention
  size_t max_text_bytes = 1000;    // any other text field
  int max_age = 120;
};

// Appends the problems of `r` to `errors`.
void ValidateReport(const Report& r, const ValidateOptions& opts, std::vector<FieldError>* errors);

// Validates every record of a batch that parsed, appending to rec.errors.
void ValidateRecords(std::vector<IncomingRecord>* records, const ValidateOptions& opts);

// The closest vocabulary entry to `value` (edit distance after folding, at
// most max(2, length/4)), or "" if none is close.
std::string ClosestEntry(std::string_view value, const std::vector<std::string>& vocab);

// The register's vocabularies (Txn::Vocabulary): each entry's English label,
// Arabic label and code are accepted spellings. A kind the store has no entries
// for keeps the default list. Blocking (store I/O): worker threads only.
Result<Vocabularies> LoadVocabularies(Store* store);

}  // namespace qayd::ingest
