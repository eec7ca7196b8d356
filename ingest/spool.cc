#include "ingest/spool.h"

#include <fcntl.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include "base/log.h"
#include "ingest/durable_file.h"
#include "ingest/record_parser.h"

namespace qayd::ingest {
namespace {

namespace fs = std::filesystem;

constexpr size_t kStopEveryRecords = 5000;

using W = rapidjson::Writer<rapidjson::StringBuffer>;

void Str(W& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}

// `labels[i]` names the record of `outcomes[i]`.
std::string ReportJson(const SpoolFileResult& r, int64_t at_ms, const std::string& status,
                       const std::vector<std::string>& labels,
                       const std::vector<RecordOutcome>& outcomes) {
  rapidjson::StringBuffer buf;
  W w(buf);
  w.StartObject();
  Str(w, "file", r.file);
  Str(w, "status", status);
  w.Key("processed_at");
  w.Int64(at_ms);
  if (!r.error.empty()) Str(w, "error", r.error);
  if (r.resumed_at > 0) {
    w.Key("resumed_at_record");
    w.Int64(r.resumed_at);
  }
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
    // "rejected" is counted above (over a resumed import's earlier part too).
    if (decision == "records" || decision == "accepted" || decision == "rejected") continue;
    w.Key(decision.c_str());
    w.Int64(n);
  }
  w.EndObject();
  w.Key("outcomes");
  w.StartArray();
  for (size_t i = 0; i < outcomes.size(); ++i) {
    const RecordOutcome& o = outcomes[i];
    w.StartObject();
    if (i < labels.size()) Str(w, "record", labels[i]);
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

Spool::FileId IdOf(const struct stat& st) {
  return {static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino),
          static_cast<int64_t>(st.st_size),
          int64_t{st.st_mtim.tv_sec} * 1000000000 + st.st_mtim.tv_nsec};
}

// The crash-safe marker ".<name>.importing": one "key value" per line.
struct Marker {
  std::string state;  // "importing" (work under way) or "stopped" (ended at a batch boundary)
  Spool::FileId id;
  int64_t records_done = 0, accepted = 0, rejected = 0;
};

fs::path MarkerPath(const std::string& dir, const std::string& name) {
  return fs::path(dir) / ("." + name + ".importing");
}

bool ReadMarker(const fs::path& path, Marker* m) {
  std::ifstream in(path);
  if (!in) return false;
  std::string key;
  while (in >> key) {
    if (key == "state")
      in >> m->state;
    else if (key == "dev")
      in >> m->id.dev;
    else if (key == "ino")
      in >> m->id.ino;
    else if (key == "size")
      in >> m->id.size;
    else if (key == "mtime_ns")
      in >> m->id.mtime_ns;
    else if (key == "records_done")
      in >> m->records_done;
    else if (key == "accepted")
      in >> m->accepted;
    else if (key == "rejected")
      in >> m->rejected;
    else
      in.ignore(1 << 20, '\n');
  }
  return !m->state.empty();
}

// Durable: after a crash the marker is either the old one or this one.
Status WriteMarker(const fs::path& path, const Marker& m) {
  const std::string text = "state " + m.state + "\ndev " + std::to_string(m.id.dev) + "\nino " +
                           std::to_string(m.id.ino) + "\nsize " + std::to_string(m.id.size) +
                           "\nmtime_ns " + std::to_string(m.id.mtime_ns) + "\nrecords_done " +
                           std::to_string(m.records_done) + "\naccepted " +
                           std::to_string(m.accepted) + "\nrejected " + std::to_string(m.rejected) +
                           "\n";
  return WriteFileDurably(path, text);
}

// The whole file behind `fd`; false on a read error.
bool ReadAll(int fd, int64_t size, std::string* out) {
  out->resize(static_cast<size_t>(size));
  size_t got = 0;
  while (got < out->size()) {
    const ssize_t n = ::read(fd, out->data() + got, out->size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  out->resize(got);
  return true;
}

}  // namespace

Spool::Spool(std::string dir, SpoolSink sink, SpoolOptions options)
    : dir_(std::move(dir)), sink_(std::move(sink)), options_(std::move(options)) {}

Spool::Spool(std::string dir, RecordSink sink, SpoolOptions options)
    : Spool(std::move(dir),
            SpoolSink([sink = std::move(sink)](const BatchSource& next, const BatchDone& done) {
              size_t first = 0;
              for (;;) {
                std::vector<IncomingRecord> batch;
                if (!next(&batch)) return Status::Ok();
                const size_t n = batch.size();
                auto out = sink(std::move(batch));
                if (!out.ok()) return out.status();
                if (!done(first, *out, 0)) return Status::Ok();
                first += n;
              }
            }),
            std::move(options)) {}

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

void Spool::Interrupt() {
  std::lock_guard lock(in_flight_mu_);
  if (!in_flight_.active) return;
  in_flight_.active = false;
  const InFlight& f = in_flight_;
  Marker stopped{"stopped", f.id, f.done, f.accepted, f.rejected};
  if (Status s = WriteMarker(f.marker_path, stopped); !s.ok()) {
    log::Error("spool marker not written", {{"file", f.file}, {"error", s.ToString()}});
    return;
  }
  log::Info("spool import stopped",
            {{"file", f.file}, {"done", std::to_string(f.done)}, {"at", "drain bound"}});
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
  std::vector<std::string> names, not_regular, markers;
  std::map<std::string, FileId> now_seen;
  for (const auto& entry : fs::directory_iterator(dir_, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty()) continue;
    if (name[0] == '.') {
      if (name.size() > 11 && name.ends_with(".importing")) markers.push_back(name);
      continue;
    }
    struct stat sb {};
    if (::lstat(entry.path().c_str(), &sb) != 0 || S_ISDIR(sb.st_mode)) continue;
    if (!S_ISREG(sb.st_mode)) {
      not_regular.push_back(name);
      continue;
    }
    const FileId id = IdOf(sb);
    now_seen[name] = id;
    auto before = seen_.find(name);
    const bool stable = before != seen_.end() && before->second == id &&
                        Now() - id.mtime_ns / 1000000 >= options_.settle_ms;
    Marker m;
    const bool stopped =
        ReadMarker(MarkerPath(dir_, name), &m) && m.state == "stopped" && m.id == id;
    if (stable || stopped) names.push_back(name);
  }
  if (ec) return Error(ErrorCode::kIo, "cannot list " + dir_ + ": " + ec.message());
  seen_ = std::move(now_seen);
  // A marker whose file is gone (moved away by hand) means nothing any more.
  for (const std::string& marker : markers) {
    const std::string file = marker.substr(1, marker.size() - 1 - 10);
    if (!seen_.count(file)) fs::remove(fs::path(dir_) / marker, ec);
  }
  std::sort(names.begin(), names.end());
  std::sort(not_regular.begin(), not_regular.end());
  std::vector<SpoolFileResult> results;
  for (const std::string& name : not_regular) {
    results.push_back(
        SetAside(name, "not a regular file (a symbolic link, FIFO or device): not read"));
  }
  for (const std::string& name : names) {
    if (stop_) break;
    results.push_back(Process(name, seen_[name]));
  }
  return results;
}

SpoolFileResult Spool::SetAside(const std::string& name, const std::string& why) {
  SpoolFileResult r;
  r.file = name;
  r.error = why;
  const int64_t now = Now();
  fs::path target = fs::path(dir_) / "failed" / name;
  std::error_code ec;
  if (fs::exists(fs::symlink_status(target, ec))) {
    target = fs::path(dir_) / "failed" / (std::to_string(now) + "-" + name);
  }
  fs::rename(fs::path(dir_) / name, target, ec);  // a link is moved, never followed
  if (ec) {
    r.error += "; cannot move: " + ec.message();
    return r;
  }
  r.moved_to = target.string();
  std::ofstream(target.string() + ".report.json", std::ios::trunc)
      << ReportJson(r, now, "failed", {}, {});
  log::Warning("spool file set aside", {{"file", name}, {"error", why}});
  return r;
}

SpoolFileResult Spool::Process(const std::string& name, const FileId& id) {
  SpoolFileResult r;
  r.file = name;
  const fs::path path = fs::path(dir_) / name;
  const fs::path marker_path = MarkerPath(dir_, name);
  std::vector<IncomingRecord> records;
  std::vector<std::string> labels;
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
    fs::remove(marker_path, ec);
    r.moved_to = target.string();
    std::ofstream(target.string() + ".report.json", std::ios::trunc)
        << ReportJson(r, now, sub, labels, outcomes);
    log::Info("spool file processed", {{"file", name},
                                       {"status", sub},
                                       {"records", std::to_string(r.records)},
                                       {"accepted", std::to_string(r.accepted)},
                                       {"rejected", std::to_string(r.rejected)}});
  };

  log::Info("spool file picked up", {{"file", name}});
  Marker marker;
  if (ReadMarker(marker_path, &marker) && marker.state == "importing") {
    r.error =
        "the daemon stopped while importing this file (it may have crashed on it), so it is "
        "set aside; records already stored stay stored, and if the file is dropped again "
        "no record is stored or quarantined twice";
    finish("failed");
    log::Error("spool file set aside after a crash during its import", {{"file", name}});
    return r;
  }
  const bool resume = marker.state == "stopped" && marker.id == id;
  ParseOptions po;
  po.format = FormatForFileName(name);
  po.source = "spool:" + name;
  po.source_type = "ngo";
  po.label = "spool " + name;
  po.received_at_ms = Now();
  po.max_record_bytes = options_.max_record_bytes;
  if (po.format.empty()) {
    r.error = "unknown file type (use .jsonl, .ndjson, .json or .csv)";
    finish("failed");
    return r;
  }
  if (id.size > options_.max_file_bytes) {
    r.error = "file of " + std::to_string(id.size) + " bytes is larger than the limit of " +
              std::to_string(options_.max_file_bytes) + " bytes (submissions.spool_max_file_bytes)";
    finish("failed");
    return r;
  }
  // Not following links, not blocking on a FIFO swapped in since the scan.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  struct stat sb {};
  if (fd < 0 || ::fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || !(IdOf(sb) == id)) {
    if (fd >= 0) ::close(fd);
    r.error = "changed or replaced since the scan (left for the next scan)";
    return r;
  }
  // From here until done/ or failed/, a crash leaves the marker saying so.
  marker.state = "importing";
  marker.id = id;
  if (!resume) marker = Marker{"importing", id, 0, 0, 0};
  if (Status s = WriteMarker(marker_path, marker); !s.ok()) {
    ::close(fd);
    r.error = s.message() + " (left for the next scan)";
    log::Error("spool marker not written", {{"file", name}, {"error", s.ToString()}});
    return r;
  }
  std::string body;
  const bool read = ReadAll(fd, id.size, &body);
  ::close(fd);
  if (!read) {
    r.error = "cannot read the file";
    finish("failed");
    return r;
  }
  // The batches: a JSON-lines file is split here and each chunk parsed and
  // validated as the sink asks for it (while the batch before is processed);
  // a JSON array or CSV file is parsed whole first (a malformed one fails whole).
  const size_t batch = std::clamp<size_t>(options_.batch_records, 1, kStopEveryRecords);
  std::vector<LinesChunk> chunks;
  if (po.format == "jsonl") {
    chunks = SplitJsonLines(body, batch);
    for (const LinesChunk& c : chunks) r.records += static_cast<int64_t>(c.records);
  } else {
    auto parsed = ParseRecords(body, po);
    if (!parsed.ok()) {
      r.error = parsed.status().message();
      finish("failed");
      return r;
    }
    body = std::string();
    ValidateRecords(&parsed->records, options_.validate);
    records = std::move(parsed->records);
    r.records = static_cast<int64_t>(records.size());
  }
  const size_t total = static_cast<size_t>(r.records);
  const size_t start = resume ? std::min(total, static_cast<size_t>(marker.records_done)) : 0;
  r.resumed_at = static_cast<int64_t>(start);
  r.accepted = resume ? marker.accepted : 0;
  r.rejected = resume ? marker.rejected : 0;
  // The batch boundary Interrupt() would record, kept current as batches commit.
  auto in_flight = [&](size_t done) {
    std::lock_guard lock(in_flight_mu_);
    in_flight_ = InFlight{marker_path.string(), name,       id,  static_cast<int64_t>(done),
                          r.accepted,           r.rejected, true};
  };
  // Ends this import at a batch boundary; the next scan goes on from `done`.
  auto stop_at = [&](size_t done, const std::string& why) {
    std::lock_guard lock(in_flight_mu_);
    in_flight_.active = false;
    Marker stopped{"stopped", id, static_cast<int64_t>(done), r.accepted, r.rejected};
    if (Status s = WriteMarker(marker_path, stopped); !s.ok()) {
      log::Error("spool marker not written", {{"file", name}, {"error", s.ToString()}});
    }
    r.error = why;
  };
  // A stop (Stop()) before the record `done`.
  auto stopped_at = [&](size_t done) {
    stop_at(done, "stopped at record " + std::to_string(done) + " of " + std::to_string(total) +
                      "; the rest is imported at the next start");
    log::Info("spool import stopped", {{"file", name}, {"done", std::to_string(done)}});
    return r;
  };
  // `next` runs on the sink's thread: the labels of the records it produced
  // (outcomes come back in the same order) are kept under a lock.
  std::mutex labels_mu;
  std::vector<std::string> produced;
  size_t chunk = 0, skipped = 0, taken = start;
  std::string parse_error;  // set by `next`, read after the sink returned
  auto next = [&](std::vector<IncomingRecord>* out) -> bool {
    if (!chunks.empty()) {
      // Whole chunks a stopped import already did are not parsed again.
      while (chunk < chunks.size() && skipped + chunks[chunk].records <= start) {
        skipped += chunks[chunk++].records;
      }
      if (chunk >= chunks.size()) return false;
      ParseOptions co = po;
      co.first_line = chunks[chunk].first_line;
      auto parsed = ParseRecords(chunks[chunk++].text, co);
      if (!parsed.ok()) {  // not expected (a bad line is a record with errors): fails the file
        parse_error = parsed.status().message();
        return false;
      }
      std::vector<IncomingRecord>& recs = parsed->records;
      if (skipped < start) {  // the part of this chunk done before the stop
        const size_t drop = std::min(recs.size(), start - skipped);
        recs.erase(recs.begin(), recs.begin() + static_cast<long>(drop));
        skipped = start;
      }
      ValidateRecords(&recs, options_.validate);
      *out = std::move(recs);
    } else {
      if (taken >= records.size()) return false;
      const size_t end = std::min(records.size(), taken + batch);
      out->assign(std::make_move_iterator(records.begin() + static_cast<long>(taken)),
                  std::make_move_iterator(records.begin() + static_cast<long>(end)));
      taken = end;
    }
    std::lock_guard lock(labels_mu);
    for (const IncomingRecord& rec : *out) produced.push_back(rec.record_label);
    return true;
  };
  size_t done = start;
  auto on_batch = [&](size_t, std::vector<RecordOutcome>& out, double) {
    {
      std::lock_guard lock(labels_mu);
      for (size_t k = 0; k < out.size(); ++k) labels.push_back(std::move(produced[labels.size()]));
    }
    for (auto& o : out) {
      (o.decision == "rejected" ? r.rejected : r.accepted)++;
      outcomes.push_back(std::move(o));
    }
    done += out.size();
    in_flight(done);
    return !stop_;
  };
  if (stop_) return stopped_at(start);
  in_flight(start);
  Status sunk = sink_(next, on_batch);
  if (!sunk.ok()) {
    stop_at(done, "sink: " + sunk.message() + " (left for the next scan)");
    log::Warning("spool file left for retry", {{"file", name}, {"error", sunk.ToString()}});
    return r;
  }
  if (!parse_error.empty()) {
    r.error = parse_error;
    finish("failed");
    return r;
  }
  if (done < total) return stopped_at(done);
  {
    std::lock_guard lock(in_flight_mu_);
    in_flight_.active = false;
  }
  // A writer still at work: what was read is stored; the whole file is read
  // again at the next scan (stored records are not stored twice).
  struct stat after {};
  if (::lstat(path.c_str(), &after) != 0 || !(IdOf(after) == id)) {
    Marker changed{"stopped", id, 0, 0, 0};
    if (Status s = WriteMarker(marker_path, changed); !s.ok()) {
      log::Error("spool marker not written", {{"file", name}, {"error", s.ToString()}});
    }
    r.error = "the file changed while it was imported; it is read again at the next scan";
    log::Warning("spool file changed during its import", {{"file", name}});
    return r;
  }
  finish("done");
  return r;
}

}  // namespace qayd::ingest
