// qayd-corpus: writes a synthetic register and incoming reports as qayd JSON
// lines, with names sampled from the real lists in the repository's data/.
//
//   qayd-corpus --data DIR --seed S --register N --incoming M
//               --register-out FILE --incoming-out FILE
//               [--rereport 0.4] [--self-dup 0.1] [--latin 0.25] [--drift 1.0]
// Prints a JSON summary of what was written on stdout.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <string>

#include "bench/corpus/generator.h"
#include "bench/corpus/name_stats.h"

int main(int argc, char** argv) {
  std::map<std::string, std::string> a = {{"data", QAYD_DATA_DIR},
                                          {"seed", "1"},
                                          {"register", "10000"},
                                          {"incoming", "1000"},
                                          {"rereport", "0.4"},
                                          {"self-dup", "0.1"},
                                          {"latin", "0.25"},
                                          {"drift", "1.0"}};
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    if (k.rfind("--", 0) != 0 || (!a.count(k.substr(2)) && k != "--register-out" &&
                                  k != "--incoming-out")) {
      std::cerr << "qayd-corpus: unknown option " << k << "\n";
      return 2;
    }
    a[k.substr(2)] = argv[i + 1];
  }
  if (argc % 2 == 0 || !a.count("register-out") || !a.count("incoming-out")) {
    std::cerr << "usage: qayd-corpus [--data DIR] [--seed S] [--register N] [--incoming M]\n"
                 "         [--rereport F] [--self-dup F] [--latin F] [--drift F]\n"
                 "         --register-out FILE --incoming-out FILE\n";
    return 2;
  }
  auto stats = qayd::bench::LoadNameStats(a["data"]);
  if (!stats.ok()) {
    std::cerr << "qayd-corpus: " << stats.status().ToString() << "\n";
    return 1;
  }
  qayd::bench::CorpusOptions o;
  o.seed = std::stoull(a["seed"]);
  o.register_size = std::stoll(a["register"]);
  o.incoming = std::stoll(a["incoming"]);
  o.rereport_share = std::stod(a["rereport"]);
  o.self_dup_share = std::stod(a["self-dup"]);
  o.latin_share = std::stod(a["latin"]);
  o.drift = std::stod(a["drift"]);
  std::ofstream reg(a["register-out"], std::ios::binary | std::ios::trunc);
  std::ofstream inc(a["incoming-out"], std::ios::binary | std::ios::trunc);
  if (!reg || !inc) {
    std::cerr << "qayd-corpus: cannot write the output files\n";
    return 1;
  }
  const auto c = qayd::bench::WriteCorpus(*stats, o, reg, inc);
  reg.close();
  inc.close();
  if (!reg || !inc) {
    std::cerr << "qayd-corpus: write failed\n";
    return 1;
  }
  std::printf(
      "{\"seed\":%llu,\"people\":%lld,\"families\":%lld,\"register\":%lld,\"incoming\":%lld,"
      "\"incoming_rereports\":%lld,\"incoming_self_dups\":%lld,\"incoming_new\":%lld,"
      "\"incoming_latin\":%lld,\"incoming_new_with_relatives_in_register\":%lld,"
      "\"source_names\":%zu,\"latin_tokens\":%zu}\n",
      static_cast<unsigned long long>(o.seed), static_cast<long long>(c.people),
      static_cast<long long>(c.families), static_cast<long long>(c.register_reports),
      static_cast<long long>(c.incoming_reports), static_cast<long long>(c.incoming_rereports),
      static_cast<long long>(c.incoming_self_dups), static_cast<long long>(c.incoming_new),
      static_cast<long long>(c.incoming_latin),
      static_cast<long long>(c.incoming_relatives_in_register), stats->source_names,
      stats->latin.size());
  return 0;
}
