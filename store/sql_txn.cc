#include "store/sql_txn.h"

#include <rapidjson/document.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <chrono>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>

#include "base/json_parse.h"
#include "model/report_json.h"

#define QAYD_TRY(expr)       \
  do {                       \
    Status _s = (expr);      \
    if (!_s.ok()) return _s; \
  } while (0)
#define QAYD_CAT2(a, b) a##b
#define QAYD_CAT(a, b) QAYD_CAT2(a, b)
#define QAYD_ASSIGN(lhs, expr)                                              \
  auto QAYD_CAT(_r, __LINE__) = (expr);                                     \
  if (!QAYD_CAT(_r, __LINE__).ok()) return QAYD_CAT(_r, __LINE__).status(); \
  lhs = std::move(*QAYD_CAT(_r, __LINE__))

namespace qayd::store {

// The victim a report belongs to (0: none yet); no row when there is no such report.
#define QAYD_OWNER_OF_REPORT                                               \
  "SELECT COALESCE(m.victim_id, 0) FROM reports r LEFT JOIN membership m " \
  "ON m.report_id = r.id WHERE r.id = ?"

const char* const kReportColumns =
    "r.id, r.source, r.source_record_id, r.version, r.received_at_ms, r.raw_payload, r.fields";

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Result<Report> ReadReport(sql::Stmt& st, int c) {
  Report r;
  std::vector<FieldError> errors;
  std::string fields = st.Text(c + 6);
  if (!ReportFromJsonText(fields, &r, &errors)) {
    return Error(ErrorCode::kInternal, "stored report " + std::to_string(st.Int(c)) +
                                           " does not parse: " + FieldErrorsToJson(errors));
  }
  r.id = st.Int(c);
  r.source = st.Text(c + 1);
  r.source_record_id = st.Text(c + 2);
  r.version = static_cast<int>(st.Int(c + 3));
  r.received_at_ms = st.Int(c + 4);
  r.raw_payload = st.Text(c + 5);
  return r;
}

namespace {

void BindOne(sql::Stmt& s, int i, int64_t v) { s.Bind(i, v); }
void BindOne(sql::Stmt& s, int i, int v) { s.Bind(i, static_cast<int64_t>(v)); }
void BindOne(sql::Stmt& s, int i, double v) { s.Bind(i, v); }
void BindOne(sql::Stmt& s, int i, const std::string& v) { s.Bind(i, v); }
void BindOne(sql::Stmt& s, int i, std::optional<int64_t> v) {
  if (v)
    s.Bind(i, *v);
  else
    s.BindNull(i);
}

template <typename... A>
void BindAll(sql::Stmt& s, const A&... a) {
  int i = 0;
  (BindOne(s, ++i, a), ...);
}

// Runs a statement, discarding any rows.
template <typename... A>
Status Run(sql::Conn& c, const std::string& sql, const A&... a) {
  auto st = c.Prepare(sql);
  if (!st.ok()) return st.status();
  BindAll(**st, a...);
  while (true) {
    auto r = (*st)->Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
  }
  return Status::Ok();
}

// The first column of the first row (nullopt when there is no row).
template <typename... A>
Result<std::optional<int64_t>> One(sql::Conn& c, const std::string& sql, const A&... a) {
  auto st = c.Prepare(sql);
  if (!st.ok()) return st.status();
  BindAll(**st, a...);
  auto r = (*st)->Step();
  if (!r.ok()) return r.status();
  std::optional<int64_t> v;
  if (*r) v = (*st)->IsNull(0) ? 0 : (*st)->Int(0);
  (*st)->Reset();
  return v;
}

// Whether `text` is one well-formed JSON object. Parsed without building a
// document (the engine's details carry a whole explanation, per decision).
struct RootIsObject : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, RootIsObject> {
  bool seen = false, object = false;
  bool Default() {
    if (!seen) seen = true;
    return object;  // a root that is not an object: stop at once
  }
  bool StartObject() {
    if (!seen) seen = object = true;
    return true;
  }
};

bool IsJsonObject(const std::string& text) {
  RootIsObject handler;
  return ParseJsonSax(text, &handler).ok() && handler.object;
}

// Builds an event's details: the store's fields followed by the caller's
// members (the caller's text must be a JSON object or empty).
class Details {
 public:
  Details() { w_.StartObject(); }
  Details& Int(const char* k, int64_t v) {
    w_.Key(k);
    w_.Int64(v);
    return *this;
  }
  Details& Str(const char* k, const std::string& v) {
    w_.Key(k);
    w_.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
    return *this;
  }
  Details& Ints(const char* k, const std::vector<int64_t>& v) {
    w_.Key(k);
    w_.StartArray();
    for (int64_t x : v) w_.Int64(x);
    w_.EndArray();
    return *this;
  }
  std::string Merge(const std::string& caller) {
    w_.EndObject();
    std::string ours = buf_.GetString();
    size_t b = caller.find_first_not_of(" \t\r\n");
    size_t e = caller.find_last_not_of(" \t\r\n");
    if (b == std::string::npos) return ours;
    std::string inner = caller.substr(b + 1, e - b - 1);
    if (inner.find_first_not_of(" \t\r\n") == std::string::npos) return ours;
    if (ours == "{}") return "{" + inner + "}";
    ours.pop_back();
    return ours + "," + inner + "}";
  }

 private:
  rapidjson::StringBuffer buf_;
  rapidjson::Writer<rapidjson::StringBuffer> w_{buf_};
};

}  // namespace

// Whether a re-delivered record says what its latest stored version (`fields`)
// says: the same fields, whatever the order of keys, the spacing or the feed
// fields qayd ignores. Only a real change makes a new version, so a feed whose
// bytes change on every poll does not pile up versions of one record.
bool SameContent(const std::string& fields, const Report& incoming) {
  Report stored;
  std::vector<FieldError> errors;
  if (!ReportFromJsonText(fields, &stored, &errors)) return false;
  const ReportJsonOptions content{.include_provenance = false};
  return ReportToJson(stored, content) == ReportToJson(incoming, content);
}

Status CheckDetails(const std::string& details) {
  if (details.empty() || IsJsonObject(details)) return Status::Ok();
  return Error(ErrorCode::kInvalidInput, "details must be a JSON object");
}

std::optional<int64_t> DeathDay(const Report& r) {
  if (!r.date_of_death.known()) return std::nullopt;
  return r.date_of_death.DaysSinceEpoch();
}

namespace {

// The history columns in ReadEvent's order, qualified by `table` (a join's
// alias) unless it is empty.
std::string HistoryColumnsOf(const std::string& table) {
  std::string out;
  for (const char* c :
       {"seq", "at_ms", "type", "victim_id", "other_victim_id", "report_id", "actor", "details"}) {
    out += (out.empty() ? "" : ", ") + (table.empty() ? "" : table + ".") + c;
  }
  return out;
}

const std::string kHistoryColumns = HistoryColumnsOf("");

HistoryEvent ReadEvent(sql::Stmt& st) {
  HistoryEvent e;
  e.seq = st.Int(0);
  e.at_ms = st.Int(1);
  e.type = static_cast<EventType>(st.Int(2));
  e.victim_id = st.Int(3);
  e.other_victim_id = st.Int(4);
  e.report_id = st.Int(5);
  e.actor = st.Text(6);
  e.details = st.Text(7);
  return e;
}

const char* kReviewColumns =
    "i.id, i.report_id, i.provisional_victim_id, i.top_score, i.state, i.claimed_by, "
    "i.lease_expires_ms, i.created_at_ms, i.explanation, i.decision, i.decided_by, "
    "i.decided_at_ms";

ReviewItem ReadReviewItem(sql::Stmt& st) {
  ReviewItem it;
  it.id = st.Int(0);
  it.report_id = st.Int(1);
  it.provisional_victim_id = st.Int(2);
  it.top_score = st.Real(3);
  it.state = static_cast<ReviewState>(st.Int(4));
  it.claimed_by = st.Text(5);
  it.lease_expires_ms = st.Int(6);
  it.created_at_ms = st.Int(7);
  it.explanation = st.Text(8);
  it.decision = st.Text(9);
  it.decided_by = st.Text(10);
  it.decided_at_ms = st.Int(11);
  return it;
}

const char* kQuarantineColumns =
    "id, source, source_record_id, raw, reasons, received_at_ms, replayed_report_id";

QuarantineRecord ReadQuarantine(sql::Stmt& st) {
  QuarantineRecord q;
  q.id = st.Int(0);
  q.source = st.Text(1);
  q.source_record_id = st.Text(2);
  q.raw = st.Text(3);
  q.reasons = st.Text(4);
  q.received_at_ms = st.Int(5);
  q.replayed_report_id = st.Int(6);
  return q;
}

Status NotFound(const char* what, int64_t id) {
  return Error(ErrorCode::kNotFound, std::string(what) + " " + std::to_string(id) + " not found");
}

}  // namespace

SqlTxn::SqlTxn(sql::Conn& conn, std::function<void()> release)
    : conn_(conn), release_(std::move(release)) {}

SqlTxn::~SqlTxn() {
  if (!done_) (void)Finish("ROLLBACK");  // abandoned: nothing was acknowledged
}

Status SqlTxn::Finish(const char* sql) {
  done_ = true;
  Status s = conn_.Exec(sql);
  if (!s.ok() && std::string(sql) == "COMMIT")
    (void)conn_.Exec("ROLLBACK");  // COMMIT's error counts
  if (release_) release_();
  release_ = nullptr;
  return s;
}

Status SqlTxn::Commit() {
  if (done_) return Error(ErrorCode::kInternal, "transaction already finished");
  return Finish("COMMIT");
}

Result<int64_t> SqlTxn::Event(EventType type, int64_t victim, int64_t other, int64_t report,
                              const std::string& actor, const std::string& details) {
  HistoryEvent e;
  e.type = type;
  e.victim_id = victim;
  e.other_victim_id = other;
  e.report_id = report;
  e.actor = actor;
  e.details = details.empty() ? "{}" : details;
  return AppendEvent(e);
}

Result<int64_t> SqlTxn::AppendEvent(const HistoryEvent& e) {
  std::optional<int64_t> seq;
  QAYD_ASSIGN(seq, One(conn_,
                       "INSERT INTO history(at_ms, type, victim_id, other_victim_id, report_id, "
                       "actor, details) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING seq",
                       e.at_ms ? e.at_ms : NowMs(), static_cast<int64_t>(e.type), e.victim_id,
                       e.other_victim_id, e.report_id, e.actor,
                       e.details.empty() ? std::string("{}") : e.details));
  if (!seq) return Error(ErrorCode::kInternal, "history insert returned no seq");
  return *seq;
}

// --- reports -----------------------------------------------------------------------

Result<AcceptOutcome> SqlTxn::AcceptReport(const Report& report) {
  if (report.source.empty() || report.source_record_id.empty()) {
    return Error(ErrorCode::kInvalidInput, "report needs source and source_record_id");
  }
  AcceptOutcome out;
  int version = 1;
  {
    QAYD_ASSIGN(sql::Stmt * st, Query("SELECT id, version, raw_payload, fields FROM reports WHERE "
                                      "source = ? AND source_record_id = ? "
                                      "ORDER BY version DESC LIMIT 1"));
    BindAll(*st, report.source, report.source_record_id);
    QAYD_ASSIGN(bool row, st->Step());
    if (row) {
      int64_t id = st->Int(0);
      int prev_version = static_cast<int>(st->Int(1));
      bool same = st->Text(2) == report.raw_payload || SameContent(st->Text(3), report);
      st->Reset();
      if (same) {
        out.kind = AcceptOutcome::Kind::kDuplicate;
        out.report_id = id;
        return out;
      }
      out.kind = AcceptOutcome::Kind::kNewVersion;
      out.previous_report_id = id;
      version = prev_version + 1;
    }
  }
  const int64_t received_at = report.received_at_ms != 0 ? report.received_at_ms : NowMs();
  std::string fields = ReportToJson(
      report, {.include_contact = false, .version = version, .received_at_ms = received_at});
  std::optional<int64_t> id;
  QAYD_ASSIGN(id,
              One(conn_,
                  "INSERT INTO reports(source, source_record_id, version, received_at_ms, "
                  "raw_payload, fields, resolution, governorate, death_day) "
                  "VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?) RETURNING id",
                  report.source, report.source_record_id, version, received_at, report.raw_payload,
                  fields, report.place_of_death.governorate, DeathDay(report)));
  if (!id) return Error(ErrorCode::kInternal, "report insert returned no id");
  out.report_id = *id;
  if (!report.submitter_relation.empty() || !report.submitter_contact.empty()) {
    QAYD_TRY(Run(conn_,
                 "INSERT INTO report_contacts(report_id, relation, contact) VALUES (?, ?, ?)", *id,
                 report.submitter_relation, report.submitter_contact));
  }
  Result<int64_t> ev = out.kind == AcceptOutcome::Kind::kNew
                           ? Event(EventType::kReportAccepted, 0, 0, *id, "engine", "{}")
                           : Event(EventType::kReportNewVersion, 0, 0, *id, "engine",
                                   Details()
                                       .Int("previous_report_id", out.previous_report_id)
                                       .Int("version", version)
                                       .Merge(""));
  if (!ev.ok()) return ev.status();
  return out;
}

Result<Report> SqlTxn::GetReport(int64_t report_id) {
  QAYD_ASSIGN(sql::Stmt * st,
              Query(std::string("SELECT ") + kReportColumns + " FROM reports r WHERE r.id = ?"));
  BindAll(*st, report_id);
  QAYD_ASSIGN(bool row, st->Step());
  if (!row) return NotFound("report", report_id);
  auto r = ReadReport(*st, 0);
  st->Reset();
  return r;
}

Result<int64_t> SqlTxn::FindReport(const std::string& source, const std::string& source_record_id) {
  std::optional<int64_t> id;
  QAYD_ASSIGN(id, One(conn_,
                      "SELECT id FROM reports WHERE source = ? AND source_record_id = ? "
                      "ORDER BY version DESC LIMIT 1",
                      source, source_record_id));
  if (!id) return Error(ErrorCode::kNotFound, "no report for that source record");
  return *id;
}

Result<std::vector<Report>> SqlTxn::PendingReports(int limit) {
  QAYD_ASSIGN(sql::Stmt * st,
              Query(std::string("SELECT ") + kReportColumns +
                    " FROM reports r WHERE r.resolution = 0 ORDER BY r.id LIMIT ?"));
  BindAll(*st, limit);
  std::vector<Report> out;
  while (true) {
    QAYD_ASSIGN(bool row, st->Step());
    if (!row) break;
    auto r = ReadReport(*st, 0);
    if (!r.ok()) {
      st->Reset();
      return r.status();
    }
    out.push_back(std::move(*r));
  }
  return out;
}

Status SqlTxn::SetResolution(int64_t report_id, Resolution r) {
  std::optional<int64_t> id;
  QAYD_ASSIGN(id, One(conn_, "UPDATE reports SET resolution = ? WHERE id = ? RETURNING id",
                      static_cast<int64_t>(r), report_id));
  if (!id) return NotFound("report", report_id);
  return Status::Ok();
}

Result<Resolution> SqlTxn::GetResolution(int64_t report_id) {
  std::optional<int64_t> v;
  QAYD_ASSIGN(v, One(conn_, "SELECT resolution FROM reports WHERE id = ?", report_id));
  if (!v) return NotFound("report", report_id);
  return static_cast<Resolution>(*v);
}

Result<std::pair<std::string, std::string>> SqlTxn::GetContact(int64_t report_id) {
  QAYD_ASSIGN(sql::Stmt * st, Query("SELECT r.id, c.relation, c.contact FROM reports r LEFT JOIN "
                                    "report_contacts c ON c.report_id = r.id WHERE r.id = ?"));
  BindAll(*st, report_id);
  QAYD_ASSIGN(bool row, st->Step());
  if (!row) return NotFound("report", report_id);
  std::pair<std::string, std::string> out{st->Text(1), st->Text(2)};
  st->Reset();
  return out;
}

// --- victims -----------------------------------------------------------------------

Result<std::vector<int64_t>> SqlTxn::ReportsOf(int64_t victim_id) {
  QAYD_ASSIGN(sql::Stmt * st,
              Query("SELECT report_id FROM membership WHERE victim_id = ? ORDER BY report_id"));
  BindAll(*st, victim_id);
  std::vector<int64_t> ids;
  while (true) {
    QAYD_ASSIGN(bool row, st->Step());
    if (!row) break;
    ids.push_back(st->Int(0));
  }
  return ids;
}

Result<int64_t> SqlTxn::CreateVictim(int64_t report_id, VictimState state, const std::string& actor,
                                     const std::string& details_json) {
  if (state == VictimState::kAbsorbed) {
    return Error(ErrorCode::kInvalidInput, "a new victim cannot be absorbed");
  }
  QAYD_TRY(CheckDetails(details_json));
  QAYD_ASSIGN(const int64_t owner, VictimOfReport(report_id));
  if (owner != 0) {
    return Error(ErrorCode::kConflict, "report " + std::to_string(report_id) +
                                           " already belongs to victim " + std::to_string(owner));
  }
  std::optional<int64_t> id;
  QAYD_ASSIGN(id, One(conn_,
                      "INSERT INTO victims(state, merged_into, corroboration, created_at_ms) "
                      "VALUES (?, NULL, 0, ?) RETURNING id",
                      static_cast<int64_t>(state), NowMs()));
  if (!id) return Error(ErrorCode::kInternal, "victim insert returned no id");
  QAYD_TRY(
      Run(conn_, "INSERT INTO membership(report_id, victim_id) VALUES (?, ?)", report_id, *id));
  auto ev = Event(EventType::kVictimCreated, *id, 0, report_id, actor, details_json);
  if (!ev.ok()) return ev.status();
  return *id;
}

Status SqlTxn::AttachReport(int64_t report_id, int64_t victim_id, const std::string& actor,
                            const std::string& details_json) {
  QAYD_TRY(CheckDetails(details_json));
  // The victim's state (not its reports: a merge into a victim with many
  // reports stays one row read) and the report's owner, in one statement;
  // NULL where the victim or the report does not exist.
  std::optional<int64_t> state, owner;
  {
    QAYD_ASSIGN(
        sql::Stmt * st,
        Query("SELECT (SELECT state FROM victims WHERE id = ?), (" QAYD_OWNER_OF_REPORT ")"));
    BindAll(*st, victim_id, report_id);
    QAYD_ASSIGN(bool row, st->Step());
    if (!row) return Error(ErrorCode::kInternal, "attach check returned no row");
    if (!st->IsNull(0)) state = st->Int(0);
    if (!st->IsNull(1)) owner = st->Int(1);
    st->Reset();
  }
  if (!state) return NotFound("victim", victim_id);
  if (static_cast<VictimState>(*state) == VictimState::kAbsorbed) {
    return Error(ErrorCode::kConflict, "victim " + std::to_string(victim_id) + " is absorbed");
  }
  if (!owner) return NotFound("report", report_id);
  if (*owner == victim_id) return Status::Ok();
  if (*owner != 0) {
    return Error(ErrorCode::kConflict, "report " + std::to_string(report_id) +
                                           " already belongs to victim " + std::to_string(*owner));
  }
  QAYD_TRY(Run(conn_, "INSERT INTO membership(report_id, victim_id) VALUES (?, ?)", report_id,
               victim_id));
  return Event(EventType::kReportAttached, victim_id, 0, report_id, actor, details_json).status();
}

Result<Victim> SqlTxn::GetVictim(int64_t victim_id) {
  Victim v;
  {
    QAYD_ASSIGN(sql::Stmt * st, Query("SELECT id, state, COALESCE(merged_into, 0), corroboration, "
                                      "created_at_ms FROM victims WHERE id = ?"));
    BindAll(*st, victim_id);
    QAYD_ASSIGN(bool row, st->Step());
    if (!row) return NotFound("victim", victim_id);
    v.id = st->Int(0);
    v.state = static_cast<VictimState>(st->Int(1));
    v.merged_into = st->Int(2);
    v.corroboration = static_cast<Corroboration>(st->Int(3));
    v.created_at_ms = st->Int(4);
    st->Reset();
  }
  QAYD_ASSIGN(v.report_ids, ReportsOf(victim_id));
  return v;
}

Result<int64_t> SqlTxn::VictimOfReport(int64_t report_id) {
  std::optional<int64_t> v;
  QAYD_ASSIGN(v, One(conn_, QAYD_OWNER_OF_REPORT, report_id));
  if (!v) return NotFound("report", report_id);
  return *v;
}

Status SqlTxn::SetVictimState(int64_t victim_id, VictimState state, const std::string& actor) {
  QAYD_ASSIGN(Victim v, GetVictim(victim_id));
  if (state == VictimState::kAbsorbed || v.state == VictimState::kAbsorbed) {
    return Error(ErrorCode::kConflict, "absorbed state changes only by merge and undo");
  }
  if (v.state == state) return Status::Ok();
  QAYD_TRY(Run(conn_, "UPDATE victims SET state = ? WHERE id = ?", static_cast<int64_t>(state),
               victim_id));
  return Event(EventType::kStateChanged, victim_id, 0, 0, actor,
               Details()
                   .Str("from", VictimStateName(v.state))
                   .Str("to", VictimStateName(state))
                   .Merge(""))
      .status();
}

Result<int64_t> SqlTxn::MergeVictims(int64_t survivor, int64_t absorbed, const std::string& actor,
                                     const std::string& details_json) {
  if (survivor == absorbed)
    return Error(ErrorCode::kInvalidInput, "cannot merge a victim into itself");
  QAYD_TRY(CheckDetails(details_json));
  QAYD_ASSIGN(Victim s, GetVictim(survivor));
  QAYD_ASSIGN(Victim a, GetVictim(absorbed));
  if (s.state == VictimState::kAbsorbed || a.state == VictimState::kAbsorbed) {
    return Error(ErrorCode::kConflict, "cannot merge an absorbed victim");
  }
  QAYD_ASSIGN(bool different, AreDifferent(survivor, absorbed));
  if (different) {
    return Error(ErrorCode::kConflict, "victims " + std::to_string(survivor) + " and " +
                                           std::to_string(absorbed) +
                                           " are recorded as different people");
  }
  QAYD_TRY(
      Run(conn_, "UPDATE membership SET victim_id = ? WHERE victim_id = ?", survivor, absorbed));
  QAYD_TRY(Run(conn_, "UPDATE victims SET state = ?, merged_into = ? WHERE id = ?",
               static_cast<int64_t>(VictimState::kAbsorbed), survivor, absorbed));
  std::string details = Details()
                            .Ints("absorbed_reports", a.report_ids)
                            .Int("absorbed_state", static_cast<int64_t>(a.state))
                            .Int("absorbed_corroboration", static_cast<int64_t>(a.corroboration))
                            .Ints("survivor_reports", s.report_ids)
                            .Int("survivor_state", static_cast<int64_t>(s.state))
                            .Merge(details_json);
  return Event(EventType::kMerge, survivor, absorbed, 0, actor, details);
}

Status SqlTxn::UndoMerge(int64_t merge_seq, const std::string& actor, const std::string& reason) {
  HistoryEvent merge;
  {
    QAYD_ASSIGN(sql::Stmt * st,
                Query(std::string("SELECT ") + kHistoryColumns + " FROM history WHERE seq = ?"));
    BindAll(*st, merge_seq);
    QAYD_ASSIGN(bool row, st->Step());
    if (!row) return NotFound("history event", merge_seq);
    merge = ReadEvent(*st);
    st->Reset();
  }
  if (merge.type != EventType::kMerge) {
    return Error(ErrorCode::kInvalidInput,
                 "event " + std::to_string(merge_seq) + " is not a merge");
  }
  std::optional<int64_t> undone;
  QAYD_ASSIGN(undone, One(conn_, "SELECT undo_seq FROM merge_undo WHERE merge_seq = ?", merge_seq));
  if (undone) {
    return Error(ErrorCode::kConflict, "merge " + std::to_string(merge_seq) +
                                           " was already undone by event " +
                                           std::to_string(*undone));
  }
  rapidjson::Document d;
  d.Parse(merge.details.c_str());
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("absorbed_reports") ||
      !d["absorbed_reports"].IsArray() || !d.HasMember("absorbed_state")) {
    return Error(ErrorCode::kInternal, "merge event details lack the undo record");
  }
  std::vector<int64_t> reports;
  for (const auto& v : d["absorbed_reports"].GetArray()) reports.push_back(v.GetInt64());
  auto prior_state = d["absorbed_state"].GetInt64();
  int64_t prior_corroboration =
      d.HasMember("absorbed_corroboration") ? d["absorbed_corroboration"].GetInt64() : 0;
  int64_t survivor = merge.victim_id, absorbed = merge.other_victim_id;

  QAYD_ASSIGN(Victim a, GetVictim(absorbed));
  if (a.state != VictimState::kAbsorbed || a.merged_into != survivor) {
    return Error(ErrorCode::kConflict, "victim " + std::to_string(absorbed) +
                                           " is no longer absorbed into " +
                                           std::to_string(survivor));
  }
  for (int64_t r : reports) {
    std::optional<int64_t> owner;
    QAYD_ASSIGN(owner, One(conn_, "SELECT victim_id FROM membership WHERE report_id = ?", r));
    if (!owner || *owner != survivor) {
      return Error(ErrorCode::kConflict,
                   "report " + std::to_string(r) + " has moved since the merge");
    }
  }
  for (int64_t r : reports) {
    QAYD_TRY(Run(conn_, "UPDATE membership SET victim_id = ? WHERE report_id = ?", absorbed, r));
  }
  QAYD_TRY(Run(conn_,
               "UPDATE victims SET state = ?, merged_into = NULL, corroboration = ? WHERE id = ?",
               prior_state, prior_corroboration, absorbed));
  QAYD_ASSIGN(int64_t seq, Event(EventType::kUndoMerge, survivor, absorbed, 0, actor,
                                 Details()
                                     .Int("undoes", merge_seq)
                                     .Ints("reports", reports)
                                     .Str("reason", reason)
                                     .Merge("")));
  return Run(conn_, "INSERT INTO merge_undo(merge_seq, undo_seq) VALUES (?, ?)", merge_seq, seq);
}

Result<int64_t> SqlTxn::SplitVictim(int64_t victim_id, const std::vector<int64_t>& report_ids,
                                    const std::string& actor, const std::string& reason) {
  QAYD_ASSIGN(Victim v, GetVictim(victim_id));
  if (v.state == VictimState::kAbsorbed) {
    return Error(ErrorCode::kConflict, "cannot split an absorbed victim");
  }
  std::set<int64_t> moving(report_ids.begin(), report_ids.end());
  if (moving.empty()) return Error(ErrorCode::kInvalidInput, "no reports to split off");
  for (int64_t r : moving) {
    if (!std::binary_search(v.report_ids.begin(), v.report_ids.end(), r)) {
      return Error(ErrorCode::kInvalidInput, "report " + std::to_string(r) +
                                                 " does not belong to victim " +
                                                 std::to_string(victim_id));
    }
  }
  if (moving.size() == v.report_ids.size()) {
    return Error(ErrorCode::kInvalidInput, "a split must leave the victim at least one report");
  }
  std::optional<int64_t> id;
  QAYD_ASSIGN(id, One(conn_,
                      "INSERT INTO victims(state, merged_into, corroboration, created_at_ms) "
                      "VALUES (?, NULL, 0, ?) RETURNING id",
                      static_cast<int64_t>(v.state), NowMs()));
  if (!id) return Error(ErrorCode::kInternal, "victim insert returned no id");
  for (int64_t r : moving) {
    QAYD_TRY(Run(conn_, "UPDATE membership SET victim_id = ? WHERE report_id = ?", *id, r));
  }
  std::vector<int64_t> moved(moving.begin(), moving.end());
  auto ev = Event(EventType::kSplit, victim_id, *id, 0, actor,
                  Details().Ints("reports", moved).Str("reason", reason).Merge(""));
  if (!ev.ok()) return ev.status();
  return *id;
}

Status SqlTxn::RecordDifferent(int64_t a, int64_t b, const std::string& actor,
                               const std::string& reason) {
  if (a == b) return Error(ErrorCode::kInvalidInput, "a victim cannot differ from itself");
  QAYD_TRY(GetVictim(a).status());
  QAYD_TRY(GetVictim(b).status());
  int64_t lo = std::min(a, b), hi = std::max(a, b);
  std::optional<int64_t> exists;
  QAYD_ASSIGN(exists, One(conn_, "SELECT seq FROM different_people WHERE a = ? AND b = ?", lo, hi));
  if (exists) return Status::Ok();
  QAYD_ASSIGN(int64_t seq, Event(EventType::kDifferentPeople, a, b, 0, actor,
                                 Details().Str("reason", reason).Merge("")));
  return Run(conn_, "INSERT INTO different_people(a, b, seq) VALUES (?, ?, ?)", lo, hi, seq);
}

Result<bool> SqlTxn::AreDifferent(int64_t a, int64_t b) {
  // A constraint on any victim absorbed (transitively) into a or b counts too.
  std::optional<int64_t> hit;
  QAYD_ASSIGN(hit, One(conn_,
                       "WITH RECURSIVE ca(id) AS (SELECT CAST(? AS BIGINT) UNION "
                       "SELECT v.id FROM victims v JOIN ca ON v.merged_into = ca.id), "
                       "cb(id) AS (SELECT CAST(? AS BIGINT) UNION "
                       "SELECT v.id FROM victims v JOIN cb ON v.merged_into = cb.id) "
                       "SELECT 1 FROM different_people d WHERE "
                       "(d.a IN (SELECT id FROM ca) AND d.b IN (SELECT id FROM cb)) OR "
                       "(d.a IN (SELECT id FROM cb) AND d.b IN (SELECT id FROM ca)) LIMIT 1",
                       a, b));
  return hit.has_value();
}

Status SqlTxn::RecordRelation(int64_t a, int64_t b, const std::string& relation,
                              const std::string& actor) {
  if (a == b) return Error(ErrorCode::kInvalidInput, "a victim cannot be related to itself");
  if (relation.empty()) return Error(ErrorCode::kInvalidInput, "relation is empty");
  QAYD_TRY(GetVictim(a).status());
  QAYD_TRY(GetVictim(b).status());
  std::optional<int64_t> exists;
  QAYD_ASSIGN(exists, One(conn_, "SELECT seq FROM relations WHERE a = ? AND b = ? AND relation = ?",
                          a, b, relation));
  if (exists) return Status::Ok();
  QAYD_ASSIGN(int64_t seq, Event(EventType::kRelation, a, b, 0, actor,
                                 Details().Str("relation", relation).Merge("")));
  return Run(conn_, "INSERT INTO relations(a, b, relation, seq) VALUES (?, ?, ?, ?)", a, b,
             relation, seq);
}

Status SqlTxn::LiftDifferent(int64_t a, int64_t b, const std::string& actor,
                             const std::string& reason) {
  int64_t lo = std::min(a, b), hi = std::max(a, b);
  std::optional<int64_t> exists;
  QAYD_ASSIGN(exists, One(conn_, "SELECT seq FROM different_people WHERE a = ? AND b = ?", lo, hi));
  if (!exists) return Status::Ok();
  QAYD_TRY(Run(conn_, "DELETE FROM different_people WHERE a = ? AND b = ?", lo, hi));
  return Event(EventType::kDifferentPeople, a, b, 0, actor,
               Details().Int("undoes", *exists).Str("reason", reason).Merge("{\"lifted\":true}"))
      .status();
}

Status SqlTxn::RemoveRelation(int64_t a, int64_t b, const std::string& relation,
                              const std::string& actor) {
  std::optional<int64_t> exists;
  QAYD_ASSIGN(exists, One(conn_, "SELECT seq FROM relations WHERE a = ? AND b = ? AND relation = ?",
                          a, b, relation));
  if (!exists) return Status::Ok();
  QAYD_TRY(
      Run(conn_, "DELETE FROM relations WHERE a = ? AND b = ? AND relation = ?", a, b, relation));
  return Event(
             EventType::kRelation, a, b, 0, actor,
             Details().Str("relation", relation).Int("undoes", *exists).Merge("{\"lifted\":true}"))
      .status();
}

// --- history -------------------------------------------------------------------------

// The SQL of VictimHistory and migration 3 writes these event types as numbers.
static_assert(static_cast<int>(EventType::kReportAttached) == 3 &&
              static_cast<int>(EventType::kMerge) == 4 &&
              static_cast<int>(EventType::kUndoMerge) == 5 &&
              static_cast<int>(EventType::kSplit) == 6);

Result<std::vector<HistoryEvent>> SqlTxn::VictimHistory(int64_t victim_id) {
  // Every event naming the victim (victim_id or other_victim_id), in seq
  // order. Attachments are not in history_by_victim (migration 3): they are
  // found through the reports that were ever the victim's. A report changes
  // victim only by a merge, its undo or a split, each an event naming both
  // victims, so those reports now belong to the victim or to one it is linked
  // to by a chain of such events (its "family", usually itself alone).
  std::map<int64_t, HistoryEvent> events;  // by seq: an event found twice counts once
  auto collect = [&](const std::string& sql, std::initializer_list<int64_t> params) -> Status {
    QAYD_ASSIGN(sql::Stmt * st, Query(sql));
    int i = 0;
    for (int64_t p : params) st->Bind(++i, p);
    while (true) {
      QAYD_ASSIGN(bool row, st->Step());
      if (!row) break;
      HistoryEvent e = ReadEvent(*st);
      const int64_t seq = e.seq;
      events.emplace(seq, std::move(e));
    }
    return Status::Ok();
  };
  const std::string cols = std::string("SELECT ") + kHistoryColumns + " FROM history ";
  QAYD_TRY(collect(cols + "WHERE victim_id = ? AND type <> 3", {victim_id}));
  QAYD_TRY(collect(cols + "WHERE other_victim_id = ?", {victim_id}));

  std::set<int64_t> family{victim_id};
  std::vector<int64_t> todo{victim_id};
  while (!todo.empty()) {
    const int64_t v = todo.back();
    todo.pop_back();
    QAYD_ASSIGN(
        sql::Stmt * st,
        Query("SELECT other_victim_id FROM history WHERE victim_id = ? AND type <> 3 "
              "AND type IN (4, 5, 6) UNION "
              "SELECT victim_id FROM history WHERE other_victim_id = ? AND type IN (4, 5, 6)"));
    BindAll(*st, v, v);
    while (true) {
      QAYD_ASSIGN(bool row, st->Step());
      if (!row) break;
      if (family.insert(st->Int(0)).second) todo.push_back(st->Int(0));
    }
  }
  for (int64_t f : family) {
    QAYD_TRY(collect(std::string("SELECT ") + HistoryColumnsOf("h") +
                         " FROM membership m JOIN history h ON h.report_id = m.report_id "
                         "WHERE m.victim_id = ? AND h.type = 3 AND h.victim_id = ?",
                     {f, victim_id}));
  }
  std::vector<HistoryEvent> out;
  out.reserve(events.size());
  for (auto& [seq, e] : events) out.push_back(std::move(e));
  return out;
}

Result<std::vector<HistoryEvent>> SqlTxn::EventsSince(int64_t after, int limit, bool with_details) {
  // Without details the same columns, the last one empty (ReadEvent's order).
  static const std::string kWithout =
      "SELECT seq, at_ms, type, victim_id, other_victim_id, report_id, actor, '' "
      "FROM history WHERE seq > ? ORDER BY seq LIMIT ?";
  QAYD_ASSIGN(sql::Stmt * st,
              Query(with_details ? std::string("SELECT ") + kHistoryColumns +
                                       " FROM history WHERE seq > ? ORDER BY seq LIMIT ?"
                                 : kWithout));
  BindAll(*st, after, limit);
  std::vector<HistoryEvent> out;
  while (true) {
    QAYD_ASSIGN(bool row, st->Step());
    if (!row) break;
    out.push_back(ReadEvent(*st));
  }
  return out;
}

Result<int64_t> SqlTxn::LastEventSeq() {
  std::optional<int64_t> last;
  QAYD_ASSIGN(last, One(conn_, "SELECT COALESCE(MAX(seq), 0) FROM history"));
  return last.value_or(0);
}

// --- review queue ------------------------------------------------------------------------

Result<int64_t> SqlTxn::CreateReviewItem(const ReviewItem& item) {
  QAYD_TRY(GetResolution(item.report_id).status());
  double top = item.top_score;
  if (top == 0) {
    for (const auto& c : item.candidates) top = std::max(top, c.score);
  }
  std::optional<int64_t> id;
  QAYD_ASSIGN(id, One(conn_,
                      "INSERT INTO review_items(report_id, provisional_victim_id, top_score, "
                      "state, created_at_ms, explanation) VALUES (?, ?, ?, 0, ?, ?) RETURNING id",
                      item.report_id, item.provisional_victim_id, top,
                      item.created_at_ms ? item.created_at_ms : NowMs(), item.explanation));
  if (!id) return Error(ErrorCode::kInternal, "review insert returned no id");
  int rank = 0;
  for (const auto& c : item.candidates) {
    QAYD_TRY(Run(
        conn_, "INSERT INTO review_candidates(item_id, rank, victim_id, score) VALUES (?, ?, ?, ?)",
        *id, rank++, c.victim_id, c.score));
  }
  auto ev = Event(EventType::kReviewQueued, item.provisional_victim_id, 0, item.report_id, "engine",
                  Details().Int("item", *id).Merge(""));
  if (!ev.ok()) return ev.status();
  return *id;
}

Status SqlTxn::LoadCandidates(ReviewItem* item) {
  QAYD_ASSIGN(sql::Stmt * st, Query("SELECT victim_id, score FROM review_candidates "
                                    "WHERE item_id = ? ORDER BY rank"));
  BindAll(*st, item->id);
  while (true) {
    QAYD_ASSIGN(bool row, st->Step());
    if (!row) break;
    item->candidates.push_back({st->Int(0), st->Real(1)});
  }
  return Status::Ok();
}

Result<ReviewItem> SqlTxn::GetReviewItem(int64_t id) {
  ReviewItem item;
  {
    QAYD_ASSIGN(sql::Stmt * st, Query(std::string("SELECT ") + kReviewColumns +
                                      " FROM review_items i WHERE i.id = ?"));
    BindAll(*st, id);
    QAYD_ASSIGN(bool row, st->Step());
    if (!row) return NotFound("review item", id);
    item = ReadReviewItem(*st);
    st->Reset();
  }
  QAYD_TRY(LoadCandidates(&item));
  return item;
}

Result<std::vector<ReviewItem>> SqlTxn::ListReviewItems(const ReviewFilter& f) {
  std::string sql = std::string("SELECT ") + kReviewColumns +
                    " FROM review_items i JOIN reports r ON r.id = i.report_id WHERE i.state = ?";
  std::vector<std::function<void(sql::Stmt&, int)>> binds;
  int64_t state = static_cast<int64_t>(f.state.value_or(ReviewState::kPending));
  binds.push_back([state](sql::Stmt& s, int i) { s.Bind(i, state); });
  auto text = [&](const char* clause, const std::string& v) {
    sql += clause;
    binds.push_back([v](sql::Stmt& s, int i) { s.Bind(i, v); });
  };
  auto num = [&](const char* clause, auto v) {
    sql += clause;
    binds.push_back([v](sql::Stmt& s, int i) { s.Bind(i, v); });
  };
  if (!f.governorate.empty()) text(" AND r.governorate = ?", f.governorate);
  if (!f.source.empty()) text(" AND r.source = ?", f.source);
  if (f.min_score) num(" AND i.top_score >= ?", *f.min_score);
  if (f.max_score) num(" AND i.top_score <= ?", *f.max_score);
  for (const auto& [text_date, clause] : {std::pair{f.death_from, " AND r.death_day >= ?"},
                                          std::pair{f.death_to, " AND r.death_day <= ?"}}) {
    if (text_date.empty()) continue;
    auto d = ParseFuzzyDate(text_date);
    if (!d || !d->known() || d->precision != DatePrecision::kExact) {
      return Error(ErrorCode::kInvalidInput, "death date filter must be YYYY-MM-DD: " + text_date);
    }
    num(clause, static_cast<int64_t>(d->DaysSinceEpoch()));
  }
  if (f.created_before_ms) num(" AND i.created_at_ms < ?", f.created_before_ms);
  if (!f.exclude_unsure_of.empty()) {
    text(
        " AND NOT EXISTS (SELECT 1 FROM review_unsure u WHERE u.item_id = i.id AND "
        "u.user_name = ?)",
        f.exclude_unsure_of);
  }
  using Order = ReviewFilter::Order;
  sql += f.order == Order::kScoreDesc  ? " ORDER BY i.top_score DESC, i.id"
         : f.order == Order::kScoreAsc ? " ORDER BY i.top_score, i.id"
         : f.order == Order::kDeath    ? " ORDER BY r.death_day IS NULL, r.death_day, i.id"
                                       : " ORDER BY i.id";
  num(" LIMIT ?", static_cast<int64_t>(std::max(0, f.limit)));
  num(" OFFSET ?", static_cast<int64_t>(std::max(0, f.offset)));
  std::vector<ReviewItem> out;
  {
    QAYD_ASSIGN(sql::Stmt * st, Query(sql));
    for (size_t i = 0; i < binds.size(); ++i) binds[i](*st, static_cast<int>(i + 1));
    while (true) {
      QAYD_ASSIGN(bool row, st->Step());
      if (!row) break;
      out.push_back(ReadReviewItem(*st));
    }
  }
  for (auto& item : out) QAYD_TRY(LoadCandidates(&item));
  return out;
}

Status SqlTxn::ClaimReviewItem(int64_t id, const std::string& user, int64_t now_ms,
                               int64_t lease_ms) {
  if (user.empty()) return Error(ErrorCode::kInvalidInput, "claim needs a user");
  QAYD_ASSIGN(ReviewItem item, GetReviewItem(id));
  if (item.state == ReviewState::kDecided) {
    return Error(ErrorCode::kConflict, "review item " + std::to_string(id) + " is decided");
  }
  if (!item.claimed_by.empty() && item.claimed_by != user && item.lease_expires_ms > now_ms) {
    return Error(ErrorCode::kConflict,
                 "review item " + std::to_string(id) + " is claimed by another monitor");
  }
  return Run(conn_, "UPDATE review_items SET claimed_by = ?, lease_expires_ms = ? WHERE id = ?",
             user, now_ms + lease_ms, id);
}

Status SqlTxn::DecideReviewItem(int64_t id, const std::string& user, const std::string& decision,
                                const std::string& details_json, int64_t now_ms) {
  static const std::set<std::string> kDecisions = {"same", "different", "related", "unsure"};
  if (!kDecisions.count(decision)) {
    return Error(ErrorCode::kInvalidInput, "unknown decision: " + decision);
  }
  QAYD_TRY(CheckDetails(details_json));
  QAYD_ASSIGN(ReviewItem item, GetReviewItem(id));
  if (item.state == ReviewState::kDecided) {
    return Error(ErrorCode::kConflict, "review item " + std::to_string(id) + " is decided");
  }
  if (!item.claimed_by.empty() && item.claimed_by != user && item.lease_expires_ms > now_ms) {
    return Error(ErrorCode::kConflict,
                 "review item " + std::to_string(id) + " is claimed by another monitor");
  }
  if (decision == "unsure") {
    QAYD_TRY(Run(conn_,
                 "INSERT INTO review_unsure(item_id, user_name) VALUES (?, ?) "
                 "ON CONFLICT DO NOTHING",
                 id, user));
    if (item.claimed_by == user) {
      QAYD_TRY(Run(
          conn_, "UPDATE review_items SET claimed_by = '', lease_expires_ms = 0 WHERE id = ?", id));
    }
  } else {
    QAYD_TRY(Run(conn_,
                 "UPDATE review_items SET state = ?, decision = ?, decided_by = ?, "
                 "decided_at_ms = ?, claimed_by = '', lease_expires_ms = 0 WHERE id = ?",
                 static_cast<int64_t>(ReviewState::kDecided), decision, user, now_ms, id));
  }
  return Event(EventType::kReviewDecision, item.provisional_victim_id, 0, item.report_id, user,
               Details().Int("item", id).Str("decision", decision).Merge(details_json))
      .status();
}

Status SqlTxn::SetReviewCandidates(int64_t id, const std::vector<ReviewCandidate>& candidates) {
  double top = 0;
  for (const auto& c : candidates) top = std::max(top, c.score);
  QAYD_TRY(Run(conn_, "DELETE FROM review_candidates WHERE item_id = ?", id));
  int rank = 0;
  for (const auto& c : candidates) {
    QAYD_TRY(Run(
        conn_, "INSERT INTO review_candidates(item_id, rank, victim_id, score) VALUES (?, ?, ?, ?)",
        id, rank++, c.victim_id, c.score));
  }
  return Run(conn_, "UPDATE review_items SET top_score = ? WHERE id = ?", top, id);
}

Status SqlTxn::ReopenReviewItem(int64_t id, const std::vector<ReviewCandidate>& candidates,
                                const std::string& actor, const std::string& details_json) {
  QAYD_TRY(CheckDetails(details_json));
  QAYD_ASSIGN(ReviewItem item, GetReviewItem(id));
  QAYD_TRY(Run(conn_,
               "UPDATE review_items SET state = ?, decision = '', decided_by = '', "
               "decided_at_ms = 0, claimed_by = '', lease_expires_ms = 0 WHERE id = ?",
               static_cast<int64_t>(ReviewState::kPending), id));
  QAYD_TRY(Run(conn_, "DELETE FROM review_unsure WHERE item_id = ? AND user_name = ?", id, actor));
  QAYD_TRY(SetReviewCandidates(id, candidates));
  return Event(EventType::kReviewQueued, item.provisional_victim_id, 0, item.report_id, actor,
               Details().Int("item", id).Merge(details_json))
      .status();
}

// --- quarantine ------------------------------------------------------------------------------

Result<int64_t> SqlTxn::Quarantine(const QuarantineRecord& rec) {
  std::optional<int64_t> id;
  // The same record rejected again (its file or feed body read again after a
  // crash or a stop): the entry it already has, not a second one.
  QAYD_ASSIGN(id, One(conn_,
                      "SELECT id FROM quarantine WHERE source = ? AND source_record_id = ? AND "
                      "raw = ? AND replayed_report_id = 0 ORDER BY id LIMIT 1",
                      rec.source, rec.source_record_id, rec.raw));
  if (id) return *id;
  QAYD_ASSIGN(id, One(conn_,
                      "INSERT INTO quarantine(source, source_record_id, raw, reasons, "
                      "received_at_ms, replayed_report_id) VALUES (?, ?, ?, ?, ?, 0) RETURNING id",
                      rec.source, rec.source_record_id, rec.raw,
                      rec.reasons.empty() ? std::string("[]") : rec.reasons,
                      rec.received_at_ms ? rec.received_at_ms : NowMs()));
  if (!id) return Error(ErrorCode::kInternal, "quarantine insert returned no id");
  return *id;
}

Result<QuarantineRecord> SqlTxn::GetQuarantined(int64_t id) {
  QAYD_ASSIGN(sql::Stmt * st,
              Query(std::string("SELECT ") + kQuarantineColumns + " FROM quarantine WHERE id = ?"));
  BindAll(*st, id);
  QAYD_ASSIGN(bool row, st->Step());
  if (!row) return NotFound("quarantined record", id);
  QuarantineRecord q = ReadQuarantine(*st);
  st->Reset();
  return q;
}

Result<std::vector<QuarantineRecord>> SqlTxn::ListQuarantine(int offset, int limit) {
  QAYD_ASSIGN(sql::Stmt * st, Query(std::string("SELECT ") + kQuarantineColumns +
                                    " FROM quarantine ORDER BY id LIMIT ? OFFSET ?"));
  BindAll(*st, std::max(0, limit), std::max(0, offset));
  std::vector<QuarantineRecord> out;
  while (true) {
    QAYD_ASSIGN(bool row, st->Step());
    if (!row) break;
    out.push_back(ReadQuarantine(*st));
  }
  return out;
}

Status SqlTxn::MarkReplayed(int64_t quarantine_id, int64_t report_id) {
  QAYD_TRY(GetResolution(report_id).status());
  std::optional<int64_t> replayed;
  QAYD_ASSIGN(replayed, One(conn_, "SELECT replayed_report_id FROM quarantine WHERE id = ?",
                            quarantine_id));
  if (!replayed) return NotFound("quarantined record", quarantine_id);
  if (*replayed == report_id) return Status::Ok();
  if (*replayed != 0) {
    return Error(ErrorCode::kConflict, "quarantine " + std::to_string(quarantine_id) +
                                           " was already replayed as report " +
                                           std::to_string(*replayed));
  }
  return Run(conn_, "UPDATE quarantine SET replayed_report_id = ? WHERE id = ?", report_id,
             quarantine_id);
}

// --- feeds, users, sessions, metadata --------------------------------------------------------

Result<FeedState> SqlTxn::GetFeedState(const std::string& feed_id) {
  FeedState f;
  f.feed_id = feed_id;
  QAYD_ASSIGN(sql::Stmt * st,
              Query("SELECT etag, last_modified, cursor, last_success_ms, last_error_ms, "
                    "last_error, records_ok, records_rejected, consecutive_failures "
                    "FROM feeds WHERE feed_id = ?"));
  BindAll(*st, feed_id);
  QAYD_ASSIGN(bool row, st->Step());
  if (!row) return f;
  f.etag = st->Text(0);
  f.last_modified = st->Text(1);
  f.cursor = st->Text(2);
  f.last_success_ms = st->Int(3);
  f.last_error_ms = st->Int(4);
  f.last_error = st->Text(5);
  f.records_ok = st->Int(6);
  f.records_rejected = st->Int(7);
  f.consecutive_failures = st->Int(8);
  st->Reset();
  return f;
}

Status SqlTxn::PutFeedState(const FeedState& f) {
  if (f.feed_id.empty()) return Error(ErrorCode::kInvalidInput, "feed state needs a feed_id");
  return Run(conn_,
             "INSERT INTO feeds(feed_id, etag, last_modified, cursor, last_success_ms, "
             "last_error_ms, last_error, records_ok, records_rejected, consecutive_failures) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (feed_id) DO UPDATE SET "
             "etag = excluded.etag, last_modified = excluded.last_modified, "
             "cursor = excluded.cursor, last_success_ms = excluded.last_success_ms, "
             "last_error_ms = excluded.last_error_ms, last_error = excluded.last_error, "
             "records_ok = excluded.records_ok, records_rejected = excluded.records_rejected, "
             "consecutive_failures = excluded.consecutive_failures",
             f.feed_id, f.etag, f.last_modified, f.cursor, f.last_success_ms, f.last_error_ms,
             f.last_error, f.records_ok, f.records_rejected, f.consecutive_failures);
}

Status SqlTxn::PutUser(const User& u) {
  if (u.name.empty()) return Error(ErrorCode::kInvalidInput, "user needs a name");
  return Run(conn_,
             "INSERT INTO users(name, role, password_hash, disabled) VALUES (?, ?, ?, ?) "
             "ON CONFLICT (name) DO UPDATE SET role = excluded.role, "
             "password_hash = excluded.password_hash, disabled = excluded.disabled",
             u.name, u.role, u.password_hash, static_cast<int64_t>(u.disabled));
}

Result<User> SqlTxn::GetUser(const std::string& name) {
  QAYD_ASSIGN(sql::Stmt * st,
              Query("SELECT name, role, password_hash, disabled FROM users WHERE name = ?"));
  BindAll(*st, name);
  QAYD_ASSIGN(bool row, st->Step());
  if (!row) return Error(ErrorCode::kNotFound, "no such user");
  User u{st->Text(0), st->Text(1), st->Text(2), st->Int(3) != 0};
  st->Reset();
  return u;
}

Result<std::vector<User>> SqlTxn::ListUsers() {
  QAYD_ASSIGN(sql::Stmt * st,
              Query("SELECT name, role, password_hash, disabled FROM users ORDER BY name"));
  std::vector<User> out;
  while (true) {
    QAYD_ASSIGN(bool row, st->Step());
    if (!row) break;
    out.push_back(User{st->Text(0), st->Text(1), st->Text(2), st->Int(3) != 0});
  }
  st->Reset();
  return out;
}

Status SqlTxn::PutSession(const Session& s) {
  if (s.token_hash.empty()) return Error(ErrorCode::kInvalidInput, "session needs a token hash");
  return Run(conn_,
             "INSERT INTO sessions(token_hash, user_name, csrf, expires_ms) VALUES (?, ?, ?, ?) "
             "ON CONFLICT (token_hash) DO UPDATE SET user_name = excluded.user_name, "
             "csrf = excluded.csrf, expires_ms = excluded.expires_ms",
             s.token_hash, s.user, s.csrf, s.expires_ms);
}

Result<Session> SqlTxn::GetSession(const std::string& token_hash) {
  QAYD_ASSIGN(sql::Stmt * st, Query("SELECT token_hash, user_name, csrf, expires_ms FROM sessions "
                                    "WHERE token_hash = ?"));
  BindAll(*st, token_hash);
  QAYD_ASSIGN(bool row, st->Step());
  if (!row) return Error(ErrorCode::kNotFound, "no such session");
  Session s{st->Text(0), st->Text(1), st->Text(2), st->Int(3)};
  st->Reset();
  return s;
}

Status SqlTxn::DeleteSession(const std::string& token_hash) {
  return Run(conn_, "DELETE FROM sessions WHERE token_hash = ?", token_hash);
}

Status SqlTxn::PutApiToken(const std::string& token_hash, const std::string& name,
                           const std::string& scope) {
  if (token_hash.empty()) return Error(ErrorCode::kInvalidInput, "token needs a hash");
  return Run(conn_,
             "INSERT INTO api_tokens(token_hash, name, scope, revoked) VALUES (?, ?, ?, 0) "
             "ON CONFLICT (token_hash) DO UPDATE SET name = excluded.name, "
             "scope = excluded.scope, revoked = 0",
             token_hash, name, scope);
}

Result<std::string> SqlTxn::LookupApiToken(const std::string& token_hash) {
  QAYD_ASSIGN(sql::Stmt * st,
              Query("SELECT scope FROM api_tokens WHERE token_hash = ? AND revoked = 0"));
  BindAll(*st, token_hash);
  QAYD_ASSIGN(bool row, st->Step());
  if (!row) return Error(ErrorCode::kNotFound, "unknown or revoked token");
  std::string scope = st->Text(0);
  st->Reset();
  return scope;
}

Status SqlTxn::RevokeApiToken(const std::string& token_hash) {
  std::optional<int64_t> hit;
  QAYD_ASSIGN(hit, One(conn_, "UPDATE api_tokens SET revoked = 1 WHERE token_hash = ? RETURNING 1",
                       token_hash));
  if (!hit) return Error(ErrorCode::kNotFound, "unknown token");
  return Status::Ok();
}

Result<std::string> SqlTxn::GetMeta(const std::string& key) {
  QAYD_ASSIGN(sql::Stmt * st, Query("SELECT value FROM meta WHERE key = ?"));
  BindAll(*st, key);
  QAYD_ASSIGN(bool row, st->Step());
  if (!row) return std::string();
  std::string v = st->Text(0);
  st->Reset();
  return v;
}

Status SqlTxn::PutMeta(const std::string& key, const std::string& value) {
  return Run(conn_,
             "INSERT INTO meta(key, value) VALUES (?, ?) "
             "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
             key, value);
}

Result<Counts> SqlTxn::GetCounts() {
  QAYD_ASSIGN(sql::Stmt * st,
              Query("SELECT (SELECT COUNT(*) FROM reports), (SELECT COUNT(*) FROM victims), "
                    "(SELECT COUNT(*) FROM victims WHERE state IN (0, 1)), "
                    "(SELECT COUNT(*) FROM history), "
                    "(SELECT COUNT(*) FROM review_items WHERE state = 0), "
                    "(SELECT COUNT(*) FROM quarantine WHERE replayed_report_id = 0), "
                    "(SELECT COUNT(*) FROM reports WHERE resolution = 0)"));
  QAYD_ASSIGN(bool row, st->Step());
  if (!row) return Error(ErrorCode::kInternal, "counts query returned nothing");
  Counts c{st->Int(0), st->Int(1), st->Int(2), st->Int(3), st->Int(4), st->Int(5), st->Int(6)};
  st->Reset();
  return c;
}

Result<std::vector<VocabularyEntry>> SqlTxn::Vocabulary(const std::string& kind) {
  QAYD_ASSIGN(sql::Stmt * st, Query("SELECT kind, code, label_en, label_ar, parent FROM vocabulary "
                                    "WHERE kind = ? ORDER BY ord"));
  BindAll(*st, kind);
  std::vector<VocabularyEntry> out;
  while (true) {
    QAYD_ASSIGN(bool row, st->Step());
    if (!row) break;
    out.push_back({st->Text(0), st->Text(1), st->Text(2), st->Text(3), st->Text(4)});
  }
  return out;
}

}  // namespace qayd::store
