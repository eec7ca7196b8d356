// Fuzzes the real API dispatcher, web::Api::Handle, with a real register: a
// SQLite store in a fresh folder (made once per process, removed at exit), the
// matching engine with its index, the pipeline, users, a partner token and a
// monitor session. The bytes after the first are an HTTP/1.1 request read by
// Beast's parser with the server's limits and decoded the way web/server.cc
// decodes it; the first byte picks the caller:
//   bits 0-1: 0 nothing attached, 1 the partner's API token (scope "submit"),
//             2 the monitor's session cookie and CSRF token, 3 the session
//             cookie with the input's own X-CSRF-Token (if any);
//   bits 2-3: the client address (four of them: rate limiter, login back-off).
// The clock advances one second per input. The register keeps what inputs add
// (submissions, decisions); nothing is reset per input.
//
// QAYD_FUZZ_API_TRACE=1 prints each request line and the answer's start.
//
// Invariants (a violation aborts with the request line and the answer):
// - no 5xx but 503 (a 500 is a bug), every status in 100..599;
// - every 4xx/5xx is application/json {"error":{"code":"..","message":".."}};
// - callers without a session (modes 0 and 1) get, on every /api/ route other
//   than the public ones (and the token's own POST /api/v1/reports), only
//   401/403/404/405 and a body holding nothing but the error;
// - the partner's POST /api/v1/reports answers 200 with one outcome per record
//   (bad records "rejected", quarantined), or 400 bad_request for a body that
//   is not a record or batch, 415 unsupported_media_type for a body not sent
//   as application/json, or 503; never refuses a batch for one record;
// - a session with the input's CSRF token never changes state (no 2xx);
// - a monitor never gets an admin route, and no answer to a non-admin holds a
//   "contact", "raw" or "raw_payload" member (relatives' details, verbatim
//   payloads).
#include <rapidjson/document.h>
#include <sodium.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "base/log.h"
#include "config/config.h"
#include "matching/engine.h"
#include "model/report_json.h"
#include "pipeline/pipeline.h"
#include "store/store.h"
#include "web/api.h"
#include "web/auth.h"
#include "web/request_decode.h"
#include "web/router.h"

namespace http = boost::beast::http;
using qayd::web::Request;
using qayd::web::Response;

namespace {

constexpr char kMonitorPassword[] = "monitor-pass-1";
constexpr char kAdminPassword[] = "admin-pass-123";
const char* const kRemotes[] = {"127.0.0.1", "192.0.2.7", "::1", "2001:db8::5"};

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "fuzz_api setup: %s\n", what.c_str());
  std::abort();
}

// Argon2id at libsodium's minimum cost: the fuzzer's known users verify in
// microseconds (unknown names still cost one interactive hash, throttled).
std::string CheapHash(const std::string& password) {
  char out[crypto_pwhash_STRBYTES];
  if (sodium_init() < 0 ||
      crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_MIN,
                        crypto_pwhash_MEMLIMIT_MIN) != 0) {
    Die("crypto_pwhash_str failed");
  }
  return out;
}

struct Register {
  std::string dir;
  qayd::Config config;
  std::unique_ptr<qayd::Store> store;
  std::unique_ptr<qayd::matching::Engine> engine;
  std::unique_ptr<qayd::Pipeline> pipeline;
  std::unique_ptr<qayd::web::Api> api;
  std::string token, session, csrf;
  std::atomic<int64_t> now_ms{1'717'200'000'000};  // 2024-06-01

  Register() {
    // /dev/shm when there is one: the store commits with fsync, which tmpfs makes free.
    std::string base = std::filesystem::is_directory("/dev/shm") && access("/dev/shm", W_OK) == 0
                           ? std::string("/dev/shm")
                           : std::filesystem::temp_directory_path().string();
    std::string tmpl = base + "/qayd-fuzz-api-XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    if (!mkdtemp(buf.data())) Die("mkdtemp failed in " + base);
    dir = buf.data();

    config = qayd::DefaultConfig();
    config.http.static_dir = QAYD_SOURCE_DIR "/web/static";
    auto opened = qayd::OpenStore(dir + "/register.db");
    if (!opened.ok()) Die(opened.status().ToString());
    store = std::move(*opened);
    engine = std::make_unique<qayd::matching::Engine>(config.matching);
    if (auto s = qayd::LoadIndex(store.get(), engine.get()); !s.ok()) Die(s.ToString());
    pipeline = std::make_unique<qayd::Pipeline>(store.get(), engine.get());

    token = qayd::web::RandomToken();
    session = qayd::web::RandomToken();
    csrf = qayd::web::RandomToken();
    {
      auto txn = store->Begin();
      if (!txn.ok()) Die(txn.status().ToString());
      auto check = [](const qayd::Status& s) {
        if (!s.ok()) Die(s.ToString());
      };
      check((*txn)->PutUser({"mona", "monitor", CheapHash(kMonitorPassword), false}));
      check((*txn)->PutUser({"ada", "admin", CheapHash(kAdminPassword), false}));
      check((*txn)->PutApiToken(qayd::web::Sha256Hex(token), "partner", "submit"));
      check((*txn)->Commit());
    }
    PutSession();

    qayd::web::Deps deps;
    deps.store = store.get();
    deps.engine = engine.get();
    deps.pipeline = pipeline.get();
    deps.config = [this] { return config; };
    deps.now_ms = [this] { return now_ms.load(); };
    api = std::make_unique<qayd::web::Api>(deps, config.http);
    Seed();
  }

  ~Register() {
    api.reset();
    pipeline.reset();
    engine.reset();
    store.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }

  // The monitor's session (again after an input logged it out).
  void PutSession() {
    auto txn = store->Begin();
    if (!txn.ok()) Die(txn.status().ToString());
    qayd::Session s{qayd::web::Sha256Hex(session), "mona", csrf, INT64_MAX / 2};
    if (auto st = (*txn)->PutSession(s); !st.ok()) Die(st.ToString());
    if (auto st = (*txn)->Commit(); !st.ok()) Die(st.ToString());
  }

  std::vector<qayd::RecordOutcome> Ingest(const std::vector<std::string>& records) {
    std::vector<qayd::IncomingRecord> batch;
    for (const auto& text : records) {
      qayd::IncomingRecord rec;
      qayd::ReportFromJsonText(text, &rec.report, &rec.errors);
      rec.report.raw_payload = text;
      rec.report.received_at_ms = now_ms.load();
      rec.record_label = "seed record";
      batch.push_back(std::move(rec));
    }
    auto outcomes = pipeline->Process(std::move(batch));
    if (!outcomes.ok()) Die(outcomes.status().ToString());
    return *outcomes;
  }

  // The register the seeds name: victim 1 (moh/1 with relatives/r2), victim 2,
  // victim 3 split off victim 1 (relatives/r1, same name), review item 1
  // (relatives/r3: the same name again, a tie between victims 1 and 3), and a
  // quarantined record. Built through the pipeline and the API itself.
  void Seed() {
    const std::string name = "\"name\":\"محمد أحمد حسن الخطيب\"";
    const std::string death =
        ",\"date_of_death\":\"2024-01-03\",\"sex\":\"male\",\"place_of_death\":{"
        "\"governorate\":\"Gaza\"}";
    auto first = Ingest({
        "{\"source\":\"moh\",\"source_record_id\":\"1\"," + name + death + "}",
        "{\"source\":\"moh\",\"source_record_id\":\"2\",\"name\":\"Fatima Ali Hussein\","
        "\"date_of_death\":\"2024-02-10\",\"sex\":\"female\"}",
        "{\"source\":\"relatives\",\"source_record_id\":\"r1\"," + name + death +
            ",\"submitter\":{\"relation\":\"brother\",\"contact\":\"+970-555-0100\"}}",
        "{\"source\":\"relatives\",\"source_record_id\":\"r2\",\"name\":\"محمد أحمد الخطيب\","
        "\"date_of_death\":\"2024-01\"}",
        "{\"source\":\"moh\",\"source_record_id\":\"3\",\"sex\":\"robot\"}",
    });
    const qayd::RecordOutcome& r1 = first[2];
    if (r1.decision != "merged") Die("seed: relatives/r1 was " + r1.decision + ", not merged");
    Request split;
    split.method = "POST";
    split.path = "/api/v1/victims/" + std::to_string(r1.victim_id) + "/split";
    split.remote = kRemotes[0];
    split.headers["cookie"] = std::string(qayd::web::kSessionCookie) + "=" + session;
    split.headers["x-csrf-token"] = csrf;
    split.headers["content-type"] = "application/json";
    split.body =
        "{\"report_ids\":[" + std::to_string(r1.report_id) + "],\"reason\":\"seed: two people\"}";
    if (Response resp = api->Handle(split); resp.status != 200) Die("seed split: " + resp.body);
    auto third =
        Ingest({"{\"source\":\"relatives\",\"source_record_id\":\"r3\"," + name + death + "}"});
    if (third[0].decision != "review") Die("seed: relatives/r3 was " + third[0].decision);
  }
};

Register* g_register = nullptr;

void RemoveRegister() {
  delete g_register;
  g_register = nullptr;
}

[[noreturn]] void Violation(const char* what, const Request& req, const Response& resp) {
  std::fprintf(stderr, "fuzz_api: invariant broken: %s\n  %s %s -> %d %s\n  %.600s\n", what,
               req.method.c_str(), req.path.c_str(), resp.status, resp.content_type.c_str(),
               resp.body.c_str());
  std::abort();
}

bool IsErrorBody(const rapidjson::Document& doc, bool only_error) {
  if (doc.HasParseError() || !doc.IsObject()) return false;
  auto e = doc.FindMember("error");
  if (e == doc.MemberEnd() || !e->value.IsObject()) return false;
  if (only_error && doc.MemberCount() != 1) return false;
  auto code = e->value.FindMember("code");
  auto message = e->value.FindMember("message");
  return code != e->value.MemberEnd() && code->value.IsString() &&
         code->value.GetStringLength() > 0 && message != e->value.MemberEnd() &&
         message->value.IsString();
}

std::string ErrorCode(const rapidjson::Document& doc) {
  if (!IsErrorBody(doc, false)) return "";
  const rapidjson::Value& code = doc["error"]["code"];
  return std::string(code.GetString(), code.GetStringLength());
}

// A member only admins may see, anywhere in the tree.
bool HasAdminOnlyMember(const rapidjson::Value& v) {
  if (v.IsObject()) {
    for (const auto& m : v.GetObject()) {
      std::string name(m.name.GetString(), m.name.GetStringLength());
      if (name == "contact" || name == "raw" || name == "raw_payload") return true;
      if (HasAdminOnlyMember(m.value)) return true;
    }
  } else if (v.IsArray()) {
    for (const auto& e : v.GetArray()) {
      if (HasAdminOnlyMember(e)) return true;
    }
  }
  return false;
}

bool Is(const std::vector<std::string>& segs, std::initializer_list<const char*> want) {
  if (segs.size() != want.size()) return false;
  size_t i = 0;
  for (const char* w : want) {
    if (segs[i++] != w) return false;
  }
  return true;
}

void CheckInvariants(int mode, const Request& req, const Response& resp) {
  if (resp.status < 100 || resp.status > 599) Violation("status out of range", req, resp);
  if (resp.status >= 500 && resp.status != 503) Violation("5xx other than 503", req, resp);
  const bool is_json = resp.content_type == "application/json";
  rapidjson::Document doc;
  if (is_json) doc.Parse(resp.body.c_str(), resp.body.size());
  if (resp.status >= 400 && (!is_json || !IsErrorBody(doc, false))) {
    Violation("error answer without a JSON error code", req, resp);
  }

  const auto segs = qayd::web::SplitPath(req.path);
  const bool api = !segs.empty() && segs[0] == "api";
  const bool is_public = (req.method == "GET" && Is(segs, {"api", "v1", "vocabulary"})) ||
                         (req.method == "POST" && Is(segs, {"api", "v1", "login"})) ||
                         (req.method == "POST" && Is(segs, {"api", "v1", "public", "submissions"}));
  const bool token_route = req.method == "POST" && Is(segs, {"api", "v1", "reports"});
  const bool changes_state = req.method != "GET" && req.method != "HEAD";
  const bool ok = resp.status >= 200 && resp.status < 300;

  if ((mode == 0 || mode == 1) && api && !is_public && !(mode == 1 && token_route)) {
    if (resp.status != 401 && resp.status != 403 && resp.status != 404 && resp.status != 405) {
      Violation("a caller without a session got past access control", req, resp);
    }
    if (!IsErrorBody(doc, true)) Violation("refusal carries more than the error", req, resp);
  }
  // A partner's batch is answered record by record (bad records rejected into
  // the quarantine); only a body that is not a batch is refused as a whole.
  if (mode == 1 && token_route && resp.status != 200 && resp.status != 503 &&
      !(resp.status == 400 && ErrorCode(doc) == "bad_request") &&
      !(resp.status == 415 && ErrorCode(doc) == "unsupported_media_type")) {
    Violation("a partner's batch refused as a whole", req, resp);
  }
  if (mode == 3 && api && !is_public && changes_state && ok) {
    Violation("state changed without the session's CSRF token", req, resp);
  }
  if ((mode == 2 || mode == 3) && segs.size() >= 3 && segs[0] == "api" && segs[2] == "admin" &&
      ok) {
    Violation("a monitor got an admin route", req, resp);
  }
  if (is_json && ok && !doc.HasParseError() && HasAdminOnlyMember(doc)) {
    Violation("admin-only member in an answer to a non-admin", req, resp);
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  qayd::log::SetLevel(qayd::log::Level::kWarning);  // no line per login and batch
  g_register = new Register();
  std::atexit(RemoveRegister);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  Register& reg = *g_register;
  const int mode = data[0] & 3;
  const char* remote = kRemotes[(data[0] >> 2) & 3];
  reg.now_ms += 1000;

  // As web/server.cc reads and decodes a request.
  http::request_parser<http::string_body> parser;
  parser.eager(true);
  parser.body_limit(static_cast<uint64_t>(reg.config.http.max_body_bytes));
  parser.header_limit(16 * 1024);
  boost::system::error_code ec;
  parser.put(boost::asio::buffer(data + 1, size - 1), ec);
  if (!ec && !parser.is_done()) parser.put_eof(ec);
  if (ec || !parser.is_done()) return 0;
  auto req = parser.release();

  Request r;
  if (!qayd::web::DecodeRequest(std::move(req), remote, &r)) return 0;  // the server answers 400

  // The caller.
  if (mode == 1) {
    r.headers["authorization"] = "Bearer " + reg.token;
  } else if (mode >= 2) {
    r.headers.erase("authorization");
    std::string& cookie = r.headers["cookie"];
    cookie = std::string(qayd::web::kSessionCookie) + "=" + reg.session +
             (cookie.empty() ? "" : "; " + cookie);
    if (mode == 2) r.headers["x-csrf-token"] = reg.csrf;
  }

  const Request sent = r;  // Handle fills in the principal and the params
  Response resp = reg.api->Handle(r);
  static const bool trace = std::getenv("QAYD_FUZZ_API_TRACE") != nullptr;
  if (trace) {
    std::fprintf(stderr, "fuzz_api: mode %d %s %s -> %d %.300s\n", mode, sent.method.c_str(),
                 sent.path.c_str(), resp.status, resp.body.c_str());
  }
  CheckInvariants(mode, sent, resp);

  if (mode == 2 && resp.status == 200 &&
      qayd::web::SplitPath(sent.path) == std::vector<std::string>{"api", "v1", "logout"}) {
    reg.PutSession();
  }
  return 0;
}
