// qayd-baseline: what a team would build instead of qayd's engine — the
// register in PostgreSQL, names transliterated by ICU ("Any-Latin;
// Latin-ASCII; Lower"), a pg_trgm GIN index, and for each incoming report
// the best same-sex candidate by trigram similarity above a threshold:
// merge into it, else create a new victim. Same corpus, same accuracy
// definitions (bench/e2e/accuracy.h) as qayd-bench.
//
//   qayd-baseline --pg URL --register FILE --incoming FILE
//                 [--threshold 0.5] [--limit N] [--batch 1000]
// Prints one JSON object on stdout.
#include <libpq-fe.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "bench/e2e/accuracy.h"

namespace {

using Clock = std::chrono::steady_clock;
double Secs(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

struct Rec {
  std::string name, sex, truth, id, raw;
};

bool ParseLine(const std::string& line, Rec* r) {
  rapidjson::Document d;
  d.Parse(line.data(), line.size());
  if (d.HasParseError() || !d.IsObject()) return false;
  if (d.HasMember("name")) {
    const auto& n = d["name"];
    if (n.IsString()) r->name = n.GetString();
    else if (n.IsObject() && n.HasMember("full") && n["full"].IsString()) r->name = n["full"].GetString();
  }
  r->sex = d.HasMember("sex") && d["sex"].IsString() ? d["sex"].GetString() : "unknown";
  r->truth = d.HasMember("national_id") && d["national_id"].IsString() ? d["national_id"].GetString() : "";
  r->id = d.HasMember("source_record_id") && d["source_record_id"].IsString()
              ? d["source_record_id"].GetString()
              : "";
  r->raw = line;
  return true;
}

[[noreturn]] void Die(const std::string& what, PGconn* c) {
  std::cerr << "qayd-baseline: " << what << ": " << (c ? PQerrorMessage(c) : "") << "\n";
  std::exit(1);
}

void Exec(PGconn* c, const std::string& sql) {
  PGresult* r = PQexec(c, sql.c_str());
  const auto st = PQresultStatus(r);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    PQclear(r);
    Die(sql, c);
  }
  PQclear(r);
}

std::string CopyEscape(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (ch == '\\' || ch == '\t' || ch == '\n' || ch == '\r') out += '\\';
    out += ch == '\n' ? 'n' : ch == '\t' ? 't' : ch == '\r' ? 'r' : ch;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> a = {{"threshold", "0.5"}, {"limit", "0"}, {"batch", "1000"}};
  for (int i = 1; i + 1 < argc; i += 2) a[std::string(argv[i]).substr(2)] = argv[i + 1];
  if (!a.count("pg") || !a.count("register") || !a.count("incoming")) {
    std::cerr << "usage: qayd-baseline --pg URL --register FILE --incoming FILE "
                 "[--threshold 0.5] [--limit N] [--batch 1000]\n";
    return 2;
  }
  const double threshold = std::stod(a["threshold"]);
  const int64_t limit = std::stoll(a["limit"]);
  const size_t batch = std::stoul(a["batch"]);

  UErrorCode uerr = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> tr(icu::Transliterator::createInstance(
      "Any-Latin; Latin-ASCII; Lower", UTRANS_FORWARD, uerr));
  if (U_FAILURE(uerr)) {
    std::cerr << "qayd-baseline: ICU transliterator: " << u_errorName(uerr) << "\n";
    return 1;
  }
  auto latin = [&](const std::string& s) {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(s);
    tr->transliterate(u);
    std::string out;
    u.toUTF8String(out);
    return out;
  };

  PGconn* c = PQconnectdb(a["pg"].c_str());
  if (PQstatus(c) != CONNECTION_OK) Die("connect", c);
  Exec(c, "SET client_min_messages = warning");
  Exec(c, "CREATE EXTENSION IF NOT EXISTS pg_trgm");
  Exec(c, "DROP TABLE IF EXISTS bl_report, bl_victim");
  Exec(c, "CREATE TABLE bl_victim (id bigserial PRIMARY KEY, truth text, sex text, name text)");
  Exec(c,
       "CREATE TABLE bl_report (id bigserial PRIMARY KEY, source_record_id text, raw text, "
       "victim_id bigint, decision text, score real)");

  qayd::bench::Accuracy acc;
  // 1. Register: COPY the transliterated names, then the GIN index.
  const auto t0 = Clock::now();
  std::ifstream reg(a["register"]);
  if (!reg) Die("cannot read " + a["register"], nullptr);
  PGresult* copy = PQexec(c, "COPY bl_victim (truth, sex, name) FROM STDIN");
  if (PQresultStatus(copy) != PGRES_COPY_IN) Die("copy", c);
  PQclear(copy);
  std::string line, chunk;
  int64_t registered = 0;
  std::vector<std::string> truths;
  while (std::getline(reg, line)) {
    Rec r;
    if (!ParseLine(line, &r)) continue;
    chunk += CopyEscape(r.truth) + "\t" + CopyEscape(r.sex) + "\t" + CopyEscape(latin(r.name)) + "\n";
    truths.push_back(r.truth);
    if (chunk.size() > (1 << 20)) {
      if (PQputCopyData(c, chunk.data(), static_cast<int>(chunk.size())) != 1) Die("copy", c);
      chunk.clear();
    }
    ++registered;
  }
  if (!chunk.empty() && PQputCopyData(c, chunk.data(), static_cast<int>(chunk.size())) != 1) Die("copy", c);
  if (PQputCopyEnd(c, nullptr) != 1) Die("copy end", c);
  PGresult* cr = PQgetResult(c);
  if (PQresultStatus(cr) != PGRES_COMMAND_OK) Die("copy result", c);
  PQclear(cr);
  for (size_t i = 0; i < truths.size(); ++i) acc.AddVictim(static_cast<int64_t>(i + 1), truths[i]);
  const auto t1 = Clock::now();
  Exec(c, "CREATE INDEX bl_victim_name_trgm ON bl_victim USING gin (name gin_trgm_ops)");
  Exec(c, "ANALYZE bl_victim");
  const auto t2 = Clock::now();

  // 2. Incoming: per report, store it, find the best same-sex candidate, decide.
  Exec(c, "SET pg_trgm.similarity_threshold = " + std::to_string(threshold));
  auto prepare = [&](const char* name, const char* sql, int n) {
    PGresult* r = PQprepare(c, name, sql, n, nullptr);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) Die(name, c);
    PQclear(r);
  };
  prepare("best",
          "SELECT id, similarity(name, $1) AS s FROM bl_victim WHERE name % $1 "
          "AND ($2 = 'unknown' OR sex = $2 OR sex = 'unknown') ORDER BY s DESC, id LIMIT 1",
          2);
  prepare("new_victim", "INSERT INTO bl_victim (truth, sex, name) VALUES ($1, $2, $3) RETURNING id", 3);
  prepare("report",
          "INSERT INTO bl_report (source_record_id, raw, victim_id, decision, score) "
          "VALUES ($1, $2, $3, $4, $5)",
          5);
  std::ifstream inc(a["incoming"]);
  if (!inc) Die("cannot read " + a["incoming"], nullptr);
  std::vector<double> lat_us;
  int64_t n = 0;
  const auto t3 = Clock::now();
  bool open = false;
  while ((limit == 0 || n < limit) && std::getline(inc, line)) {
    Rec r;
    if (!ParseLine(line, &r)) continue;
    if (!open) {
      Exec(c, "BEGIN");
      open = true;
    }
    const auto s0 = Clock::now();
    const std::string name = latin(r.name);
    const char* p_best[] = {name.c_str(), r.sex.c_str()};
    PGresult* br = PQexecPrepared(c, "best", 2, p_best, nullptr, nullptr, 0);
    if (PQresultStatus(br) != PGRES_TUPLES_OK) Die("best", c);
    std::string decision = "new", score = "0";
    int64_t victim = 0;
    if (PQntuples(br) == 1) {
      victim = std::stoll(PQgetvalue(br, 0, 0));
      score = PQgetvalue(br, 0, 1);
      decision = "merged";
    }
    PQclear(br);
    if (victim == 0) {
      const char* p_new[] = {r.truth.c_str(), r.sex.c_str(), name.c_str()};
      PGresult* nr = PQexecPrepared(c, "new_victim", 3, p_new, nullptr, nullptr, 0);
      if (PQresultStatus(nr) != PGRES_TUPLES_OK) Die("new_victim", c);
      victim = std::stoll(PQgetvalue(nr, 0, 0));
      PQclear(nr);
    }
    const std::string vid = std::to_string(victim);
    const char* p_rep[] = {r.id.c_str(), r.raw.c_str(), vid.c_str(), decision.c_str(), score.c_str()};
    PGresult* rr = PQexecPrepared(c, "report", 5, p_rep, nullptr, nullptr, 0);
    if (PQresultStatus(rr) != PGRES_COMMAND_OK) Die("report", c);
    PQclear(rr);
    lat_us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - s0).count());
    acc.Observe(r.truth, decision, victim);
    ++n;
    if (n % static_cast<int64_t>(batch) == 0) {
      Exec(c, "COMMIT");
      open = false;
    }
  }
  if (open) Exec(c, "COMMIT");
  const auto t4 = Clock::now();
  PQfinish(c);

  std::sort(lat_us.begin(), lat_us.end());
  auto pct = [&](double p) {
    return lat_us.empty() ? 0.0 : lat_us[std::min(lat_us.size() - 1, size_t(p * lat_us.size()))];
  };
  const double secs = Secs(t3, t4);
  std::printf(
      "{\"engine\":\"pg_trgm\",\"threshold\":%.2f,\"register\":%lld,\"register_load_s\":%.3f,"
      "\"index_build_s\":%.3f,\"incoming\":%lld,\"ingest_s\":%.3f,\"reports_per_s\":%.1f,"
      "\"latency_us\":{\"p50\":%.0f,\"p90\":%.0f,\"p99\":%.0f,\"max\":%.0f},\"accuracy\":%s}\n",
      threshold, static_cast<long long>(registered), Secs(t0, t1), Secs(t1, t2),
      static_cast<long long>(n), secs, secs > 0 ? double(n) / secs : 0.0, pct(0.5), pct(0.9),
      pct(0.99), lat_us.empty() ? 0.0 : lat_us.back(), acc.ToJson().c_str());
  return 0;
}
