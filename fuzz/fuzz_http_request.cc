// Fuzzes the submission API's request handling without sockets: the bytes are
// an HTTP/1.1 request read by the same Beast parser with the same limits as
// web/server.cc; the target and headers are decoded the way the session does
// (UrlDecode, ParseQuery, header folding, cookies), routed through a Router
// holding the API's route shapes, and the body goes through JsonBody with the
// public form's members and the record the form builds (web/api_public.cc):
// ReportFromJson + ValidateRecords.
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

#include "base/utf8.h"
#include "ingest/validate.h"
#include "model/report_json.h"
#include "pipeline/pipeline.h"
#include "web/http_types.h"
#include "web/json_body.h"
#include "web/public_form.h"
#include "web/request_decode.h"
#include "web/router.h"

namespace http = boost::beast::http;
using qayd::web::Request;
using qayd::web::Response;

namespace {

qayd::web::Router MakeRouter() {
  qayd::web::Router r;
  auto ok = [](Request&) { return Response::Json("{}"); };
  using qayd::web::Access;
  r.Add("GET", "/api/v1/vocabulary", Access::kPublic, ok);
  r.Add("POST", "/api/v1/public/submissions", Access::kPublic, ok);
  r.Add("POST", "/api/v1/reports", Access::kScope, ok, "submit");
  r.Add("GET", "/api/v1/review/items/{id}", Access::kStaff, ok);
  r.Add("POST", "/api/v1/review/items/{id}/decision", Access::kStaff, ok);
  r.Add("GET", "/api/v1/victims/{id}/history", Access::kStaff, ok);
  r.Add("POST", "/api/v1/session", Access::kPublic, ok);
  r.Add("DELETE", "/api/v1/session", Access::kStaff, ok);
  return r;
}

// The public form's record, built by the endpoint's own code, then validated.
void SubmitForm(const std::string& body) {
  qayd::IncomingRecord rec;
  std::string error;
  if (!qayd::web::BuildPublicFormRecord(body, "fuzz", &rec, &error)) return;
  std::vector<qayd::IncomingRecord> batch;
  batch.push_back(std::move(rec));
  qayd::ingest::ValidateOptions opts;
  opts.today = qayd::FuzzyDate{2024, 6, 1, qayd::DatePrecision::kExact};
  qayd::ingest::ValidateRecords(&batch, opts);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const qayd::web::Router router = MakeRouter();
  http::request_parser<http::string_body> parser;
  parser.eager(true);
  parser.body_limit(64 * 1024);
  parser.header_limit(16 * 1024);
  boost::system::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (!ec && !parser.is_done()) parser.put_eof(ec);
  if (ec || !parser.is_done()) return 0;
  auto req = parser.release();

  Request r;
  if (!qayd::web::DecodeRequest(std::move(req), "127.0.0.1", &r)) return 0;
  (void)r.Cookie("qayd_session"), (void)r.Cookie("qayd_lang"), (void)r.Query("lang", "en");
  (void)qayd::web::JsonString(r.path);

  bool path_known = false;
  const qayd::web::Route* route = router.Find(r.method, r.path, &r.params, &path_known);
  if (route == nullptr && path_known && r.params.size() > 0)
    __builtin_trap();  // no match, no params
  SubmitForm(r.body);  // every body through the form's reader and record builder
  return 0;
}
