#include "report/render.h"

namespace qayd::report {

Result<Format> ParseFormat(const std::string& text) {
  if (text == "md" || text == "markdown") return Format::kMarkdown;
  if (text == "csv") return Format::kCsv;
  if (text == "json") return Format::kJson;
  if (text == "html") return Format::kHtml;
  return Error(ErrorCode::kInvalidInput, "format must be md, csv, json or html, got \"" + text + "\"");
}

const char* ContentType(Format f) {
  switch (f) {
    case Format::kMarkdown: return "text/markdown; charset=utf-8";
    case Format::kCsv: return "text/csv; charset=utf-8";
    case Format::kJson: return "application/json";
    case Format::kHtml: return "text/html; charset=utf-8";
  }
  return "application/octet-stream";
}

std::string Render(const DeathReport& report, Format format, const RenderOptions& opts) {
  switch (format) {
    case Format::kMarkdown: return RenderMarkdown(report, opts);
    case Format::kCsv: return RenderCsv(report, opts);
    case Format::kJson: return RenderJson(report, opts);
    case Format::kHtml: return RenderHtml(report, opts);
  }
  return "";
}

std::string HtmlEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace qayd::report
