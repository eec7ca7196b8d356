#include "cli/cmd_ingest.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "cli/args.h"
#include "cli/common.h"
#include "ingest/record_parser.h"
#include "ingest/validate.h"
#include "pipeline/pipeline.h"

namespace qayd::cli {
namespace {

void Progress(int64_t done, int64_t total, std::chrono::steady_clock::time_point start) {
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double rate = secs > 0 ? static_cast<double>(done) / secs : 0;
  const double left = rate > 0 ? static_cast<double>(total - done) / rate : 0;
  std::fprintf(stderr, "\r%lld/%lld records, %.0f/s, %.0f s left   ", static_cast<long long>(done),
               static_cast<long long>(total), rate, left);
}

}  // namespace

int CmdIngest(const std::vector<std::string>& argv) {
  auto parsed = ParseArgs(argv, {"db", "config", "decisions", "format", "source", "map", "batch"}, {});
  if (!parsed.ok() || parsed->positional.empty() || !parsed->Has("db")) {
    std::cerr << "usage: qayd ingest --db DB [--config FILE] [--decisions OUT] [--format jsonl|json|csv]\n"
                 "                   [--source NAME] [--map FEED_FIELD=QAYD_FIELD]... [--batch N] FILE...\n";
    if (!parsed.ok()) std::cerr << "qayd ingest: " << parsed.status().message() << "\n";
    return 2;
  }
  const Args& a = *parsed;
  auto reg = OpenRegister(a.Get("db"), a.Get("config"));
  if (!reg.ok()) {
    std::cerr << "qayd ingest: " << reg.status().message() << "\n";
    return 1;
  }
  Register& r = **reg;
  std::ofstream decisions_file;
  std::ostream* decisions = nullptr;
  if (a.Has("decisions")) {
    if (a.Get("decisions") == "-") {
      decisions = &std::cout;
    } else {
      decisions_file.open(a.Get("decisions"), std::ios::trunc);
      if (!decisions_file) {
        std::cerr << "qayd ingest: cannot write " << a.Get("decisions") << "\n";
        return 1;
      }
      decisions = &decisions_file;
    }
  }
  ingest::ParseOptions popts;
  for (const std::string& m : a.All("map")) {
    auto eq = m.find('=');
    if (eq == std::string::npos) {
      std::cerr << "qayd ingest: --map takes FEED_FIELD=QAYD_FIELD, got " << m << "\n";
      return 2;
    }
    popts.field_map[m.substr(0, eq)] = m.substr(eq + 1);
  }
  const size_t batch_size = static_cast<size_t>(std::stoul(a.Get("batch", "1000")));
  const bool tty = isatty(2);
  ingest::ValidateOptions validate;
  if (auto vocab = ingest::LoadVocabularies(r.store.get()); vocab.ok()) validate.vocab = *vocab;

  // Parse every file first so progress knows the total.
  std::vector<IncomingRecord> all;
  for (const std::string& file : a.positional) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      std::cerr << "qayd ingest: cannot read " << file << "\n";
      return 1;
    }
    std::stringstream body;
    body << in.rdbuf();
    ingest::ParseOptions fo = popts;
    fo.format = a.Get("format", ingest::FormatForFileName(file));
    if (fo.format.empty()) fo.format = "jsonl";
    fo.source = a.Get("source", file.substr(file.find_last_of('/') + 1));
    fo.label = file;
    auto records = ingest::ParseRecords(body.str(), fo);
    if (!records.ok()) {
      std::cerr << "qayd ingest: " << file << ": " << records.status().message() << "\n";
      return 1;
    }
    ingest::ValidateRecords(&records->records, validate);
    for (auto& rec : records->records) all.push_back(std::move(rec));
  }

  std::map<std::string, int64_t> summary;
  const auto start = std::chrono::steady_clock::now();
  int64_t done = 0;
  for (size_t i = 0; i < all.size(); i += batch_size) {
    std::vector<IncomingRecord> batch;
    for (size_t j = i; j < std::min(all.size(), i + batch_size); ++j) batch.push_back(std::move(all[j]));
    auto outcomes = r.pipeline->Process(std::move(batch));
    if (!outcomes.ok()) {
      std::cerr << "\nqayd ingest: store failure: " << outcomes.status().ToString() << "\n";
      return 1;
    }
    for (const auto& o : *outcomes) {
      ++summary[o.decision];
      if (decisions) *decisions << o.ToJson() << "\n";
    }
    done += static_cast<int64_t>(outcomes->size());
    if (tty) Progress(done, static_cast<int64_t>(all.size()), start);
  }
  if (tty) std::fprintf(stderr, "\n");
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cerr << "ingested " << done << " records in " << secs << " s:";
  for (const auto& [decision, n] : summary) std::cerr << " " << decision << "=" << n;
  std::cerr << "\n";
  return 0;
}

}  // namespace qayd::cli
