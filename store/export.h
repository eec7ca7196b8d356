// Writes the register's victims (non-absorbed, ascending id) for `qayd export`.
//
// kJsonLines: one object a line:
//   {"victim_id": N, "state": "active", "corroboration": "pending",
//    "reports": [{"report_id": 7, "source": "...", "source_record_id": "..."}, ...],
//    "name": "...", "names": [{"full": "...", "script": "arabic"}, ...], "sex": ...,
//    "age": ..., "date_of_birth": ..., "date_of_death": ..., "place_of_death": {...},
//    "governorate_of_origin": ..., "cause": ..., "perpetrator": ..., "roles": [...],
//    "died_under_torture": true, "canonical_sources": {"sex": 12, ...}}
//   Fields without a value are left out. Never contains contact details or
//   raw payloads.
// kCsv: a header line, then one row per victim; fields quoted per RFC 4180;
//   lists joined with " | "; reports as "source:source_record_id".
//
// Reads from one consistent snapshot (Store::ScanVictims). Errors: the store's,
// or kIo when the stream fails.
#pragma once

#include <ostream>

#include "store/store.h"

namespace qayd {

enum class ExportFormat { kJsonLines, kCsv };

Status ExportVictims(Store& store, std::ostream& out, ExportFormat format);

}  // namespace qayd
