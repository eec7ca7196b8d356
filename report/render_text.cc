// The markdown and CSV forms of the report.
#include <sstream>

#include "report/render.h"
#include "report/report_tables.h"

namespace qayd::report {
namespace {

// Markdown table cells: pipes and line breaks would break the table; markup
// characters are backslash-escaped so a label cannot inject links or HTML.
std::string MdCell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\n' || c == '\r') {
      out += ' ';
    } else if (c == '|' || c == '\\' || c == '*' || c == '_' || c == '[' || c == ']' || c == '<' ||
               c == '>' || c == '`' || c == '#') {
      out += '\\';
      out += c;
    } else {
      out += c;
    }
  }
  return out;
}

std::string CsvField(const std::string& s) {
  std::string t = s;
  // Spreadsheet formula injection: a leading = + - @ is neutralised.
  if (!t.empty() && (t[0] == '=' || t[0] == '+' || t[0] == '-' || t[0] == '@')) t = "'" + t;
  if (t.find_first_of(",\"\n\r") == std::string::npos) return t;
  std::string out = "\"";
  for (char c : t) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string Ids(const Figure& f) {
  std::string out;
  for (int64_t id : f.victim_ids) out += (out.empty() ? "" : " ") + std::to_string(id);
  return out;
}

}  // namespace

std::string RenderMarkdown(const DeathReport& r, const RenderOptions& opts) {
  const std::string& lang = opts.lang;
  std::ostringstream out;
  out << "# " << MdCell(Label("title", lang)) << ": " << r.period_label << "\n\n";
  out << Label("counted_by", lang) << " "
      << Label(r.request.by == CountBy::kDeath ? "by_death" : "by_documented", lang) << ". ";
  if (!opts.generated_at.empty()) out << MdCell(opts.generated_at) << ". ";
  out << "\n\n**" << PendingBanner(r, lang) << "**";
  if (!r.pending_review_items.empty()) {
    out << " (";
    for (size_t i = 0; i < r.pending_review_items.size(); ++i) {
      out << (i ? ", " : "") << r.pending_review_items[i];
    }
    out << ")";
  }
  out << "\n";
  for (const Table& t : BuildTables(r, lang)) {
    out << "\n## " << MdCell(t.title) << "\n\n";
    if (!t.note.empty()) out << MdCell(t.note) << "\n\n";
    if (t.rows.empty()) {
      out << "-\n";
      continue;
    }
    out << "|";
    for (const std::string& c : t.columns) out << " " << MdCell(c) << " |";
    out << "\n|";
    for (size_t i = 0; i < t.columns.size(); ++i) out << (i ? " ---: |" : " --- |");
    out << "\n";
    for (const auto& row : t.rows) {
      out << "|";
      for (const Cell& c : row) {
        out << " " << MdCell(c.text) << (c.is_figure && c.figure.pending ? "\\*" : "") << " |";
      }
      out << "\n";
    }
  }
  out << "\n\\* " << Label("pending_mark", lang) << "\n";
  return out.str();
}

std::string RenderCsv(const DeathReport& r, const RenderOptions& opts) {
  // One row per figure: table,row,column,value,pending,victim_ids.
  std::ostringstream out;
  out << "period,counted_by,table,row,column,value,pending,victim_ids\n";
  const std::string head =
      CsvField(r.period_label) + "," + CountByName(r.request.by) + ",";
  for (const Table& t : BuildTables(r, opts.lang)) {
    for (const auto& row : t.rows) {
      for (size_t i = 1; i < row.size() && i < t.columns.size(); ++i) {
        const Cell& c = row[i];
        out << head << t.key << "," << CsvField(row[0].text) << "," << CsvField(t.columns[i])
            << "," << CsvField(c.text) << "," << (c.is_figure ? c.figure.pending : 0) << ","
            << CsvField(c.is_figure ? Ids(c.figure) : "") << "\n";
      }
    }
  }
  return out.str();
}

}  // namespace qayd::report
