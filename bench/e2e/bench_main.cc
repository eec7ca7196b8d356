// qayd-bench: the end-to-end benchmark driver (docs/PERFORMANCE.md).
//
//   qayd-bench build --db FILE --input REGISTER.jsonl
//   qayd-bench run   --db FILE --input INCOMING.jsonl [--batch 1000] [--match-sample 10000]
//   qayd-bench batch --db FILE --input REPORTS.jsonl [--batch 1000]
// Prints one JSON object on stdout; exit 1 on a store or input failure.
#include <iostream>
#include <string>

#include "base/log.h"
#include "bench/e2e/driver.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: qayd-bench build|run|batch --db FILE --input FILE [--batch N]"
                 " [--match-sample N]\n";
    return 2;
  }
  const std::string mode = argv[1];
  qayd::bench::DriverOptions o;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--db") o.db = v;
    else if (k == "--input") o.input = v;
    else if (k == "--batch") o.batch = std::stoul(v);
    else if (k == "--match-sample") o.match_sample = std::stoll(v);
    else if (k == "--chunk") o.chunk = std::stoul(v);
    else {
      std::cerr << "qayd-bench: unknown option " << k << "\n";
      return 2;
    }
  }
  if (o.db.empty() || o.input.empty() || o.batch == 0) {
    std::cerr << "qayd-bench: --db and --input are required\n";
    return 2;
  }
  qayd::log::SetLevel(qayd::log::Level::kWarning);
  qayd::Result<std::string> r = mode == "build" ? qayd::bench::BuildRegister(o)
                                : mode == "run" ? qayd::bench::RunIngest(o)
                                : mode == "batch"
                                    ? qayd::bench::RunBatch(o)
                                    : qayd::Result<std::string>(qayd::Error(
                                          qayd::ErrorCode::kInvalidInput, "unknown mode " + mode));
  if (!r.ok()) {
    std::cerr << "qayd-bench: " << r.status().ToString() << "\n";
    return 1;
  }
  std::cout << *r << "\n";
  return 0;
}
