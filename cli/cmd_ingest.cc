#include "cli/cmd_ingest.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string_view>

#include "cli/args.h"
#include "cli/common.h"
#include "ingest/record_parser.h"
#include "ingest/validate.h"
#include "pipeline/batches.h"
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
  const size_t batch_size =
      static_cast<size_t>(std::stoul(a.Get("batch", std::to_string(kPipelineBatch))));
  const bool tty = isatty(2);

  // Every file is read (and a JSON or CSV file parsed) before the register is
  // opened, so an unreadable or malformed file stops the command first (and
  // leaves no empty register behind) and progress knows the total. JSON lines are parsed a batch at a time, while
  // the batch before is processed (ProcessBatches).
  struct Input {
    std::string body;
    ingest::ParseOptions opts;
    std::vector<ingest::LinesChunk> chunks;  // jsonl: views into `body`
    std::vector<IncomingRecord> records;     // other formats: parsed
  };
  std::deque<Input> inputs;  // a deque: `chunks` point into bodies that must not move
  int64_t total = 0;
  for (const std::string& file : a.positional) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      std::cerr << "qayd ingest: cannot read " << file << "\n";
      return 1;
    }
    Input& input = inputs.emplace_back();
    {
      std::stringstream body;
      body << in.rdbuf();
      input.body = std::move(body).str();
    }
    ingest::ParseOptions& fo = input.opts;
    fo = popts;
    fo.format = a.Get("format", ingest::FormatForFileName(file));
    if (fo.format.empty()) fo.format = "jsonl";
    fo.source = a.Get("source", file.substr(file.find_last_of('/') + 1));
    fo.label = file;
    if (fo.format == "jsonl") {
      input.chunks = ingest::SplitJsonLines(input.body, batch_size);
      for (const auto& c : input.chunks) total += static_cast<int64_t>(c.records);
      continue;
    }
    auto records = ingest::ParseRecords(input.body, fo);
    if (!records.ok()) {
      std::cerr << "qayd ingest: " << file << ": " << records.status().message() << "\n";
      return 1;
    }
    input.records = std::move(records->records);
    input.body.clear();
    total += static_cast<int64_t>(input.records.size());
  }
  auto reg = OpenRegister(a.Get("db"), a.Get("config"));
  if (!reg.ok()) {
    std::cerr << "qayd ingest: " << reg.status().message() << "\n";
    return 1;
  }
  Register& r = **reg;
  ingest::ValidateOptions validate;
  if (auto vocab = ingest::LoadVocabularies(r.store.get()); vocab.ok()) validate.vocab = *vocab;
  for (Input& input : inputs) ingest::ValidateRecords(&input.records, validate);
  // The batches, in file order: chunk by chunk, or `batch_size` records.
  size_t file = 0, chunk = 0, taken = 0;
  Status parse_error;
  auto next_batch = [&](std::vector<IncomingRecord>* batch) {
    for (; file < inputs.size(); ++file, chunk = taken = 0) {
      Input& in = inputs[file];
      if (chunk < in.chunks.size()) {
        ingest::ParseOptions fo = in.opts;
        fo.first_line = in.chunks[chunk].first_line;
        auto records = ingest::ParseRecords(in.chunks[chunk++].text, fo);
        if (!records.ok()) {  // not for jsonl (a bad line is a record with errors); stop
          parse_error = records.status();
          return false;
        }
        ingest::ValidateRecords(&records->records, validate);
        *batch = std::move(records->records);
        return true;
      }
      if (taken < in.records.size()) {
        const size_t end = std::min(in.records.size(), taken + batch_size);
        for (; taken < end; ++taken) batch->push_back(std::move(in.records[taken]));
        return true;
      }
    }
    return false;
  };

  std::map<std::string, int64_t> summary;
  // CPU time of every thread of the process (user + system), in seconds.
  auto cpu_seconds = [] {
    rusage ru{};
    ::getrusage(RUSAGE_SELF, &ru);
    auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
    return s(ru.ru_utime) + s(ru.ru_stime);
  };
  const double cpu_start = cpu_seconds();
  const auto start = std::chrono::steady_clock::now();
  int64_t done = 0;
  Status s = ProcessBatches(r.pipeline.get(), next_batch,
                            [&](size_t, std::vector<RecordOutcome>& outcomes, double) {
                              for (const auto& o : outcomes) {
                                ++summary[o.decision];
                                if (decisions) *decisions << o.ToJson() << "\n";
                              }
                              done += static_cast<int64_t>(outcomes.size());
                              if (tty) Progress(done, total, start);
                              return true;
                            });
  if (!s.ok()) {
    std::cerr << "\nqayd ingest: store failure: " << s.ToString() << "\n";
    return 1;
  }
  if (!parse_error.ok()) {
    std::cerr << "\nqayd ingest: " << parse_error.message() << "\n";
    return 1;
  }
  if (tty) std::fprintf(stderr, "\n");
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // The CPU the processing used (all threads: pipeline, matching, read-ahead,
  // WAL checkpoints), beside its wall time: how busy the machine's CPUs were.
  std::cerr << "ingested " << done << " records in " << secs << " s (cpu " << cpu_seconds() - cpu_start
            << " s):";
  for (const auto& [decision, n] : summary) std::cerr << " " << decision << "=" << n;
  std::cerr << "\n";
  return 0;
}

}  // namespace qayd::cli
