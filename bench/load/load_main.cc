// qayd-load: the load driver for a running qaydd (docs/PERFORMANCE.md, "Load").
//
//   qayd-load run --port P --token-file F --password-file F [--monitors 2]
//                 [--user-prefix load-monitor-] [--submitters 4] [--duration 60]
//                 [--batch 1] [--records 20000] [--seed 1] [--data DIR] [--pid PID]
//                 [--rss-interval 5] [--warmup S] [--repeat-pool 0|1] [--journal FILE]
//                 [--json FILE]
//   qayd-load verify --db REGISTER.db --journal FILE
//
// run: monitors are users <prefix>1..<prefix>M sharing the password in
// --password-file. Prints a table on stderr and the JSON result on stdout (or
// --json); writes what the daemon acknowledged to --journal. Exit 0 when no
// request failed, 1 otherwise. verify: checks a stopped daemon's register
// against the journal (bench/load/verify.h); prints JSON; exit 0 when it holds.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <string>

#include "bench/load/load_corpus.h"
#include "bench/load/load_run.h"
#include "bench/load/verify.h"

namespace {

std::string FirstLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  return line;
}

int Usage() {
  std::cerr << "usage: qayd-load run --port P --token-file F --password-file F [options]\n"
               "       qayd-load verify --db DB --journal FILE\n";
  return 2;
}

int Verify(std::map<std::string, std::string>& a) {
  if (!a.count("db") || !a.count("journal")) return Usage();
  auto j = qayd::load::ReadJournal(a["journal"]);
  if (!j.ok()) {
    std::cerr << "qayd-load: " << j.status().ToString() << "\n";
    return 1;
  }
  auto r = qayd::load::VerifyRegister(a["db"], *j);
  if (!r.ok()) {
    std::cerr << "qayd-load: " << r.status().ToString() << "\n";
    return 1;
  }
  std::cout << r->ToJson() << "\n";
  return r->ok() ? 0 : 1;
}

int Run(std::map<std::string, std::string>& a) {
  if (!a.count("port") || !a.count("token-file") || !a.count("password-file")) return Usage();
  qayd::load::LoadOptions o;
  o.port = static_cast<uint16_t>(std::stoi(a["port"]));
  o.token = FirstLine(a["token-file"]);
  const std::string password = FirstLine(a["password-file"]);
  const int monitors = std::stoi(a.count("monitors") ? a["monitors"] : "2");
  const std::string prefix = a.count("user-prefix") ? a["user-prefix"] : "load-monitor-";
  for (int i = 1; i <= monitors; ++i) o.monitors.push_back({prefix + std::to_string(i), password});
  if (a.count("submitters")) o.submitters = std::stoi(a["submitters"]);
  if (a.count("duration")) o.duration_s = std::stod(a["duration"]);
  if (a.count("batch")) o.batch = std::stoi(a["batch"]);
  if (a.count("pid")) o.pid = static_cast<pid_t>(std::stol(a["pid"]));
  if (a.count("rss-interval"))
    o.rss_interval_ms = static_cast<int>(std::stod(a["rss-interval"]) * 1000);
  if (a.count("warmup")) o.warmup_s = std::stod(a["warmup"]);
  if (a.count("repeat-pool")) o.repeat_pool = a["repeat-pool"] == "1";

  qayd::load::CorpusSpec spec;
  spec.data_dir = a.count("data") ? a["data"] : QAYD_DATA_DIR;
  spec.seed = std::stoull(a.count("seed") ? a["seed"] : "1");
  spec.records = std::stoll(a.count("records") ? a["records"] : "20000");
  spec.tag = "run" + std::to_string(::time(nullptr));
  auto records = qayd::load::MakeLoadRecords(spec);
  if (!records.ok()) {
    std::cerr << "qayd-load: " << records.status().ToString() << "\n";
    return 1;
  }
  std::cerr << "qayd-load: " << records->size() << " records ready; " << o.submitters
            << " submitters, " << monitors << " monitors, " << o.duration_s << " s\n";
  qayd::load::LoadResult r = qayd::load::RunLoad(o, *records);
  std::cerr << r.Table();
  if (a.count("journal")) {
    qayd::load::Journal j{spec.source, r.acked_ids, r.decided};
    if (auto s = qayd::load::WriteJournal(a["journal"], j); !s.ok()) {
      std::cerr << "qayd-load: " << s.ToString() << "\n";
      return 1;
    }
  }
  const std::string json = r.ToJson(o);
  if (a.count("json"))
    std::ofstream(a["json"], std::ios::trunc) << json << "\n";
  else
    std::cout << json << "\n";
  if (r.pool_exhausted && !o.repeat_pool)
    std::cerr << "qayd-load: the record pool ran out; raise --records\n";
  return r.errors() == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc % 2 != 0) return Usage();
  std::map<std::string, std::string> a;
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    if (k.rfind("--", 0) != 0) return Usage();
    a[k.substr(2)] = argv[i + 1];
  }
  try {
    const std::string verb = argv[1];
    if (verb == "run") return Run(a);
    if (verb == "verify") return Verify(a);
  } catch (const std::exception& e) {  // a malformed number in the options
    std::cerr << "qayd-load: " << e.what() << "\n";
    return 2;
  }
  return Usage();
}
