// The register store: one interface, two backends (SQLite, PostgreSQL).
//
// Contract
// - All writes happen inside a Txn. Nothing is durable until Commit() returns
//   ok; a Txn destroyed without Commit() rolls back. A report counts as
//   accepted only once the Txn that accepted it has committed.
// - Threads: a Store may be shared by several threads; Begin() may be called
//   concurrently. A Txn is used by one thread at a time. SQLite serialises
//   write transactions (Begin(kWrite) waits for the previous writer);
//   PostgreSQL takes a connection from a pool.
// - Errors: expected failures (constraint, not found, database down, disk
//   full) are returned as Status; no method throws. Calls block: never call
//   them on the io_context thread. A kNotFound/kConflict/kInvalidInput found
//   by the store's own checks leaves the Txn usable; after any other error
//   (a database error) abandon the Txn: PostgreSQL aborts the transaction,
//   and Commit() then fails rather than report what was not stored.
// - Ownership: every Txn must be destroyed before the Store it came from.
// - History is append-only: no method deletes or rewrites an event. Undo and
//   split are new events.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "model/report.h"
#include "model/victim.h"

namespace qayd {

struct AcceptOutcome {
  enum class Kind { kNew, kDuplicate, kNewVersion };
  Kind kind = Kind::kNew;
  int64_t report_id = 0;           // the stored report (for kDuplicate: the earlier one)
  int64_t previous_report_id = 0;  // kNewVersion: the version it replaces
  int64_t victim_id = 0;           // Txn::AcceptReports, kDuplicate: the earlier report's victim
};

// The engine's decisions on a batch of accepted reports (Txn::Decisions).
// Each call has the effect, checks and history events of the Txn calls it
// names, in call order, but a backend may buffer them and write them all at
// Flush() (PostgreSQL: a few statements over arrays, not several per report).
// Ids are known at once. Between the first call and Flush() use no other
// write method of the Txn; after any error, abandon the Txn (a check that
// fails at Flush() is reported there: kNotFound, kConflict). Used by one
// thread; must not outlive its Txn.
class DecisionWriter {
 public:
  virtual ~DecisionWriter() = default;
  // CreateVictim(report_id, state, actor, details_json) + SetResolution.
  virtual Result<int64_t> NewVictim(int64_t report_id, VictimState state, Resolution resolution,
                                    const std::string& actor, const std::string& details_json) = 0;
  // AttachReport(report_id, victim_id, actor, details_json) + SetResolution.
  virtual Status Attach(int64_t report_id, int64_t victim_id, Resolution resolution,
                        const std::string& actor, const std::string& details_json) = 0;
  // CreateReviewItem(item).
  virtual Status QueueReview(const ReviewItem& item) = 0;
  // Writes what is buffered; ok when there is nothing.
  virtual Status Flush() = 0;
};

struct ReviewFilter {
  std::optional<ReviewState> state;  // default: pending only
  std::string governorate;           // of the report's place of death
  std::string source;
  std::optional<double> min_score, max_score;
  std::string death_from, death_to;  // YYYY-MM-DD, inclusive
  int64_t created_before_ms = 0;     // 0: any age
  std::string exclude_unsure_of;     // skip items this user marked unsure
  // The whole selection is ordered before offset/limit, so pages follow one
  // another: oldest first (by id), highest or lowest top score first, or by
  // date of death (undated last); ties by id.
  enum class Order { kOldest, kScoreDesc, kScoreAsc, kDeath };
  Order order = Order::kOldest;
  int offset = 0;
  int limit = 50;
};

struct FeedState {
  std::string feed_id;
  std::string etag, last_modified, cursor;
  int64_t last_success_ms = 0, last_error_ms = 0;
  std::string last_error;
  int64_t records_ok = 0, records_rejected = 0, consecutive_failures = 0;
};

struct User {
  std::string name;
  std::string role;  // monitor | admin | partner
  std::string password_hash;
  bool disabled = false;
};

struct Session {
  std::string token_hash;  // SHA-256 hex of the cookie token
  std::string user;
  std::string csrf;
  int64_t expires_ms = 0;
};

// One entry of a controlled vocabulary (kinds: "perpetrator", "cause",
// "governorate"; see docs/STORE.md for the grouping carried in `parent`).
struct VocabularyEntry {
  std::string kind, code, label_en, label_ar, parent;
};

struct Counts {
  int64_t reports = 0, victims = 0, active_victims = 0, history_events = 0;
  int64_t pending_reviews = 0, quarantined = 0, pending_match = 0;
};

class Txn {
 public:
  virtual ~Txn() = default;
  Txn(const Txn&) = delete;
  Txn& operator=(const Txn&) = delete;

  virtual Status Commit() = 0;

  // --- reports ---------------------------------------------------------------
  // Idempotent on (source, source_record_id): the same payload again is
  // kDuplicate; a different raw_payload is stored as a new version (history
  // event kReportNewVersion). New reports start with Resolution::kPending.
  // Writes the kReportAccepted event. Contact details go to a separate table.
  virtual Result<AcceptOutcome> AcceptReport(const Report& report) = 0;
  virtual Result<Report> GetReport(int64_t report_id) = 0;  // without contact
  virtual Result<int64_t> FindReport(const std::string& source,
                                     const std::string& source_record_id) = 0;
  // Reports with Resolution::kPending, oldest first (the durable inbox).
  virtual Result<std::vector<Report>> PendingReports(int limit) = 0;
  virtual Status SetResolution(int64_t report_id, Resolution r) = 0;
  virtual Result<Resolution> GetResolution(int64_t report_id) = 0;
  // Admin-only data: relation and contact of the submitter (empty if none).
  virtual Result<std::pair<std::string, std::string>> GetContact(int64_t report_id) = 0;

  // --- victims -----------------------------------------------------------------
  // Creates a victim holding one report; writes kVictimCreated.
  virtual Result<int64_t> CreateVictim(int64_t report_id, VictimState state,
                                       const std::string& actor,
                                       const std::string& details_json) = 0;
  // Attaches a report to a victim; writes kReportAttached with details
  // (automatic: score and config version; monitor: the decision).
  virtual Status AttachReport(int64_t report_id, int64_t victim_id, const std::string& actor,
                              const std::string& details_json) = 0;
  virtual Result<Victim> GetVictim(int64_t victim_id) = 0;
  // The victim a report belongs to now (0 if none).
  virtual Result<int64_t> VictimOfReport(int64_t report_id) = 0;
  virtual Status SetVictimState(int64_t victim_id, VictimState state, const std::string& actor) = 0;
  // Merges `absorbed` into `survivor`: all reports move, absorbed becomes
  // kAbsorbed with merged_into = survivor. Fails with kConflict when a
  // different-people constraint links the two. Returns the merge event seq.
  virtual Result<int64_t> MergeVictims(int64_t survivor, int64_t absorbed, const std::string& actor,
                                       const std::string& details_json) = 0;
  // Undoes a merge event: the absorbed victim gets back exactly the reports and
  // state it had before, the survivor keeps the rest. kConflict if the merge was
  // already undone or its reports have moved since.
  virtual Status UndoMerge(int64_t merge_seq, const std::string& actor,
                           const std::string& reason) = 0;
  // Moves `report_ids` off `victim_id` into a new victim (new id); returns it.
  virtual Result<int64_t> SplitVictim(int64_t victim_id, const std::vector<int64_t>& report_ids,
                                      const std::string& actor, const std::string& reason) = 0;
  virtual Status RecordDifferent(int64_t a, int64_t b, const std::string& actor,
                                 const std::string& reason) = 0;
  virtual Result<bool> AreDifferent(int64_t a, int64_t b) = 0;
  virtual Status RecordRelation(int64_t a, int64_t b, const std::string& relation,
                                const std::string& actor) = 0;
  // Undo of a review decision: lifts a different-people constraint between a
  // and b (exactly this pair) / removes a recorded relation. Each writes its
  // event (kDifferentPeople / kRelation with details "lifted": true); no-op
  // when there is nothing to remove.
  virtual Status LiftDifferent(int64_t a, int64_t b, const std::string& actor,
                               const std::string& reason) = 0;
  virtual Status RemoveRelation(int64_t a, int64_t b, const std::string& relation,
                                const std::string& actor) = 0;

  // --- batches (the pipeline's path) -------------------------------------------
  // AcceptReport for each report, in order, with the same outcomes as calls
  // one by one (a record repeated within the batch is a duplicate or a new
  // version of its first occurrence); for a kDuplicate, victim_id is the
  // earlier report's victim. `on_accepted(i, outcome)` is called for each
  // report as soon as the backend has its outcome (SQLite: after each insert;
  // PostgreSQL: once the batch's statements have run), in order. A failure
  // fails the whole call: abandon the Txn then. Default: the per-report calls.
  using AcceptedFn = std::function<void(size_t, const AcceptOutcome&)>;
  virtual Result<std::vector<AcceptOutcome>> AcceptReports(
      const std::vector<const Report*>& reports, const AcceptedFn& on_accepted);
  // A writer for the engine's decisions in this Txn (see DecisionWriter).
  // Default: each call writes through at once.
  virtual std::unique_ptr<DecisionWriter> Decisions();

  // --- history -------------------------------------------------------------------
  virtual Result<std::vector<HistoryEvent>> VictimHistory(int64_t victim_id) = 0;
  // Events with seq > after, ascending, at most limit (the change log).
  // Without `with_details`, each event's details are left empty (a follower
  // that needs only who changed what reads far less).
  virtual Result<std::vector<HistoryEvent>> EventsSince(int64_t after, int limit,
                                                        bool with_details = true) = 0;
  virtual Result<int64_t> AppendEvent(const HistoryEvent& e) = 0;
  // The newest event's seq (0 if none). Backends may override this default.
  virtual Result<int64_t> LastEventSeq() {
    int64_t last = 0;
    for (;;) {
      auto page = EventsSince(last, 10000);
      if (!page.ok()) return page.status();
      if (page->empty()) return last;
      last = page->back().seq;
    }
  }

  // --- review queue -----------------------------------------------------------------
  virtual Result<int64_t> CreateReviewItem(const ReviewItem& item) = 0;  // writes kReviewQueued
  virtual Result<ReviewItem> GetReviewItem(int64_t id) = 0;
  virtual Result<std::vector<ReviewItem>> ListReviewItems(const ReviewFilter& filter) = 0;
  // Claims an item for `user` until now_ms + lease_ms. kConflict when another
  // user holds an unexpired lease; re-claiming one's own item extends it.
  virtual Status ClaimReviewItem(int64_t id, const std::string& user, int64_t now_ms,
                                 int64_t lease_ms) = 0;
  // Records the decision (state, decided_by/at) and writes kReviewDecision. The
  // effect on victims (merge, constraint) is applied by the caller in the same Txn.
  // decision is same|different|related|unsure (else kInvalidInput); "unsure"
  // leaves the item pending, releases the user's lease and records the user so
  // ReviewFilter::exclude_unsure_of hides it from them. kConflict when the item
  // is already decided or another user holds an unexpired lease.
  virtual Status DecideReviewItem(int64_t id, const std::string& user, const std::string& decision,
                                  const std::string& details_json, int64_t now_ms) = 0;
  // Replaces an item's candidates (and top score) with a fresh proposal.
  virtual Status SetReviewCandidates(int64_t id,
                                     const std::vector<ReviewCandidate>& candidates) = 0;
  // Puts an item back in the queue (undo of its decision): pending, no
  // decision, no lease, `actor`'s "unsure" mark removed, candidates replaced;
  // writes kReviewQueued with details {"item", "reopened": true, ...}.
  virtual Status ReopenReviewItem(int64_t id, const std::vector<ReviewCandidate>& candidates,
                                  const std::string& actor, const std::string& details_json) = 0;

  // --- quarantine ----------------------------------------------------------------------
  // Idempotent: a record already quarantined (same source, source_record_id and
  // raw text, not replayed) is not added again; its id is returned.
  virtual Result<int64_t> Quarantine(const QuarantineRecord& rec) = 0;
  virtual Result<QuarantineRecord> GetQuarantined(int64_t id) = 0;
  virtual Result<std::vector<QuarantineRecord>> ListQuarantine(int offset, int limit) = 0;
  // kNotFound (no such entry or report), kConflict (replayed as another
  // report already); marking it again with the same report is a no-op.
  virtual Status MarkReplayed(int64_t quarantine_id, int64_t report_id) = 0;

  // --- feeds, users, sessions, metadata ------------------------------------------------
  virtual Result<FeedState> GetFeedState(const std::string& feed_id) = 0;  // empty state if none
  virtual Status PutFeedState(const FeedState& state) = 0;
  virtual Status PutUser(const User& user) = 0;
  virtual Result<User> GetUser(const std::string& name) = 0;
  virtual Result<std::vector<User>> ListUsers() = 0;  // by name
  virtual Status PutSession(const Session& s) = 0;
  virtual Result<Session> GetSession(const std::string& token_hash) = 0;
  virtual Status DeleteSession(const std::string& token_hash) = 0;
  virtual Status PutApiToken(const std::string& token_hash, const std::string& name,
                             const std::string& scope) = 0;
  // Returns the scope; kNotFound for unknown or revoked tokens.
  virtual Result<std::string> LookupApiToken(const std::string& token_hash) = 0;
  virtual Result<std::string> GetMeta(const std::string& key) = 0;  // "" if unset
  virtual Status PutMeta(const std::string& key, const std::string& value) = 0;
  // reports: all stored versions; victims: all ids ever minted; active_victims:
  // kActive + kProvisional; pending_reviews: undecided items; quarantined: not
  // yet replayed; pending_match: reports with Resolution::kPending.
  virtual Result<Counts> GetCounts() = 0;

  // --- vocabularies, token revocation -------------------------------------------------
  // Entries of one vocabulary in their seeded order (empty for unknown kinds).
  virtual Result<std::vector<VocabularyEntry>> Vocabulary(const std::string& kind) = 0;
  // Revokes an API token; LookupApiToken then returns kNotFound. kNotFound if unknown.
  virtual Status RevokeApiToken(const std::string& token_hash) = 0;

 protected:
  Txn() = default;
};

// Called for each non-absorbed victim with its reports (ascending id), in
// ascending victim id. Return false to stop early.
using VictimVisitor = std::function<bool(const Victim&, const std::vector<Report>&)>;
// Called for each report of a victim that is neither absorbed nor
// unidentified, with the victim's id, in no particular order; the report's
// raw_payload is left empty. Return false to stop early.
using IndexedReportVisitor = std::function<bool(int64_t victim_id, const Report&)>;

class Store {
 public:
  enum class Mode { kRead, kWrite };
  virtual ~Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  virtual Result<std::unique_ptr<Txn>> Begin(Mode mode = Mode::kWrite) = 0;
  // Streams the register (export, index load) from a consistent snapshot.
  virtual Status ScanVictims(const VictimVisitor& visit) = 0;
  // Streams what the matching index holds (LoadIndex) from a consistent
  // snapshot, unsorted: the backends need not order a million rows. The
  // default goes through ScanVictims.
  virtual Status ScanIndexedReports(const IndexedReportVisitor& visit);
  // "sqlite" or "postgres".
  virtual const char* backend() const = 0;
  // Runs the backend's integrity check ("ok" or the problems found).
  virtual Result<std::string> IntegrityCheck() = 0;
  // Matching runs on one instance at a time: PostgreSQL uses a session
  // advisory lock held by a dedicated connection; SQLite always succeeds.
  virtual Result<bool> TryAcquireMatcherLock() = 0;
  virtual void ReleaseMatcherLock() = 0;

 protected:
  Store() = default;
};

// Opens a store from a location: a file path (SQLite) or a libpq connection
// string starting with "postgresql://" or "postgres://" or containing "host=" /
// "dbname=" (PostgreSQL). Creates the schema and applies migrations.
//
// SQLite: a writing open takes an exclusive lock on "<path>.lock" (flock) for
// the store's life, so one process at a time ingests and matches on a register;
// a second one is refused with kUnavailable ("in use by another process"). A
// read-only open takes no lock, refuses a missing file (kNotFound) or one at
// another schema version without creating or migrating anything, and refuses
// write transactions (kPermission).
Result<std::unique_ptr<Store>> OpenStore(const std::string& location);

struct StoreOptions {
  int pg_pool_size = 4;    // PostgreSQL connections kept for transactions (>= 1)
  bool read_only = false;  // SQLite: see above (PostgreSQL: ignored)
  // SQLite: false opens for writing without the lock, for small administrative
  // writes beside a running qaydd (users, API tokens); never for ingest or
  // anything that matches (two matchers would make duplicate victims).
  bool writer_lock = true;
};
Result<std::unique_ptr<Store>> OpenStore(const std::string& location, const StoreOptions& opts);

// True when `location` names a PostgreSQL database (see OpenStore).
bool IsPostgresLocation(const std::string& location);

// Current schema version (number of migrations). Databases are migrated at
// open; a database newer than this program is refused (kInternal).
int SchemaVersion();

}  // namespace qayd
