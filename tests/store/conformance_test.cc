// The store conformance suite: the same tests against each backend. This file
// is compiled once per backend (QAYD_STORE_BACKEND = "sqlite" | "postgres") so
// each binary carries its ctest label (unit | integration).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <random>
#include <set>
#include <thread>

#include "store/store.h"
#include "tests/store/store_test_support.h"

namespace qayd {
namespace {

using testing_support::MakeReport;
using testing_support::TestDatabase;

bool operator==(const Victim& a, const Victim& b) {
  return a.id == b.id && a.state == b.state && a.merged_into == b.merged_into &&
         a.corroboration == b.corroboration && a.report_ids == b.report_ids &&
         a.created_at_ms == b.created_at_ms;
}

class StoreConformance : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<TestDatabase>(GetParam());
    ASSERT_FALSE(db_->location().empty());
    auto s = OpenStore(db_->location());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    ASSERT_STREQ(store_->backend(), GetParam().c_str());
  }
  void TearDown() override {
    store_.reset();
    db_.reset();
  }

  std::unique_ptr<Txn> Write() {
    auto t = store_->Begin(Store::Mode::kWrite);
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    return t.ok() ? std::move(*t) : nullptr;
  }
  std::unique_ptr<Txn> Read() {
    auto t = store_->Begin(Store::Mode::kRead);
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    return t.ok() ? std::move(*t) : nullptr;
  }

  // Accepts a report and makes a victim of it in `t`; returns the victim id.
  int64_t NewVictim(Txn& t, const std::string& id, VictimState state = VictimState::kActive) {
    auto a = t.AcceptReport(MakeReport("feed", id, "Name " + id));
    EXPECT_TRUE(a.ok()) << a.status().ToString();
    auto v = t.CreateVictim(a->report_id, state, "engine", R"({"score":1.5})");
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? *v : 0;
  }
  int64_t AddReport(Txn& t, int64_t victim, const std::string& id) {
    auto a = t.AcceptReport(MakeReport("feed", id, "Name " + id));
    EXPECT_TRUE(a.ok());
    EXPECT_TRUE(t.AttachReport(a->report_id, victim, "engine", R"({"score":20})").ok());
    return a->report_id;
  }

  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreConformance, IdempotentReingestDuplicateAndNewVersion) {
  int64_t first = 0;
  {
    auto t = Write();
    auto a = t->AcceptReport(MakeReport("moh", "r1", "Ahmad"));
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    EXPECT_EQ(a->kind, AcceptOutcome::Kind::kNew);
    first = a->report_id;
    ASSERT_TRUE(t->Commit().ok());
  }
  auto t = Write();
  auto dup = t->AcceptReport(MakeReport("moh", "r1", "Ahmad"));
  ASSERT_TRUE(dup.ok());
  EXPECT_EQ(dup->kind, AcceptOutcome::Kind::kDuplicate);
  EXPECT_EQ(dup->report_id, first);

  Report older = MakeReport("moh", "r1", "Ahmad", ",\"age\":35");
  older.age = {Age::Kind::kExact, 35, 35};
  auto changed = t->AcceptReport(older);
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->kind, AcceptOutcome::Kind::kNewVersion);
  EXPECT_EQ(changed->previous_report_id, first);
  EXPECT_NE(changed->report_id, first);
  auto again = t->AcceptReport(older);
  EXPECT_EQ(again->kind, AcceptOutcome::Kind::kDuplicate);
  EXPECT_EQ(again->report_id, changed->report_id);

  EXPECT_EQ(*t->FindReport("moh", "r1"), changed->report_id);
  EXPECT_EQ(t->FindReport("moh", "nope").status().code(), ErrorCode::kNotFound);
  auto v2 = t->GetReport(changed->report_id);
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(v2->version, 2);
  EXPECT_EQ(*t->GetResolution(changed->report_id), Resolution::kPending);
  EXPECT_EQ(t->GetCounts()->reports, 2);
  auto events = t->EventsSince(0, 100);
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].type, EventType::kReportAccepted);
  EXPECT_EQ((*events)[1].type, EventType::kReportNewVersion);
  EXPECT_EQ((*events)[1].report_id, changed->report_id);
  EXPECT_EQ(t->AcceptReport(MakeReport("", "x", "n")).status().code(), ErrorCode::kInvalidInput);
}

TEST_P(StoreConformance, ReportRoundTripAndContactsOnlyViaGetContact) {
  Report r = MakeReport("relatives", "form-7", "وليد خالد الحسين");
  r.names.push_back({.full = "Walid Khaled al-Hussein", .script = Script::kLatin});
  r.roles = {"medical"};
  r.died_under_torture = true;
  r.submitter_relation = "brother";
  r.submitter_contact = "+963 555 0101";
  auto t = Write();
  auto a = t->AcceptReport(r);
  ASSERT_TRUE(a.ok());
  auto got = t->GetReport(a->report_id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->names, r.names);
  EXPECT_EQ(got->raw_payload, r.raw_payload);
  EXPECT_EQ(got->date_of_death, r.date_of_death);
  EXPECT_EQ(got->place_of_death, r.place_of_death);
  EXPECT_EQ(got->roles, r.roles);
  EXPECT_TRUE(got->died_under_torture);
  EXPECT_EQ(got->received_at_ms, r.received_at_ms);
  EXPECT_TRUE(got->submitter_relation.empty());
  EXPECT_TRUE(got->submitter_contact.empty());
  auto contact = t->GetContact(a->report_id);
  ASSERT_TRUE(contact.ok());
  EXPECT_EQ(contact->first, "brother");
  EXPECT_EQ(contact->second, "+963 555 0101");
  auto plain = t->AcceptReport(MakeReport("feed", "x1", "Other"));
  EXPECT_EQ(t->GetContact(plain->report_id)->second, "");
  EXPECT_EQ(t->GetContact(999999).status().code(), ErrorCode::kNotFound);
  ASSERT_TRUE(t->Commit().ok());
  // The contact is in no report column.
  EXPECT_EQ(db_->RawQuery("SELECT COUNT(*) FROM reports WHERE fields LIKE '%555 0101%'"), "0");
}

TEST_P(StoreConformance, MergeThenUndoRestoresExactPriorState) {
  auto t = Write();
  int64_t a = NewVictim(*t, "a1");
  AddReport(*t, a, "a2");
  int64_t b = NewVictim(*t, "b1", VictimState::kProvisional);
  AddReport(*t, b, "b2");
  AddReport(*t, b, "b3");
  int64_t c = NewVictim(*t, "c1");
  ASSERT_TRUE(t->Commit().ok());

  auto r = Read();
  Victim a0 = *r->GetVictim(a), b0 = *r->GetVictim(b), c0 = *r->GetVictim(c);
  r.reset();
  ASSERT_EQ(b0.report_ids.size(), 3u);

  int64_t merge_seq = 0;
  {
    auto w = Write();
    auto m = w->MergeVictims(a, b, "monitor1", R"({"review_item":4})");
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    merge_seq = *m;
    ASSERT_TRUE(w->Commit().ok());
  }
  {
    auto rd = Read();
    Victim am = *rd->GetVictim(a), bm = *rd->GetVictim(b);
    EXPECT_EQ(am.report_ids.size(), 5u);
    EXPECT_EQ(bm.state, VictimState::kAbsorbed);
    EXPECT_EQ(bm.merged_into, a);
    EXPECT_TRUE(bm.report_ids.empty());
    EXPECT_EQ(*rd->VictimOfReport(b0.report_ids[0]), a);
  }
  {
    auto w = Write();
    Status s = w->UndoMerge(merge_seq, "monitor2", "wrong person");
    ASSERT_TRUE(s.ok()) << s.ToString();
    ASSERT_TRUE(w->Commit().ok());
  }
  auto rd = Read();
  EXPECT_TRUE(*rd->GetVictim(a) == a0);
  EXPECT_TRUE(*rd->GetVictim(b) == b0);
  EXPECT_TRUE(*rd->GetVictim(c) == c0);
  for (int64_t rep : b0.report_ids) EXPECT_EQ(*rd->VictimOfReport(rep), b);
  for (int64_t rep : a0.report_ids) EXPECT_EQ(*rd->VictimOfReport(rep), a);
  auto hist = rd->VictimHistory(b);
  ASSERT_TRUE(hist.ok());
  std::vector<EventType> types;
  for (const auto& e : *hist) types.push_back(e.type);
  EXPECT_NE(std::find(types.begin(), types.end(), EventType::kMerge), types.end());
  EXPECT_EQ(types.back(), EventType::kUndoMerge);
  EXPECT_NE(hist->back().details.find(std::to_string(merge_seq)), std::string::npos);
  EXPECT_TRUE(std::is_sorted(hist->begin(), hist->end(),
                             [](const auto& x, const auto& y) { return x.seq < y.seq; }));
  rd.reset();
  auto w = Write();
  EXPECT_EQ(w->UndoMerge(merge_seq, "monitor2", "again").code(), ErrorCode::kConflict);
  EXPECT_EQ(w->UndoMerge(hist->front().seq, "m", "not a merge").code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(store_->IntegrityCheck().value(), "ok");
}

TEST_P(StoreConformance, UndoRefusedWhenReportsMovedSince) {
  auto t = Write();
  int64_t a = NewVictim(*t, "a1");
  int64_t b = NewVictim(*t, "b1");
  int64_t c = NewVictim(*t, "c1");
  auto m1 = t->MergeVictims(a, b, "engine", "{}");
  ASSERT_TRUE(m1.ok());
  ASSERT_TRUE(t->MergeVictims(c, a, "engine", "{}").ok());
  EXPECT_EQ(t->UndoMerge(*m1, "m", "late").code(), ErrorCode::kConflict);
}

TEST_P(StoreConformance, MergeErrorsForAbsorbedUnknownAndDifferentPeople) {
  auto t = Write();
  int64_t a = NewVictim(*t, "a1");
  int64_t b = NewVictim(*t, "b1");
  int64_t c = NewVictim(*t, "c1");
  int64_t d = NewVictim(*t, "d1");
  ASSERT_TRUE(t->RecordDifferent(b, a, "monitor1", "siblings").ok());
  EXPECT_TRUE(*t->AreDifferent(a, b));
  EXPECT_TRUE(*t->AreDifferent(b, a));
  EXPECT_FALSE(*t->AreDifferent(a, c));
  EXPECT_EQ(t->MergeVictims(a, b, "engine", "{}").status().code(), ErrorCode::kConflict);
  EXPECT_EQ(t->MergeVictims(b, a, "engine", "{}").status().code(), ErrorCode::kConflict);
  // The constraint follows the reports: b absorbed into c keeps c apart from a.
  ASSERT_TRUE(t->MergeVictims(c, b, "engine", "{}").ok());
  EXPECT_TRUE(*t->AreDifferent(a, c));
  EXPECT_EQ(t->MergeVictims(a, c, "engine", "{}").status().code(), ErrorCode::kConflict);
  EXPECT_EQ(t->MergeVictims(a, b, "engine", "{}").status().code(), ErrorCode::kConflict);
  EXPECT_EQ(t->MergeVictims(d, b, "engine", "{}").status().code(), ErrorCode::kConflict);
  EXPECT_EQ(t->MergeVictims(a, 424242, "engine", "{}").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(t->MergeVictims(a, a, "engine", "{}").status().code(), ErrorCode::kInvalidInput);
  // Recording the same constraint twice is one constraint, one event.
  ASSERT_TRUE(t->RecordDifferent(a, b, "monitor2", "again").ok());
  int different_events = 0;
  auto all_events = t->EventsSince(0, 1000);
  for (const auto& e : *all_events) {
    different_events += e.type == EventType::kDifferentPeople;
  }
  EXPECT_EQ(different_events, 1);
  ASSERT_TRUE(t->Commit().ok());
  EXPECT_TRUE(*Read()->AreDifferent(a, b));
}

TEST_P(StoreConformance, AttachReportChecksTheVictimAndTheReport) {
  auto t = Write();
  int64_t a = NewVictim(*t, "a1");
  int64_t b = NewVictim(*t, "b1");
  int64_t gone = NewVictim(*t, "g1");
  ASSERT_TRUE(t->MergeVictims(b, gone, "engine", "{}").ok());
  auto r = t->AcceptReport(MakeReport("feed", "r1", "Name r1"));
  ASSERT_TRUE(r.ok());
  const int64_t before = *t->LastEventSeq();

  Status s = t->AttachReport(r->report_id, 424242, "engine", "{}");
  EXPECT_EQ(s.code(), ErrorCode::kNotFound);
  EXPECT_NE(s.ToString().find("victim 424242"), std::string::npos) << s.ToString();
  s = t->AttachReport(r->report_id, gone, "engine", "{}");
  EXPECT_EQ(s.code(), ErrorCode::kConflict);
  EXPECT_NE(s.ToString().find("is absorbed"), std::string::npos) << s.ToString();
  s = t->AttachReport(919191, a, "engine", "{}");
  EXPECT_EQ(s.code(), ErrorCode::kNotFound);
  EXPECT_NE(s.ToString().find("report 919191"), std::string::npos) << s.ToString();
  EXPECT_EQ(*t->LastEventSeq(), before);  // refused: nothing written

  ASSERT_TRUE(t->AttachReport(r->report_id, a, "engine", R"({"score":20})").ok());
  EXPECT_EQ(*t->VictimOfReport(r->report_id), a);
  const int64_t attached = *t->LastEventSeq();
  EXPECT_GT(attached, before);
  // Again to the same victim: nothing to do; to another: a conflict.
  EXPECT_TRUE(t->AttachReport(r->report_id, a, "engine", "{}").ok());
  s = t->AttachReport(r->report_id, b, "engine", "{}");
  EXPECT_EQ(s.code(), ErrorCode::kConflict);
  EXPECT_NE(s.ToString().find("already belongs to victim " + std::to_string(a)), std::string::npos)
      << s.ToString();
  EXPECT_EQ(*t->LastEventSeq(), attached);
}

TEST_P(StoreConformance, SplitMintsNewVictim) {
  auto t = Write();
  int64_t v = NewVictim(*t, "s1");
  int64_t r2 = AddReport(*t, v, "s2");
  int64_t r3 = AddReport(*t, v, "s3");
  int64_t other = NewVictim(*t, "o1");
  auto n = t->SplitVictim(v, {r3, r2}, "monitor1", "two people");
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_GT(*n, other);
  Victim nv = *t->GetVictim(*n);
  EXPECT_EQ(nv.report_ids, (std::vector<int64_t>{r2, r3}));
  EXPECT_EQ(t->GetVictim(v)->report_ids.size(), 1u);
  EXPECT_EQ(t->VictimHistory(*n)->back().type, EventType::kSplit);
  EXPECT_EQ(t->VictimHistory(v)->back().type, EventType::kSplit);
  EXPECT_EQ(t->SplitVictim(v, t->GetVictim(v)->report_ids, "m", "all").status().code(),
            ErrorCode::kInvalidInput);
  EXPECT_EQ(t->SplitVictim(v, {r2}, "m", "foreign").status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(t->SplitVictim(v, {}, "m", "none").status().code(), ErrorCode::kInvalidInput);
}

TEST_P(StoreConformance, HistoryCannotBeRewrittenWithRawSql) {
  {
    auto t = Write();
    NewVictim(*t, "h1");
    ASSERT_TRUE(t->Commit().ok());
  }
  std::string before = db_->RawQuery("SELECT COUNT(*) FROM history");
  EXPECT_EQ(before, "2");
  EXPECT_FALSE(db_->RawExec("UPDATE history SET actor = 'forged'").ok());
  EXPECT_FALSE(db_->RawExec("DELETE FROM history").ok());
  EXPECT_FALSE(db_->RawExec("DELETE FROM reports").ok());
  EXPECT_FALSE(db_->RawExec("UPDATE reports SET raw_payload = 'x'").ok());
  EXPECT_EQ(db_->RawQuery("SELECT COUNT(*) FROM history"), before);
  EXPECT_EQ(db_->RawQuery("SELECT COUNT(*) FROM history WHERE actor = 'forged'"), "0");
}

TEST_P(StoreConformance, ReviewClaimLeaseAndDecisions) {
  auto t = Write();
  int64_t cand = NewVictim(*t, "c1");
  auto rep = t->AcceptReport(MakeReport("feed", "p1", "Prov"));
  int64_t prov = *t->CreateVictim(rep->report_id, VictimState::kProvisional, "engine", "{}");
  ReviewItem item;
  item.report_id = rep->report_id;
  item.provisional_victim_id = prov;
  item.candidates = {{cand, 7.5}, {prov, 1.0}};
  item.explanation = R"({"name":3.2})";
  auto id = t->CreateReviewItem(item);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  auto got = t->GetReviewItem(*id);
  ASSERT_EQ(got->candidates.size(), 2u);
  EXPECT_EQ(got->candidates[0].victim_id, cand);
  EXPECT_DOUBLE_EQ(got->candidates[0].score, 7.5);
  EXPECT_DOUBLE_EQ(got->top_score, 7.5);
  EXPECT_EQ(got->explanation, item.explanation);

  EXPECT_TRUE(t->ClaimReviewItem(*id, "alice", 1000, 60000).ok());
  EXPECT_EQ(t->ClaimReviewItem(*id, "bob", 2000, 60000).code(), ErrorCode::kConflict);
  EXPECT_TRUE(t->ClaimReviewItem(*id, "alice", 3000, 60000).ok());  // extends to 63000
  EXPECT_EQ(t->ClaimReviewItem(*id, "bob", 62000, 60000).code(), ErrorCode::kConflict);
  EXPECT_EQ(t->GetReviewItem(*id)->lease_expires_ms, 63000);
  EXPECT_TRUE(t->ClaimReviewItem(*id, "bob", 63001, 60000).ok());
  EXPECT_EQ(t->DecideReviewItem(*id, "alice", "same", "{}", 64000).code(), ErrorCode::kConflict);
  EXPECT_EQ(t->DecideReviewItem(*id, "bob", "maybe", "{}", 64000).code(), ErrorCode::kInvalidInput);

  // unsure: stays pending, leaves only that monitor's queue.
  ASSERT_TRUE(t->DecideReviewItem(*id, "bob", "unsure", R"({"note":"?"})", 64000).ok());
  EXPECT_EQ(t->GetReviewItem(*id)->state, ReviewState::kPending);
  ReviewFilter f;
  f.exclude_unsure_of = "bob";
  EXPECT_TRUE(t->ListReviewItems(f)->empty());
  f.exclude_unsure_of = "carol";
  EXPECT_EQ(t->ListReviewItems(f)->size(), 1u);

  ASSERT_TRUE(t->DecideReviewItem(*id, "carol", "same", R"({"reason":"same dob"})", 65000).ok());
  got = t->GetReviewItem(*id);
  EXPECT_EQ(got->state, ReviewState::kDecided);
  EXPECT_EQ(got->decision, "same");
  EXPECT_EQ(got->decided_by, "carol");
  EXPECT_EQ(got->decided_at_ms, 65000);
  EXPECT_EQ(t->ClaimReviewItem(*id, "alice", 70000, 1000).code(), ErrorCode::kConflict);
  EXPECT_EQ(t->DecideReviewItem(*id, "carol", "different", "{}", 70000).code(),
            ErrorCode::kConflict);
  EXPECT_EQ(t->GetCounts()->pending_reviews, 0);
  auto hist = t->VictimHistory(prov);
  EXPECT_EQ(hist->back().type, EventType::kReviewDecision);
  EXPECT_NE(hist->back().details.find("same dob"), std::string::npos);
  EXPECT_EQ(t->ClaimReviewItem(99999, "a", 1, 1).code(), ErrorCode::kNotFound);
}

TEST_P(StoreConformance, ReviewFilterAndPaging) {
  auto t = Write();
  struct Spec {
    const char* gov;
    const char* source;
    double score;
    FuzzyDate death;
    int64_t created;
  };
  std::vector<Spec> specs = {
      {"gaza", "moh", 5.0, {2024, 1, 10, DatePrecision::kExact}, 1000},
      {"gaza", "ngo", 8.0, {2024, 2, 10, DatePrecision::kExact}, 2000},
      {"rafah", "moh", 10.0, {2024, 3, 10, DatePrecision::kExact}, 3000},
      {"rafah", "moh", 6.0, {}, 4000},
      {"khan_younis", "ngo2", 9.5, {2023, 12, 1, DatePrecision::kExact}, 5000},
  };
  std::vector<int64_t> ids;
  int n = 0;
  for (const auto& s : specs) {
    Report r = MakeReport(s.source, "f" + std::to_string(n++), "X");
    r.place_of_death.governorate = s.gov;
    r.date_of_death = s.death;
    auto a = t->AcceptReport(r);
    ReviewItem item;
    item.report_id = a->report_id;
    item.top_score = s.score;
    item.created_at_ms = s.created;
    ids.push_back(*t->CreateReviewItem(item));
  }
  auto list = [&](ReviewFilter f) {
    std::vector<int64_t> out;
    auto r = t->ListReviewItems(f);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    for (const auto& i : *r) out.push_back(i.id);
    return out;
  };
  EXPECT_EQ(list({}), ids);
  EXPECT_EQ(list({.governorate = "rafah"}), (std::vector<int64_t>{ids[2], ids[3]}));
  EXPECT_EQ(list({.source = "ngo"}), (std::vector<int64_t>{ids[1]}));
  EXPECT_EQ(list({.min_score = 6.0, .max_score = 9.0}), (std::vector<int64_t>{ids[1], ids[3]}));
  EXPECT_EQ(list({.death_from = "2024-02-01", .death_to = "2024-03-10"}),
            (std::vector<int64_t>{ids[1], ids[2]}));
  EXPECT_EQ(list({.created_before_ms = 2500}), (std::vector<int64_t>{ids[0], ids[1]}));
  EXPECT_EQ(list({.offset = 1, .limit = 2}), (std::vector<int64_t>{ids[1], ids[2]}));
  EXPECT_TRUE(list({.state = ReviewState::kDecided}).empty());
  EXPECT_EQ(t->ListReviewItems({.death_from = "March"}).status().code(), ErrorCode::kInvalidInput);
  // The whole selection is ordered before it is paged.
  using Order = ReviewFilter::Order;
  EXPECT_EQ(list({.order = Order::kScoreDesc}),
            (std::vector<int64_t>{ids[2], ids[4], ids[1], ids[3], ids[0]}));
  EXPECT_EQ(list({.order = Order::kScoreDesc, .offset = 2, .limit = 2}),
            (std::vector<int64_t>{ids[1], ids[3]}));
  EXPECT_EQ(list({.order = Order::kScoreAsc, .offset = 3}), (std::vector<int64_t>{ids[4], ids[2]}));
  EXPECT_EQ(list({.governorate = "rafah", .order = Order::kScoreAsc}),
            (std::vector<int64_t>{ids[3], ids[2]}));
  EXPECT_EQ(list({.order = Order::kDeath}),  // undated last
            (std::vector<int64_t>{ids[4], ids[0], ids[1], ids[2], ids[3]}));
}

TEST_P(StoreConformance, QuarantineRoundTrip) {
  auto t = Write();
  QuarantineRecord q;
  q.source = "feed-a";
  q.source_record_id = "bad-1";
  q.raw = "{\"name\": 1, \"dob\": \"2023-02-30\"}\xd9\x88";
  q.reasons = R"([{"field":"date_of_birth","problem":"not a date"}])";
  q.received_at_ms = 123;
  auto id = t->Quarantine(q);
  ASSERT_TRUE(id.ok());
  auto id2 = t->Quarantine({.source = "feed-a", .raw = "x"});
  auto got = t->GetQuarantined(*id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->raw, q.raw);
  EXPECT_EQ(got->reasons, q.reasons);
  EXPECT_EQ(got->source_record_id, "bad-1");
  EXPECT_EQ(got->received_at_ms, 123);
  EXPECT_EQ(got->replayed_report_id, 0);
  EXPECT_EQ(t->ListQuarantine(0, 10)->size(), 2u);
  EXPECT_EQ(t->ListQuarantine(1, 10)->front().id, *id2);
  EXPECT_EQ(t->GetCounts()->quarantined, 2);
  auto rep = t->AcceptReport(MakeReport("feed-a", "bad-1", "Fixed"));
  ASSERT_TRUE(t->MarkReplayed(*id, rep->report_id).ok());
  EXPECT_EQ(t->GetQuarantined(*id)->replayed_report_id, rep->report_id);
  EXPECT_EQ(t->GetCounts()->quarantined, 1);
  // Marked again with the same report: nothing changes; with another: refused.
  EXPECT_TRUE(t->MarkReplayed(*id, rep->report_id).ok());
  auto other = t->AcceptReport(MakeReport("feed-a", "bad-2", "Other"));
  EXPECT_EQ(t->MarkReplayed(*id, other->report_id).code(), ErrorCode::kConflict);
  EXPECT_EQ(t->GetQuarantined(*id)->replayed_report_id, rep->report_id);
  EXPECT_EQ(t->GetQuarantined(777).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(t->MarkReplayed(777, rep->report_id).code(), ErrorCode::kNotFound);
}

TEST_P(StoreConformance, FeedStateUsersSessionsTokensMeta) {
  auto t = Write();
  auto empty = t->GetFeedState("f1");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->feed_id, "f1");
  EXPECT_EQ(empty->records_ok, 0);
  FeedState f{
      "f1", "\"etag-1\"", "Tue, 01 Oct 2024 10:00:00 GMT", "cur-9", 111, 222, "timeout", 40, 2, 3};
  ASSERT_TRUE(t->PutFeedState(f).ok());
  f.records_ok = 41;
  ASSERT_TRUE(t->PutFeedState(f).ok());
  auto got = t->GetFeedState("f1");
  EXPECT_EQ(got->etag, f.etag);
  EXPECT_EQ(got->cursor, "cur-9");
  EXPECT_EQ(got->records_ok, 41);
  EXPECT_EQ(got->consecutive_failures, 3);
  EXPECT_EQ(got->last_error, "timeout");

  ASSERT_TRUE(t->PutUser({"amira", "monitor", "$argon2id$x", false}).ok());
  ASSERT_TRUE(t->PutUser({"amira", "admin", "$argon2id$y", true}).ok());
  auto u = t->GetUser("amira");
  EXPECT_EQ(u->role, "admin");
  EXPECT_EQ(u->password_hash, "$argon2id$y");
  EXPECT_TRUE(u->disabled);
  EXPECT_EQ(t->GetUser("nobody").status().code(), ErrorCode::kNotFound);
  ASSERT_TRUE(t->PutUser({"adel", "monitor", "$argon2id$z", false}).ok());
  auto users = t->ListUsers();
  ASSERT_TRUE(users.ok());
  ASSERT_EQ(users->size(), 2u);
  EXPECT_EQ((*users)[0].name, "adel");
  EXPECT_EQ((*users)[1].name, "amira");
  EXPECT_TRUE((*users)[1].disabled);

  ASSERT_TRUE(t->PutSession({"h1", "amira", "csrf1", 5000}).ok());
  EXPECT_EQ(t->GetSession("h1")->csrf, "csrf1");
  EXPECT_EQ(t->GetSession("h1")->expires_ms, 5000);
  ASSERT_TRUE(t->DeleteSession("h1").ok());
  EXPECT_EQ(t->GetSession("h1").status().code(), ErrorCode::kNotFound);

  ASSERT_TRUE(t->PutApiToken("th", "partner-x", "submit").ok());
  EXPECT_EQ(*t->LookupApiToken("th"), "submit");
  ASSERT_TRUE(t->RevokeApiToken("th").ok());
  EXPECT_EQ(t->LookupApiToken("th").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(t->LookupApiToken("other").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(t->RevokeApiToken("other").code(), ErrorCode::kNotFound);

  EXPECT_EQ(*t->GetMeta("k"), "");
  ASSERT_TRUE(t->PutMeta("k", "v1").ok());
  ASSERT_TRUE(t->PutMeta("k", "v2").ok());
  EXPECT_EQ(*t->GetMeta("k"), "v2");
}

TEST_P(StoreConformance, VocabulariesSeeded) {
  auto t = Read();
  auto gov = t->Vocabulary("governorate");
  ASSERT_TRUE(gov.ok()) << gov.status().ToString();
  std::vector<std::string> codes;
  for (const auto& e : *gov) codes.push_back(e.code);
  for (const char* c : {"damascus", "aleppo", "idlib", "deir_ez_zor", "north_gaza", "gaza",
                        "deir_al_balah", "khan_younis", "rafah"}) {
    EXPECT_NE(std::find(codes.begin(), codes.end(), c), codes.end()) << c;
  }
  EXPECT_EQ(gov->size(), 19u);
  auto perp = t->Vocabulary("perpetrator");
  int main_parties = 0, other_children = 0;
  for (const auto& e : *perp) {
    main_parties += e.parent == "main";
    other_children += e.parent == "other_parties";
    EXPECT_FALSE(e.label_ar.empty());
  }
  EXPECT_EQ(main_parties, 7);
  EXPECT_EQ(other_children, 6);
  EXPECT_EQ(t->Vocabulary("cause")->size(), 12u);
  EXPECT_EQ(t->Vocabulary("cause")->front().label_en, "Gunfire");
  EXPECT_TRUE(t->Vocabulary("nope")->empty());
}

TEST_P(StoreConformance, CountsPendingAndResolution) {
  auto t = Write();
  int64_t a = NewVictim(*t, "a1");
  int64_t b = NewVictim(*t, "b1", VictimState::kProvisional);
  NewVictim(*t, "u1", VictimState::kUnidentified);
  ASSERT_TRUE(t->MergeVictims(a, b, "engine", "{}").ok());
  auto r = t->AcceptReport(MakeReport("feed", "pending", "P"));
  auto pending = t->PendingReports(10);
  ASSERT_EQ(pending->size(), 4u);
  EXPECT_TRUE(std::is_sorted(pending->begin(), pending->end(),
                             [](const Report& x, const Report& y) { return x.id < y.id; }));
  for (const auto& p : *pending) {
    if (p.id != r->report_id) {
      ASSERT_TRUE(t->SetResolution(p.id, Resolution::kAttached).ok());
    }
  }
  EXPECT_EQ(t->PendingReports(10)->size(), 1u);
  EXPECT_EQ(t->SetResolution(4242, Resolution::kAttached).code(), ErrorCode::kNotFound);
  Counts c = *t->GetCounts();
  EXPECT_EQ(c.reports, 4);
  EXPECT_EQ(c.victims, 3);
  EXPECT_EQ(c.active_victims, 1);
  EXPECT_EQ(c.pending_match, 1);
  EXPECT_EQ(c.history_events, 4 + 3 + 1);
  ASSERT_TRUE(t->SetVictimState(a, VictimState::kProvisional, "monitor").ok());
  EXPECT_EQ(t->SetVictimState(b, VictimState::kActive, "monitor").code(), ErrorCode::kConflict);
  EXPECT_EQ(t->VictimHistory(a)->back().type, EventType::kStateChanged);
}

TEST_P(StoreConformance, ScanVictimsStreamsNonAbsorbedInOrder) {
  std::vector<int64_t> ids;
  {
    auto t = Write();
    for (int i = 0; i < 30; ++i) ids.push_back(NewVictim(*t, "v" + std::to_string(i)));
    AddReport(*t, ids[3], "extra");
    ASSERT_TRUE(t->MergeVictims(ids[5], ids[6], "engine", "{}").ok());
    ASSERT_TRUE(t->Commit().ok());
  }
  std::vector<int64_t> seen;
  size_t reports = 0;
  Status s = store_->ScanVictims([&](const Victim& v, const std::vector<Report>& rs) {
    seen.push_back(v.id);
    reports += rs.size();
    EXPECT_EQ(v.report_ids.size(), rs.size());
    for (size_t i = 0; i < rs.size(); ++i) EXPECT_EQ(v.report_ids[i], rs[i].id);
    EXPECT_TRUE(std::is_sorted(v.report_ids.begin(), v.report_ids.end()));
    if (v.id == ids[5]) {
      EXPECT_EQ(rs.size(), 2u);
    }
    if (v.id == ids[3]) {
      EXPECT_EQ(rs[1].source_record_id, "extra");
    }
    EXPECT_NE(v.state, VictimState::kAbsorbed);
    return true;
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(seen.size(), 29u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_EQ(reports, 31u);
  int visits = 0;
  ASSERT_TRUE(
      store_->ScanVictims([&](const Victim&, const std::vector<Report>&) { return ++visits < 3; })
          .ok());
  EXPECT_EQ(visits, 3);
}

// What the matching index loads: the reports of victims neither absorbed nor
// unidentified, each once, with its victim, fields but no raw payload; the
// same pairs as ScanVictims gives, in any order. Stopping early stops.
TEST_P(StoreConformance, ScanIndexedReportsGivesTheIndexedPairsUnsorted) {
  std::vector<int64_t> ids;
  {
    auto t = Write();
    for (int i = 0; i < 12; ++i) ids.push_back(NewVictim(*t, "w" + std::to_string(i)));
    AddReport(*t, ids[3], "more");
    ASSERT_TRUE(t->MergeVictims(ids[5], ids[6], "engine", "{}").ok());
    NewVictim(*t, "nobody", VictimState::kUnidentified);
    NewVictim(*t, "maybe", VictimState::kProvisional);
    ASSERT_TRUE(t->Commit().ok());
  }
  std::set<std::pair<int64_t, int64_t>> expected, seen;
  ASSERT_TRUE(store_
                  ->ScanVictims([&](const Victim& v, const std::vector<Report>& rs) {
                    if (v.state == VictimState::kUnidentified) return true;
                    for (const Report& r : rs) expected.insert({v.id, r.id});
                    return true;
                  })
                  .ok());
  EXPECT_EQ(expected.size(), 14u);  // 11 victims' 13 reports and the provisional one
  Status s = store_->ScanIndexedReports([&](int64_t victim, const Report& r) {
    EXPECT_TRUE(seen.insert({victim, r.id}).second) << r.id;
    EXPECT_EQ(r.raw_payload, "");
    EXPECT_FALSE(r.source_record_id.empty());
    EXPECT_FALSE(r.primary_name() == nullptr) << r.id;
    return true;
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(seen, expected);
  int visits = 0;
  ASSERT_TRUE(
      store_->ScanIndexedReports([&](int64_t, const Report&) { return ++visits < 3; }).ok());
  EXPECT_EQ(visits, 3);
}

TEST_P(StoreConformance, EventsSinceIsTheOrderedChangeLog) {
  auto t = Write();
  for (int i = 0; i < 5; ++i) NewVictim(*t, "e" + std::to_string(i));
  ASSERT_TRUE(t->Commit().ok());
  auto r = Read();
  auto all = r->EventsSince(0, 100);
  ASSERT_EQ(all->size(), 10u);
  for (size_t i = 1; i < all->size(); ++i) EXPECT_GT((*all)[i].seq, (*all)[i - 1].seq);
  auto page = r->EventsSince((*all)[3].seq, 4);
  ASSERT_EQ(page->size(), 4u);
  EXPECT_EQ(page->front().seq, (*all)[4].seq);
  EXPECT_TRUE(r->EventsSince(all->back().seq, 10)->empty());
  EXPECT_EQ((*all)[1].type, EventType::kVictimCreated);
  EXPECT_EQ((*all)[1].details, R"({"score":1.5})");
  EXPECT_EQ((*all)[1].actor, "engine");
  EXPECT_GT((*all)[1].at_ms, 1600000000000);
  // Without details: the same events and fields, the details left empty.
  auto light = r->EventsSince(0, 100, /*with_details=*/false);
  ASSERT_TRUE(light.ok()) << light.status().ToString();
  ASSERT_EQ(light->size(), all->size());
  for (size_t i = 0; i < all->size(); ++i) {
    EXPECT_EQ((*light)[i].seq, (*all)[i].seq);
    EXPECT_EQ((*light)[i].type, (*all)[i].type);
    EXPECT_EQ((*light)[i].victim_id, (*all)[i].victim_id);
    EXPECT_EQ((*light)[i].report_id, (*all)[i].report_id);
    EXPECT_EQ((*light)[i].actor, (*all)[i].actor);
    EXPECT_EQ((*light)[i].details, "");
  }
}

TEST_P(StoreConformance, UncommittedTxnLeavesNoTrace) {
  {
    auto t = Write();
    NewVictim(*t, "gone");
  }  // destroyed without Commit
  auto r = Read();
  Counts c = *r->GetCounts();
  EXPECT_EQ(c.reports, 0);
  EXPECT_EQ(c.victims, 0);
  EXPECT_EQ(c.history_events, 0);
}

TEST_P(StoreConformance, ReadersSeeCommittedSnapshotWhileWriterIsOpen) {
  auto w = Write();
  NewVictim(*w, "w1");
  // A reader on another thread neither blocks behind the open writer nor
  // sees its uncommitted rows.
  auto fut = std::async(std::launch::async, [this] {
    auto r = store_->Begin(Store::Mode::kRead);
    return r.ok() ? (*r)->GetCounts()->reports : -1;
  });
  ASSERT_EQ(fut.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_EQ(fut.get(), 0);
  ASSERT_TRUE(w->Commit().ok());
  EXPECT_EQ(Read()->GetCounts()->reports, 1);
}

TEST_P(StoreConformance, RelationsAreRecordedOnce) {
  auto t = Write();
  int64_t a = NewVictim(*t, "a1");
  int64_t b = NewVictim(*t, "b1");
  ASSERT_TRUE(t->RecordRelation(a, b, "sibling", "monitor").ok());
  ASSERT_TRUE(t->RecordRelation(a, b, "sibling", "monitor").ok());
  auto h = t->VictimHistory(b);
  EXPECT_EQ(std::count_if(h->begin(), h->end(),
                          [](const auto& e) { return e.type == EventType::kRelation; }),
            1);
  EXPECT_FALSE(*t->AreDifferent(a, b));
  EXPECT_EQ(t->RecordRelation(a, a, "sibling", "m").code(), ErrorCode::kInvalidInput);
}

// A victim's history is every event naming it, whatever moved its reports
// since: random merges, undos, splits, attachments, relations and state
// changes, then each victim's history against a scan of the whole log.
TEST_P(StoreConformance, VictimHistoryIsEveryEventNamingTheVictim) {
  std::mt19937 rng(7);
  auto pick = [&](const std::vector<int64_t>& v) {
    return v[std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng)];
  };
  auto t = Write();
  std::vector<int64_t> victims, merges;
  int next_report = 0;
  auto name = [&] { return "h" + std::to_string(next_report++); };
  for (int i = 0; i < 8; ++i) victims.push_back(NewVictim(*t, name()));
  int moved = 0;
  for (int step = 0; step < 400; ++step) {
    const int64_t a = pick(victims), b = pick(victims);
    const Victim va = *t->GetVictim(a);
    const bool live = va.state != VictimState::kAbsorbed;
    switch (std::uniform_int_distribution<int>(0, 7)(rng)) {
      case 0:
        victims.push_back(NewVictim(*t, name()));
        break;
      case 1:
      case 2:
        if (live) AddReport(*t, a, name());
        break;
      case 3:
        if (a != b && live && t->GetVictim(b)->state != VictimState::kAbsorbed) {
          auto m = t->MergeVictims(a, b, "monitor", R"({"reason":"same"})");
          if (m.ok()) {
            merges.push_back(*m);
            ++moved;
          }
        }
        break;
      case 4:
        if (!merges.empty() && t->UndoMerge(pick(merges), "monitor", "not the same").ok()) ++moved;
        break;
      case 5:
        if (live && va.report_ids.size() > 1) {
          auto n = t->SplitVictim(a, {va.report_ids.back()}, "monitor", "two people");
          if (n.ok()) {
            victims.push_back(*n);
            ++moved;
          }
        }
        break;
      case 6:
        if (a != b) {
          ASSERT_TRUE(t->RecordRelation(a, b, "sibling", "monitor").ok());
        }
        break;
      case 7:
        if (live && va.state != VictimState::kActive) {
          ASSERT_TRUE(t->SetVictimState(a, VictimState::kActive, "monitor").ok());
        }
        break;
    }
  }
  ASSERT_GT(moved, 20);  // the reports did move around
  ASSERT_TRUE(t->Commit().ok());
  auto r = Read();
  auto all = r->EventsSince(0, 100000);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  for (int64_t v : victims) {
    std::vector<int64_t> want, got;
    for (const HistoryEvent& e : *all) {
      if (e.victim_id == v || e.other_victim_id == v) want.push_back(e.seq);
    }
    auto h = r->VictimHistory(v);
    ASSERT_TRUE(h.ok()) << h.status().ToString();
    for (const HistoryEvent& e : *h) got.push_back(e.seq);
    EXPECT_EQ(got, want) << "victim " << v;
    for (size_t i = 0; i < h->size(); ++i) {
      const HistoryEvent& e = (*h)[i];
      EXPECT_TRUE(e.victim_id == v || e.other_victim_id == v);
      EXPECT_FALSE(e.details.empty());
    }
  }
}

TEST_P(StoreConformance, MatcherLockIsExclusiveAcrossInstances) {
  auto other = OpenStore(db_->location());
  if (GetParam() == "sqlite") {
    // One writer per SQLite register: the second open is refused (register_lock_test).
    ASSERT_FALSE(other.ok());
    EXPECT_EQ(other.status().code(), ErrorCode::kUnavailable);
    EXPECT_TRUE(*store_->TryAcquireMatcherLock());
    return;
  }
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(*store_->TryAcquireMatcherLock());
  EXPECT_FALSE(*(*other)->TryAcquireMatcherLock());
  EXPECT_TRUE(*store_->TryAcquireMatcherLock());  // still ours
  store_->ReleaseMatcherLock();
  EXPECT_TRUE(*(*other)->TryAcquireMatcherLock());
  EXPECT_FALSE(*store_->TryAcquireMatcherLock());
  other->reset();  // closing the holder frees the lock
  EXPECT_TRUE(*store_->TryAcquireMatcherLock());
}

// A source whose bytes change on every delivery (key order, spacing) while
// the record says the same: one version, not one per poll.
TEST_P(StoreConformance, RedeliveryWithTheSameContentIsNotANewVersion) {
  auto t = Write();
  Report r = MakeReport("cycling-feed", "c1", "Rami");
  ASSERT_EQ(t->AcceptReport(r)->kind, AcceptOutcome::Kind::kNew);
  for (int i = 0; i < 50; ++i) {
    r.raw_payload = "{ \"name\":\"Rami\"," + std::string(static_cast<size_t>(i % 7), ' ') +
                    "\"id\":\"c1\", \"poll\": " + std::to_string(i) + "}";
    auto again = t->AcceptReport(r);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->kind, AcceptOutcome::Kind::kDuplicate) << i;
  }
  r.age = {Age::Kind::kExact, 40, 40};  // a real change is a version
  r.raw_payload = "{\"id\":\"c1\",\"name\":\"Rami\",\"age\":40}";
  EXPECT_EQ(t->AcceptReport(r)->kind, AcceptOutcome::Kind::kNewVersion);
  EXPECT_EQ(t->GetCounts()->reports, 2);
}

// Rejected records read again (after a crash or a stop) are quarantined once.
TEST_P(StoreConformance, QuarantineIsIdempotentPerSourceRecord) {
  auto t = Write();
  QuarantineRecord q{.source = "spool:a.jsonl",
                     .source_record_id = "3",
                     .raw = "{\"sex\":\"x\"}",
                     .reasons = "[]"};
  auto first = t->Quarantine(q);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto second = t->Quarantine(q);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, *first);
  q.raw = "{\"sex\":\"y\"}";  // another text under the same id is another entry
  EXPECT_NE(*t->Quarantine(q), *first);
  q.source_record_id = "4";
  EXPECT_NE(*t->Quarantine(q), *first);
  EXPECT_EQ(t->ListQuarantine(0, 10)->size(), 3u);
}

TEST_P(StoreConformance, ReopenKeepsDataAndSchemaVersion) {
  int64_t v = 0;
  {
    auto t = Write();
    v = NewVictim(*t, "k1");
    ASSERT_TRUE(t->Commit().ok());
  }
  store_.reset();
  auto s = OpenStore(db_->location());
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  auto t = (*s)->Begin(Store::Mode::kRead);
  EXPECT_EQ((*t)->GetVictim(v)->report_ids.size(), 1u);
  t->reset();
  EXPECT_EQ(db_->RawQuery("SELECT MAX(version) FROM schema_migrations"),
            std::to_string(SchemaVersion()));
  EXPECT_EQ((*s)->IntegrityCheck().value(), "ok");
}

INSTANTIATE_TEST_SUITE_P(Backend, StoreConformance, ::testing::Values(QAYD_STORE_BACKEND));

}  // namespace
}  // namespace qayd
