// qayd's configuration: one JSON file (comments allowed), a closed schema.
//
// Every key is listed, with its type, range and default, in config/schema.cc;
// unknown keys are errors. Errors name the key path, line and column:
//   qayd.json:12:5: matching.thresholds.auto_merge: must be >= review (8.0), got 4.0
// Parsing throws nothing: LoadConfig returns every problem found.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace qayd {

struct StoreSettings {
  std::string sqlite_path = "/var/lib/qayd/register.db";
  std::string postgres;  // libpq connection string; when set, used instead of sqlite
  int postgres_pool_size = 4;
  std::string location() const { return postgres.empty() ? sqlite_path : postgres; }
};

struct HttpSettings {
  std::string listen = "127.0.0.1";
  int port = 8470;
  std::string static_dir;  // review UI files; default: compiled-in install path
  int64_t max_body_bytes = 8 << 20;
  // No TLS in qaydd itself: terminate TLS in a reverse proxy (docs/SECURITY.md).
  // Floods (docs/SECURITY.md, "Connections and load"); these apply at start.
  int max_connections = 1024;        // open connections; over it idle ones are closed, else 503
  int max_queued_requests = 256;     // requests waiting for a worker; over it 503 + Retry-After
  int request_deadline_ms = 10000;   // a request not started this long after it was read: 503
  int header_timeout_s = 10;         // to send the request line and headers
  int body_timeout_s = 60;           // to send the body once the headers are in
  int idle_timeout_s = 60;           // a keep-alive connection waiting for its next request
  // Addresses/CIDRs of reverse proxies whose X-Forwarded-For/-Proto are believed.
  std::vector<std::string> trusted_proxies;
};

struct FeedSettings {
  std::string id;
  std::string url;                  // https://, http://, file:// or a folder path
  std::string format = "jsonl";     // jsonl | json | csv
  std::string records_path;         // for json: path to the array, e.g. "data.records"
  std::map<std::string, std::string> field_map;  // feed field -> qayd field
  int poll_interval_s = 300;
  int timeout_s = 30;
  int64_t max_body_bytes = 64 << 20;
  std::string auth_header_file;     // file holding e.g. "Authorization: Bearer ..."
  std::string auth_header_env;      // or an environment variable holding it
  std::string cursor_param;         // e.g. "since": sent with the saved cursor
  std::string cursor_field;         // record field that advances the cursor
  std::string source_type = "ngo";
  std::string reliability = "medium";
  bool operator==(const FeedSettings&) const = default;
};

struct SubmissionSettings {
  bool enabled = true;
  std::string spool_dir;            // empty: no spool folder
  int spool_scan_interval_s = 10;
  int64_t spool_max_file_bytes = int64_t{256} << 20;  // a larger file goes to failed/
  int64_t spool_max_record_bytes = int64_t{1} << 20;  // a longer record is rejected
  int rate_limit_per_minute = 30;   // public form, per client address
  int64_t max_batch_records = 10000;
};

// A rule that caps a pair's score just below auto_merge (review at most) when
// the two reports conflict on a field (docs/MATCHING.md "Hard conflicts").
struct ConflictRule {
  bool enabled = true;
  int tolerance = 0;  // the rule's unit (years, days); unused by name and sex rules
};

struct ConflictSettings {
  // Exact dates of birth more than `tolerance` years apart (day/month swaps
  // and placeholder dates never conflict).
  ConflictRule date_of_birth{true, 1};
  // Dates known only approximately (a year, or 1 January where that is a
  // placeholder) more than `tolerance` years apart.
  ConflictRule approximate_date_of_birth{true, 5};
  // Ages (at death, or against the other's date of birth) more than
  // `tolerance` years apart, when dates of birth were not compared.
  ConflictRule age{true, 3};
  ConflictRule family_name{true, 0};  // both present and different
  ConflictRule father_name{true, 0};  // both present and different
  ConflictRule sex{true, 0};          // male against female
  ConflictRule date_of_death{true, 365};  // more than `tolerance` days apart
  ConflictRule place_of_death{true, 0};   // governorates differ
};

// Positive evidence for an automatic merge: a name alone must agree on at
// least `name_parts` of first/father/grandfather/family; otherwise an exact
// (non-placeholder) date of birth, a date of death or a place must agree.
// `placeholder_against_undated`: a placeholder date of birth against no date
// is no date on either side, and name-only merges of such pairs were the
// largest class of wrong merges left: such a pair also needs a date of death
// within a week or a district or locality of death that agrees
// (docs/ACCURACY.md).
struct EvidenceSettings {
  bool enabled = true;
  int name_parts = 4;
  bool placeholder_against_undated = true;
};

// Dates of birth that carry no information (relatives' submissions fill
// them in): listed dates, and 1 January where a register uses it as "year
// only" ("auto": when the index holds 1 January `january_first_share` times
// more often than a day's average).
struct PlaceholderDateSettings {
  std::vector<std::string> dates = {"2000-01-01", "1990-01-01", "1900-01-01", "1970-01-01"};
  std::string january_first = "auto";  // auto, always, never
  double january_first_share = 5.0;
};

struct MatchingSettings {
  double auto_merge = 12.0;         // score >= auto_merge: attach automatically
  double review = 4.0;              // review <= score < auto_merge: a review item
  std::map<std::string, double> weights;  // name -> weight; defaults in config/matching_weights.h
  int max_candidates = 5;           // candidates kept on a review item
  int threads = 0;                  // matching worker threads; 0 = hardware concurrency
  ConflictSettings conflicts;
  EvidenceSettings evidence;
  PlaceholderDateSettings placeholder_dates;
  std::string version() const;      // a short hash of thresholds and weights
  double weight(const std::string& name) const;  // throws std::out_of_range on unknown name
};

struct LoggingSettings {
  std::string level = "info";
};

struct DaemonSettings {
  int drain_timeout_s = 20;         // SIGTERM: finish or park in-flight work within this
  int review_lease_s = 600;
  bool load_sample_data = false;    // development: ingest the bundled sample once
};

// Scheduled backups of a SQLite register (docs/BACKUP.md). Disabled while
// `dir` is empty. PostgreSQL deployments use pg_dump / WAL archiving instead.
struct BackupSettings {
  std::string dir;              // folder the backups and their manifests go to
  int interval_s = 86400;       // time between backups
  int keep = 14;                // newest backups kept in `dir`; older ones are deleted
  std::string post_command;     // run by /bin/sh after each backup (e.g. rsync, rclone)
  std::string public_key_file;  // `qayd keygen` public key: encrypt backups when set
  bool operator==(const BackupSettings&) const = default;
};

struct Config {
  std::string path;  // file it was loaded from
  StoreSettings store;
  HttpSettings http;
  std::vector<FeedSettings> feeds;
  SubmissionSettings submissions;
  MatchingSettings matching;
  LoggingSettings logging;
  DaemonSettings daemon;
  BackupSettings backup;
};

struct ConfigError {
  std::string file;
  int line = 0, column = 0;
  std::string path;     // key path, e.g. "matching.thresholds.auto_merge"
  std::string message;
  std::string ToString() const;  // "file:line:col: path: message"
};

struct ConfigLoad {
  Config config;
  std::vector<ConfigError> errors;  // empty means ok
  bool ok() const { return errors.empty(); }
};

// Parses and validates JSON text. `file` is used in error messages only.
ConfigLoad ParseConfig(const std::string& text, const std::string& file);
// Reads and parses a file; an unreadable file is one error.
ConfigLoad LoadConfig(const std::string& file);
// A config with every default (weights filled in).
Config DefaultConfig();

}  // namespace qayd
