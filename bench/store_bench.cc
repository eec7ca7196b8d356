// Store benchmarks (docs/PERFORMANCE.md, "Store bulk load"):
// - BM_BulkLoad/sqlite|postgres/batch: reports stored per second, each report
//   AcceptReport + CreateVictim + SetResolution, `batch` per transaction.
// - BM_SqliteScanVictims/n: ScanVictims over a register of n victims.
// PostgreSQL: QAYD_TEST_PG_URL, else a throwaway cluster started with
// scripts/pg-test-cluster.sh (QAYD_PG_FSYNC=on: durable settings).
#include <benchmark/benchmark.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "store/store.h"

namespace qayd {
namespace {

Report BenchReport(int64_t n) {
  static const char* kFirst[] = {"محمد", "أحمد", "خالد", "فاطمة", "عمر", "سارة", "يوسف", "ليلى"};
  static const char* kFamily[] = {"الحسين", "أبو شرخ", "النجار", "الخطيب", "حمدان", "عاشور"};
  Report r;
  r.source = "bench";
  r.source_record_id = "rec-" + std::to_string(n);
  r.received_at_ms = 1700000000000 + n;
  r.source_type = "hospital";
  std::string name =
      std::string(kFirst[n % 8]) + " " + kFirst[(n / 8) % 8] + " " + kFamily[(n / 64) % 6];
  r.names.push_back({.full = name, .script = Script::kArabic});
  r.sex = n % 3 ? Sex::kMale : Sex::kFemale;
  r.age = {Age::Kind::kExact, static_cast<int>(n % 90), static_cast<int>(n % 90)};
  r.date_of_birth = {1950 + static_cast<int>(n % 70), 1 + static_cast<int>(n % 12), 1,
                     DatePrecision::kExact};
  r.date_of_death = {2024, 1 + static_cast<int>(n % 12), 1 + static_cast<int>(n % 28),
                     DatePrecision::kExact};
  r.place_of_death.governorate = "gaza";
  r.national_id = std::to_string(400000000 + n);
  r.raw_payload = "{\"id\":\"" + r.national_id + "\",\"name\":\"" + name +
                  "\",\"n\":" + std::to_string(n) + "}";
  return r;
}

std::string TempDir() {
  char tmpl[] = "/tmp/qayd-store-bench-XXXXXX";
  return mkdtemp(tmpl);
}

std::string RunScript(const std::string& args) {
  std::string cmd = std::string(QAYD_SOURCE_DIR) + "/scripts/pg-test-cluster.sh " + args;
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[512];
  while (p && fgets(buf, sizeof buf, p)) out += buf;
  if (p && pclose(p) != 0) return "";
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

// A fresh PostgreSQL database URL ("" if no server can be had).
std::string FreshPostgresDatabase() {
  static std::string base;
  static std::string cluster_dir;
  if (base.empty()) {
    if (const char* env = std::getenv("QAYD_TEST_PG_URL"); env && *env) {
      base = env;
    } else {
      cluster_dir = TempDir();
      base = RunScript("start " + cluster_dir);
      std::atexit([] { RunScript("stop " + cluster_dir); });
    }
    if (base.empty()) return "";
  }
  static int n = 0;
  std::string db = "qayd_bench_" + std::to_string(getpid()) + "_" + std::to_string(n++);
  std::string admin = base.substr(0, base.rfind('/')) + "/postgres";
  PGconn* c = PQconnectdb(admin.c_str());
  PGresult* r = PQexec(c, ("CREATE DATABASE " + db).c_str());
  bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  PQclear(r);
  PQfinish(c);
  return ok ? base.substr(0, base.rfind('/')) + "/" + db : "";
}

void BulkLoad(benchmark::State& state, bool postgres) {
  const int batch = static_cast<int>(state.range(0));
  std::string dir, location;
  if (postgres) {
    location = FreshPostgresDatabase();
    if (location.empty()) {
      state.SkipWithError("no PostgreSQL server");
      return;
    }
  } else {
    dir = TempDir();
    location = dir + "/bench.db";
  }
  auto store = OpenStore(location);
  if (!store.ok()) {
    state.SkipWithError(store.status().ToString().c_str());
    return;
  }
  int64_t n = 0;
  for (auto _ : state) {
    auto t = (*store)->Begin(Store::Mode::kWrite);
    for (int i = 0; i < batch; ++i) {
      auto a = (*t)->AcceptReport(BenchReport(n++));
      auto v = (*t)->CreateVictim(a->report_id, VictimState::kActive, "engine",
                                  R"({"score":-3.5,"config":"v1"})");
      Status r = (*t)->SetResolution(a->report_id, Resolution::kAttached);
      if (!v.ok() || !r.ok()) state.SkipWithError("a write failed");
      benchmark::DoNotOptimize(v);
    }
    Status s = (*t)->Commit();
    if (!s.ok()) {
      state.SkipWithError(s.ToString().c_str());
      break;
    }
  }
  state.SetItemsProcessed(n);
  state.counters["reports_per_s"] =
      benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsRate);
  store->reset();
  if (!dir.empty()) std::filesystem::remove_all(dir);
}

void BM_BulkLoadSqlite(benchmark::State& state) { BulkLoad(state, false); }
void BM_BulkLoadPostgres(benchmark::State& state) { BulkLoad(state, true); }
// Rates are per wall-clock second (UseRealTime): commits wait on fsync.
BENCHMARK(BM_BulkLoadSqlite)
    ->Arg(1000)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(3)
    ->UseRealTime();
BENCHMARK(BM_BulkLoadPostgres)
    ->Arg(1000)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(3)
    ->UseRealTime();

void BM_SqliteScanVictims(benchmark::State& state) {
  const int64_t victims = state.range(0);
  std::string dir = TempDir();
  auto store = OpenStore(dir + "/scan.db");
  for (int64_t n = 0; n < victims;) {
    auto t = (*store)->Begin(Store::Mode::kWrite);
    for (int i = 0; i < 20000 && n < victims; ++i, ++n) {
      auto a = (*t)->AcceptReport(BenchReport(n));
      if (!(*t)->CreateVictim(a->report_id, VictimState::kActive, "engine", "{}").ok()) {
        state.SkipWithError("a write failed");
        return;
      }
    }
    if (!(*t)->Commit().ok()) {
      state.SkipWithError("a commit failed");
      return;
    }
  }
  int64_t seen = 0;
  for (auto _ : state) {
    seen = 0;
    Status s = (*store)->ScanVictims([&seen](const Victim&, const std::vector<Report>& r) {
      seen += static_cast<int64_t>(r.size());
      return true;
    });
    if (!s.ok()) state.SkipWithError(s.ToString().c_str());
  }
  if (seen != victims) state.SkipWithError("scan missed victims");
  state.SetItemsProcessed(state.iterations() * victims);
  store->reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_SqliteScanVictims)->Arg(1000000)->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace
}  // namespace qayd

BENCHMARK_MAIN();
