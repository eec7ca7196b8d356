// ScanVictims and the logical integrity checks shared by both backends.
#include <string>
#include <vector>

#include "store/backends.h"
#include "store/sql_txn.h"

namespace qayd::store {

Status ScanIndexedReportsOn(sql::Conn& conn, const IndexedReportVisitor& visit) {
  // Joined without ORDER BY, the raw payload left out (ReadReport's column
  // layout kept): PostgreSQL streams a hash join instead of sorting the
  // register on disk, and half the bytes cross the connection.
  auto st = conn.Prepare(
      "SELECT m.victim_id, r.id, r.source, r.source_record_id, r.version, r.received_at_ms, '', "
      "r.fields FROM membership m JOIN victims v ON v.id = m.victim_id "
      "JOIN reports r ON r.id = m.report_id WHERE v.state NOT IN (?, ?)");
  if (!st.ok()) return st.status();
  sql::Stmt& s = **st;
  s.Bind(1, static_cast<int64_t>(VictimState::kAbsorbed));
  s.Bind(2, static_cast<int64_t>(VictimState::kUnidentified));
  while (true) {
    auto row = s.Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
    auto r = ReadReport(s, 1);
    if (!r.ok()) {
      s.Reset();
      return r.status();
    }
    if (!visit(s.Int(0), *r)) {
      s.Reset();
      return Status::Ok();
    }
  }
}

Status ScanVictimsOn(sql::Conn& conn, const VictimVisitor& visit) {
  auto st = conn.Prepare(
      std::string("SELECT v.id, v.state, COALESCE(v.merged_into, 0), v.corroboration, "
                  "v.created_at_ms, ") +
      kReportColumns +
      " FROM victims v LEFT JOIN membership m ON m.victim_id = v.id "
      "LEFT JOIN reports r ON r.id = m.report_id WHERE v.state <> 2 ORDER BY v.id, m.report_id");
  if (!st.ok()) return st.status();
  sql::Stmt& s = **st;
  Victim victim;
  std::vector<Report> reports;
  bool have = false;
  auto flush = [&]() {
    have = false;
    return visit(victim, reports);
  };
  while (true) {
    auto row = s.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    int64_t id = s.Int(0);
    if (!have || id != victim.id) {
      if (have && !flush()) {
        s.Reset();
        return Status::Ok();
      }
      victim = Victim();
      victim.id = id;
      victim.state = static_cast<VictimState>(s.Int(1));
      victim.merged_into = s.Int(2);
      victim.corroboration = static_cast<Corroboration>(s.Int(3));
      victim.created_at_ms = s.Int(4);
      reports.clear();
      have = true;
    }
    if (!s.IsNull(5)) {
      auto r = ReadReport(s, 5);
      if (!r.ok()) {
        s.Reset();
        return r.status();
      }
      victim.report_ids.push_back(r->id);
      reports.push_back(std::move(*r));
    }
  }
  if (have) flush();
  return Status::Ok();
}

Result<std::string> CheckRegisterInvariants(sql::Conn& conn) {
  struct Check {
    const char* what;
    const char* sql;
  };
  static const Check kChecks[] = {
      {"reports on absorbed victims",
       "SELECT COUNT(*) FROM membership m JOIN victims v ON v.id = m.victim_id WHERE v.state = 2"},
      {"absorbed victims without survivor",
       "SELECT COUNT(*) FROM victims WHERE state = 2 AND merged_into IS NULL"},
      {"non-absorbed victims with merged_into",
       "SELECT COUNT(*) FROM victims WHERE state <> 2 AND merged_into IS NOT NULL"},
      {"victims without reports",
       "SELECT COUNT(*) FROM victims v WHERE v.state <> 2 AND NOT EXISTS "
       "(SELECT 1 FROM membership m WHERE m.victim_id = v.id)"},
  };
  std::string problems;
  for (const Check& c : kChecks) {
    auto st = conn.Prepare(c.sql);
    if (!st.ok()) return st.status();
    auto row = (*st)->Step();
    if (!row.ok()) return row.status();
    int64_t n = *row ? (*st)->Int(0) : 0;
    (*st)->Reset();
    if (n != 0) {
      if (!problems.empty()) problems += "; ";
      problems += std::string(c.what) + ": " + std::to_string(n);
    }
  }
  return problems;
}

}  // namespace qayd::store

namespace qayd {

Status Store::ScanIndexedReports(const IndexedReportVisitor& visit) {
  return ScanVictims([&](const Victim& v, const std::vector<Report>& reports) {
    if (v.state == VictimState::kUnidentified) return true;
    for (const Report& r : reports) {
      Report copy = r;
      copy.raw_payload.clear();
      if (!visit(v.id, copy)) return false;
    }
    return true;
  });
}

}  // namespace qayd
