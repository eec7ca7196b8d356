#include "store/export.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "store/canonical.h"

namespace qayd {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Str(Writer& w, const char* key, const std::string& v) {
  if (v.empty()) return;
  w.Key(key);
  w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
}

std::string PlaceText(const Place& p) {
  std::string out;
  for (const std::string* part : {&p.locality, &p.district, &p.governorate}) {
    if (part->empty()) continue;
    if (!out.empty()) out += ", ";
    out += *part;
  }
  return out;
}

std::string JsonLine(const Victim& v, const std::vector<Report>& reports) {
  CanonicalVictim c = ComputeCanonical(reports);
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("victim_id");
  w.Int64(v.id);
  Str(w, "state", VictimStateName(v.state));
  Str(w, "corroboration", CorroborationName(v.corroboration));
  w.Key("reports");
  w.StartArray();
  for (const auto& r : reports) {
    w.StartObject();
    w.Key("report_id");
    w.Int64(r.id);
    Str(w, "source", r.source);
    Str(w, "source_record_id", r.source_record_id);
    if (r.version != 1) {
      w.Key("version");
      w.Int(r.version);
    }
    w.EndObject();
  }
  w.EndArray();
  Str(w, "name", c.name);
  if (!c.names.empty()) {
    w.Key("names");
    w.StartArray();
    for (const auto& n : c.names) {
      w.StartObject();
      Str(w, "full", n.full);
      if (n.script != Script::kUnknown) Str(w, "script", ScriptName(n.script));
      w.EndObject();
    }
    w.EndArray();
  }
  if (c.sex != Sex::kUnknown) Str(w, "sex", SexName(c.sex));
  Str(w, "age", c.age.ToString());
  Str(w, "date_of_birth", c.date_of_birth.ToString());
  Str(w, "date_of_death", c.date_of_death.ToString());
  if (!c.place_of_death.empty()) {
    w.Key("place_of_death");
    w.StartObject();
    Str(w, "governorate", c.place_of_death.governorate);
    Str(w, "district", c.place_of_death.district);
    Str(w, "locality", c.place_of_death.locality);
    w.EndObject();
  }
  Str(w, "governorate_of_origin", c.governorate_of_origin);
  Str(w, "cause", c.cause);
  Str(w, "perpetrator", c.perpetrator);
  if (!c.roles.empty()) {
    w.Key("roles");
    w.StartArray();
    for (const auto& r : c.roles) w.String(r.c_str());
    w.EndArray();
  }
  if (c.died_under_torture) {
    w.Key("died_under_torture");
    w.Bool(true);
  }
  w.Key("canonical_sources");
  w.StartObject();
  for (const auto& [field, id] : c.sources) {
    w.Key(field.c_str());
    w.Int64(id);
  }
  w.EndObject();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

std::string Csv(const std::string& v) {
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char ch : v) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += " | ";
    out += p;
  }
  return out;
}

const char* kCsvHeader =
    "victim_id,state,corroboration,reports,name,names,sex,age,date_of_birth,date_of_death,"
    "place_of_death,governorate_of_origin,cause,perpetrator,roles,died_under_torture";

std::string CsvLine(const Victim& v, const std::vector<Report>& reports) {
  CanonicalVictim c = ComputeCanonical(reports);
  std::vector<std::string> refs, names;
  for (const auto& r : reports) refs.push_back(r.source + ":" + r.source_record_id);
  for (const auto& n : c.names) names.push_back(n.full);
  std::vector<std::string> cols = {std::to_string(v.id),
                                   VictimStateName(v.state),
                                   CorroborationName(v.corroboration),
                                   Join(refs),
                                   c.name,
                                   Join(names),
                                   c.sex == Sex::kUnknown ? "" : SexName(c.sex),
                                   c.age.ToString(),
                                   c.date_of_birth.ToString(),
                                   c.date_of_death.ToString(),
                                   PlaceText(c.place_of_death),
                                   c.governorate_of_origin,
                                   c.cause,
                                   c.perpetrator,
                                   Join(c.roles),
                                   c.died_under_torture ? "true" : "false"};
  std::string line;
  for (size_t i = 0; i < cols.size(); ++i) {
    if (i) line += ',';
    line += Csv(cols[i]);
  }
  return line;
}

}  // namespace

Status ExportVictims(Store& store, std::ostream& out, ExportFormat format) {
  if (format == ExportFormat::kCsv) out << kCsvHeader << '\n';
  Status s = store.ScanVictims([&](const Victim& v, const std::vector<Report>& reports) {
    out << (format == ExportFormat::kCsv ? CsvLine(v, reports) : JsonLine(v, reports)) << '\n';
    return static_cast<bool>(out);
  });
  if (!s.ok()) return s;
  out.flush();
  if (!out) return Error(ErrorCode::kIo, "writing the export failed");
  return Status::Ok();
}

}  // namespace qayd
