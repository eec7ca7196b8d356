// Shared by the fault tests (tests/faults): report records that re-report the
// same people, submission through the real HTTP API with a partner token,
// the register's invariants checked with SQL on either backend, and a tmpfs
// mount that is always unmounted.
//
// Contract: every wait has a time bound; nothing is written outside the
// temporary directories the tests create; no function hides a failure (checks
// return the problems they found, empty when there are none).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "tests/support/daemon_harness.h"
#include "tests/support/run_command.h"

namespace qayd::testing {

// A marker family name carried by every generated record: it must never reach
// the daemon's log at info level.
inline constexpr const char* kLogMarker = "Zzqfaultmarker";

// Person `person` reported by `source` under `id`. `variant` 0 is the first
// report; 1 and 2 re-report the same person with the same names and dates
// (another source), so matching merges them into the first report's victim.
std::string PersonRecord(int person, int variant, const std::string& source, const std::string& id);

// A `{"records":[..]}` body.
std::string Batch(const std::vector<std::string>& records);

// `qayd token add NAME --scope submit --db LOCATION`: the token, or "" on failure.
std::string CreateSubmitToken(const std::string& db_location);

// The port qaydd logged ("http listening ... port=N"), waiting up to `timeout`; 0 if none.
int WaitPort(DaemonHarness& d, std::chrono::milliseconds timeout);

// The result of one POST /api/v1/reports.
struct Submission {
  int status = 0;                      // 0: no answer (connection refused/reset, timeout)
  std::string error_code;              // error.code of an error answer
  std::vector<std::string> decisions;  // outcome per record on a 2xx
  std::string body;
};
Submission Submit(int port, const std::string& token, const std::string& body);

// Rows of text cells for an SQL query on the register; sets *error on failure.
using QueryFn = std::function<std::vector<std::vector<std::string>>(const std::string& sql,
                                                                    std::string* error)>;
QueryFn SqliteQuery(const std::string& db_path);
QueryFn PostgresQuery(const std::string& url);

// One number (first cell), or -1 on an error / no row.
int64_t QueryInt(const QueryFn& q, const std::string& sql);

// The register's invariants after a fault. `acked` maps source -> source record
// ids the daemon acknowledged (2xx); `submitted` is every source record id that
// was ever sent (so nothing is stored that nobody sent). With `all_matched`,
// no report may be left pending. Returns the problems found, one per line.
struct RegisterExpectation {
  std::set<std::pair<std::string, std::string>> acked;      // (source, source_record_id)
  std::set<std::pair<std::string, std::string>> submitted;  // superset of acked
  bool all_matched = true;
};
std::string CheckRegister(const QueryFn& q, const RegisterExpectation& expect);

// Waits until no report is pending (the daemon's housekeeping matched them).
bool WaitNothingPending(const QueryFn& q, std::chrono::milliseconds timeout);

// Mounts a tmpfs of `size` (e.g. "2m") on a new temporary directory and
// unmounts it (lazily, if busy) and removes the directory on destruction.
class TmpfsMount {
 public:
  explicit TmpfsMount(const std::string& size);
  ~TmpfsMount();
  TmpfsMount(const TmpfsMount&) = delete;
  TmpfsMount& operator=(const TmpfsMount&) = delete;
  bool ok() const { return mounted_; }
  const std::string& path() const { return dir_; }
  const std::string& error() const { return error_; }
  // Bytes free for an unprivileged writer.
  int64_t FreeBytes() const;

 private:
  std::string dir_, error_;
  bool mounted_ = false;
};

// Writes `bytes` of ballast to `path` (stops early on ENOSPC); returns bytes written.
int64_t WriteBallast(const std::string& path, int64_t bytes);

}  // namespace qayd::testing
