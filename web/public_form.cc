#include "web/public_form.h"

#include <set>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "ingest/utf8.h"
#include "model/report_json.h"
#include "web/json_body.h"

namespace qayd::web {
namespace {

const std::set<std::string> kFormFields = {
    "name",          "name_latin",    "sex",        "age",   "date_of_birth", "date_of_death",
    "governorate",   "locality",      "cause",      "what_happened", "relation", "contact"};

}  // namespace

bool BuildPublicFormRecord(const std::string& body, const std::string& reference,
                           IncomingRecord* rec, std::string* error) {
  if (ingest::FindInvalidUtf8(body)) {
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
  kv("age", form.String("age"));
  kv("date_of_birth", form.String("date_of_birth"));
  kv("date_of_death", form.String("date_of_death"));
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
