#include "tests/support/faulty_store.h"

#include <utility>

namespace qayd::testing {
namespace {

// Delegates every method to the inner Txn; Commit and AttachReport fail once
// when the store's flags say so.
class FaultyTxn : public Txn {
 public:
  FaultyTxn(std::unique_ptr<Txn> inner, FaultyStore* store, bool write)
      : inner_(std::move(inner)), store_(store), write_(write) {}

  Status Commit() override {
    if (commit_failed_ || (write_ && store_->fail_next_commit.exchange(false))) {
      commit_failed_ = true;
      return Error(ErrorCode::kIo, "injected commit failure");
    }
    return inner_->Commit();
  }

  // --- reports
  Result<AcceptOutcome> AcceptReport(const Report& report) override {
    return inner_->AcceptReport(report);
  }
  Result<Report> GetReport(int64_t report_id) override { return inner_->GetReport(report_id); }
  Result<int64_t> FindReport(const std::string& source,
                             const std::string& source_record_id) override {
    return inner_->FindReport(source, source_record_id);
  }
  Result<std::vector<Report>> PendingReports(int limit) override {
    return inner_->PendingReports(limit);
  }
  Status SetResolution(int64_t report_id, Resolution r) override {
    return inner_->SetResolution(report_id, r);
  }
  Result<Resolution> GetResolution(int64_t report_id) override {
    return inner_->GetResolution(report_id);
  }
  Result<std::pair<std::string, std::string>> GetContact(int64_t report_id) override {
    return inner_->GetContact(report_id);
  }

  // --- victims
  Result<int64_t> CreateVictim(int64_t report_id, VictimState state, const std::string& actor,
                               const std::string& details_json) override {
    return inner_->CreateVictim(report_id, state, actor, details_json);
  }
  Status AttachReport(int64_t report_id, int64_t victim_id, const std::string& actor,
                      const std::string& details_json) override {
    if (store_->fail_next_attach.exchange(false)) {
      return Error(ErrorCode::kIo, "injected attach failure");
    }
    return inner_->AttachReport(report_id, victim_id, actor, details_json);
  }
  Result<Victim> GetVictim(int64_t victim_id) override { return inner_->GetVictim(victim_id); }
  Result<int64_t> VictimOfReport(int64_t report_id) override {
    return inner_->VictimOfReport(report_id);
  }
  Status SetVictimState(int64_t victim_id, VictimState state, const std::string& actor) override {
    return inner_->SetVictimState(victim_id, state, actor);
  }
  Result<int64_t> MergeVictims(int64_t survivor, int64_t absorbed, const std::string& actor,
                               const std::string& details_json) override {
    return inner_->MergeVictims(survivor, absorbed, actor, details_json);
  }
  Status UndoMerge(int64_t merge_seq, const std::string& actor,
                   const std::string& reason) override {
    return inner_->UndoMerge(merge_seq, actor, reason);
  }
  Result<int64_t> SplitVictim(int64_t victim_id, const std::vector<int64_t>& report_ids,
                              const std::string& actor, const std::string& reason) override {
    return inner_->SplitVictim(victim_id, report_ids, actor, reason);
  }
  Status RecordDifferent(int64_t a, int64_t b, const std::string& actor,
                         const std::string& reason) override {
    return inner_->RecordDifferent(a, b, actor, reason);
  }
  Result<bool> AreDifferent(int64_t a, int64_t b) override { return inner_->AreDifferent(a, b); }
  Status RecordRelation(int64_t a, int64_t b, const std::string& relation,
                        const std::string& actor) override {
    return inner_->RecordRelation(a, b, relation, actor);
  }

  // --- history
  Result<std::vector<HistoryEvent>> VictimHistory(int64_t victim_id) override {
    return inner_->VictimHistory(victim_id);
  }
  Result<std::vector<HistoryEvent>> EventsSince(int64_t after, int limit,
                                                bool with_details = true) override {
    auto events = inner_->EventsSince(after, limit, with_details);
    if (events.ok()) store_->events_read += static_cast<int64_t>(events->size());
    return events;
  }
  Result<int64_t> AppendEvent(const HistoryEvent& e) override { return inner_->AppendEvent(e); }
  Result<int64_t> LastEventSeq() override { return inner_->LastEventSeq(); }

  // --- review queue
  Result<int64_t> CreateReviewItem(const ReviewItem& item) override {
    return inner_->CreateReviewItem(item);
  }
  Result<ReviewItem> GetReviewItem(int64_t id) override { return inner_->GetReviewItem(id); }
  Status SetReviewCandidates(int64_t id, const std::vector<ReviewCandidate>& c) override {
    return inner_->SetReviewCandidates(id, c);
  }
  Status ReopenReviewItem(int64_t id, const std::vector<ReviewCandidate>& c,
                          const std::string& actor, const std::string& details) override {
    return inner_->ReopenReviewItem(id, c, actor, details);
  }
  Status LiftDifferent(int64_t a, int64_t b, const std::string& actor,
                       const std::string& reason) override {
    return inner_->LiftDifferent(a, b, actor, reason);
  }
  Status RemoveRelation(int64_t a, int64_t b, const std::string& relation,
                        const std::string& actor) override {
    return inner_->RemoveRelation(a, b, relation, actor);
  }
  Result<std::vector<ReviewItem>> ListReviewItems(const ReviewFilter& filter) override {
    return inner_->ListReviewItems(filter);
  }
  Status ClaimReviewItem(int64_t id, const std::string& user, int64_t now_ms,
                         int64_t lease_ms) override {
    return inner_->ClaimReviewItem(id, user, now_ms, lease_ms);
  }
  Status DecideReviewItem(int64_t id, const std::string& user, const std::string& decision,
                          const std::string& details_json, int64_t now_ms) override {
    return inner_->DecideReviewItem(id, user, decision, details_json, now_ms);
  }

  // --- quarantine
  Result<int64_t> Quarantine(const QuarantineRecord& rec) override {
    return inner_->Quarantine(rec);
  }
  Result<QuarantineRecord> GetQuarantined(int64_t id) override {
    return inner_->GetQuarantined(id);
  }
  Result<std::vector<QuarantineRecord>> ListQuarantine(int offset, int limit) override {
    return inner_->ListQuarantine(offset, limit);
  }
  Status MarkReplayed(int64_t quarantine_id, int64_t report_id) override {
    if (store_->fail_next_mark_replayed.exchange(false)) {
      return Error(ErrorCode::kIo, "injected mark failure");
    }
    return inner_->MarkReplayed(quarantine_id, report_id);
  }

  // --- feeds, users, sessions, metadata
  Result<FeedState> GetFeedState(const std::string& feed_id) override {
    return inner_->GetFeedState(feed_id);
  }
  Status PutFeedState(const FeedState& state) override { return inner_->PutFeedState(state); }
  Status PutUser(const User& user) override { return inner_->PutUser(user); }
  Result<User> GetUser(const std::string& name) override { return inner_->GetUser(name); }
  Result<std::vector<User>> ListUsers() override { return inner_->ListUsers(); }
  Status PutSession(const Session& s) override { return inner_->PutSession(s); }
  Result<Session> GetSession(const std::string& token_hash) override {
    return inner_->GetSession(token_hash);
  }
  Status DeleteSession(const std::string& token_hash) override {
    return inner_->DeleteSession(token_hash);
  }
  Status PutApiToken(const std::string& token_hash, const std::string& name,
                     const std::string& scope) override {
    return inner_->PutApiToken(token_hash, name, scope);
  }
  Result<std::string> LookupApiToken(const std::string& token_hash) override {
    return inner_->LookupApiToken(token_hash);
  }
  Result<std::string> GetMeta(const std::string& key) override { return inner_->GetMeta(key); }
  Status PutMeta(const std::string& key, const std::string& value) override {
    return inner_->PutMeta(key, value);
  }
  Result<Counts> GetCounts() override { return inner_->GetCounts(); }

  // --- vocabularies, token revocation
  Result<std::vector<VocabularyEntry>> Vocabulary(const std::string& kind) override {
    return inner_->Vocabulary(kind);
  }
  Status RevokeApiToken(const std::string& token_hash) override {
    return inner_->RevokeApiToken(token_hash);
  }

 private:
  std::unique_ptr<Txn> inner_;
  FaultyStore* store_;
  bool write_;
  bool commit_failed_ = false;
};

}  // namespace

Result<std::unique_ptr<Txn>> FaultyStore::Begin(Mode mode) {
  auto inner = inner_->Begin(mode);
  if (!inner.ok()) return inner.status();
  return std::unique_ptr<Txn>(
      std::make_unique<FaultyTxn>(std::move(*inner), this, mode == Mode::kWrite));
}

Status FaultyStore::ScanVictims(const VictimVisitor& visit) { return inner_->ScanVictims(visit); }

const char* FaultyStore::backend() const { return inner_->backend(); }

Result<std::string> FaultyStore::IntegrityCheck() { return inner_->IntegrityCheck(); }

Result<bool> FaultyStore::TryAcquireMatcherLock() { return inner_->TryAcquireMatcherLock(); }

void FaultyStore::ReleaseMatcherLock() { inner_->ReleaseMatcherLock(); }

}  // namespace qayd::testing
