#include "ingest/spool.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "base/log.h"
#include "ingest/record_parser.h"

namespace qayd::ingest {
namespace {

namespace fs = std::filesystem;
using W = rapidjson::Writer<rapidjson::StringBuffer>;

void Str(W& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}

std::string ReportJson(const SpoolFileResult& r, int64_t at_ms, const std::string& status,
                       const std::vector<IncomingRecord>& records,
                       const std::vector<RecordOutcome>& outcomes) {
  rapidjson::StringBuffer buf;
  W w(buf);
  w.StartObject();
  Str(w, "file", r.file);
  Str(w, "status", status);
  w.Key("processed_at");
  w.Int64(at_ms);
  if (!r.error.empty()) Str(w, "error", r.error);
  std::map<std::string, int64_t> by_decision;
  for (const auto& o : outcomes) ++by_decision[o.decision];
  w.Key("counts");
  w.StartObject();
  w.Key("records");
  w.Int64(r.records);
  w.Key("accepted");
  w.Int64(r.accepted);
  w.Key("rejected");
  w.Int64(r.rejected);
  for (const auto& [decision, n] : by_decision) {
    w.Key(decision.c_str());
    w.Int64(n);
  }
  w.EndObject();
  w.Key("outcomes");
  w.StartArray();
  for (size_t i = 0; i < outcomes.size(); ++i) {
    const RecordOutcome& o = outcomes[i];
    w.StartObject();
    if (i < records.size()) Str(w, "record", records[i].record_label);
    Str(w, "source", o.source);
    Str(w, "source_record_id", o.source_record_id);
    Str(w, "decision", o.decision);
    if (o.report_id != 0) {
      w.Key("report_id");
      w.Int64(o.report_id);
    }
    if (o.victim_id != 0) {
      w.Key("victim_id");
      w.Int64(o.victim_id);
    }
    if (!o.error.empty()) Str(w, "error", o.error);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buf.GetString()) + "\n";
}

}  // namespace

Spool::Spool(std::string dir, RecordSink sink, SpoolOptions options)
    : dir_(std::move(dir)), sink_(std::move(sink)), options_(std::move(options)) {}

Spool::~Spool() { Stop(); }

int64_t Spool::Now() const {
  if (options_.now_ms) return options_.now_ms();
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

void Spool::Start(int interval_s) {
  if (worker_.joinable() || stop_) return;
  worker_ = std::thread([this, interval_s] {
    while (!stop_) {
      auto scanned = ScanOnce();
      if (!scanned.ok()) {
        log::Warning("spool scan failed", {{"dir", dir_}, {"error", scanned.status().ToString()}});
      }
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait_for(lock, std::chrono::seconds(std::max(1, interval_s)),
                     [this] { return stop_.load(); });
    }
  });
}

void Spool::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

Result<std::vector<SpoolFileResult>> Spool::ScanOnce() {
  std::error_code ec;
  fs::create_directories(fs::path(dir_) / "done", ec);
  fs::create_directories(fs::path(dir_) / "failed", ec);
  if (ec)
    return Error(ErrorCode::kIo,
                 "cannot create done/ and failed/ in " + dir_ + ": " + ec.message());
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir_, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name[0] == '.' || !entry.is_regular_file(ec)) continue;
    struct stat sb {};
    if (::stat(entry.path().c_str(), &sb) != 0) continue;
    const int64_t mtime_ms = int64_t{sb.st_mtim.tv_sec} * 1000 + sb.st_mtim.tv_nsec / 1000000;
    if (Now() - mtime_ms < options_.settle_ms) continue;
    names.push_back(name);
  }
  if (ec) return Error(ErrorCode::kIo, "cannot list " + dir_ + ": " + ec.message());
  std::sort(names.begin(), names.end());
  std::vector<SpoolFileResult> results;
  for (const std::string& name : names) {
    if (stop_) break;
    results.push_back(Process(name));
  }
  return results;
}

SpoolFileResult Spool::Process(const std::string& name) {
  SpoolFileResult r;
  r.file = name;
  const fs::path path = fs::path(dir_) / name;
  std::vector<IncomingRecord> records;
  std::vector<RecordOutcome> outcomes;

  auto finish = [&](const char* sub) {
    const int64_t now = Now();
    fs::path target = fs::path(dir_) / sub / name;
    std::error_code ec;
    if (fs::exists(target, ec)) target = fs::path(dir_) / sub / (std::to_string(now) + "-" + name);
    fs::rename(path, target, ec);
    if (ec) {
      r.error += (r.error.empty() ? "" : "; ") + std::string("cannot move: ") + ec.message();
      log::Error("spool file not moved", {{"file", name}, {"error", ec.message()}});
      return;
    }
    r.moved_to = target.string();
    std::ofstream(target.string() + ".report.json", std::ios::trunc)
        << ReportJson(r, now, sub, records, outcomes);
    log::Info("spool file processed", {{"file", name},
                                       {"status", sub},
                                       {"records", std::to_string(r.records)},
                                       {"accepted", std::to_string(r.accepted)},
                                       {"rejected", std::to_string(r.rejected)}});
  };

  log::Info("spool file picked up", {{"file", name}});
  ParseOptions po;
  po.format = FormatForFileName(name);
  po.source = "spool:" + name;
  po.source_type = "ngo";
  po.label = "spool " + name;
  po.received_at_ms = Now();
  if (po.format.empty()) {
    r.error = "unknown file type (use .jsonl, .ndjson, .json or .csv)";
    finish("failed");
    return r;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    r.error = "cannot read the file";
    finish("failed");
    return r;
  }
  std::ostringstream body;
  body << in.rdbuf();
  auto parsed = ParseRecords(body.str(), po);
  if (!parsed.ok()) {
    r.error = parsed.status().message();
    finish("failed");
    return r;
  }
  ValidateRecords(&parsed->records, options_.validate);
  records = std::move(parsed->records);
  r.records = static_cast<int64_t>(records.size());
  const size_t batch = std::max<size_t>(1, options_.batch_records);
  for (size_t i = 0; i < records.size(); i += batch) {
    std::vector<IncomingRecord> part(records.begin() + i,
                                     records.begin() + std::min(records.size(), i + batch));
    auto out = sink_(std::move(part));
    if (!out.ok()) {
      r.error = "sink: " + out.status().message() + " (left for the next scan)";
      log::Warning("spool file left for retry",
                   {{"file", name}, {"error", out.status().ToString()}});
      return r;
    }
    for (auto& o : *out) outcomes.push_back(std::move(o));
  }
  for (const auto& o : outcomes) (o.decision == "rejected" ? r.rejected : r.accepted)++;
  finish("done");
  return r;
}

}  // namespace qayd::ingest
