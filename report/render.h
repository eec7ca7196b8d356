// The death-toll report's output forms: markdown, CSV, JSON and a standalone
// HTML page with server-rendered SVG charts. Pure functions of the report.
//
// Traceability: in JSON every figure is {"count":N,"pending":P,"victim_ids":[..]};
// in HTML every count links (#v-N) to the list of victim ids behind it; in CSV
// each row carries its victim ids. Every string from the register or the
// vocabulary is escaped for its output form.
#pragma once

#include <cstdint>
#include <string>

#include "base/result.h"
#include "report/death_report.h"

namespace qayd::report {

enum class Format { kMarkdown, kCsv, kJson, kHtml };
// "md", "csv", "json", "html"; kInvalidInput otherwise.
Result<Format> ParseFormat(const std::string& text);
const char* ContentType(Format f);  // e.g. "text/html; charset=utf-8"

struct RenderOptions {
  std::string lang = "en";  // "en" or "ar" (HTML gets dir="rtl")
  // HTML: when set, each victim id links to this pattern with "{id}" replaced
  // (e.g. "/#/victims/{id}"); empty: ids as plain text.
  std::string victim_link;
  std::string generated_at;  // shown in the header when set (e.g. ISO time)
};

std::string RenderMarkdown(const DeathReport& report, const RenderOptions& opts = {});
std::string RenderCsv(const DeathReport& report, const RenderOptions& opts = {});
std::string RenderJson(const DeathReport& report, const RenderOptions& opts = {});
std::string RenderHtml(const DeathReport& report, const RenderOptions& opts = {});
// The one inline <style> of RenderHtml's page, byte for byte (a server that
// forbids inline styles allows this one by its hash).
const char* HtmlStyleSheet();
std::string Render(const DeathReport& report, Format format, const RenderOptions& opts = {});

// Escapes & < > " ' for HTML text and attributes.
std::string HtmlEscape(const std::string& text);

}  // namespace qayd::report
