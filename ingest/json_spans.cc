#include "ingest/json_spans.h"

namespace qayd::ingest {
namespace {

struct Scanner {
  std::string_view t;
  size_t i = 0;

  void Ws() {
    while (i < t.size() && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r')) ++i;
  }
  // At a '"': returns the raw (still escaped) string content and moves past it.
  std::string_view String() {
    const size_t start = ++i;
    while (i < t.size() && t[i] != '"') i += t[i] == '\\' ? 2 : 1;
    std::string_view s = t.substr(start, i - start);
    ++i;
    return s;
  }
  void Value() {
    Ws();
    if (i >= t.size()) return;
    if (t[i] == '"') {
      String();
      return;
    }
    if (t[i] == '{' || t[i] == '[') {
      int depth = 0;
      while (i < t.size()) {
        const char c = t[i];
        if (c == '"') {
          String();
          continue;
        }
        if (c == '{' || c == '[') ++depth;
        if (c == '}' || c == ']') --depth;
        ++i;
        if (depth == 0) return;
      }
      return;
    }
    while (i < t.size() && t[i] != ',' && t[i] != '}' && t[i] != ']' && t[i] != ' ' &&
           t[i] != '\n' && t[i] != '\r' && t[i] != '\t') {
      ++i;
    }
  }
};

}  // namespace

Result<std::vector<std::pair<size_t, size_t>>> ArrayElementSpans(std::string_view text,
                                                                 std::string_view path) {
  Scanner s{text};
  std::string walked;
  while (!path.empty()) {
    const size_t dot = path.find('.');
    const std::string_view key = path.substr(0, dot);
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
    walked += walked.empty() ? std::string(key) : "." + std::string(key);
    s.Ws();
    if (s.i >= text.size() || text[s.i] != '{') {
      return Error(ErrorCode::kInvalidInput, "records_path \"" + walked + "\": not an object");
    }
    ++s.i;
    bool found = false;
    while (true) {
      s.Ws();
      if (s.i >= text.size() || text[s.i] == '}') break;
      if (text[s.i] == ',') {
        ++s.i;
        continue;
      }
      const std::string_view k = s.String();
      s.Ws();
      ++s.i;  // ':'
      if (k == key) {
        found = true;
        break;
      }
      s.Value();
    }
    if (!found) {
      return Error(ErrorCode::kInvalidInput, "records_path \"" + walked + "\": no such key");
    }
  }
  s.Ws();
  if (s.i >= text.size() || text[s.i] != '[') {
    return Error(ErrorCode::kInvalidInput,
                 walked.empty() ? std::string("the document is not an array (set records_path)")
                                : "records_path \"" + walked + "\": not an array");
  }
  ++s.i;
  std::vector<std::pair<size_t, size_t>> spans;
  while (true) {
    s.Ws();
    if (s.i >= text.size() || text[s.i] == ']') break;
    if (text[s.i] == ',') {
      ++s.i;
      continue;
    }
    const size_t begin = s.i;
    s.Value();
    spans.emplace_back(begin, s.i);
  }
  return spans;
}

}  // namespace qayd::ingest
