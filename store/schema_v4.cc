// Migration 4: the quarantine looked up by source record, so that a record
// rejected again (a spool file or feed body read again after a crash or a
// stop) is not quarantined twice (SqlTxn::Quarantine).
#include "store/schema.h"

namespace qayd::store {

std::string SchemaV4() {
  return R"SQL(
CREATE INDEX quarantine_by_source ON quarantine(source, source_record_id);
)SQL";
}

}  // namespace qayd::store
