#include "bench/load/verify.h"

#include <sqlite3.h>

#include <fstream>
#include <set>
#include <sstream>

namespace qayd::load {
namespace {

// A prepared statement with text/int binds; Step() returns true per row.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) {
    ok_ = sqlite3_prepare_v2(db, sql, -1, &st_, nullptr) == SQLITE_OK;
  }
  ~Stmt() { sqlite3_finalize(st_); }
  bool ok() const { return ok_; }
  Stmt& Reset() {
    sqlite3_reset(st_);
    sqlite3_clear_bindings(st_);
    return *this;
  }
  Stmt& Bind(int i, const std::string& s) {
    sqlite3_bind_text(st_, i, s.c_str(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& Bind(int i, int64_t v) {
    sqlite3_bind_int64(st_, i, v);
    return *this;
  }
  bool Step() { return sqlite3_step(st_) == SQLITE_ROW; }
  int64_t Int(int c) { return sqlite3_column_int64(st_, c); }
  std::string Text(int c) {
    const unsigned char* t = sqlite3_column_text(st_, c);
    return t ? reinterpret_cast<const char*>(t) : "";
  }

 private:
  sqlite3_stmt* st_ = nullptr;
  bool ok_ = false;
};

void Problem(VerifyReport* r, const std::string& what) {
  if (r->problems.size() < 20) r->problems.push_back(what);
}

}  // namespace

Status WriteJournal(const std::string& path, const Journal& j) {
  std::ofstream out(path, std::ios::trunc);
  out << "source\t" << j.source << "\n";
  for (const auto& id : j.reports) out << "report\t" << id << "\n";
  for (const auto& d : j.decided) {
    out << "decision\t" << d.item_id << "\t" << d.decision << "\t" << d.user << "\n";
  }
  out.close();
  if (!out) return Error(ErrorCode::kIo, "cannot write " + path);
  return Status();
}

Result<Journal> ReadJournal(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error(ErrorCode::kIo, "cannot read " + path);
  Journal j;
  for (std::string line; std::getline(in, line);) {
    std::istringstream f(line);
    std::string kind;
    std::getline(f, kind, '\t');
    if (kind == "source") {
      std::getline(f, j.source);
    } else if (kind == "report") {
      std::string id;
      std::getline(f, id);
      j.reports.push_back(id);
    } else if (kind == "decision") {
      DecidedItem d;
      std::string item;
      std::getline(f, item, '\t');
      std::getline(f, d.decision, '\t');
      std::getline(f, d.user);
      d.item_id = std::stoll(item);
      j.decided.push_back(d);
    } else if (!line.empty()) {
      return Error(ErrorCode::kInvalidInput, path + ": unknown journal line");
    }
  }
  return j;
}

Result<VerifyReport> VerifyRegister(const std::string& sqlite_path, const Journal& j) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(sqlite_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return Error(ErrorCode::kIo, "cannot open " + sqlite_path);
  }
  sqlite3_busy_timeout(db, 5000);
  VerifyReport r;
  {
    Stmt report(db, "SELECT id, resolution FROM reports WHERE source = ? AND source_record_id = ?");
    Stmt member(db, "SELECT victim_id FROM membership WHERE report_id = ?");
    Stmt victim(db, "SELECT state, merged_into FROM victims WHERE id = ?");
    Stmt all(db, "SELECT COUNT(*) FROM reports WHERE source = ?");
    Stmt item(db, "SELECT decision, decided_by FROM review_items WHERE id = ?");
    Stmt unsure(db, "SELECT COUNT(*) FROM review_unsure WHERE item_id = ? AND user_name = ?");
    if (!report.ok() || !member.ok() || !victim.ok() || !all.ok() || !item.ok() || !unsure.ok()) {
      sqlite3_close(db);
      return Error(ErrorCode::kInternal, "register schema not as expected");
    }
    std::set<int64_t> counted;
    const std::set<std::string> distinct(j.reports.begin(), j.reports.end());
    for (const std::string& id : distinct) {
      ++r.reports_checked;
      report.Reset().Bind(1, j.source).Bind(2, id);
      int rows = 0;
      int64_t report_id = 0;
      while (report.Step()) {
        ++rows;
        report_id = report.Int(0);
        if (report.Int(1) == 0) ++r.pending_match;
      }
      if (rows == 0) {
        ++r.missing;
        Problem(&r, "report " + id + " acknowledged but not stored");
        continue;
      }
      if (rows > 1) {
        ++r.duplicated;
        Problem(&r, "report " + id + " stored " + std::to_string(rows) + " times");
      }
      member.Reset().Bind(1, report_id);
      std::vector<int64_t> victims;
      while (member.Step()) victims.push_back(member.Int(0));
      if (victims.size() != 1) {
        ++r.not_one_victim;
        Problem(&r, "report " + id + " belongs to " + std::to_string(victims.size()) + " victims");
        continue;
      }
      int64_t v = victims[0];
      bool ok = false;
      for (int hop = 0; hop < 1000 && v > 0; ++hop) {
        victim.Reset().Bind(1, v);
        if (!victim.Step()) break;
        if (victim.Int(0) != 2) {  // VictimState::kAbsorbed
          ok = true;
          break;
        }
        v = victim.Int(1);
      }
      if (ok)
        counted.insert(v);
      else {
        ++r.not_counted;
        Problem(&r, "report " + id + ": merge chain does not end in a counted victim");
      }
    }
    r.counted_victims = static_cast<int64_t>(counted.size());
    all.Reset().Bind(1, j.source);
    if (all.Step()) {
      r.unacknowledged = std::max<int64_t>(0, all.Int(0) - static_cast<int64_t>(distinct.size()));
    }
    for (const DecidedItem& d : j.decided) {
      ++r.decisions_checked;
      bool recorded = false;
      if (d.decision == "unsure") {
        unsure.Reset().Bind(1, d.item_id).Bind(2, d.user);
        recorded = unsure.Step() && unsure.Int(0) == 1;
      } else {
        item.Reset().Bind(1, d.item_id);
        recorded = item.Step() && item.Text(0) == d.decision && item.Text(1) == d.user;
      }
      if (!recorded) {
        ++r.decisions_missing;
        Problem(&r, "item " + std::to_string(d.item_id) + ": decision " + d.decision + " by " +
                        d.user + " not recorded");
      }
    }
  }
  sqlite3_close(db);
  return r;
}

std::string VerifyReport::ToJson() const {
  std::string out = "{\"ok\":" + std::string(ok() ? "true" : "false");
  auto num = [&](const char* k, int64_t v) {
    out += ",\"" + std::string(k) + "\":" + std::to_string(v);
  };
  num("reports_checked", reports_checked);
  num("missing", missing);
  num("duplicated", duplicated);
  num("not_one_victim", not_one_victim);
  num("not_counted", not_counted);
  num("pending_match", pending_match);
  num("unacknowledged", unacknowledged);
  num("decisions_checked", decisions_checked);
  num("decisions_missing", decisions_missing);
  num("counted_victims", counted_victims);
  out += ",\"problems\":[";
  for (size_t i = 0; i < problems.size(); ++i) {
    out += (i ? ",\"" : "\"");
    for (char c : problems[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += "\"";
  }
  return out + "]}";
}

}  // namespace qayd::load
