#include "report/report_http.h"

#include "report/death_report.h"
#include "report/render.h"

namespace qayd::report {
namespace {

std::string JsonText(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

HttpReply Fail(const Status& s) {
  HttpReply r;
  r.content_type = "application/json";
  switch (s.code()) {
    case ErrorCode::kInvalidInput: r.status = 400; break;
    case ErrorCode::kNotFound: r.status = 404; break;
    case ErrorCode::kUnavailable: r.status = 503; break;
    default: r.status = 500;
  }
  r.body = "{\"error\":{\"code\":" + JsonText(ErrorCodeName(s.code())) +
           ",\"message\":" + JsonText(s.message()) + "}}";
  return r;
}

std::string Param(const std::map<std::string, std::string>& q, const std::string& key,
                  const std::string& fallback) {
  auto it = q.find(key);
  return it == q.end() || it->second.empty() ? fallback : it->second;
}

}  // namespace

HttpReply RenderReportHttp(Store* store, const std::map<std::string, std::string>& query,
                           const std::string& victim_link) {
  const std::string month = Param(query, "month", "");
  const std::string year = Param(query, "year", "");
  if (month.empty() == year.empty()) {
    return Fail(Error(ErrorCode::kInvalidInput, "give exactly one of month=YYYY-MM or year=YYYY"));
  }
  const std::string by_text = Param(query, "by", "death");
  if (by_text != "death" && by_text != "documented") {
    return Fail(Error(ErrorCode::kInvalidInput, "by must be death or documented"));
  }
  const std::string lang = Param(query, "lang", "en");
  if (lang != "en" && lang != "ar") {
    return Fail(Error(ErrorCode::kInvalidInput, "lang must be en or ar"));
  }
  auto format = ParseFormat(Param(query, "format", "json"));
  if (!format.ok()) return Fail(format.status());
  const std::string period = month.empty() ? year : month;
  if ((month.empty() && period.size() != 4) || (!month.empty() && period.size() != 7)) {
    return Fail(Error(ErrorCode::kInvalidInput, "month must be YYYY-MM and year YYYY"));
  }
  auto request =
      ParsePeriod(period, by_text == "death" ? CountBy::kDeath : CountBy::kDocumented);
  if (!request.ok()) return Fail(request.status());
  auto report = BuildDeathReport(store, *request);
  if (!report.ok()) return Fail(report.status());
  RenderOptions opts;
  opts.lang = lang;
  opts.victim_link = victim_link;
  HttpReply reply;
  reply.content_type = ContentType(*format);
  reply.body = Render(*report, *format, opts);
  return reply;
}

}  // namespace qayd::report
