// Explanation::ToJson.
#include <charconv>
#include <cstdio>

#include "matching/engine.h"

namespace qayd::matching {
namespace {

void Quote(const std::string& s, std::string* out) {
  out->push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\t':
        *out += "\\t";
        break;
      case '\r':
        *out += "\\r";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          *out += buf;
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

// "%.3f" (std::to_chars writes what printf would, without its format parsing).
std::string Num(double v) {
  char buf[400];  // the longest fixed-point double with three decimals fits
  const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 3);
  return std::string(buf, r.ptr);
}

void Strings(const std::vector<std::string>& v, std::string* out) {
  out->push_back('[');
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out->push_back(',');
    Quote(v[i], out);
  }
  out->push_back(']');
}

}  // namespace

std::string Explanation::ToJson() const {
  std::string out = "{\"total\":" + Num(total) + ",\"fields\":[";
  for (size_t i = 0; i < fields.size(); ++i) {
    const auto& f = fields[i];
    if (i) out += ',';
    out += "{\"field\":";
    Quote(f.field, &out);
    out += ",\"level\":";
    Quote(f.level, &out);
    out += ",\"weight\":" + Num(f.weight) + ",\"detail\":";
    Quote(f.detail, &out);
    out += '}';
  }
  out += "],\"caps\":[";
  for (size_t i = 0; i < caps.size(); ++i) {
    if (i) out += ',';
    out += "{\"rule\":";
    Quote(caps[i].rule, &out);
    out += ",\"reason\":";
    Quote(caps[i].reason, &out);
    out += ",\"score_before\":" + Num(caps[i].score_before) + '}';
  }
  out += "],\"steps_a\":";
  Strings(steps_a, &out);
  out += ",\"steps_b\":";
  Strings(steps_b, &out);
  out += '}';
  return out;
}

}  // namespace qayd::matching
