// The PostgreSQL bulk path (issue 24): a batch's acceptance and decisions in
// a few statements over arrays (store/pg_txn.cc) store exactly what the
// per-report calls store, on PostgreSQL and on SQLite, and a batch that fails
// part-way leaves nothing of what it had written. Real PostgreSQL (the ctest
// fixture's cluster, or QAYD_TEST_PG_URL); faults are a constraint added to
// the real schema and a connection terminated by the server.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "config/config.h"
#include "model/report_json.h"
#include "pipeline/pipeline.h"
#include "store/store.h"
#include "tests/store/store_test_support.h"
#include "tests/support/faulty_store.h"
#include "tests/support/run_command.h"

namespace qayd {
namespace {

using testing_support::MakeReport;
using testing_support::TestDatabase;

std::string Num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// Everything the register holds, read through the Store API (the same for
// both backends), without the clock's values (arrival, creation, event times).
std::string Dump(Store& store) {
  auto t = store.Begin(Store::Mode::kRead);
  if (!t.ok()) return "cannot read: " + t.status().ToString();
  Txn& txn = **t;
  std::ostringstream out;
  auto c = txn.GetCounts();
  if (!c.ok()) return "no counts: " + c.status().ToString();
  out << "counts " << c->reports << " " << c->victims << " " << c->active_victims << " "
      << c->history_events << " " << c->pending_reviews << " " << c->quarantined << " "
      << c->pending_match << "\n";
  for (int64_t id = 1; id <= c->reports; ++id) {
    auto r = txn.GetReport(id);
    auto res = txn.GetResolution(id);
    auto owner = txn.VictimOfReport(id);
    auto contact = txn.GetContact(id);
    if (!r.ok() || !res.ok() || !owner.ok() || !contact.ok()) {
      out << "report " << id << " missing\n";
      continue;
    }
    out << "report " << id << " " << r->source << " " << r->source_record_id << " v" << r->version
        << " resolution " << static_cast<int>(*res) << " victim " << *owner << " contact "
        << contact->first << "/" << contact->second << " raw " << r->raw_payload << " fields "
        << ReportToJson(*r, {.include_provenance = false}) << "\n";
  }
  for (int64_t id = 1; id <= c->victims; ++id) {
    auto v = txn.GetVictim(id);
    if (!v.ok()) {
      out << "victim " << id << " missing\n";
      continue;
    }
    out << "victim " << id << " state " << static_cast<int>(v->state) << " into " << v->merged_into
        << " corroboration " << static_cast<int>(v->corroboration) << " reports";
    for (int64_t r : v->report_ids) out << " " << r;
    out << "\n";
  }
  auto events = txn.EventsSince(0, 1000000);
  if (!events.ok()) return "no events: " + events.status().ToString();
  for (const HistoryEvent& e : *events) {
    out << "event " << e.seq << " " << static_cast<int>(e.type) << " " << e.victim_id << " "
        << e.other_victim_id << " " << e.report_id << " " << e.actor << " " << e.details << "\n";
  }
  for (ReviewState state : {ReviewState::kPending, ReviewState::kDecided}) {
    ReviewFilter f;
    f.state = state;
    f.limit = 1000000;
    auto items = txn.ListReviewItems(f);
    if (!items.ok()) return "no review items: " + items.status().ToString();
    for (const ReviewItem& it : *items) {
      out << "review " << it.id << " report " << it.report_id << " victim "
          << it.provisional_victim_id << " top " << Num(it.top_score) << " state "
          << static_cast<int>(it.state) << " " << it.explanation << " candidates";
      for (const auto& cand : it.candidates) out << " " << cand.victim_id << ":" << Num(cand.score);
      out << "\n";
    }
  }
  auto q = txn.ListQuarantine(0, 1000000);
  if (!q.ok()) return "no quarantine: " + q.status().ToString();
  for (const QuarantineRecord& r : *q) {
    out << "quarantined " << r.id << " " << r.source << " " << r.source_record_id << " " << r.raw
        << " " << r.reasons << " " << r.replayed_report_id << "\n";
  }
  return out.str();
}

std::unique_ptr<Store> Open(const TestDatabase& db) {
  auto s = OpenStore(db.location());
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(*s) : nullptr;
}

std::vector<const Report*> Pointers(const std::vector<Report>& reports) {
  std::vector<const Report*> out;
  for (const Report& r : reports) out.push_back(&r);
  return out;
}

// Two batches through a Txn's batch methods, either the backend's own
// (`bulk`) or the per-report calls they stand for (Txn's defaults, called
// past the override): new reports, a submitter's contact, re-deliveries
// (the same payload, a changed one) of stored reports and within the batch,
// new victims of each kind, review items with candidates, merges into a
// stored victim and into one created earlier in the same batch.
void RunBatches(Store& store, bool bulk) {
  auto accept = [bulk](Txn& t, const std::vector<Report>& reports) {
    std::vector<AcceptOutcome> seen;
    auto on = [&seen](size_t i, const AcceptOutcome& a) {
      EXPECT_EQ(i, seen.size());
      seen.push_back(a);
    };
    auto out =
        bulk ? t.AcceptReports(Pointers(reports), on) : t.Txn::AcceptReports(Pointers(reports), on);
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    if (!out.ok()) return std::vector<AcceptOutcome>{};
    EXPECT_EQ(out->size(), seen.size());
    return *out;
  };
  auto writer = [bulk](Txn& t) { return bulk ? t.Decisions() : t.Txn::Decisions(); };
  auto review = [](int64_t report, int64_t victim, std::vector<ReviewCandidate> cands) {
    ReviewItem item;
    item.report_id = report;
    item.provisional_victim_id = victim;
    item.candidates = std::move(cands);
    item.created_at_ms = 1700000000000;
    item.explanation = R"({"config_version":"t","candidates":[]})";
    return item;
  };
  // Batch 1.
  {
    auto t = store.Begin(Store::Mode::kWrite);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    std::vector<Report> reports;
    for (int i = 0; i < 6; ++i) {
      reports.push_back(
          MakeReport("feed", "r" + std::to_string(i), "Name \"quoted\" \\ " + std::to_string(i)));
    }
    reports[2].submitter_relation = "brother";
    reports[2].submitter_contact = "+970 59 000 0000, {a,b}";
    reports.push_back(reports[1]);  // the same record again in the batch
    reports.push_back(MakeReport("feed", "r3", "Name 3", " changed"));  // a new version in it
    auto a = accept(**t, reports);
    ASSERT_EQ(a.size(), 8u);
    EXPECT_EQ(a[6].kind, AcceptOutcome::Kind::kDuplicate);
    EXPECT_EQ(a[6].report_id, a[1].report_id);
    EXPECT_EQ(a[7].kind, AcceptOutcome::Kind::kNewVersion);
    EXPECT_EQ(a[7].previous_report_id, a[3].report_id);
    auto d = writer(**t);
    auto v0 = d->NewVictim(a[0].report_id, VictimState::kActive, Resolution::kAttached, "engine",
                           R"({"score":0.1,"config_version":"t"})");
    ASSERT_TRUE(v0.ok()) << v0.status().ToString();
    // Merged into the victim created just before, in the same batch.
    ASSERT_TRUE(d->Attach(a[1].report_id, *v0, Resolution::kAttached, "engine",
                          R"({"score":0.97,"config_version":"t"})")
                    .ok());
    auto v2 = d->NewVictim(a[2].report_id, VictimState::kProvisional, Resolution::kReview, "engine",
                           R"({"score":0.8})");
    ASSERT_TRUE(v2.ok());
    ASSERT_TRUE(d->QueueReview(review(a[2].report_id, *v2, {{*v0, 0.8125}, {*v0, 0.1}})).ok());
    auto v3 = d->NewVictim(a[3].report_id, VictimState::kUnidentified, Resolution::kUnidentified,
                           "engine", R"({"reason":"no usable name"})");
    ASSERT_TRUE(v3.ok());
    ASSERT_TRUE(
        d->Attach(a[7].report_id, *v3, Resolution::kAttached, "engine", R"({"new_version_of":3})")
            .ok());
    for (size_t i : {4u, 5u}) {
      ASSERT_TRUE(
          d->NewVictim(a[i].report_id, VictimState::kActive, Resolution::kAttached, "engine", "")
              .ok());
    }
    Status f = d->Flush();
    ASSERT_TRUE(f.ok()) << f.ToString();
    ASSERT_TRUE((*t)->Commit().ok());
  }
  // Batch 2: re-deliveries of stored reports, and more decisions.
  {
    auto t = store.Begin(Store::Mode::kWrite);
    ASSERT_TRUE(t.ok());
    std::vector<Report> reports;
    reports.push_back(MakeReport("feed", "r0", "Name \"quoted\" \\ 0"));  // duplicate
    reports.push_back(MakeReport("feed", "r4", "Name 4", " edited"));     // new version
    reports.push_back(MakeReport("other", "r0", "Another person"));
    reports.push_back(MakeReport("other", "x1", "Someone else"));
    auto a = accept(**t, reports);
    ASSERT_EQ(a.size(), 4u);
    EXPECT_EQ(a[0].kind, AcceptOutcome::Kind::kDuplicate);
    EXPECT_EQ(a[0].victim_id, 1);
    EXPECT_EQ(a[1].kind, AcceptOutcome::Kind::kNewVersion);
    auto d = writer(**t);
    ASSERT_TRUE(
        d->Attach(a[1].report_id, 5, Resolution::kAttached, "engine", R"({"new_version_of":5})")
            .ok());
    auto v = d->NewVictim(a[2].report_id, VictimState::kProvisional, Resolution::kReview, "engine",
                          R"({"score":0.7})");
    ASSERT_TRUE(v.ok());
    ASSERT_TRUE(d->QueueReview(review(a[2].report_id, *v, {{1, 0.7}, {2, 0.6}, {5, 0.55}})).ok());
    ASSERT_TRUE(d->Attach(a[3].report_id, 1, Resolution::kAttached, "engine", "{}").ok());
    Status f = d->Flush();
    ASSERT_TRUE(f.ok()) << f.ToString();
    ASSERT_TRUE((*t)->Commit().ok());
  }
}

TEST(PgBulk, BatchMethodsStoreWhatPerReportCallsStore) {
  TestDatabase bulk_db("postgres"), single_db("postgres"), sqlite_db("sqlite");
  auto bulk = Open(bulk_db), single = Open(single_db), sqlite = Open(sqlite_db);
  ASSERT_TRUE(bulk && single && sqlite);
  RunBatches(*bulk, true);
  RunBatches(*single, false);
  RunBatches(*sqlite, true);  // SQLite's batch methods are the per-report calls
  const std::string want = Dump(*single);
  EXPECT_NE(want.find("counts 10 6 5 "), std::string::npos) << want;
  EXPECT_EQ(Dump(*bulk), want);
  EXPECT_EQ(Dump(*sqlite), want);
  // And later per-report writes draw the next ids (the sequences were moved on).
  for (Store* s : {bulk.get(), single.get()}) {
    auto t = s->Begin(Store::Mode::kWrite);
    ASSERT_TRUE(t.ok());
    auto a = (*t)->AcceptReport(MakeReport("feed", "later", "Later"));
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    EXPECT_EQ(a->report_id, 11);
    auto v = (*t)->CreateVictim(a->report_id, VictimState::kActive, "engine", "");
    ASSERT_TRUE(v.ok()) << v.status().ToString();
    EXPECT_EQ(*v, 7);
    ASSERT_TRUE((*t)->Commit().ok());
  }
  EXPECT_EQ(Dump(*bulk), Dump(*single));
}

TEST(PgBulk, DecisionChecksFailTheBatch) {
  TestDatabase db("postgres");
  auto store = Open(db);
  ASSERT_TRUE(store);
  RunBatches(*store, true);
  {
    auto t = store->Begin(Store::Mode::kWrite);
    ASSERT_TRUE(t.ok());
    ASSERT_TRUE((*t)->MergeVictims(1, 5, "monitor", "{}").ok());
    ASSERT_TRUE((*t)->Commit().ok());
  }
  const std::string before = Dump(*store);
  struct Case {
    int64_t victim;
    ErrorCode code;
  };
  for (Case c : {Case{5, ErrorCode::kConflict}, Case{999, ErrorCode::kNotFound}}) {
    auto t = store->Begin(Store::Mode::kWrite);
    ASSERT_TRUE(t.ok());
    std::vector<Report> reports = {MakeReport("feed", "n1", "New one"),
                                   MakeReport("feed", "n2", "New two")};
    auto a = (*t)->AcceptReports(Pointers(reports), nullptr);
    ASSERT_TRUE(a.ok());
    auto d = (*t)->Decisions();
    ASSERT_TRUE(
        d->NewVictim((*a)[0].report_id, VictimState::kActive, Resolution::kAttached, "engine", "")
            .ok());
    // Absorbed (5) or missing (999): found when the batch is written.
    ASSERT_TRUE(d->Attach((*a)[1].report_id, c.victim, Resolution::kAttached, "engine", "{}").ok());
    Status f = d->Flush();
    EXPECT_EQ(f.code(), c.code) << f.ToString();
    // Checked in the batch itself: a report decided twice.
    auto twice =
        d->NewVictim((*a)[0].report_id, VictimState::kActive, Resolution::kAttached, "engine", "");
    ASSERT_TRUE(d->Attach((*a)[1].report_id, 1, Resolution::kAttached, "engine", "").ok());
    EXPECT_EQ(d->Attach((*a)[1].report_id, 2, Resolution::kAttached, "engine", "").code(),
              ErrorCode::kConflict);
    EXPECT_EQ(
        d->NewVictim((*a)[1].report_id, VictimState::kAbsorbed, Resolution::kAttached, "engine", "")
            .status()
            .code(),
        ErrorCode::kInvalidInput);
    EXPECT_TRUE(twice.ok());
    // The Txn is abandoned: rolled back whole.
  }
  EXPECT_EQ(Dump(*store), before);
}

// The server ends the connection between acceptance and decisions: the
// batch's statements fail, and nothing of it is in the register.
TEST(PgBulk, KilledConnectionLeavesNothing) {
  TestDatabase db("postgres");
  auto store = Open(db);
  ASSERT_TRUE(store);
  RunBatches(*store, true);
  const std::string before = Dump(*store);
  {
    auto t = store->Begin(Store::Mode::kWrite);
    ASSERT_TRUE(t.ok());
    std::vector<Report> reports;
    for (int i = 0; i < 50; ++i)
      reports.push_back(MakeReport("feed", "k" + std::to_string(i), "K"));
    auto a = (*t)->AcceptReports(Pointers(reports), nullptr);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    auto d = (*t)->Decisions();
    for (const AcceptOutcome& o : *a) {
      ASSERT_TRUE(
          d->NewVictim(o.report_id, VictimState::kActive, Resolution::kAttached, "engine", "")
              .ok());
    }
    ASSERT_TRUE(db.RawExec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                           "datname = current_database() AND pid <> pg_backend_pid() AND "
                           "query NOT LIKE '%pg_try_advisory_lock%'")
                    .ok());
    Status f = d->Flush();
    EXPECT_FALSE(f.ok());
    EXPECT_FALSE((*t)->Commit().ok());
  }
  auto reopened = Open(db);
  ASSERT_TRUE(reopened);
  EXPECT_EQ(Dump(*reopened), before);
}

// --- through the pipeline ------------------------------------------------------------------

// samples/feed.jsonl three times from two sources (merges, reviews,
// unidentified, two records validation rejects), plus records repeated or
// changed, and a submitter's contact.
std::vector<std::string> Lines() {
  std::ifstream in(std::string(QAYD_SOURCE_DIR) + "/samples/feed.jsonl");
  std::vector<std::string> lines;
  const std::string key = "{\"source_record_id\": \"";
  std::vector<std::string> sample;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(key, 0) == 0) sample.push_back(line);
  }
  for (int copy = 0; copy < 3; ++copy) {
    for (const std::string& line : sample) {
      lines.push_back("{\"source\": \"partner-" + std::to_string(copy % 2) +
                      "\", \"source_record_id\": \"c" + std::to_string(copy) + "-" +
                      line.substr(key.size()));
    }
  }
  // Re-deliveries: the same bytes, and a changed payload, of early records.
  lines.push_back(lines[3]);
  std::string changed = lines[4];  // s0005: died 2024-05-05
  const size_t at = changed.find("2024-05-05");
  EXPECT_NE(at, std::string::npos) << changed;
  if (at != std::string::npos) changed.replace(at, 10, "2024-05-06");
  lines.push_back(changed);
  lines.push_back(
      R"({"source": "form", "source_record_id": "f1", "names": [{"full": "سامي خليل", "script": "arabic"}], "date_of_death": "2023-11-02", "submitter": {"relation": "son", "contact": "+970 \"59\""}})");
  return lines;
}

// Lines() as batches of 150 records, as `qayd ingest` hands them over, some
// with field errors (quarantined).
std::vector<std::vector<IncomingRecord>> Batches() {
  const std::vector<std::string> lines = Lines();
  std::vector<std::vector<IncomingRecord>> out(1);
  for (size_t i = 0; i < lines.size(); ++i) {
    IncomingRecord rec;
    EXPECT_TRUE(ReportFromJsonText(lines[i], &rec.report, &rec.errors)) << lines[i];
    rec.report.raw_payload = lines[i];
    rec.report.received_at_ms = 1700000000000;
    rec.record_label = "test record " + std::to_string(i);
    if (i % 97 == 5) rec.errors.push_back({"date_of_death", "not a date: \"2023-02-30\""});
    if (out.back().size() == 150) out.emplace_back();
    out.back().push_back(std::move(rec));
  }
  return out;
}

struct Register {
  std::unique_ptr<matching::Engine> engine;
  std::unique_ptr<Pipeline> pipeline;
};

Register PipelineOn(Store* store) {
  Register r;
  r.engine = std::make_unique<matching::Engine>(DefaultConfig().matching);
  r.pipeline = std::make_unique<Pipeline>(store, r.engine.get());
  EXPECT_TRUE(LoadIndex(store, r.engine.get()).ok());
  return r;
}

std::string Decisions(Store* store) {
  Register r = PipelineOn(store);
  std::string out;
  for (auto& batch : Batches()) {
    auto outcomes = r.pipeline->Process(std::move(batch));
    EXPECT_TRUE(outcomes.ok()) << outcomes.status().ToString();
    if (!outcomes.ok()) return "";
    for (const RecordOutcome& o : *outcomes) out += o.ToJson() + "\n";
  }
  return out;
}

TEST(PgBulk, PipelineOnPostgresDecidesAsPerReportAndAsSqlite) {
  TestDatabase bulk_db("postgres"), single_db("postgres"), sqlite_db("sqlite");
  auto bulk = Open(bulk_db), single = Open(single_db), sqlite = Open(sqlite_db);
  ASSERT_TRUE(bulk && single && sqlite);
  // The delegating store passes only the per-report calls on: the pipeline
  // on it takes PostgreSQL's per-report path.
  testing::FaultyStore per_report(single.get());
  const std::string want = Decisions(sqlite.get());
  EXPECT_NE(want.find("\"merged\""), std::string::npos);
  EXPECT_NE(want.find("\"review\""), std::string::npos);
  EXPECT_NE(want.find("\"rejected\""), std::string::npos);
  EXPECT_NE(want.find("\"duplicate\""), std::string::npos);
  EXPECT_EQ(Decisions(bulk.get()), want);
  EXPECT_EQ(Decisions(&per_report), want);
  const std::string reg = Dump(*sqlite);
  EXPECT_EQ(Dump(*bulk), reg);
  EXPECT_EQ(Dump(*single), reg);
}

// `qayd ingest` of one file into PostgreSQL and into SQLite: the same
// decisions, the same register (the process's whole path, validation
// included).
TEST(PgBulk, QaydIngestOnPostgresAndSqliteAgree) {
  TestDatabase pg_db("postgres"), sqlite_db("sqlite");
  ASSERT_FALSE(pg_db.location().empty());
  testing_support::TempDir dir;
  const std::string input = dir.path() + "/in.jsonl";
  {
    std::ofstream f(input);
    for (const std::string& line : Lines()) f << line << "\n";
  }
  std::string decisions[2];
  int k = 0;
  for (const TestDatabase* db : {&pg_db, &sqlite_db}) {
    const std::string out = dir.path() + "/decisions-" + std::to_string(k) + ".jsonl";
    auto r = testing::RunCommand("timeout 300 " QAYD_PATH " ingest --db '" + db->location() +
                                 "' --decisions " + out + " " + input + " 2>&1");
    ASSERT_EQ(r.code, 0) << r.out;
    std::ifstream f(out);
    decisions[k++].assign(std::istreambuf_iterator<char>(f), {});
  }
  EXPECT_NE(decisions[0].find("\"rejected\""), std::string::npos);
  EXPECT_NE(decisions[0].find("\"review\""), std::string::npos);
  EXPECT_EQ(decisions[0], decisions[1]);
  auto pg = Open(pg_db), sqlite = Open(sqlite_db);
  ASSERT_TRUE(pg && sqlite);
  EXPECT_EQ(Dump(*pg), Dump(*sqlite));
}

// A matched batch's reports are inserted once, with their resolution (the
// held rows of store/pg_txn.h), not inserted pending and updated. A
// statement between acceptance and decisions sees them: they are then
// inserted pending first and updated, as before. A rolled-back batch leaves
// none. Observed through the rows' physical places: a fresh table's rows
// fill page 0 in order, and an UPDATE writes a new version after them.
TEST(PgBulk, DecidedReportsAreWrittenOnceWithTheirResolution) {
  TestDatabase db("postgres");
  auto store = Open(db);
  ASSERT_TRUE(store);
  auto places = [&db] {
    return db.RawQuery(
        "SELECT string_agg(id || '@' || ctid::text || '=' || resolution, ' ' ORDER BY id) "
        "FROM reports");
  };
  {
    auto t = store->Begin(Store::Mode::kWrite);
    ASSERT_TRUE(t.ok());
    std::vector<Report> reports = {MakeReport("feed", "a1", "One"), MakeReport("feed", "a2", "Two"),
                                   MakeReport("feed", "a3", "Three")};
    reports[1].submitter_relation = "sister";
    auto a = (*t)->AcceptReports(Pointers(reports), nullptr);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    auto d = (*t)->Decisions();
    auto v =
        d->NewVictim((*a)[0].report_id, VictimState::kActive, Resolution::kAttached, "engine", "");
    ASSERT_TRUE(v.ok());
    ASSERT_TRUE(d->Attach((*a)[1].report_id, *v, Resolution::kAttached, "engine", "").ok());
    auto p = d->NewVictim((*a)[2].report_id, VictimState::kProvisional, Resolution::kReview,
                          "engine", "");
    ASSERT_TRUE(p.ok());
    Status f = d->Flush();
    ASSERT_TRUE(f.ok()) << f.ToString();
    ASSERT_TRUE((*t)->Commit().ok());
  }
  const int attached = static_cast<int>(Resolution::kAttached);
  const int review = static_cast<int>(Resolution::kReview);
  const int pending = static_cast<int>(Resolution::kPending);
  auto at = [](int id, int item, int res) {
    return std::to_string(id) + "@(0," + std::to_string(item) + ")=" + std::to_string(res);
  };
  const std::string first = at(1, 1, attached) + " " + at(2, 2, attached) + " " + at(3, 3, review);
  EXPECT_EQ(places(), first);
  EXPECT_EQ(db.RawQuery("SELECT relation FROM report_contacts WHERE report_id = 2"), "sister");
  // Acceptance events before the decisions', as the per-report calls write them.
  EXPECT_EQ(db.RawQuery("SELECT string_agg(type::text, ',' ORDER BY seq) FROM history"),
            std::to_string(static_cast<int>(EventType::kReportAccepted)) + "," +
                std::to_string(static_cast<int>(EventType::kReportAccepted)) + "," +
                std::to_string(static_cast<int>(EventType::kReportAccepted)) + "," +
                std::to_string(static_cast<int>(EventType::kVictimCreated)) + "," +
                std::to_string(static_cast<int>(EventType::kReportAttached)) + "," +
                std::to_string(static_cast<int>(EventType::kVictimCreated)));
  {
    // A read between acceptance and decisions: the reports are there, pending.
    auto t = store->Begin(Store::Mode::kWrite);
    ASSERT_TRUE(t.ok());
    std::vector<Report> reports = {MakeReport("feed", "b1", "Four"),
                                   MakeReport("feed", "b2", "Five")};
    auto a = (*t)->AcceptReports(Pointers(reports), nullptr);
    ASSERT_TRUE(a.ok());
    auto res = (*t)->GetResolution((*a)[1].report_id);
    ASSERT_TRUE(res.ok()) << res.status().ToString();
    EXPECT_EQ(*res, Resolution::kPending);
    auto d = (*t)->Decisions();
    for (const AcceptOutcome& o : *a) {
      ASSERT_TRUE(d->Attach(o.report_id, 1, Resolution::kAttached, "engine", "").ok());
    }
    Status f = d->Flush();
    ASSERT_TRUE(f.ok()) << f.ToString();
    ASSERT_TRUE((*t)->Commit().ok());
  }
  EXPECT_EQ(places(), first + " " + at(4, 6, attached) + " " + at(5, 7, attached));
  {
    // Abandoned after acceptance: rolled back, nothing written.
    auto t = store->Begin(Store::Mode::kWrite);
    ASSERT_TRUE(t.ok());
    std::vector<Report> reports = {MakeReport("feed", "c1", "Six")};
    ASSERT_TRUE((*t)->AcceptReports(Pointers(reports), nullptr).ok());
  }
  {
    // Accepted and committed without decisions (a non-matcher): pending, and
    // a second acceptance in the same transaction sees the first's rows.
    auto t = store->Begin(Store::Mode::kWrite);
    ASSERT_TRUE(t.ok());
    std::vector<Report> reports = {MakeReport("feed", "d1", "Seven")};
    auto a = (*t)->AcceptReports(Pointers(reports), nullptr);
    ASSERT_TRUE(a.ok());
    auto again = (*t)->AcceptReports(Pointers(reports), nullptr);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ((*again)[0].kind, AcceptOutcome::Kind::kDuplicate);
    EXPECT_EQ((*again)[0].report_id, (*a)[0].report_id);
    ASSERT_TRUE((*t)->Commit().ok());
  }
  const std::string all = places();
  EXPECT_EQ(all.substr(0, all.rfind(' ')),
            first + " " + at(4, 6, attached) + " " + at(5, 7, attached));
  EXPECT_NE(all.find("@(0,8)=" + std::to_string(pending)), std::string::npos) << all;
  EXPECT_EQ(db.RawQuery("SELECT count(*) FROM reports"), "6");
}

// A statement of the batch's decisions fails (here a constraint added to the
// real schema refuses review candidates): the decisions are rolled back whole
// and the batch is in the inbox alone, as the pipeline's contract says.
TEST(PgBulk, FailedDecisionsLeaveOnlyTheInbox) {
  TestDatabase db("postgres");
  auto store = Open(db);
  ASSERT_TRUE(store);
  ASSERT_TRUE(
      db.RawExec("ALTER TABLE review_candidates ADD CONSTRAINT refuse CHECK (score < 0)").ok());
  Register r = PipelineOn(store.get());
  auto batches = Batches();
  std::vector<IncomingRecord> batch;
  for (auto& b : batches) {
    for (auto& rec : b) batch.push_back(std::move(rec));
  }
  const size_t n = batch.size();
  auto out = r.pipeline->Process(std::move(batch));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  int64_t pending = 0;
  for (const RecordOutcome& o : *out) pending += o.decision == "pending";
  EXPECT_GT(pending, 500);
  // The index learnt the batch while its decisions were being written; the
  // writing failed, so it forgot them again.
  EXPECT_EQ(r.engine->indexed_reports(), 0u);
  auto t = store->Begin(Store::Mode::kRead);
  ASSERT_TRUE(t.ok());
  auto c = (*t)->GetCounts();
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->victims, 0);
  EXPECT_EQ(c->pending_reviews, 0);
  EXPECT_EQ(c->pending_match, pending);
  EXPECT_EQ(c->reports, pending);
  EXPECT_GT(c->quarantined, 0);
  EXPECT_LT(c->reports + c->quarantined, static_cast<int64_t>(n));  // the duplicate
  auto events = (*t)->EventsSince(0, 100000);
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(static_cast<int64_t>(events->size()), c->reports);
  for (const HistoryEvent& e : *events) {
    EXPECT_TRUE(e.type == EventType::kReportAccepted || e.type == EventType::kReportNewVersion);
  }
}

}  // namespace
}  // namespace qayd
