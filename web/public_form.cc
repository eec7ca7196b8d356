#include "web/public_form.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <set>
#include <vector>

#include "base/utf8.h"
#include "model/report_json.h"
#include "web/json_body.h"

namespace qayd::web {
namespace {

const std::set<std::string> kFormFields = {
    "name",        "name_latin", "sex",   "age",           "date_of_birth", "date_of_death",
    "governorate", "locality",   "cause", "what_happened", "relation",      "contact"};

// Arabic-Indic (U+0660..0669) and Eastern Arabic-Indic (U+06F0..06F9) digits
// to ASCII; the Arabic date separator and comma to '/'.
std::string AsciiDigits(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (i + 1 < s.size() && (c == 0xD9 || c == 0xDB)) {
      const auto d = static_cast<unsigned char>(s[i + 1]);
      if (c == 0xD9 && d >= 0xA0 && d <= 0xA9) {  // U+0660..0669
        out += static_cast<char>('0' + (d - 0xA0));
        ++i;
        continue;
      }
      if (c == 0xDB && d >= 0xB0 && d <= 0xB9) {  // U+06F0..06F9
        out += static_cast<char>('0' + (d - 0xB0));
        ++i;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

// A date as people write it on the form -> the record format's "YYYY-MM-DD"
// (or "YYYY-MM", "YYYY"): Arabic-Indic digits, '/', '.', '-' or spaces between
// the parts, year first or last (day/month/year, as written in the region).
// Anything else is passed on unchanged for the record's own validation.
std::string FormDate(const std::string& text) {
  std::string s = AsciiDigits(text);
  std::vector<std::string> parts(1);
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      parts.back() += c;
    } else if (c == '/' || c == '.' || c == '-' || c == ' ' || c == '\\') {
      if (!parts.back().empty()) parts.emplace_back();
    } else {
      return s;
    }
  }
  if (parts.back().empty()) parts.pop_back();
  if (parts.empty() || parts.size() > 3) return s;
  if (parts.size() > 1 && parts.back().size() == 4 && parts.front().size() <= 2) {
    std::reverse(parts.begin(), parts.end());  // day/month/year
  }
  if (parts.front().size() != 4) return s;
  std::string out = parts[0];
  for (size_t i = 1; i < parts.size(); ++i) {
    if (parts[i].size() > 2) return s;
    out += "-" + std::string(parts[i].size() == 1 ? "0" : "") + parts[i];
  }
  return out;
}

// An age as written: Arabic-Indic digits, an optional unit word after it.
std::string FormAge(const std::string& text) {
  std::string s = AsciiDigits(text);
  for (const char* unit : {" سنوات", " سنة", " عاماً", " عاما", " عام", " years", " year"}) {
    const std::string u(unit);
    if (s.size() > u.size() && s.compare(s.size() - u.size(), u.size(), u) == 0) {
      return s.substr(0, s.size() - u.size());
    }
  }
  return s;
}

}  // namespace

bool BuildPublicFormRecord(const std::string& body, const std::string& reference,
                           IncomingRecord* rec, std::string* error) {
  if (FindInvalidUtf8(body)) {
    *error = "body is not valid UTF-8";
    return false;
  }
  JsonBody form(body, kFormFields);
  if (!form.ok()) {
    *error = form.error();
    return false;
  }
  // The record in the record format, without the submitter (kept apart below).
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  auto kv = [&](const char* key, const std::string& value) {
    if (value.empty()) return;
    w.Key(key);
    w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
  };
  w.StartObject();
  kv("source", "public-form");
  kv("source_record_id", reference);
  kv("source_type", "relative");
  w.Key("names");
  w.StartArray();
  for (const char* key : {"name", "name_latin"}) {
    std::string n = form.String(key);
    if (!n.empty()) w.String(n.c_str(), static_cast<rapidjson::SizeType>(n.size()));
  }
  w.EndArray();
  kv("sex", form.String("sex"));
  kv("age", FormAge(form.String("age")));
  kv("date_of_birth", FormDate(form.String("date_of_birth")));
  kv("date_of_death", FormDate(form.String("date_of_death")));
  std::string governorate = form.String("governorate"), locality = form.String("locality");
  if (!governorate.empty() || !locality.empty()) {
    w.Key("place_of_death");
    w.StartObject();
    kv("governorate", governorate);
    kv("locality", locality);
    w.EndObject();
  }
  kv("cause", form.String("cause"));
  kv("notes", form.String("what_happened"));
  w.EndObject();
  const std::string relation = form.String("relation"), contact = form.String("contact");
  if (!form.ok()) {
    *error = form.error();
    return false;
  }
  rapidjson::Document doc;
  doc.Parse(buf.GetString(), buf.GetSize());
  ReportFromJson(doc, &rec->report, &rec->errors);
  rec->report.raw_payload = buf.GetString();
  rec->report.submitter_relation = relation;
  rec->report.submitter_contact = contact;
  rec->record_label = "public form " + reference;
  return true;
}

}  // namespace qayd::web
