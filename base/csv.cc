#include "base/csv.h"

#include "base/utf8.h"

namespace qayd {

std::vector<CsvRow> SplitCsv(std::string_view all) {
  const size_t bom = all.size() - StripBom(all).size();
  std::vector<CsvRow> rows;
  size_t i = bom;
  int line = 1;
  const size_t n = all.size();
  while (i < n) {
    // Skip blank lines.
    if (all[i] == '\n') {
      ++i;
      ++line;
      continue;
    }
    if (all[i] == '\r' && i + 1 < n && all[i + 1] == '\n') {
      i += 2;
      ++line;
      continue;
    }
    CsvRow row;
    row.begin = i;
    row.line = line;
    std::string field;
    bool in_quotes = false, was_quoted = false, done = false;
    while (!done) {
      if (i >= n) {
        if (in_quotes) row.error = "unterminated quoted field";
        row.fields.push_back(std::move(field));
        row.end = n;
        break;
      }
      const char c = all[i];
      if (in_quotes) {
        if (c == '"') {
          if (i + 1 < n && all[i + 1] == '"') {
            field += '"';
            i += 2;
          } else {
            in_quotes = false;
            ++i;
          }
        } else {
          if (c == '\n') ++line;
          field += c;
          ++i;
        }
        continue;
      }
      if (c == ',') {
        row.fields.push_back(std::move(field));
        field.clear();
        was_quoted = false;
        ++i;
      } else if (c == '\n' || (c == '\r' && i + 1 < n && all[i + 1] == '\n')) {
        row.fields.push_back(std::move(field));
        row.end = i;
        i += c == '\r' ? 2 : 1;
        ++line;
        done = true;
      } else if (c == '"' && field.empty() && !was_quoted) {
        in_quotes = true;
        was_quoted = true;
        ++i;
      } else if (c == '"' && !was_quoted) {
        // A quote inside an unquoted field is kept as a literal character
        // (real lists have `name ""nickname`); nothing there is ambiguous.
        field += c;
        ++i;
      } else {
        if (was_quoted && row.error.empty()) {
          row.error =
              "text after a closing quote (column " + std::to_string(row.fields.size() + 1) + ")";
        }
        field += c;
        ++i;
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace qayd
