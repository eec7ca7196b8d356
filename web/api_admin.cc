// Admin settings and what-if; quarantine, feeds and counts; report submission.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sodium.h>

#include <optional>
#include <set>

#include "base/json_parse.h"
#include "config/matching_weights.h"
#include "ingest/quarantine_replay.h"
#include "ingest/validate.h"
#include "report/render.h"
#include "report/report_http.h"
#include "review/what_if.h"
#include "web/api.h"
#include "web/json_body.h"

namespace qayd::web {
namespace {

// "'sha256-BASE64'": a CSP source allowing exactly this inline text.
std::string CspHash(const std::string& text) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  char b64[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES, sodium_base64_VARIANT_ORIGINAL)];
  sodium_bin2base64(b64, sizeof b64, digest, sizeof digest, sodium_base64_VARIANT_ORIGINAL);
  return "'sha256-" + std::string(b64) + "'";
}

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Key(Writer& w, const char* k, const std::string& v) {
  w.Key(k);
  w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
}

std::string SettingsJson(const MatchingSettings& m) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  Key(w, "version", m.version());
  w.Key("auto_merge");
  w.Double(m.auto_merge);
  w.Key("review");
  w.Double(m.review);
  w.Key("max_candidates");
  w.Int(m.max_candidates);
  w.Key("weights");
  w.StartObject();
  for (const auto& [k, v] : m.weights) {
    w.Key(k.c_str());
    w.Double(v);
  }
  w.EndObject();
  // matching.conflicts as in the config file; tolerance only where it is read.
  const ConflictSettings& c = m.conflicts;
  const std::pair<const char*, const ConflictRule*> rules[] = {
      {"date_of_birth", &c.date_of_birth},
      {"approximate_date_of_birth", &c.approximate_date_of_birth},
      {"age", &c.age},
      {"family_name", &c.family_name},
      {"father_name", &c.father_name},
      {"sex", &c.sex},
      {"date_of_death", &c.date_of_death},
      {"place_of_death", &c.place_of_death}};
  const std::set<std::string> no_tolerance = {"family_name", "father_name", "sex",
                                              "place_of_death"};
  w.Key("conflicts");
  w.StartObject();
  for (const auto& [name, rule] : rules) {
    w.Key(name);
    w.StartObject();
    w.Key("enabled");
    w.Bool(rule->enabled);
    if (!no_tolerance.count(name)) {
      w.Key("tolerance");
      w.Int(rule->tolerance);
    }
    w.EndObject();
  }
  w.EndObject();
  w.Key("evidence");
  w.StartObject();
  w.Key("enabled");
  w.Bool(m.evidence.enabled);
  w.Key("name_parts");
  w.Int(m.evidence.name_parts);
  w.Key("placeholder_against_undated");
  w.Bool(m.evidence.placeholder_against_undated);
  w.EndObject();
  w.EndObject();
  return buf.GetString();
}

// Applies {"auto_merge","review","weights":{..}} to a copy of `base`.
std::string ProposedSettings(const std::string& text, const MatchingSettings& base,
                             MatchingSettings* out) {
  *out = base;
  JsonBody body(text, {"auto_merge", "review", "weights"});
  out->auto_merge = body.Number("auto_merge", base.auto_merge);
  out->review = body.Number("review", base.review);
  if (!body.ok()) return body.error();
  if (const rapidjson::Value* w = body.Get("weights")) {
    if (!w->IsObject()) return "weights must be an object";
    for (const auto& m : w->GetObject()) {
      std::string name = m.name.GetString();
      if (!base.weights.count(name)) return "unknown weight \"" + name + "\"";
      if (!m.value.IsNumber()) return "weight \"" + name + "\" must be a number";
      out->weights[name] = m.value.GetDouble();
    }
  }
  if (out->auto_merge < out->review) return "auto_merge must be >= review";
  for (const auto& [lo, hi] : kWeightRanges) {
    if (out->weight(lo) > out->weight(hi)) return std::string(lo) + " must be <= " + hi;
  }
  return "";
}

}  // namespace

Response FieldErrors(int status, const std::string& message, const std::string& record,
                     const std::vector<FieldError>& errors) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("error");
  w.StartObject();
  Key(w, "code", "invalid_record");
  Key(w, "message", message);
  w.Key("fields");
  w.StartArray();
  for (const auto& e : errors) {
    w.StartObject();
    if (!record.empty()) Key(w, "record", record);
    Key(w, "field", e.field);
    Key(w, "problem", e.problem);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  w.EndObject();
  return Response::Json(buf.GetString(), status);
}

void Api::AddAdminRoutes() {
  // The death-toll report (docs/REPORTS.md): json, csv, md or html.
  router_.Add("GET", "/api/v1/reports/deaths", Access::kStaff, [this](Request& req) {
    report::HttpReply r = report::RenderReportHttp(deps_.store, req.query, "/#/victim/{id}");
    Response out;
    out.status = r.status;
    out.content_type = r.content_type;
    out.body = std::move(r.body);
    // The page's own stylesheet is inline: allowed by its hash, nothing else.
    if (out.content_type.rfind("text/html", 0) == 0) {
      static const std::string csp =
          "default-src 'self'; script-src 'self'; style-src 'self' " +
          CspHash(report::HtmlStyleSheet()) +
          "; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
      out.headers.emplace_back("Content-Security-Policy", csp);
    }
    return out;
  });

  router_.Add("GET", "/api/v1/admin/settings", Access::kAdmin,
              [this](Request&) { return Response::Json(SettingsJson(deps_.config().matching)); });

  auto what_if = [this](Request& req) {
    MatchingSettings current = deps_.config().matching, proposed;
    if (auto e = ProposedSettings(req.method == "POST" ? req.body : "", current, &proposed);
        !e.empty()) {
      return Response::Error(400, "bad_request", e);
    }
    auto r = review::RunWhatIf(deps_.store, current, proposed);
    if (!r.ok()) return FromStatusCoded(r.status());
    return Response::Json(r->ToJson());
  };
  router_.Add("GET", "/api/v1/admin/what-if", Access::kAdmin, what_if);
  router_.Add("POST", "/api/v1/admin/what-if", Access::kAdmin, what_if);

  router_.Add("GET", "/api/v1/quarantine", Access::kStaff, [this](Request& req) {
    int64_t offset = 0, limit = 50;
    if (auto s = req.Query("offset"); !s.empty() && s != "0" && !ParseId(s, &offset)) {
      return Response::Error(400, "bad_query", "offset must be a non-negative integer");
    }
    if (auto s = req.Query("limit"); !s.empty() && (!ParseId(s, &limit) || limit > 200)) {
      return Response::Error(400, "bad_query", "limit must be 1..200");
    }
    auto txn = deps_.store->Begin(Store::Mode::kRead);
    if (!txn.ok()) return Response::FromStatus(txn.status());
    auto list = (*txn)->ListQuarantine(static_cast<int>(offset), static_cast<int>(limit));
    if (!list.ok()) return Response::FromStatus(list.status());
    bool admin = req.principal.is_admin();
    rapidjson::StringBuffer buf;
    Writer w(buf);
    w.StartObject();
    w.Key("records");
    w.StartArray();
    for (const auto& q : *list) {
      w.StartObject();
      w.Key("id");
      w.Int64(q.id);
      Key(w, "source", q.source);
      Key(w, "source_record_id", q.source_record_id);
      w.Key("received_at_ms");
      w.Int64(q.received_at_ms);
      w.Key("replayed_report_id");
      w.Int64(q.replayed_report_id);
      rapidjson::Document reasons;
      if (ParseJsonLimited(q.reasons, &reasons).ok() && reasons.IsArray()) {
        w.Key("reasons");
        w.RawValue(q.reasons.c_str(), q.reasons.size(), rapidjson::kArrayType);
      }
      if (admin) Key(w, "raw", q.raw);  // verbatim payloads may hold contact details
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    return Response::Json(buf.GetString());
  });

  // Correct-and-replay (ingest/quarantine_replay.h). Body: {} replays the record
  // as received; {"record": {...}} replays a corrected record in qayd's field
  // names. Admins only: the form shows the verbatim payload.
  router_.Add("POST", "/api/v1/quarantine/{id}/replay", Access::kAdmin, [this](Request& req) {
    int64_t id = 0;
    if (!ParseId(req.params["id"], &id)) {
      return Response::Error(400, "bad_request", "the id must be a positive integer");
    }
    if (!deps_.pipeline) return Response::Error(503, "unavailable", "ingest is not running");
    JsonBody body(req.body, {"record"});
    std::optional<std::string> corrected;
    if (const rapidjson::Value* rec = body.Get("record")) {
      if (!rec->IsObject()) return Response::Error(400, "bad_request", "record must be an object");
      rapidjson::StringBuffer text;
      Writer rw(text);
      rec->Accept(rw);
      corrected = text.GetString();
    }
    if (!body.ok()) return Response::Error(400, "bad_request", body.error());
    auto r = ingest::ReplayQuarantined(deps_.store, deps_.pipeline, deps_.config().feeds, id,
                                       corrected, deps_.now_ms());
    if (r.status().code() == ErrorCode::kConflict) {
      return Response::Error(409, "already_replayed", r.status().message());
    }
    if (!r.ok()) return Response::FromStatus(r.status());
    if (!r->errors.empty()) {
      return FieldErrors(422, r->label + " is still invalid", r->label, r->errors);
    }
    if (r->outcome.decision == "rejected") {
      return Response::Error(422, "invalid_record", r->outcome.error);
    }
    std::string out = "{\"quarantine_id\":" + std::to_string(id) +
                      ",\"report_id\":" + std::to_string(r->outcome.report_id) +
                      ",\"outcome\":" + r->outcome.ToJson();
    return Response::Json(out + "}");
  });

  router_.Add("GET", "/api/v1/feeds", Access::kStaff, [this](Request&) {
    Config config = deps_.config();
    auto txn = deps_.store->Begin(Store::Mode::kRead);
    if (!txn.ok()) return Response::FromStatus(txn.status());
    rapidjson::StringBuffer buf;
    Writer w(buf);
    w.StartObject();
    w.Key("feeds");
    w.StartArray();
    for (const auto& feed : config.feeds) {
      auto st = (*txn)->GetFeedState(feed.id);
      if (!st.ok()) return Response::FromStatus(st.status());
      w.StartObject();
      Key(w, "id", feed.id);
      Key(w, "format", feed.format);
      w.Key("poll_interval_s");
      w.Int(feed.poll_interval_s);
      w.Key("last_success_ms");
      w.Int64(st->last_success_ms);
      w.Key("last_error_ms");
      w.Int64(st->last_error_ms);
      Key(w, "last_error", st->last_error);
      w.Key("records_ok");
      w.Int64(st->records_ok);
      w.Key("records_rejected");
      w.Int64(st->records_rejected);
      w.Key("consecutive_failures");
      w.Int64(st->consecutive_failures);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    return Response::Json(buf.GetString());
  });

  router_.Add("GET", "/api/v1/counts", Access::kStaff, [this](Request&) {
    auto txn = deps_.store->Begin(Store::Mode::kRead);
    if (!txn.ok()) return Response::FromStatus(txn.status());
    auto c = (*txn)->GetCounts();
    if (!c.ok()) return Response::FromStatus(c.status());
    return Response::Json("{\"reports\":" + std::to_string(c->reports) +
                          ",\"victims\":" + std::to_string(c->victims) +
                          ",\"active_victims\":" + std::to_string(c->active_victims) +
                          ",\"pending_reviews\":" + std::to_string(c->pending_reviews) +
                          ",\"quarantined\":" + std::to_string(c->quarantined) +
                          ",\"pending_match\":" + std::to_string(c->pending_match) + "}");
  });

  router_.Add(
      "POST", "/api/v1/reports", Access::kScope,
      [this](Request& req) {
        if (!deps_.pipeline) return Response::Error(503, "unavailable", "ingest is not running");
        rapidjson::Document doc;
        if (Status parsed = ParseJsonLimited(req.body, &doc); !parsed.ok()) {
          return Response::Error(400, "bad_request", "body is not valid JSON: " + parsed.message());
        }
        if (!doc.IsObject())
          return Response::Error(400, "bad_request", "body must be a JSON object");
        std::vector<const rapidjson::Value*> values;
        if (doc.HasMember("records")) {
          if (doc.MemberCount() != 1 || !doc["records"].IsArray()) {
            return Response::Error(400, "bad_request", "records must be the only member, an array");
          }
          for (const auto& v : doc["records"].GetArray()) values.push_back(&v);
        } else {
          values.push_back(&doc);
        }
        int64_t max = deps_.config().submissions.max_batch_records;
        if (values.empty() || static_cast<int64_t>(values.size()) > max) {
          return Response::Error(400, "bad_request",
                                 "a batch holds 1.." + std::to_string(max) + " records");
        }
        std::vector<IncomingRecord> batch;
        int64_t now = deps_.now_ms();
        for (size_t i = 0; i < values.size(); ++i) {
          IncomingRecord rec;
          rapidjson::StringBuffer raw;
          rapidjson::Writer<rapidjson::StringBuffer> rw(raw);
          values[i]->Accept(rw);
          if (values[i]->IsObject()) {
            ReportFromJson(*values[i], &rec.report, &rec.errors);
          } else {
            rec.errors.push_back({"", "record must be a JSON object"});
          }
          rec.report.raw_payload = raw.GetString();
          if (rec.report.received_at_ms == 0) rec.report.received_at_ms = now;
          rec.record_label = "api record " + std::to_string(i);
          batch.push_back(std::move(rec));
        }
        // The checks feeds, the spool and the public form make: a record failing
        // them (e.g. no source_record_id) is quarantined with its reasons instead
        // of the store refusing the whole batch (found by fuzz_api).
        ingest::ValidateOptions opts;
        if (auto vocab = ingest::LoadVocabularies(deps_.store); vocab.ok()) opts.vocab = *vocab;
        ingest::ValidateRecords(&batch, opts);
        auto outcomes = deps_.pipeline->Process(std::move(batch));
        if (!outcomes.ok()) return Response::FromStatus(outcomes.status());
        std::string body = "{\"outcomes\":[";
        for (size_t i = 0; i < outcomes->size(); ++i) {
          if (i) body += ",";
          body += (*outcomes)[i].ToJson();
        }
        return Response::Json(body + "]}");
      },
      "submit");
}

}  // namespace qayd::web
