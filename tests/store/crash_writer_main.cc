// Helper for crash_test: ingests generated reports "rec-N" for N in
// [start, end) into a SQLite store, `batch` per transaction, and after each
// commit prints the committed numbers (one a line) and flushes. Re-delivered
// records (already committed before a kill) come back as duplicates and are
// acknowledged without a second victim.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "store/store.h"
#include "tests/store/store_test_support.h"

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s DB START END BATCH\n", argv[0]);
    return 2;
  }
  std::string db = argv[1];
  long start = std::atol(argv[2]), end = std::atol(argv[3]), batch = std::atol(argv[4]);
  auto store = qayd::OpenStore(db);
  if (!store.ok()) {
    std::fprintf(stderr, "open: %s\n", store.status().ToString().c_str());
    return 1;
  }
  for (long n = start; n < end; n += batch) {
    auto t = (*store)->Begin(qayd::Store::Mode::kWrite);
    if (!t.ok()) return 1;
    long last = std::min(end, n + batch);
    for (long i = n; i < last; ++i) {
      std::string id = "rec-" + std::to_string(i);
      auto a = (*t)->AcceptReport(qayd::testing_support::MakeReport("crash", id, "Person " + id));
      if (!a.ok()) return 1;
      if (a->kind != qayd::AcceptOutcome::Kind::kNew) continue;
      if (!(*t)->CreateVictim(a->report_id, qayd::VictimState::kActive, "engine", "{}").ok()) return 1;
      if (!(*t)->SetResolution(a->report_id, qayd::Resolution::kAttached).ok()) return 1;
    }
    if (!(*t)->Commit().ok()) return 1;
    for (long i = n; i < last; ++i) std::printf("%ld\n", i);
    std::fflush(stdout);
  }
  return 0;
}
