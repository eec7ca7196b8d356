// Public endpoints (no login): the vocabularies with both labels, and the
// relatives' submission form (docs/API.md "Public form").
//
// The form builds ONE record in the record format (source "public-form", a
// server-generated reference as source_record_id), parses it with the record
// parser, validates it with ingest's rules and hands it to the pipeline like
// POST /api/v1/reports does. An invalid form is answered 400 invalid_record
// with the fields at fault and is not stored (the relative is there to fix
// it). The answer holds only the reference, never matching details.
// Limits: kPublicMaxBody bytes (413 body_too_large) and
// SubmissionSettings::rate_limit_per_minute accepted-or-not posts per client
// address in any 60 s window (429 rate_limited, Retry-After).
#include <deque>
#include <map>
#include <memory>
#include <mutex>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sodium.h>

#include "base/utf8.h"
#include "ingest/validate.h"
#include "model/report_json.h"
#include "web/api.h"
#include "web/public_form.h"
#include "web/json_body.h"

namespace qayd::web {
namespace {

constexpr size_t kPublicMaxBody = 64 * 1024;
constexpr int64_t kWindowMs = 60 * 1000;

// Sliding one-minute window of post times per client address. Thread-safe.
class RateLimiter {
 public:
  // True when the post at `now_ms` is allowed (and counts it); otherwise
  // `retry_after_s` tells when the oldest post leaves the window.
  bool Allow(const std::string& client, int limit, int64_t now_ms, int64_t* retry_after_s) {
    std::lock_guard<std::mutex> lock(mu_);
    if (++calls_ % 256 == 0) Sweep(now_ms);
    auto& times = posts_[client];
    while (!times.empty() && times.front() <= now_ms - kWindowMs) times.pop_front();
    if (limit > 0 && static_cast<int>(times.size()) >= limit) {
      *retry_after_s = (times.front() + kWindowMs - now_ms + 999) / 1000;
      if (*retry_after_s < 1) *retry_after_s = 1;
      return false;
    }
    times.push_back(now_ms);
    return true;
  }

 private:
  void Sweep(int64_t now_ms) {
    for (auto it = posts_.begin(); it != posts_.end();) {
      if (it->second.empty() || it->second.back() <= now_ms - kWindowMs) it = posts_.erase(it);
      else ++it;
    }
  }
  std::mutex mu_;
  uint64_t calls_ = 0;
  std::map<std::string, std::deque<int64_t>> posts_;
};

// "PF-" and 12 characters of an unambiguous alphabet (60 random bits).
std::string NewReference() {
  static const char kAlphabet[] = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
  unsigned char bytes[12];
  randombytes_buf(bytes, sizeof bytes);
  std::string ref = "PF-";
  for (unsigned char b : bytes) ref += kAlphabet[b % (sizeof kAlphabet - 1)];
  return ref;
}

std::string VocabularyJson(Store* store, Status* status) {
  auto txn = store->Begin(Store::Mode::kRead);
  if (!txn.ok()) {
    *status = txn.status();
    return "";
  }
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("kinds");
  w.StartObject();
  for (const char* kind : {"governorate", "cause", "perpetrator"}) {
    auto entries = (*txn)->Vocabulary(kind);
    if (!entries.ok()) {
      *status = entries.status();
      return "";
    }
    w.Key(kind);
    w.StartArray();
    for (const auto& e : *entries) {
      w.StartObject();
      w.Key("code");
      w.String(e.code.c_str());
      w.Key("label_en");
      w.String(e.label_en.c_str());
      w.Key("label_ar");
      w.String(e.label_ar.c_str());
      w.Key("parent");
      w.String(e.parent.c_str());
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  w.EndObject();
  return buf.GetString();
}

}  // namespace

void Api::AddPublicRoutes() {
  router_.Add("GET", "/api/v1/vocabulary", Access::kPublic, [this](Request&) {
    Status status;
    std::string body = VocabularyJson(deps_.store, &status);
    if (!status.ok()) return FromStatusCoded(status);
    return Response::Json(body);
  });

  auto limiter = std::make_shared<RateLimiter>();
  router_.Add("POST", "/api/v1/public/submissions", Access::kPublic, [this, limiter](Request& req) {
    Config config = deps_.config();
    if (!config.submissions.enabled || !deps_.pipeline) {
      return Response::Error(503, "unavailable", "submissions are not accepted now");
    }
    int64_t now = deps_.now_ms();
    int64_t retry_after = 0;
    if (!limiter->Allow(req.remote, config.submissions.rate_limit_per_minute, now, &retry_after)) {
      Response r = Response::Error(429, "rate_limited", "too many submissions from this address");
      r.headers.emplace_back("Retry-After", std::to_string(retry_after));
      return r;
    }
    if (req.body.size() > kPublicMaxBody) {
      return Response::Error(413, "body_too_large",
                             "the form is limited to " + std::to_string(kPublicMaxBody) + " bytes");
    }
    const std::string reference = NewReference();
    IncomingRecord rec;
    std::string error;
    if (!BuildPublicFormRecord(req.body, reference, &rec, &error)) {
      return Response::Error(400, "bad_request", error);
    }
    rec.report.received_at_ms = now;
    std::vector<IncomingRecord> batch;
    batch.push_back(std::move(rec));
    ingest::ValidateOptions opts;
    if (auto vocab = ingest::LoadVocabularies(deps_.store); vocab.ok()) opts.vocab = *vocab;
    ingest::ValidateRecords(&batch, opts);
    if (!batch[0].errors.empty()) {
      return FieldErrors(400, "the form has fields to correct", "", batch[0].errors);
    }
    auto outcomes = deps_.pipeline->Process(std::move(batch));
    if (!outcomes.ok()) return FromStatusCoded(outcomes.status());
    if (outcomes->size() != 1 || (*outcomes)[0].decision == "rejected") {
      return Response::Error(400, "invalid_record", "the form could not be accepted");
    }
    return Response::Json("{\"reference\":" + JsonString(reference) + ",\"status\":\"received\"}",
                          201);
  });
}

}  // namespace qayd::web
