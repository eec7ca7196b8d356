#include "ingest/feed_poller.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/log.h"
#include "base/metrics.h"
#include "ingest/record_parser.h"

namespace qayd::ingest {
namespace {

namespace fs = std::filesystem;

bool IsFolder(const std::string& url) { return url.find("://") == std::string::npos; }

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.erase(s.begin());
  return s;
}

bool ContentTypeFits(const std::string& format, const std::string& type) {
  if (type.empty() || type == "text/plain" || type == "application/octet-stream") return true;
  if (format == "csv") {
    return type == "text/csv" || type == "application/csv" || type == "application/vnd.ms-excel";
  }
  return type == "application/json" || type == "application/x-ndjson" ||
         type == "application/jsonl" || type == "application/jsonlines" ||
         type == "application/x-jsonlines" ||
         (type.rfind("application/", 0) == 0 && type.size() > 5 &&
          type.compare(type.size() - 5, 5, "+json") == 0);
}

std::string UrlEncode(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

bool AllDigits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The later of two cursor values: numerically when both are integers, else
// as text (ISO 8601 timestamps order as text).
const std::string& MaxCursor(const std::string& a, const std::string& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  if (AllDigits(a) && AllDigits(b) && a.size() != b.size()) return a.size() > b.size() ? a : b;
  return a < b ? b : a;
}

// A feed id as a file name: other characters become '_', and an id that
// needed that gets its digest too, so two ids never share a marker.
std::string MarkerName(const std::string& feed_id) {
  std::string out = "feed-";
  bool changed = false;
  for (char c : feed_id) {
    const bool plain = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
    out += plain ? c : '_';
    changed |= !plain;
  }
  if (changed) out += "-" + std::to_string(ImportMarker::Digest(feed_id));
  return out;
}

int64_t SystemNowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

FeedPoller::FeedPoller(FeedSettings feed, RecordSink sink, FeedStateStore* state_store,
                       Fetcher* fetcher, PollerOptions options)
    : feed_(std::move(feed)),
      sink_(std::move(sink)),
      state_store_(state_store),
      fetcher_(fetcher),
      options_(std::move(options)),
      marker_(options_.crash_dir, MarkerName(feed_.id)),
      rng_(std::random_device{}()) {
  state_.feed_id = feed_.id;
  if (marker_.interrupted() > 0) {
    log::Warning(
        "the last stop came during an import of this feed; a body interrupted twice is "
        "set aside",
        {{"feed", feed_.id}, {"interrupted", std::to_string(marker_.interrupted())}});
  }
}

FeedPoller::~FeedPoller() { Stop(); }

void FeedPoller::Start() {
  if (worker_.joinable() || stop_) return;
  worker_ = std::thread([this] { Run(); });
}

void FeedPoller::RequestStop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
}

void FeedPoller::Stop() {
  RequestStop();
  if (worker_.joinable()) worker_.join();
}

void FeedPoller::PollNow() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    poll_now_ = true;
  }
  wake_.notify_all();
}

FeedState FeedPoller::state() const {
  std::lock_guard<std::mutex> lock(mu_);
  return state_;
}

int64_t FeedPoller::Now() const { return options_.now_ms ? options_.now_ms() : SystemNowMs(); }

void FeedPoller::Run() {
  log::Info("feed poller started", {{"feed", feed_.id}});
  while (!stop_) {
    const Status s = PollOnce();
    int64_t delay = int64_t{feed_.poll_interval_s} * 1000;
    if (!s.ok()) {
      int64_t failures = 1;
      {
        std::lock_guard<std::mutex> lock(mu_);
        failures = std::max<int64_t>(1, state_.consecutive_failures);
      }
      delay = BackoffDelayMs(options_.backoff, failures, rng_);
    }
    last_delay_ms_ = delay;
    std::unique_lock<std::mutex> lock(mu_);
    wake_.wait_for(lock, std::chrono::milliseconds(delay), [this] { return stop_ || poll_now_; });
    poll_now_ = false;
  }
  log::Info("feed poller stopped", {{"feed", feed_.id}});
}

Status FeedPoller::PollOnce() {
  ++polls_;
  FeedState st;
  if (!state_loaded_) {
    auto loaded = state_store_->Load(feed_.id);
    if (!loaded.ok()) {
      log::Warning("feed state unavailable",
                   {{"feed", feed_.id}, {"error", loaded.status().ToString()}});
      std::lock_guard<std::mutex> lock(mu_);
      state_.last_error = "state: " + loaded.status().message();
      state_.last_error_ms = Now();
      ++state_.consecutive_failures;
      return loaded.status();
    }
    st = std::move(*loaded);
    st.feed_id = feed_.id;
    st.consecutive_failures = 0;
    state_loaded_ = true;
  } else {
    st = state();
  }

  Status s = IsFolder(feed_.url) ? PollFolder(&st) : PollUrl(&st);
  if (!s.ok() && stop_ && s.message() == "cancelled") return s;  // shutdown: record nothing
  if (s.ok()) {
    st.consecutive_failures = 0;
    st.last_success_ms = Now();
  } else {
    ++st.consecutive_failures;
    metrics::Std().feed_errors->Inc();
    st.last_error = s.message();
    st.last_error_ms = Now();
    log::Warning("feed poll failed", {{"feed", feed_.id},
                                      {"error", s.ToString()},
                                      {"failures", std::to_string(st.consecutive_failures)}});
  }
  Status saved = state_store_->Save(st);
  {
    std::lock_guard<std::mutex> lock(mu_);
    state_ = st;
  }
  if (!saved.ok()) {
    log::Error("feed state not saved", {{"feed", feed_.id}, {"error", saved.ToString()}});
    return saved;
  }
  return s;
}

Result<std::vector<std::string>> FeedPoller::AuthHeaders() const {
  std::string header;
  if (!feed_.auth_header_file.empty()) {
    std::ifstream in(feed_.auth_header_file);
    if (!in) {
      return Error(ErrorCode::kPermission,
                   "cannot read auth_header_file " + feed_.auth_header_file);
    }
    std::getline(in, header);
  } else if (!feed_.auth_header_env.empty()) {
    const char* v = std::getenv(feed_.auth_header_env.c_str());
    if (v == nullptr) {
      return Error(ErrorCode::kPermission,
                   "auth_header_env " + feed_.auth_header_env + " is not set");
    }
    header = v;
  } else {
    return std::vector<std::string>{};
  }
  header = Trim(header);
  if (header.find(':') == std::string::npos || header.find('\n') != std::string::npos) {
    return Error(ErrorCode::kInvalidInput, "auth header is not of the form \"Name: value\"");
  }
  return std::vector<std::string>{header};
}

Status FeedPoller::PollUrl(FeedState* st) {
  auto auth = AuthHeaders();
  if (!auth.ok()) return auth.status();
  FetchRequest req;
  req.url = feed_.url;
  if (!feed_.cursor_param.empty() && !st->cursor.empty()) {
    req.url += (req.url.find('?') == std::string::npos ? "?" : "&") + feed_.cursor_param + "=" +
               UrlEncode(st->cursor);
  }
  req.headers = std::move(*auth);
  req.if_none_match = st->etag;
  req.if_modified_since = st->last_modified;
  req.timeout_ms = feed_.timeout_s * 1000;
  req.max_body_bytes = feed_.max_body_bytes;
  req.cancel = &stop_;
  auto resp = fetcher_->Fetch(req);
  if (!resp.ok()) return resp.status();
  if (resp->not_modified) {
    log::Debug("feed not modified", {{"feed", feed_.id}});
    return Status::Ok();
  }
  if (!ContentTypeFits(feed_.format, resp->content_type)) {
    return Error(ErrorCode::kInvalidInput, "unexpected content type \"" + resp->content_type +
                                               "\" for format " + feed_.format);
  }
  Status s = Import(resp->body, feed_.format, "feed " + feed_.id, "", st);
  if (!s.ok()) return s;
  st->etag = resp->etag;
  st->last_modified = resp->last_modified;
  return Status::Ok();
}

Status FeedPoller::PollFolder(FeedState* st) {
  std::error_code ec;
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(feed_.url, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name[0] == '.' || !entry.is_regular_file(ec)) continue;
    if (FormatForFileName(name).empty() || name <= st->cursor) continue;
    names.push_back(name);
  }
  if (ec) return Error(ErrorCode::kIo, "cannot list " + feed_.url + ": " + ec.message());
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    if (stop_) return Error(ErrorCode::kUnavailable, "cancelled");
    const std::string path = (fs::path(feed_.url) / name).string();
    struct stat sb {};
    if (::stat(path.c_str(), &sb) != 0) continue;
    const int64_t mtime_ms = int64_t{sb.st_mtim.tv_sec} * 1000 + sb.st_mtim.tv_nsec / 1000000;
    if (Now() - mtime_ms < options_.folder_settle_ms) break;  // still being written; keep order
    if (sb.st_size > feed_.max_body_bytes) {
      return Error(ErrorCode::kInvalidInput,
                   name + ": larger than " + std::to_string(feed_.max_body_bytes) + " bytes");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error(ErrorCode::kIo, "cannot read " + path);
    std::ostringstream body;
    body << in.rdbuf();
    Status s = Import(body.str(), FormatForFileName(name), "feed " + feed_.id + " " + name,
                      name + ":", st);
    if (!s.ok()) return Error(s.code(), name + ": " + s.message());
    st->cursor = name;
    st->last_success_ms = Now();
    Status saved = state_store_->Save(*st);
    if (!saved.ok()) return saved;
  }
  return Status::Ok();
}

Status FeedPoller::Import(std::string_view body, const std::string& format,
                          const std::string& label, const std::string& id_prefix, FeedState* st) {
  auto go = marker_.Begin(body);
  if (!go.ok()) return go.status();
  if (!*go) {
    auto kept = marker_.SetAside(body, Now(), "." + format);
    return Error(ErrorCode::kInvalidInput,
                 "the daemon stopped twice while importing this body, so it is not imported "
                 "again; " +
                     (kept.ok() ? "kept as " + *kept + ": correct it and drop it into the spool"
                                : "could not keep it: " + kept.status().message()));
  }
  struct EndImport {
    ImportMarker& marker;
    ~EndImport() { marker.End(); }
  } end_import{marker_};
  ParseOptions po = ParseOptionsFor(feed_);
  po.format = format;
  po.label = label;
  po.id_prefix = id_prefix;
  po.received_at_ms = Now();
  auto parsed = ParseRecords(body, po);
  if (!parsed.ok()) return parsed.status();
  ValidateRecords(&parsed->records, options_.validate);
  std::string cursor = st->cursor;
  for (size_t i = 0; i < parsed->records.size(); ++i) {
    if (parsed->records[i].errors.empty()) cursor = MaxCursor(cursor, parsed->cursors[i]);
  }
  std::vector<IncomingRecord>& records = parsed->records;
  int logged = 0;
  for (const IncomingRecord& rec : records) {
    if (rec.errors.empty() || logged++ >= 20) continue;
    std::string fields;
    for (const auto& e : rec.errors) {
      fields += (fields.empty() ? "" : ",") + (e.field.empty() ? std::string("(record)") : e.field);
    }
    log::Warning("record rejected",
                 {{"feed", feed_.id}, {"record", rec.record_label}, {"fields", fields}});
  }
  int64_t ok = 0, rejected = 0;
  const size_t batch = std::max<size_t>(1, options_.batch_records);
  for (size_t i = 0; i < records.size(); i += batch) {
    if (stop_) return Error(ErrorCode::kUnavailable, "cancelled");
    std::vector<IncomingRecord> part(
        std::make_move_iterator(records.begin() + i),
        std::make_move_iterator(records.begin() + std::min(records.size(), i + batch)));
    auto out = sink_(std::move(part));
    if (!out.ok()) {
      st->records_ok += ok;
      st->records_rejected += rejected;
      return Error(out.status().code(), "sink: " + out.status().message());
    }
    for (const RecordOutcome& o : *out) (o.decision == "rejected" ? rejected : ok)++;
  }
  st->records_ok += ok;
  st->records_rejected += rejected;
  if (!feed_.cursor_field.empty() && !IsFolder(feed_.url)) st->cursor = cursor;
  log::Info("feed imported", {{"feed", feed_.id},
                              {"label", label},
                              {"records", std::to_string(records.size())},
                              {"ok", std::to_string(ok)},
                              {"rejected", std::to_string(rejected)}});
  return Status::Ok();
}

}  // namespace qayd::ingest
