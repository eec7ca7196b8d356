// Txn's batch methods as the per-report calls (the SQLite backend keeps
// these; the PostgreSQL one writes a batch in a few statements, pg_txn.cc).
#include "store/store.h"

namespace qayd {
namespace {

class WriteThrough : public DecisionWriter {
 public:
  explicit WriteThrough(Txn& txn) : txn_(txn) {}

  Result<int64_t> NewVictim(int64_t report_id, VictimState state, Resolution resolution,
                            const std::string& actor, const std::string& details_json) override {
    auto v = txn_.CreateVictim(report_id, state, actor, details_json);
    if (!v.ok()) return v.status();
    Status s = txn_.SetResolution(report_id, resolution);
    if (!s.ok()) return s;
    return *v;
  }
  Status Attach(int64_t report_id, int64_t victim_id, Resolution resolution,
                const std::string& actor, const std::string& details_json) override {
    Status s = txn_.AttachReport(report_id, victim_id, actor, details_json);
    if (!s.ok()) return s;
    return txn_.SetResolution(report_id, resolution);
  }
  Status QueueReview(const ReviewItem& item) override {
    return txn_.CreateReviewItem(item).status();
  }
  Status Flush() override { return Status::Ok(); }

 private:
  Txn& txn_;
};

}  // namespace

Result<std::vector<AcceptOutcome>> Txn::AcceptReports(const std::vector<const Report*>& reports,
                                                      const AcceptedFn& on_accepted) {
  std::vector<AcceptOutcome> out;
  out.reserve(reports.size());
  for (size_t i = 0; i < reports.size(); ++i) {
    auto a = AcceptReport(*reports[i]);
    if (!a.ok()) return a.status();
    if (a->kind == AcceptOutcome::Kind::kDuplicate) {
      auto victim = VictimOfReport(a->report_id);
      if (victim.ok()) a->victim_id = *victim;
    }
    out.push_back(*a);
    if (on_accepted) on_accepted(i, out.back());
  }
  return out;
}

std::unique_ptr<DecisionWriter> Txn::Decisions() { return std::make_unique<WriteThrough>(*this); }

}  // namespace qayd
