#include "base/log.h"
#include "pipeline/pipeline.h"

namespace qayd {

Status LoadIndex(Store* store, matching::Engine* engine, int64_t* reports_loaded) {
  int64_t n = 0;
  Status s = store->ScanVictims([&](const Victim& v, const std::vector<Report>& reports) {
    if (v.state == VictimState::kUnidentified) return true;
    for (const Report& r : reports) {
      engine->Upsert(r.id, v.id, r);
      ++n;
    }
    return true;
  });
  if (reports_loaded != nullptr) *reports_loaded = n;
  return s;
}

}  // namespace qayd
