#include "store/pg_txn.h"

#include <algorithm>
#include <cstdio>
#include <initializer_list>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "model/report_json.h"

namespace qayd::store {
namespace {

// A PostgreSQL array literal in text form ("{1,NULL,\"a\\\"b\"}"), bound as
// one text parameter and cast in the statement (?::bigint[]).
class Array {
 public:
  void Add(int64_t v) { Next() += std::to_string(v); }
  void Add(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v);  // as PgStmt binds a double
    Next() += buf;
  }
  void Add(const std::string& v) {
    std::string& s = Next();
    s += '"';
    for (char c : v) {
      if (c == '"' || c == '\\') s += '\\';
      s += c;
    }
    s += '"';
  }
  void Add(const std::optional<int64_t>& v) {
    if (v)
      Add(*v);
    else
      Next() += "NULL";
  }
  size_t size() const { return n_; }
  std::string Text() const { return text_ + "}"; }

 private:
  std::string& Next() {
    if (n_++ > 0) text_ += ',';
    return text_;
  }
  std::string text_ = "{";
  size_t n_ = 0;
};

// Runs `sql` with the arrays bound in order; the first column of the first
// row (0 when there is none or it is NULL).
Result<int64_t> RunArrays(sql::Conn& conn, const char* sql,
                          std::initializer_list<const Array*> arrays) {
  auto st = conn.Prepare(sql);
  if (!st.ok()) return st.status();
  int i = 0;
  std::vector<std::string> texts;
  texts.reserve(arrays.size());
  for (const Array* a : arrays) texts.push_back(a->Text());
  for (const std::string& t : texts) (*st)->Bind(++i, t);
  auto row = (*st)->Step();
  if (!row.ok()) return row.status();
  int64_t v = *row && !(*st)->IsNull(0) ? (*st)->Int(0) : 0;
  (*st)->Reset();
  return v;
}

// Reserves `n` consecutive values of the serial column's sequence; returns
// the first. Needs the writer lock (see pg_txn.h).
Result<int64_t> Reserve(sql::Conn& conn, const char* table, const char* column, int64_t n) {
  const std::string seq = std::string("pg_get_serial_sequence('") + table + "', '" + column + "')";
  auto st = conn.Prepare("SELECT setval(" + seq + ", nextval(" + seq + ") + ? - 1)");
  if (!st.ok()) return st.status();
  (*st)->Bind(1, n);
  auto row = (*st)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Error(ErrorCode::kInternal, "sequence reservation returned no row");
  int64_t last = (*st)->Int(0);
  (*st)->Reset();
  return last - n + 1;
}

struct PendingEvent {
  EventType type;
  int64_t victim = 0, other = 0, report = 0;
  std::string actor, details;
  int64_t at_ms = 0;
  int64_t review = -1;  // kReviewQueued of the batch's review item #review: details {"item": id}
};

// Inserts `events` in order with seq numbers reserved for them.
Status InsertEvents(sql::Conn& conn, const std::vector<PendingEvent>& events,
                    const std::vector<int64_t>& review_ids = {}) {
  if (events.empty()) return Status::Ok();
  auto first = Reserve(conn, "history", "seq", static_cast<int64_t>(events.size()));
  if (!first.ok()) return first.status();
  Array seq, at, type, victim, other, report, actor, details;
  int64_t next = *first;
  for (const PendingEvent& e : events) {
    seq.Add(next++);
    at.Add(e.at_ms);
    type.Add(static_cast<int64_t>(e.type));
    victim.Add(e.victim);
    other.Add(e.other);
    report.Add(e.report);
    actor.Add(e.actor);
    details.Add(e.review >= 0 ? "{\"item\":" + std::to_string(review_ids[e.review]) + "}"
                              : (e.details.empty() ? std::string("{}") : e.details));
  }
  return RunArrays(conn,
                   "INSERT INTO history(seq, at_ms, type, victim_id, other_victim_id, report_id, "
                   "actor, details) SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], "
                   "?::bigint[], ?::bigint[], ?::bigint[], ?::text[], ?::text[])",
                   {&seq, &at, &type, &victim, &other, &report, &actor, &details})
      .status();
}

std::string Key(const Report& r) { return r.source + '\0' + r.source_record_id; }

}  // namespace

// The batch's accepted rows until the decisions (or any other statement)
// write them: see pg_txn.h.
class DeferredConn : public sql::Conn {
 public:
  struct Rows {
    int64_t first = 0;  // ids first .. first + count - 1, in order
    int64_t count = 0;
    Array id, source, record, version, received, raw, fields, governorate, death;
    Array contact_ids, relations, contacts;
    std::vector<PendingEvent> events;
  };

  explicit DeferredConn(sql::Conn& raw) : raw_(raw) {}

  sql::Conn& raw() { return raw_; }
  void Defer(Rows rows) { rows_ = std::move(rows); }
  // The ids of the held rows, [first, end); empty when none are held.
  std::pair<int64_t, int64_t> Held() const {
    return rows_ ? std::pair(rows_->first, rows_->first + rows_->count)
                 : std::pair<int64_t, int64_t>(0, 0);
  }
  // Inserts the held rows (none: Ok), each with its resolution in
  // `resolutions` (nullptr, or not in it: pending). They are dropped either
  // way: a failure leaves the transaction to be rolled back.
  Status Write(const std::unordered_map<int64_t, Resolution>* resolutions) {
    if (!rows_) return Status::Ok();
    Rows rows = std::move(*rows_);
    rows_.reset();
    Array resolution;
    for (int64_t id = rows.first; id < rows.first + rows.count; ++id) {
      Resolution res = Resolution::kPending;
      if (resolutions != nullptr) {
        if (auto it = resolutions->find(id); it != resolutions->end()) res = it->second;
      }
      resolution.Add(static_cast<int64_t>(res));
    }
    auto r =
        RunArrays(raw_,
                  "INSERT INTO reports(id, source, source_record_id, version, received_at_ms, "
                  "raw_payload, fields, resolution, governorate, death_day) SELECT * FROM "
                  "unnest(?::bigint[], ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::text[], "
                  "?::text[], ?::bigint[], ?::text[], ?::bigint[])",
                  {&rows.id, &rows.source, &rows.record, &rows.version, &rows.received, &rows.raw,
                   &rows.fields, &resolution, &rows.governorate, &rows.death});
    if (!r.ok()) return r.status();
    if (rows.contact_ids.size() > 0) {
      r = RunArrays(raw_,
                    "INSERT INTO report_contacts(report_id, relation, contact) "
                    "SELECT * FROM unnest(?::bigint[], ?::text[], ?::text[])",
                    {&rows.contact_ids, &rows.relations, &rows.contacts});
      if (!r.ok()) return r.status();
    }
    return InsertEvents(raw_, rows.events);
  }

  Result<sql::Stmt*> Prepare(const std::string& sql) override {
    if (Status s = Write(nullptr); !s.ok()) return s;
    return raw_.Prepare(sql);
  }
  Status Exec(const std::string& sql) override {
    if (sql == "ROLLBACK") {
      rows_.reset();
    } else if (Status s = Write(nullptr); !s.ok()) {
      return s;
    }
    return raw_.Exec(sql);
  }
  const char* dialect() const override { return raw_.dialect(); }

 private:
  sql::Conn& raw_;
  std::optional<Rows> rows_;
};

namespace {

// --- decisions ---------------------------------------------------------------------------

class PgDecisions : public DecisionWriter {
 public:
  explicit PgDecisions(DeferredConn& deferred) : conn_(deferred.raw()), deferred_(deferred) {}

  Result<int64_t> NewVictim(int64_t report_id, VictimState state, Resolution resolution,
                            const std::string& actor, const std::string& details_json) override {
    if (state == VictimState::kAbsorbed) {
      return Error(ErrorCode::kInvalidInput, "a new victim cannot be absorbed");
    }
    if (Status s = CheckDetails(details_json); !s.ok()) return s;
    if (Status s = Own(report_id, 0); !s.ok()) return s;
    if (b_.next_victim == 0) {
      // The first of the batch: the rest follow it (setval at Flush).
      auto st = conn_.Prepare("SELECT nextval(pg_get_serial_sequence('victims', 'id'))");
      if (!st.ok()) return st.status();
      auto row = (*st)->Step();
      if (!row.ok()) return row.status();
      if (!*row) return Error(ErrorCode::kInternal, "nextval returned no row");
      b_.next_victim = (*st)->Int(0);
      (*st)->Reset();
    }
    const int64_t id = b_.next_victim++;
    b_.created.insert(id);
    b_.victim_ids.Add(id);
    b_.victim_states.Add(static_cast<int64_t>(state));
    b_.victim_created.Add(NowMs());
    b_.owner[report_id] = id;
    b_.member_reports.Add(report_id);
    b_.member_victims.Add(id);
    b_.resolutions[report_id] = resolution;
    b_.events.push_back(
        {EventType::kVictimCreated, id, 0, report_id, actor, details_json, NowMs()});
    return id;
  }

  Status Attach(int64_t report_id, int64_t victim_id, Resolution resolution,
                const std::string& actor, const std::string& details_json) override {
    if (Status s = CheckDetails(details_json); !s.ok()) return s;
    auto it = b_.owner.find(report_id);
    if (it == b_.owner.end() || it->second != victim_id) {
      if (Status s = Own(report_id, victim_id); !s.ok()) return s;
      if (!b_.created.count(victim_id)) b_.targets.Add(victim_id);
      b_.member_reports.Add(report_id);
      b_.member_victims.Add(victim_id);
      b_.events.push_back(
          {EventType::kReportAttached, victim_id, 0, report_id, actor, details_json, NowMs()});
    }
    b_.resolutions[report_id] = resolution;
    return Status::Ok();
  }

  Status QueueReview(const ReviewItem& item) override {
    if (!b_.resolutions.count(item.report_id)) b_.existing_reports.Add(item.report_id);
    double top = item.top_score;
    if (top == 0) {
      for (const auto& c : item.candidates) top = std::max(top, c.score);
    }
    const int64_t n = b_.review_count++;
    b_.review_reports.Add(item.report_id);
    b_.review_victims.Add(item.provisional_victim_id);
    b_.review_top.Add(top);
    b_.review_created.Add(item.created_at_ms ? item.created_at_ms : NowMs());
    b_.review_explanations.Add(item.explanation);
    int64_t rank = 0;
    for (const auto& c : item.candidates) {
      b_.cand_items.Add(n);
      b_.cand_ranks.Add(rank++);
      b_.cand_victims.Add(c.victim_id);
      b_.cand_scores.Add(c.score);
    }
    PendingEvent e{EventType::kReviewQueued,
                   item.provisional_victim_id,
                   0,
                   item.report_id,
                   "engine",
                   "",
                   NowMs()};
    e.review = n;
    b_.events.push_back(std::move(e));
    return Status::Ok();
  }

  Status Flush() override {
    Status s = Write();
    b_ = Buffered();
    return s;
  }

 private:
  // The report's owner within the batch; the store's is checked at Flush.
  Status Own(int64_t report_id, int64_t victim_id) {
    auto [it, fresh] = b_.owner.emplace(report_id, victim_id);
    if (!fresh) {
      return Error(ErrorCode::kConflict, "report " + std::to_string(report_id) +
                                             " already belongs to victim " +
                                             std::to_string(it->second));
    }
    return Status::Ok();
  }

  Status Write() {
    if (b_.events.empty() && b_.resolutions.empty()) return Status::Ok();
    // The batch's accepted reports, if still held, with their resolutions:
    // only the others are updated below.
    const auto [held, held_end] = deferred_.Held();
    if (Status s = deferred_.Write(&b_.resolutions); !s.ok()) return s;
    // The checks the per-report calls make, one statement each for the batch.
    if (b_.member_reports.size() > 0) {
      auto st = conn_.Prepare(
          "SELECT m.report_id, m.victim_id FROM membership m "
          "WHERE m.report_id = ANY(?::bigint[]) ORDER BY m.report_id LIMIT 1");
      if (!st.ok()) return st.status();
      (*st)->Bind(1, b_.member_reports.Text());
      auto row = (*st)->Step();
      if (!row.ok()) return row.status();
      if (*row) {
        std::string msg = "report " + std::to_string((*st)->Int(0)) +
                          " already belongs to victim " + std::to_string((*st)->Int(1));
        (*st)->Reset();
        return Error(ErrorCode::kConflict, msg);
      }
    }
    if (b_.targets.size() > 0) {
      auto st = conn_.Prepare(
          "SELECT t.id, v.state FROM unnest(?::bigint[]) AS t(id) LEFT JOIN victims v "
          "ON v.id = t.id WHERE v.id IS NULL OR v.state = ? ORDER BY t.id LIMIT 1");
      if (!st.ok()) return st.status();
      (*st)->Bind(1, b_.targets.Text());
      (*st)->Bind(2, static_cast<int64_t>(VictimState::kAbsorbed));
      auto row = (*st)->Step();
      if (!row.ok()) return row.status();
      if (*row) {
        const std::string id = std::to_string((*st)->Int(0));
        const bool missing = (*st)->IsNull(1);
        (*st)->Reset();
        return missing ? Error(ErrorCode::kNotFound, "victim " + id + " not found")
                       : Error(ErrorCode::kConflict, "victim " + id + " is absorbed");
      }
    }
    Array res_ids, res_values;
    for (const auto& [id, r] : b_.resolutions) {
      if (id >= held && id < held_end) continue;
      res_ids.Add(id);
      res_values.Add(static_cast<int64_t>(r));
    }
    if (res_ids.size() > 0) {
      auto updated = RunArrays(conn_,
                               "WITH u AS (UPDATE reports SET resolution = t.res FROM "
                               "unnest(?::bigint[], ?::bigint[]) AS t(id, res) "
                               "WHERE reports.id = t.id RETURNING 1) SELECT count(*) FROM u",
                               {&res_ids, &res_values});
      if (!updated.ok()) return updated.status();
      if (*updated != static_cast<int64_t>(res_ids.size())) {
        return Error(ErrorCode::kNotFound, "a decided report was not found");
      }
    }
    if (b_.existing_reports.size() > 0) {
      auto found = RunArrays(conn_, "SELECT count(*) FROM reports WHERE id = ANY(?::bigint[])",
                             {&b_.existing_reports});
      if (!found.ok()) return found.status();
      if (*found != static_cast<int64_t>(b_.existing_reports.size())) {
        return Error(ErrorCode::kNotFound, "a reviewed report was not found");
      }
    }
    if (b_.victim_ids.size() > 0) {
      auto r = RunArrays(conn_,
                         "INSERT INTO victims(id, state, merged_into, corroboration, "
                         "created_at_ms) SELECT t.id, t.state, NULL, 0, t.at FROM "
                         "unnest(?::bigint[], ?::bigint[], ?::bigint[]) AS t(id, state, at)",
                         {&b_.victim_ids, &b_.victim_states, &b_.victim_created});
      if (!r.ok()) return r.status();
      auto st = conn_.Prepare("SELECT setval(pg_get_serial_sequence('victims', 'id'), ?)");
      if (!st.ok()) return st.status();
      (*st)->Bind(1, b_.next_victim - 1);
      auto row = (*st)->Step();
      if (!row.ok()) return row.status();
      (*st)->Reset();
    }
    if (b_.member_reports.size() > 0) {
      auto r = RunArrays(conn_,
                         "INSERT INTO membership(report_id, victim_id) "
                         "SELECT * FROM unnest(?::bigint[], ?::bigint[])",
                         {&b_.member_reports, &b_.member_victims});
      if (!r.ok()) return r.status();
    }
    std::vector<int64_t> review_ids;
    if (b_.review_count > 0) {
      auto first = Reserve(conn_, "review_items", "id", b_.review_count);
      if (!first.ok()) return first.status();
      Array ids, cand_item_ids;
      for (int64_t i = 0; i < b_.review_count; ++i) {
        review_ids.push_back(*first + i);
        ids.Add(*first + i);
      }
      auto r = RunArrays(conn_,
                         "INSERT INTO review_items(id, report_id, provisional_victim_id, "
                         "top_score, state, created_at_ms, explanation) SELECT t.id, t.r, t.v, "
                         "t.top, 0, t.at, t.e FROM unnest(?::bigint[], ?::bigint[], "
                         "?::bigint[], ?::float8[], ?::bigint[], ?::text[]) AS t(id, r, v, top, "
                         "at, e)",
                         {&ids, &b_.review_reports, &b_.review_victims, &b_.review_top,
                          &b_.review_created, &b_.review_explanations});
      if (!r.ok()) return r.status();
      if (b_.cand_items.size() > 0) {
        // Candidates name their item by its index in the batch.
        // Candidates name their item by its index in the batch.
        auto st = conn_.Prepare(
            "INSERT INTO review_candidates(item_id, rank, victim_id, score) "
            "SELECT ?::bigint + t.i, t.rank, t.v, t.s FROM unnest(?::bigint[], ?::bigint[], "
            "?::bigint[], ?::float8[]) AS t(i, rank, v, s)");
        if (!st.ok()) return st.status();
        const std::string a = b_.cand_items.Text(), b = b_.cand_ranks.Text(),
                          c = b_.cand_victims.Text(), d = b_.cand_scores.Text();
        (*st)->Bind(1, *first);
        (*st)->Bind(2, a);
        (*st)->Bind(3, b);
        (*st)->Bind(4, c);
        (*st)->Bind(5, d);
        auto row = (*st)->Step();
        if (!row.ok()) return row.status();
        (*st)->Reset();
      }
    }
    return InsertEvents(conn_, b_.events, review_ids);
  }

  sql::Conn& conn_;  // the raw connection: the batch's held reports are written first
  DeferredConn& deferred_;
  // What the calls since the last Flush wrote, as the statements' arrays.
  struct Buffered {
    int64_t next_victim = 0;  // 0: no victim id drawn yet
    std::unordered_set<int64_t> created;
    std::unordered_map<int64_t, int64_t> owner;  // report -> victim decided in this batch
    std::unordered_map<int64_t, Resolution> resolutions;
    Array victim_ids, victim_states, victim_created;
    Array member_reports, member_victims, targets, existing_reports;
    int64_t review_count = 0;
    Array review_reports, review_victims, review_top, review_created, review_explanations;
    Array cand_items, cand_ranks, cand_victims, cand_scores;
    std::vector<PendingEvent> events;
  } b_;
};

}  // namespace

PgDeferredHolder::PgDeferredHolder(sql::Conn& raw)
    : deferred(std::make_unique<DeferredConn>(raw)) {}
PgDeferredHolder::~PgDeferredHolder() = default;

PgTxn::PgTxn(sql::Conn& conn, std::function<void()> release)
    : PgDeferredHolder(conn), SqlTxn(*deferred, std::move(release)) {}

std::unique_ptr<DecisionWriter> PgTxn::Decisions() {
  return std::make_unique<PgDecisions>(*deferred);
}

// --- acceptance --------------------------------------------------------------------------------

Result<std::vector<AcceptOutcome>> PgTxn::AcceptReports(const std::vector<const Report*>& reports,
                                                        const AcceptedFn& on_accepted) {
  std::vector<AcceptOutcome> out(reports.size());
  if (reports.empty()) return out;
  for (const Report* r : reports) {
    if (r->source.empty() || r->source_record_id.empty()) {
      return Error(ErrorCode::kInvalidInput, "report needs source and source_record_id");
    }
  }
  // The latest version of each source record, stored or of this batch.
  struct Latest {
    int64_t id = 0;    // stored report id (0: a row of this batch)
    int64_t row = -1;  // the batch's row
    int64_t version = 0;
    std::string raw, fields;
    int64_t victim = 0;
  };
  std::unordered_map<std::string, Latest> latest;
  {
    Array sources, ids;
    std::unordered_set<std::string> seen;
    for (const Report* r : reports) {
      if (seen.insert(Key(*r)).second) {
        sources.Add(r->source);
        ids.Add(r->source_record_id);
      }
    }
    auto st = conn().Prepare(
        "SELECT DISTINCT ON (r.source, r.source_record_id) r.source, r.source_record_id, r.id, "
        "r.version, r.raw_payload, r.fields, COALESCE(m.victim_id, 0) FROM reports r "
        "JOIN unnest(?::text[], ?::text[]) AS k(s, i) ON r.source = k.s AND "
        "r.source_record_id = k.i LEFT JOIN membership m ON m.report_id = r.id "
        "ORDER BY r.source, r.source_record_id, r.version DESC");
    if (!st.ok()) return st.status();
    const std::string s_text = sources.Text(), i_text = ids.Text();
    (*st)->Bind(1, s_text);
    (*st)->Bind(2, i_text);
    for (;;) {
      auto row = (*st)->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      Latest l;
      l.id = (*st)->Int(2);
      l.version = (*st)->Int(3);
      l.raw = (*st)->Text(4);
      l.fields = (*st)->Text(5);
      l.victim = (*st)->Int(6);
      latest[(*st)->Text(0) + '\0' + (*st)->Text(1)] = std::move(l);
    }
  }
  // Classify in order, as AcceptReport one by one would.
  struct Row {
    size_t at;  // into reports
    int64_t version, received_at;
    int64_t previous_row = -1;  // a new version of this batch's row
    std::string fields;
  };
  std::vector<Row> rows;
  std::vector<int64_t> duplicate_of_row(reports.size(), -1);
  for (size_t i = 0; i < reports.size(); ++i) {
    const Report& r = *reports[i];
    Latest& l = latest[Key(r)];
    Row row{i, 1, r.received_at_ms != 0 ? r.received_at_ms : NowMs(), -1, {}};
    if (l.id != 0 || l.row >= 0) {
      if (l.raw == r.raw_payload || SameContent(l.fields, r)) {
        out[i].kind = AcceptOutcome::Kind::kDuplicate;
        out[i].report_id = l.id;
        out[i].victim_id = l.victim;
        duplicate_of_row[i] = l.row;
        continue;
      }
      out[i].kind = AcceptOutcome::Kind::kNewVersion;
      out[i].previous_report_id = l.id;
      row.previous_row = l.row;
      row.version = l.version + 1;
    }
    row.fields = ReportToJson(r, {.include_contact = false,
                                  .version = static_cast<int>(row.version),
                                  .received_at_ms = row.received_at});
    l = Latest{0, static_cast<int64_t>(rows.size()), row.version, r.raw_payload, row.fields, 0};
    rows.push_back(std::move(row));
  }
  if (!rows.empty()) {
    auto first = Reserve(conn(), "reports", "id", static_cast<int64_t>(rows.size()));
    if (!first.ok()) return first.status();
    // Held until the decisions (or any other statement) write them.
    DeferredConn::Rows held;
    held.first = *first;
    held.count = static_cast<int64_t>(rows.size());
    std::vector<PendingEvent>& events = held.events;
    events.reserve(rows.size());
    for (size_t k = 0; k < rows.size(); ++k) {
      const Row& row = rows[k];
      const Report& r = *reports[row.at];
      AcceptOutcome& o = out[row.at];
      o.report_id = *first + static_cast<int64_t>(k);
      if (row.previous_row >= 0) o.previous_report_id = *first + row.previous_row;
      held.id.Add(o.report_id);
      held.source.Add(r.source);
      held.record.Add(r.source_record_id);
      held.version.Add(row.version);
      held.received.Add(row.received_at);
      held.raw.Add(r.raw_payload);
      held.fields.Add(row.fields);
      held.governorate.Add(r.place_of_death.governorate);
      held.death.Add(DeathDay(r));
      if (!r.submitter_relation.empty() || !r.submitter_contact.empty()) {
        held.contact_ids.Add(o.report_id);
        held.relations.Add(r.submitter_relation);
        held.contacts.Add(r.submitter_contact);
      }
      if (o.kind == AcceptOutcome::Kind::kNew) {
        events.push_back({EventType::kReportAccepted, 0, 0, o.report_id, "engine", "{}", NowMs()});
      } else {
        events.push_back({EventType::kReportNewVersion, 0, 0, o.report_id, "engine",
                          "{\"previous_report_id\":" + std::to_string(o.previous_report_id) +
                              ",\"version\":" + std::to_string(row.version) + "}",
                          NowMs()});
      }
    }
    for (size_t i = 0; i < reports.size(); ++i) {
      if (duplicate_of_row[i] >= 0) out[i].report_id = *first + duplicate_of_row[i];
    }
    deferred->Defer(std::move(held));
  }
  if (on_accepted) {
    for (size_t i = 0; i < out.size(); ++i) on_accepted(i, out[i]);
  }
  return out;
}

}  // namespace qayd::store
