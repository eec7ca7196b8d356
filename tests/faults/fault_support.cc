#include "tests/faults/fault_support.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <regex>
#include <stdexcept>
#include <thread>

#include "tests/web/http_client.h"

namespace qayd::testing {

namespace {

struct Name {
  const char *ar, *en;
};
constexpr Name kFirst[] = {{"محمد", "Mohammed"},   {"أحمد", "Ahmad"},    {"محمود", "Mahmoud"},
                           {"خالد", "Khaled"},     {"عمر", "Omar"},      {"يوسف", "Yousef"},
                           {"إبراهيم", "Ibrahim"}, {"مصطفى", "Mustafa"}, {"حسن", "Hassan"},
                           {"حسين", "Hussein"},    {"علي", "Ali"},       {"صالح", "Saleh"},
                           {"طارق", "Tareq"},      {"زياد", "Ziad"},     {"ناصر", "Nasser"},
                           {"رامي", "Rami"},       {"سمير", "Samir"},    {"وليد", "Walid"}};
constexpr int kNames = sizeof kFirst / sizeof kFirst[0];
constexpr Name kFamily[] = {{"النجار", "al-Najjar"}, {"المصري", "al-Masri"}, {"حمدان", "Hamdan"},
                            {"الكرد", "al-Kurd"},    {"شاهين", "Shaheen"},   {"البطش", "al-Batsh"},
                            {"قديح", "Qudaih"},      {"الأسطل", "al-Astal"}, {"بركات", "Barakat"},
                            {"الفرا", "al-Farra"},   {"دحمان", "Dahman"},    {"الحلو", "al-Helou"}};
constexpr int kFamilies = sizeof kFamily / sizeof kFamily[0];

}  // namespace

std::string PersonRecord(int person, int variant, const std::string& source,
                         const std::string& id) {
  const Name& first = kFirst[person % kNames];
  const Name& father = kFirst[(person / kNames) % kNames];
  const Name& grand = kFirst[(person / kNames + 5) % kNames];
  const Name& family = kFamily[(person / (kNames * kNames) + person) % kFamilies];
  const std::string ar = std::string(first.ar) + " " + father.ar + " " + grand.ar + " " + family.ar;
  const std::string en =
      std::string(first.en) + " " + father.en + " " + grand.en + " " + family.en + " " + kLogMarker;
  char dob[16], dod[16];
  std::snprintf(dob, sizeof dob, "%04d-%02d-%02d", 1950 + person % 60, 1 + (person / 60) % 12,
                1 + person % 28);
  std::snprintf(dod, sizeof dod, "2024-%02d-%02d", 1 + (person / 28) % 12, 1 + (person * 7) % 28);
  // A re-report lists the spellings in the other order: another payload, same person.
  const std::string ar_name = "{\"full\":\"" + ar + "\",\"script\":\"arabic\"}";
  const std::string en_name = "{\"full\":\"" + en + "\",\"script\":\"latin\"}";
  const std::string names = variant == 0 ? ar_name + "," + en_name : en_name + "," + ar_name;
  return "{\"source\":\"" + source + "\",\"source_record_id\":\"" + id + "\",\"names\":[" + names +
         "],\"sex\":\"male\",\"date_of_birth\":\"" + dob + "\",\"date_of_death\":\"" + dod +
         "\",\"place_of_death\":\"Gaza\"}";
}

std::string Batch(const std::vector<std::string>& records) {
  std::string out = "{\"records\":[";
  for (size_t i = 0; i < records.size(); ++i) out += (i ? "," : "") + records[i];
  return out + "]}";
}

std::string CreateSubmitToken(const std::string& db_location) {
  std::string out =
      RunCommandOut(std::string(QAYD_PATH) + " token add faults --scope submit --db '" +
                    db_location + "' 2>/dev/null");
  out = out.substr(0, out.find('\n'));
  return out.size() == 64 ? out : "";
}

int WaitPort(DaemonHarness& d, std::chrono::milliseconds timeout) {
  if (!d.WaitLog("http listening", timeout)) return 0;
  const std::string log = d.Log();
  std::smatch m;
  if (!std::regex_search(log, m, std::regex("http listening[^\\n]*port=\"?([0-9]+)"))) return 0;
  return std::stoi(m[1].str());
}

Submission Submit(int port, const std::string& token, const std::string& body) {
  HttpClient client(static_cast<uint16_t>(port));
  client.bearer = token;
  HttpResult r = client.Send("POST", "/api/v1/reports", body);
  Submission s;
  s.status = r.status;
  s.body = r.body;
  s.error_code = r.error_code();
  if (r.status >= 200 && r.status < 300 && r.json.IsObject() && r.json.HasMember("outcomes") &&
      r.json["outcomes"].IsArray()) {
    for (const auto& o : r.json["outcomes"].GetArray()) {
      s.decisions.push_back(o.IsObject() && o.HasMember("decision") && o["decision"].IsString()
                                ? o["decision"].GetString()
                                : "");
    }
  }
  return s;
}

QueryFn SqliteQuery(const std::string& db_path) {
  return [db_path](const std::string& sql, std::string* error) {
    std::vector<std::vector<std::string>> rows;
    sqlite3* h = nullptr;
    if (sqlite3_open_v2(db_path.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      *error = "open " + db_path + ": " + sqlite3_errmsg(h);
      sqlite3_close(h);
      return rows;
    }
    sqlite3_busy_timeout(h, 5000);
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(h, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      *error = sql + ": " + sqlite3_errmsg(h);
    } else {
      int rc;
      while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        std::vector<std::string> row;
        for (int i = 0; i < sqlite3_column_count(st); ++i) {
          const unsigned char* t = sqlite3_column_text(st, i);
          row.emplace_back(t ? reinterpret_cast<const char*>(t) : "");
        }
        rows.push_back(std::move(row));
      }
      if (rc != SQLITE_DONE) *error = sql + ": " + sqlite3_errmsg(h);
    }
    sqlite3_finalize(st);
    sqlite3_close(h);
    return rows;
  };
}

QueryFn PostgresQuery(const std::string& url) {
  return [url](const std::string& sql, std::string* error) {
    std::vector<std::vector<std::string>> rows;
    std::unique_ptr<PGconn, decltype(&PQfinish)> conn(PQconnectdb(url.c_str()), &PQfinish);
    if (PQstatus(conn.get()) != CONNECTION_OK) {
      *error = std::string("connect: ") + PQerrorMessage(conn.get());
      return rows;
    }
    std::unique_ptr<PGresult, decltype(&PQclear)> r(PQexec(conn.get(), sql.c_str()), &PQclear);
    if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) {
      *error = sql + ": " + PQresultErrorMessage(r.get());
      return rows;
    }
    for (int i = 0; i < PQntuples(r.get()); ++i) {
      std::vector<std::string> row;
      for (int j = 0; j < PQnfields(r.get()); ++j) row.emplace_back(PQgetvalue(r.get(), i, j));
      rows.push_back(std::move(row));
    }
    return rows;
  };
}

int64_t QueryInt(const QueryFn& q, const std::string& sql) {
  std::string error;
  auto rows = q(sql, &error);
  if (!error.empty() || rows.empty() || rows[0].empty()) return -1;
  return std::stoll(rows[0][0]);
}

std::string CheckRegister(const QueryFn& q, const RegisterExpectation& expect) {
  std::string problems;
  auto problem = [&](const std::string& p) { problems += p + "\n"; };
  auto rows = [&](const std::string& sql) {
    std::string error;
    auto r = q(sql, &error);
    if (!error.empty()) problem("query failed: " + error);
    return r;
  };
  auto zero = [&](const std::string& what, const std::string& sql) {
    const int64_t n = QueryInt(q, sql);
    if (n != 0) problem(what + ": " + std::to_string(n));
  };

  // 1. Every acknowledged report is there exactly once; nothing unsent is there.
  std::map<std::pair<std::string, std::string>, int64_t> stored;
  for (const auto& r :
       rows("SELECT source, source_record_id, COUNT(*) FROM reports GROUP BY 1, 2")) {
    stored[{r[0], r[1]}] = std::stoll(r[2]);
  }
  for (const auto& key : expect.acked) {
    auto it = stored.find(key);
    if (it == stored.end())
      problem("acknowledged report lost: " + key.first + "/" + key.second);
    else if (it->second != 1)
      problem("report stored " + std::to_string(it->second) + " times: " + key.first + "/" +
              key.second);
  }
  for (const auto& [key, n] : stored) {
    if (!expect.submitted.count(key))
      problem("report nobody sent: " + key.first + "/" + key.second);
    if (n != 1 && !expect.acked.count(key))
      problem("report stored twice: " + key.first + "/" + key.second);
  }
  // 2. One victim per matched report; a pending report has none (no half-applied match).
  zero("matched reports without a victim",
       "SELECT COUNT(*) FROM reports r WHERE r.resolution <> 0 AND NOT EXISTS "
       "(SELECT 1 FROM membership m WHERE m.report_id = r.id)");
  zero("pending reports with a victim",
       "SELECT COUNT(*) FROM reports r JOIN membership m ON m.report_id = r.id WHERE r.resolution "
       "= 0");
  if (expect.all_matched)
    zero("reports still pending", "SELECT COUNT(*) FROM reports WHERE resolution = 0");
  zero("reports on a missing or absorbed victim",
       "SELECT COUNT(*) FROM membership m LEFT JOIN victims v ON v.id = m.victim_id "
       "WHERE v.id IS NULL OR v.state = 2");
  zero("victims without reports",
       "SELECT COUNT(*) FROM victims v WHERE v.state <> 2 AND NOT EXISTS "
       "(SELECT 1 FROM membership m WHERE m.victim_id = v.id)");
  // 3. Review items refer to existing reports and provisional victims; every
  // report in review has its item.
  zero("review items on missing reports",
       "SELECT COUNT(*) FROM review_items i LEFT JOIN reports r ON r.id = i.report_id WHERE r.id "
       "IS NULL");
  zero("review items on missing victims",
       "SELECT COUNT(*) FROM review_items i LEFT JOIN victims v ON v.id = i.provisional_victim_id "
       "WHERE v.id IS NULL");
  zero("reports in review without an item",
       "SELECT COUNT(*) FROM reports r WHERE r.resolution = 2 AND NOT EXISTS "
       "(SELECT 1 FROM review_items i WHERE i.report_id = r.id)");
  // 4. The history: one acceptance event per report; replaying the events that
  // place reports (victim created = 2, report attached = 3, merge = 4) gives
  // the membership table exactly.
  // (Grouped, not correlated: history has no index on report_id.)
  zero("reports without exactly one acceptance event",
       "SELECT COUNT(*) FROM reports r LEFT JOIN (SELECT report_id, COUNT(*) AS n FROM history "
       "WHERE type IN (0, 1) GROUP BY report_id) h ON h.report_id = r.id WHERE COALESCE(h.n, 0) <> "
       "1");
  zero("reports placed more than once by matching",
       "SELECT COUNT(*) FROM (SELECT report_id FROM history WHERE type IN (2, 3) "
       "GROUP BY report_id HAVING COUNT(*) > 1) x");
  std::map<int64_t, int64_t> replayed;  // report -> victim
  for (const auto& e : rows("SELECT type, victim_id, other_victim_id, report_id FROM history "
                            "WHERE type IN (2, 3, 4, 5, 6) ORDER BY seq")) {
    const int type = std::stoi(e[0]);
    const int64_t victim = std::stoll(e[1]), other = std::stoll(e[2]), report = std::stoll(e[3]);
    if (type == 2 || type == 3) {
      replayed[report] = victim;
    } else if (type == 4) {
      for (auto& [r, v] : replayed) {
        if (v == other) v = victim;
      }
    } else {
      problem("history holds undo/split events, which this check does not replay");
    }
  }
  std::map<int64_t, int64_t> membership;
  for (const auto& m : rows("SELECT report_id, victim_id FROM membership")) {
    membership[std::stoll(m[0])] = std::stoll(m[1]);
  }
  if (replayed != membership) {
    int64_t differ = 0;
    for (const auto& [r, v] : membership) differ += replayed.count(r) == 0 || replayed[r] != v;
    problem("membership disagrees with the replayed history: " + std::to_string(differ) +
            " reports differ, " + std::to_string(membership.size()) + " members, " +
            std::to_string(replayed.size()) + " replayed");
  }
  // 5. Every automatic attachment to an existing victim carries its explanation.
  zero("automatic attachments without score",
       "SELECT COUNT(*) FROM history WHERE type = 3 AND actor = 'engine' AND details NOT LIKE "
       "'%score%' "
       "AND details NOT LIKE '%new_version_of%'");
  return problems;
}

bool WaitNothingPending(const QueryFn& q, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (QueryInt(q, "SELECT COUNT(*) FROM reports WHERE resolution = 0") == 0) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return QueryInt(q, "SELECT COUNT(*) FROM reports WHERE resolution = 0") == 0;
}

TmpfsMount::TmpfsMount(const std::string& size) {
  char tmpl[] = "/tmp/qayd-faults-tmpfs.XXXXXX";
  if (mkdtemp(tmpl) == nullptr) {
    error_ = "mkdtemp failed";
    return;
  }
  dir_ = tmpl;
  const std::string opts = "size=" + size + ",mode=0700";
  if (::mount("tmpfs", dir_.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, opts.c_str()) != 0) {
    error_ = std::string("mount tmpfs (needs root): ") + std::strerror(errno);
    return;
  }
  mounted_ = true;
}

TmpfsMount::~TmpfsMount() {
  if (mounted_ && ::umount2(dir_.c_str(), 0) != 0) ::umount2(dir_.c_str(), MNT_DETACH);
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

int64_t TmpfsMount::FreeBytes() const {
  struct statvfs s {};
  if (::statvfs(dir_.c_str(), &s) != 0) return -1;
  return static_cast<int64_t>(s.f_bavail) * static_cast<int64_t>(s.f_frsize);
}

int64_t WriteBallast(const std::string& path, int64_t bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return 0;
  std::string block(64 * 1024, 'x');
  int64_t written = 0;
  while (written < bytes) {
    const size_t n = static_cast<size_t>(std::min<int64_t>(bytes - written, block.size()));
    const ssize_t w = ::write(fd, block.data(), n);
    if (w <= 0) break;
    written += w;
  }
  ::close(fd);
  return written;
}

}  // namespace qayd::testing
