// RFC 4180 CSV splitting: comma separator, double-quoted fields with "" as an
// escaped quote, CRLF or LF line ends, line breaks allowed inside quotes.
// A UTF-8 byte order mark before the header is tolerated. Blank lines are
// skipped. A quote inside an unquoted field is taken literally (lenient, as
// real lists need). Each row keeps the byte range it came from, so the caller
// can keep the verbatim text. Malformed rows (text after a closing quote, an
// unterminated quote) are reported per row, not per file.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace qayd {

struct CsvRow {
  std::vector<std::string> fields;
  size_t begin = 0, end = 0;  // byte range in the input, without the line end
  int line = 0;               // 1-based line number where the row starts
  std::string error;          // non-empty: e.g. "unterminated quoted field"
};

// Splits `text` (BOM already stripped or not) into rows. The first row is
// the header when the caller says so; this function does not treat it apart.
std::vector<CsvRow> SplitCsv(std::string_view text);

}  // namespace qayd
