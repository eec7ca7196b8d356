#include "bench/e2e/driver.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <string_view>
#include <vector>

#include "bench/e2e/accuracy.h"
#include "bench/e2e/rss.h"
#include "config/config.h"
#include "ingest/record_parser.h"
#include "ingest/validate.h"
#include "matching/engine.h"
#include "pipeline/batches.h"
#include "pipeline/pipeline.h"
#include "store/store.h"

namespace qayd::bench {
namespace {

using Clock = std::chrono::steady_clock;
double Secs(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

Result<std::string> ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(ErrorCode::kIo, "cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result<std::vector<IncomingRecord>> Parse(std::string_view body, const std::string& label,
                                          int first_line = 1) {
  ingest::ParseOptions po;
  po.format = "jsonl";
  po.label = label;
  po.first_line = first_line;
  auto parsed = ingest::ParseRecords(body, po);
  if (!parsed.ok()) return parsed.status();
  ingest::ValidateRecords(&parsed->records, ingest::ValidateOptions{});
  return std::move(parsed->records);
}

void RemoveDb(const std::string& db) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal", ".truth"}) {
    std::error_code ec;
    std::filesystem::remove(db + suffix, ec);
  }
}

std::string Percentiles(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  auto pct = [&](double p) {
    return v.empty() ? 0.0 : v[std::min(v.size() - 1, static_cast<size_t>(p * double(v.size())))];
  };
  char buf[160];
  std::snprintf(buf, sizeof buf, "{\"p50\":%.1f,\"p90\":%.1f,\"p99\":%.1f,\"max\":%.1f}", pct(0.5),
                pct(0.9), pct(0.99), v.empty() ? 0.0 : v.back());
  return buf;
}

std::string MemoryJson(const Memory& m) {
  return "{\"rss_mib\":" + std::to_string(m.rss_kib / 1024) +
         ",\"peak_mib\":" + std::to_string(m.peak_kib / 1024) +
         ",\"huge_mib\":" + std::to_string(m.huge_kib / 1024) + "}";
}

std::string CountsJson(Store* store) {
  auto txn = store->Begin(Store::Mode::kRead);
  if (!txn.ok()) return "null";
  auto c = (*txn)->GetCounts();
  if (!c.ok()) return "null";
  char buf[300];
  std::snprintf(buf, sizeof buf,
                "{\"reports\":%lld,\"victims\":%lld,\"active_victims\":%lld,"
                "\"pending_reviews\":%lld,\"quarantined\":%lld,\"pending_match\":%lld}",
                static_cast<long long>(c->reports), static_cast<long long>(c->victims),
                static_cast<long long>(c->active_victims),
                static_cast<long long>(c->pending_reviews), static_cast<long long>(c->quarantined),
                static_cast<long long>(c->pending_match));
  return buf;
}

struct Ingested {
  std::vector<double> per_report_us;  // per batch: Process time / batch size
  size_t reports = 0;
  double parse_s = 0;  // parsing and validating, on the helper thread (overlapped)
  // What the accuracy figures need of each outcome, scored after the timed run.
  struct Observed {
    std::string truth, decision;
    int64_t victim = 0;
    std::vector<int64_t> candidates;
  };
  std::vector<Observed> observed;

  // Accuracy and decision counts of the observed outcomes (harness work,
  // outside the timed run).
  void Score(Accuracy* acc, std::map<std::string, int64_t>* decisions) const {
    for (const Observed& o : observed) {
      ++(*decisions)[o.decision];
      acc->Observe(o.truth, o.decision, o.victim, o.candidates);
    }
  }
};

// Ingests the JSON-lines `body` through the pipeline a batch at a time, as
// `qayd ingest` does (ProcessBatches: the next batch parsed, validated and
// normalised on a helper thread while one is processed); keeps what the
// accuracy figures need (Ingested::Score).
Result<Ingested> Ingest(Pipeline* p, std::string_view body, const std::string& label, size_t batch,
                        std::string* first_rejection) {
  const std::vector<ingest::LinesChunk> chunks = ingest::SplitJsonLines(body, batch);
  Ingested res;
  std::mutex mu;  // the helper hands each batch's truths to the caller
  std::deque<std::vector<std::string>> truths;
  Status parse_error;
  size_t next = 0;
  Status s = ProcessBatches(
      p,
      [&](std::vector<IncomingRecord>* out) {
        if (next >= chunks.size()) return false;
        const auto start = Clock::now();
        auto recs = Parse(chunks[next].text, label, chunks[next].first_line);
        ++next;
        std::lock_guard lock(mu);
        res.parse_s += Secs(start, Clock::now());
        if (!recs.ok()) {
          parse_error = recs.status();
          return false;
        }
        std::vector<std::string> t;
        for (const IncomingRecord& r : *recs) t.push_back(r.report.national_id);
        truths.push_back(std::move(t));
        *out = std::move(*recs);
        return true;
      },
      [&](size_t, std::vector<RecordOutcome>& out, double seconds) {
        std::vector<std::string> t;
        {
          std::lock_guard lock(mu);
          t = std::move(truths.front());
          truths.pop_front();
        }
        res.per_report_us.push_back(seconds * 1e6 / double(out.size()));
        res.reports += out.size();
        for (size_t k = 0; k < out.size(); ++k) {
          RecordOutcome& o = out[k];
          if (o.decision == "rejected" && first_rejection->empty()) *first_rejection = o.error;
          Ingested::Observed& seen = res.observed.emplace_back();
          seen.truth = std::move(t[k]);
          seen.decision = std::move(o.decision);
          seen.victim = o.victim_id;
          for (const auto& c : o.candidates) seen.candidates.push_back(c.victim_id);
        }
        return true;
      });
  if (!s.ok()) return s;
  if (!parse_error.ok()) return parse_error;
  return res;
}

std::string DecisionsJson(const std::map<std::string, int64_t>& d) {
  std::string out = "{";
  for (const auto& [k, v] : d) {
    if (out.size() > 1) out += ",";
    out += "\"" + k + "\":" + std::to_string(v);
  }
  return out + "}";
}

}  // namespace

Result<std::string> BuildRegister(const DriverOptions& o) {
  RemoveDb(o.db);
  const auto t0 = Clock::now();
  auto store = OpenStore(o.db);
  if (!store.ok()) return store.status();
  std::ifstream in(o.input, std::ios::binary);
  if (!in) return Error(ErrorCode::kIo, "cannot read " + o.input);
  std::ofstream truth(o.db + ".truth", std::ios::trunc);
  int64_t n = 0, rejected = 0;
  std::string line, body;
  bool eof = false;
  while (!eof) {
    body.clear();
    size_t lines = 0;
    while (lines < o.chunk && std::getline(in, line)) {
      body += line;
      body += '\n';
      ++lines;
    }
    eof = lines < o.chunk;
    if (lines == 0) break;
    auto recs = Parse(body, o.input);
    if (!recs.ok()) return recs.status();
    auto txn = (*store)->Begin(Store::Mode::kWrite);
    if (!txn.ok()) return txn.status();
    for (IncomingRecord& rec : *recs) {
      if (!rec.errors.empty()) {
        ++rejected;
        continue;
      }
      auto acc = (*txn)->AcceptReport(rec.report);
      if (!acc.ok()) return acc.status();
      auto v = (*txn)->CreateVictim(acc->report_id, VictimState::kActive, "bench", "{}");
      if (!v.ok()) return v.status();
      Status s = (*txn)->SetResolution(acc->report_id, Resolution::kAttached);
      if (!s.ok()) return s;
      truth << *v << ' ' << rec.report.national_id << '\n';
      ++n;
    }
    Status c = (*txn)->Commit();
    if (!c.ok()) return c;
  }
  truth.close();
  if (!truth) return Error(ErrorCode::kIo, "cannot write " + o.db + ".truth");
  const double secs = Secs(t0, Clock::now());
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(o.db, ec);
  char buf[300];
  std::snprintf(buf, sizeof buf,
                "{\"mode\":\"build\",\"victims\":%lld,\"rejected\":%lld,\"seconds\":%.3f,"
                "\"per_s\":%.0f,\"db_mib\":%.1f}",
                static_cast<long long>(n), static_cast<long long>(rejected), secs,
                secs > 0 ? double(n) / secs : 0.0, ec ? 0.0 : double(bytes) / (1 << 20));
  return std::string(buf);
}

Result<std::string> RunIngest(const DriverOptions& o) {
  // (a) start-up: what the daemon does before it is ready.
  const Memory m0 = ReadMemory();
  const double cpu_start = CpuSeconds();
  const auto t0 = Clock::now();
  auto store = OpenStore(o.db);
  if (!store.ok()) return store.status();
  matching::Engine engine(DefaultConfig().matching);
  int64_t seq = 0;
  {
    auto txn = (*store)->Begin(Store::Mode::kRead);
    if (!txn.ok()) return txn.status();
    auto s = (*txn)->LastEventSeq();
    if (!s.ok()) return s.status();
    seq = *s;
  }
  int64_t loaded = 0;
  Status ls = LoadIndex(store->get(), &engine, &loaded);
  if (!ls.ok()) return ls;
  Pipeline pipeline(store->get(), &engine);
  pipeline.FollowFrom(seq);
  const auto t1 = Clock::now();
  const double startup_cpu = CpuSeconds() - cpu_start;
  const Memory m1 = ReadMemory();

  // Truth of the register's victims (harness memory, after the start-up figures).
  Accuracy acc;
  {
    std::ifstream truth(o.db + ".truth");
    int64_t v;
    std::string id;
    while (truth >> v >> id) acc.AddVictim(v, id);
  }

  // (b) ingest: parse + validate + Pipeline::Process in batches, streamed.
  auto body = ReadAll(o.input);
  if (!body.ok()) return body.status();

  // Match latency: Engine::Match alone, one report at a time, on a sample of
  // the incoming reports against the register (before they are ingested).
  std::vector<double> match_us;
  int64_t considered = 0;
  size_t sample = 0;
  if (o.match_sample > 0) {
    const auto head = ingest::SplitJsonLines(*body, static_cast<size_t>(o.match_sample));
    auto recs = head.empty() ? Result<std::vector<IncomingRecord>>(std::vector<IncomingRecord>())
                             : Parse(head.front().text, o.input);
    if (!recs.ok()) return recs.status();
    sample = recs->size();
    for (const IncomingRecord& rec : *recs) {
      const auto a = Clock::now();
      auto r = engine.Match(rec.report);
      match_us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - a).count());
      considered += r.candidates_considered;
    }
  }

  std::map<std::string, int64_t> decisions;
  std::string rejection;
  const double cpu0 = CpuSeconds();
  const auto t4 = Clock::now();
  auto ingested = Ingest(&pipeline, *body, o.input, o.batch, &rejection);
  const double process_cpu = CpuSeconds() - cpu0;
  if (!ingested.ok()) return ingested.status();
  const auto t5 = Clock::now();
  const Memory m2 = ReadMemory();
  ingested->Score(&acc, &decisions);
  const double ingest_s = Secs(t4, t5);
  const size_t m = ingested->reports;

  std::string out = "{\"mode\":\"run\"";
  char buf[800];
  std::snprintf(buf, sizeof buf,
                ",\"startup\":{\"seconds\":%.3f,\"cpu_s\":%.3f,\"reports_indexed\":%lld,"
                "\"memory\":%s,\"memory_before\":%s}",
                Secs(t0, t1), startup_cpu, static_cast<long long>(loaded), MemoryJson(m1).c_str(),
                MemoryJson(m0).c_str());
  out += buf;
  std::snprintf(buf, sizeof buf,
                ",\"ingest\":{\"reports\":%zu,\"batch\":%zu,\"parse_validate_s\":%.3f,"
                "\"process_s\":%.3f,\"process_cpu_s\":%.3f,\"seconds\":%.3f,\"reports_per_s\":%.1f,"
                "\"batch_latency_per_report_us\":%s,\"batches_matched_ahead\":%lld,"
                "\"memory\":%s}",
                m, o.batch, ingested->parse_s, ingest_s, process_cpu, ingest_s,
                ingest_s > 0 ? double(m) / ingest_s : 0.0,
                Percentiles(ingested->per_report_us).c_str(),
                static_cast<long long>(pipeline.counts().matched_ahead), MemoryJson(m2).c_str());
  out += buf;
  std::snprintf(buf, sizeof buf,
                ",\"match\":{\"sample\":%zu,\"latency_us\":%s,\"mean_candidates\":%.1f}",
                sample, Percentiles(match_us).c_str(),
                sample ? double(considered) / double(sample) : 0.0);
  out += buf;
  out += ",\"decisions\":" + DecisionsJson(decisions);
  out += ",\"first_rejection\":\"" + rejection.substr(0, 200) + "\"";
  out += ",\"accuracy\":" + acc.ToJson();
  out += ",\"store\":" + CountsJson(store->get()) + "}";
  return out;
}

Result<std::string> RunBatch(const DriverOptions& o) {
  RemoveDb(o.db);
  const auto t0 = Clock::now();
  auto store = OpenStore(o.db);
  if (!store.ok()) return store.status();
  matching::Engine engine(DefaultConfig().matching);
  Pipeline pipeline(store->get(), &engine);
  auto body = ReadAll(o.input);
  if (!body.ok()) return body.status();
  Accuracy acc;
  std::map<std::string, int64_t> decisions;
  std::string rejection;
  const double cpu0 = CpuSeconds();
  auto ingested = Ingest(&pipeline, *body, o.input, o.batch, &rejection);
  if (!ingested.ok()) return ingested.status();
  const size_t m = ingested->reports;
  const double secs = Secs(t0, Clock::now());
  const double cpu = CpuSeconds() - cpu0;
  const std::string memory = MemoryJson(ReadMemory());
  ingested->Score(&acc, &decisions);
  char buf[300];
  std::snprintf(buf, sizeof buf,
                "{\"mode\":\"batch\",\"reports\":%zu,\"seconds\":%.3f,\"process_cpu_s\":%.3f,"
                "\"reports_per_s\":%.1f,\"memory\":%s",
                m, secs, cpu, secs > 0 ? double(m) / secs : 0.0, memory.c_str());
  std::string out = buf;
  out += ",\"decisions\":" + DecisionsJson(decisions);
  out += ",\"accuracy\":" + acc.ToJson();
  out += ",\"store\":" + CountsJson(store->get()) + "}";
  return out;
}

}  // namespace qayd::bench
