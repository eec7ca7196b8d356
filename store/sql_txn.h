// The Txn implementation shared by both backends, written against sql::Conn.
// Internal to store/. The backend begins the transaction on `conn` and hands
// over a release function, called exactly once when the Txn ends (after COMMIT
// or ROLLBACK) to unlock the writer mutex or return the pooled connection.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "store/sql.h"
#include "store/store.h"

namespace qayd::store {

class SqlTxn : public Txn {
 public:
  SqlTxn(sql::Conn& conn, std::function<void()> release);
  ~SqlTxn() override;

  Status Commit() override;

  Result<AcceptOutcome> AcceptReport(const Report& report) override;
  Result<Report> GetReport(int64_t report_id) override;
  Result<int64_t> FindReport(const std::string& source,
                             const std::string& source_record_id) override;
  Result<std::vector<Report>> PendingReports(int limit) override;
  Status SetResolution(int64_t report_id, Resolution r) override;
  Result<Resolution> GetResolution(int64_t report_id) override;
  Result<std::pair<std::string, std::string>> GetContact(int64_t report_id) override;

  Result<int64_t> CreateVictim(int64_t report_id, VictimState state, const std::string& actor,
                               const std::string& details_json) override;
  Status AttachReport(int64_t report_id, int64_t victim_id, const std::string& actor,
                      const std::string& details_json) override;
  Result<Victim> GetVictim(int64_t victim_id) override;
  Result<int64_t> VictimOfReport(int64_t report_id) override;
  Status SetVictimState(int64_t victim_id, VictimState state, const std::string& actor) override;
  Result<int64_t> MergeVictims(int64_t survivor, int64_t absorbed, const std::string& actor,
                               const std::string& details_json) override;
  Status UndoMerge(int64_t merge_seq, const std::string& actor, const std::string& reason) override;
  Result<int64_t> SplitVictim(int64_t victim_id, const std::vector<int64_t>& report_ids,
                              const std::string& actor, const std::string& reason) override;
  Status RecordDifferent(int64_t a, int64_t b, const std::string& actor,
                         const std::string& reason) override;
  Result<bool> AreDifferent(int64_t a, int64_t b) override;
  Status RecordRelation(int64_t a, int64_t b, const std::string& relation,
                        const std::string& actor) override;
  Status LiftDifferent(int64_t a, int64_t b, const std::string& actor,
                       const std::string& reason) override;
  Status RemoveRelation(int64_t a, int64_t b, const std::string& relation,
                        const std::string& actor) override;

  Result<std::vector<HistoryEvent>> VictimHistory(int64_t victim_id) override;
  Result<std::vector<HistoryEvent>> EventsSince(int64_t after, int limit,
                                                bool with_details = true) override;
  Result<int64_t> LastEventSeq() override;  // MAX(seq): one index lookup
  Result<int64_t> AppendEvent(const HistoryEvent& e) override;

  Result<int64_t> CreateReviewItem(const ReviewItem& item) override;
  Result<ReviewItem> GetReviewItem(int64_t id) override;
  Result<std::vector<ReviewItem>> ListReviewItems(const ReviewFilter& filter) override;
  Status ClaimReviewItem(int64_t id, const std::string& user, int64_t now_ms,
                         int64_t lease_ms) override;
  Status DecideReviewItem(int64_t id, const std::string& user, const std::string& decision,
                          const std::string& details_json, int64_t now_ms) override;
  Status SetReviewCandidates(int64_t id, const std::vector<ReviewCandidate>& candidates) override;
  Status ReopenReviewItem(int64_t id, const std::vector<ReviewCandidate>& candidates,
                          const std::string& actor, const std::string& details_json) override;

  Result<int64_t> Quarantine(const QuarantineRecord& rec) override;
  Result<QuarantineRecord> GetQuarantined(int64_t id) override;
  Result<std::vector<QuarantineRecord>> ListQuarantine(int offset, int limit) override;
  Status MarkReplayed(int64_t quarantine_id, int64_t report_id) override;

  Result<FeedState> GetFeedState(const std::string& feed_id) override;
  Status PutFeedState(const FeedState& state) override;
  Status PutUser(const User& user) override;
  Result<User> GetUser(const std::string& name) override;
  Result<std::vector<User>> ListUsers() override;
  Status PutSession(const Session& s) override;
  Result<Session> GetSession(const std::string& token_hash) override;
  Status DeleteSession(const std::string& token_hash) override;
  Status PutApiToken(const std::string& token_hash, const std::string& name,
                     const std::string& scope) override;
  Result<std::string> LookupApiToken(const std::string& token_hash) override;
  Status RevokeApiToken(const std::string& token_hash) override;
  Result<std::string> GetMeta(const std::string& key) override;
  Status PutMeta(const std::string& key, const std::string& value) override;
  Result<Counts> GetCounts() override;
  Result<std::vector<VocabularyEntry>> Vocabulary(const std::string& kind) override;

 protected:
  sql::Conn& conn() { return conn_; }

 private:
  Result<sql::Stmt*> Query(const std::string& sql) { return conn_.Prepare(sql); }
  Status Finish(const char* sql);
  Result<int64_t> Event(EventType type, int64_t victim, int64_t other, int64_t report,
                        const std::string& actor, const std::string& details);
  Result<std::vector<int64_t>> ReportsOf(int64_t victim_id);
  Status LoadCandidates(ReviewItem* item);

  sql::Conn& conn_;
  std::function<void()> release_;
  bool done_ = false;
};

// Columns and row reader shared with the backends' ScanVictims.
extern const char* const kReportColumns;  // 7 columns, prefix "r."
Result<Report> ReadReport(sql::Stmt& st, int first_col);
int64_t NowMs();
// Whether a re-delivered record says what its latest stored version
// (`fields`, the stored JSON) says: then it is a duplicate, not a new version.
bool SameContent(const std::string& fields, const Report& incoming);
// kInvalidInput unless `details` is empty or one JSON object.
Status CheckDetails(const std::string& details);
// The reports.death_day column (nullopt: date of death unknown).
std::optional<int64_t> DeathDay(const Report& r);

}  // namespace qayd::store
