// What the daemon acknowledged during a load run (the journal), and the check
// of a stopped daemon's SQLite register against it: every acknowledged report
// is stored exactly once, belongs to exactly one victim whose merge chain ends
// in a counted victim, no unacknowledged report of the run's source exists,
// and every acknowledged review decision is recorded for its item and user.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "bench/load/load_run.h"

namespace qayd::load {

struct Journal {
  std::string source;
  std::vector<std::string> reports;  // acknowledged source_record_ids
  std::vector<DecidedItem> decided;
};

Status WriteJournal(const std::string& path, const Journal& j);
Result<Journal> ReadJournal(const std::string& path);

struct VerifyReport {
  int64_t reports_checked = 0;  // distinct acknowledged reports
  int64_t missing = 0;          // acknowledged, not stored
  int64_t duplicated = 0;       // stored more than once
  int64_t not_one_victim = 0;   // without exactly one membership
  int64_t not_counted = 0;      // merge chain does not end in a counted victim
  int64_t pending_match = 0;    // stored, still in the inbox (allowed)
  int64_t unacknowledged = 0;   // reports of the source beyond the acknowledged ones
  int64_t decisions_checked = 0;
  int64_t decisions_missing = 0;      // not recorded as acknowledged
  int64_t counted_victims = 0;        // victims of the source's reports, after merges
  std::vector<std::string> problems;  // the first few, for people

  bool ok() const {
    return missing == 0 && duplicated == 0 && not_one_victim == 0 && not_counted == 0 &&
           unacknowledged == 0 && decisions_missing == 0;
  }
  std::string ToJson() const;
};

Result<VerifyReport> VerifyRegister(const std::string& sqlite_path, const Journal& j);

}  // namespace qayd::load
