#include "model/report_json.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>
#include <set>

#include "base/json_parse.h"
#include "base/utf8.h"

namespace qayd {
namespace {

using rapidjson::Value;

std::string Quote(std::string_view s) {
  std::string out = "\"";
  out.append(s.substr(0, 60));
  if (s.size() > 60) out += "...";
  out += "\"";
  return out;
}

std::string_view Trimmed(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// A member's name, NULs and all.
std::string KeyOf(const Value& name) {
  return std::string(name.GetString(), name.GetStringLength());
}

struct Reader {
  std::vector<FieldError>* errors;

  // Field names and quoted values come from the record: made printable so that
  // an answer or report quoting them stays valid UTF-8 JSON.
  void Fail(const std::string& field, const std::string& problem) {
    errors->push_back({PrintableUtf8(field), PrintableUtf8(problem)});
  }

  // Strings; integers are accepted and rendered for text-ish fields. A NUL
  // would cut the text short further on: it is an error, not truncated.
  bool Str(const Value& v, const std::string& field, std::string* out) {
    if (v.IsNull()) return true;
    if (v.IsString()) {
      const std::string_view text(v.GetString(), v.GetStringLength());
      if (text.find('\0') != std::string_view::npos) {
        Fail(field, "contains a NUL character (\\u0000)");
        return false;
      }
      out->assign(text);
      return true;
    }
    if (v.IsInt64()) {
      *out = std::to_string(v.GetInt64());
      return true;
    }
    if (v.IsUint64()) {
      *out = std::to_string(v.GetUint64());
      return true;
    }
    // JSON allows any integer; RapidJSON keeps those beyond 64 bits as doubles.
    if (v.IsDouble() && std::abs(v.GetDouble()) >= 1.8446744073709552e19 &&
        std::floor(v.GetDouble()) == v.GetDouble()) {
      Fail(field, "integer too large to keep exactly (more than 20 digits): send it as a string");
      return false;
    }
    Fail(field, "must be a string");
    return false;
  }

  void Date(const Value& v, const std::string& field, FuzzyDate* out) {
    std::string text;
    if (!Str(v, field, &text)) return;
    auto d = ParseFuzzyDate(text);
    if (!d) {
      Fail(field, "not a date: " + Quote(text) + " (use YYYY-MM-DD, YYYY-MM or YYYY)");
      return;
    }
    *out = *d;
  }

  void Precision(const Value& v, const std::string& field, FuzzyDate* date) {
    std::string text;
    if (!Str(v, field, &text)) return;
    auto p = ParseDatePrecision(text);
    if (!p) {
      Fail(field, "unknown precision " + Quote(text) + " (exact, month, year, estimate, unknown)");
      return;
    }
    if (date->known()) date->precision = *p;
  }

  void Place(const Value& v, const std::string& field, qayd::Place* out) {
    if (v.IsNull()) return;
    if (v.IsString()) {
      Str(v, field, &out->governorate);
      return;
    }
    if (!v.IsObject()) {
      Fail(field, "must be a string or an object");
      return;
    }
    for (auto& m : v.GetObject()) {
      const std::string key = KeyOf(m.name);
      std::string f = field + "." + key;
      if (key == "governorate")
        Str(m.value, f, &out->governorate);
      else if (key == "district")
        Str(m.value, f, &out->district);
      else if (key == "locality")
        Str(m.value, f, &out->locality);
      else if (key == "precision")
        Str(m.value, f, &out->precision);
      else if (key == "lat" || key == "lon") {
        if (!m.value.IsNumber()) {
          Fail(f, "must be a number");
          continue;
        }
        double d = m.value.GetDouble();
        double lim = key == "lat" ? 90 : 180;
        if (d < -lim || d > lim) {
          Fail(f, "out of range");
          continue;
        }
        (key == "lat" ? out->latitude : out->longitude) = d;
      } else {
        Fail(f, "unknown field");
      }
    }
  }

  void Name(const Value& v, const std::string& field, NameSpelling* n) {
    if (v.IsString()) {
      Str(v, field, &n->full);
      return;
    }
    if (!v.IsObject()) {
      Fail(field, "must be a string or an object");
      return;
    }
    for (auto& m : v.GetObject()) {
      const std::string key = KeyOf(m.name);
      std::string f = field + "." + key;
      if (key == "full")
        Str(m.value, f, &n->full);
      else if (key == "first")
        Str(m.value, f, &n->first);
      else if (key == "father")
        Str(m.value, f, &n->father);
      else if (key == "grandfather")
        Str(m.value, f, &n->grandfather);
      else if (key == "family")
        Str(m.value, f, &n->family);
      else if (key == "kunya")
        Str(m.value, f, &n->kunya);
      else if (key == "nickname")
        Str(m.value, f, &n->nickname);
      else if (key == "script") {
        std::string s;
        if (!Str(m.value, f, &s)) continue;
        auto sc = ParseScript(s);
        if (!sc)
          Fail(f, "unknown script " + Quote(s) + " (arabic, latin, mixed)");
        else
          n->script = *sc;
      } else {
        Fail(f, "unknown field");
      }
    }
    if (n->full.empty()) {
      std::string joined;
      for (const std::string* p : {&n->kunya, &n->first, &n->father, &n->grandfather, &n->family}) {
        if (p->empty()) continue;
        if (!joined.empty()) joined += ' ';
        joined += *p;
      }
      n->full = joined;
    }
  }
};

}  // namespace

bool ReportFromJson(const Value& obj, Report* r, std::vector<FieldError>* errors) {
  const size_t before = errors->size();
  Reader rd{errors};
  if (!obj.IsObject()) {
    rd.Fail("", "a record must be a JSON object");
    return false;
  }
  for (auto& m : obj.GetObject()) {
    const std::string key(m.name.GetString(), m.name.GetStringLength());
    const Value& v = m.value;
    if (key == "source")
      rd.Str(v, key, &r->source);
    else if (key == "source_record_id")
      rd.Str(v, key, &r->source_record_id);
    else if (key == "version") {
      if (v.IsInt() && v.GetInt() >= 1)
        r->version = v.GetInt();
      else
        rd.Fail(key, "must be a positive integer");
    } else if (key == "received_at") {
      if (v.IsInt64())
        r->received_at_ms = v.GetInt64();
      else
        rd.Fail(key, "must be milliseconds since 1970 (integer)");
    } else if (key == "source_type")
      rd.Str(v, key, &r->source_type);
    else if (key == "reliability")
      rd.Str(v, key, &r->reliability);
    else if (key == "name") {
      NameSpelling n;
      rd.Name(v, key, &n);
      if (!n.full.empty()) r->names.insert(r->names.begin(), n);
    } else if (key == "names") {
      if (!v.IsArray()) {
        rd.Fail(key, "must be an array");
        continue;
      }
      for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
        NameSpelling n;
        rd.Name(v[i], key + "[" + std::to_string(i) + "]", &n);
        if (!n.full.empty()) r->names.push_back(n);
      }
    } else if (key == "sex") {
      std::string s;
      if (!rd.Str(v, key, &s)) continue;
      auto sex = ParseSex(s);
      if (!sex)
        rd.Fail(key, "unknown sex " + Quote(s) + " (male, female, unknown)");
      else
        r->sex = *sex;
    } else if (key == "age") {
      std::string s;
      if (!rd.Str(v, key, &s)) continue;
      // -1, the usual "not known" of exports, is an unknown age on every channel.
      if (Trimmed(s) == "-1") continue;
      auto age = ParseAge(s);
      if (!age)
        rd.Fail(key, "not an age: " + Quote(s) + " (years, a range 30-40, child, adult)");
      else
        r->age = *age;
    } else if (key == "date_of_birth")
      rd.Date(v, key, &r->date_of_birth);
    else if (key == "date_of_death")
      rd.Date(v, key, &r->date_of_death);
    else if (key == "date_documented")
      rd.Date(v, key, &r->date_documented);
    else if (key == "national_id")
      rd.Str(v, key, &r->national_id);
    else if (key == "place_of_death")
      rd.Place(v, key, &r->place_of_death);
    else if (key == "governorate_of_origin")
      rd.Str(v, key, &r->governorate_of_origin);
    else if (key == "cause")
      rd.Str(v, key, &r->cause);
    else if (key == "perpetrator")
      rd.Str(v, key, &r->perpetrator);
    else if (key == "roles") {
      if (!v.IsArray()) {
        rd.Fail(key, "must be an array of strings");
        continue;
      }
      for (auto& e : v.GetArray()) {
        std::string role;
        if (!e.IsString())
          rd.Fail(key, "must be an array of strings");
        else if (rd.Str(e, key, &role))
          r->roles.push_back(std::move(role));
      }
    } else if (key == "died_under_torture") {
      if (v.IsBool())
        r->died_under_torture = v.GetBool();
      else
        rd.Fail(key, "must be true or false");
    } else if (key == "detention")
      rd.Str(v, key, &r->detention);
    else if (key == "incident_id")
      rd.Str(v, key, &r->incident_id);
    else if (key == "identification") {
      std::string s;
      if (!rd.Str(v, key, &s)) continue;
      if (s == "identified" || s.empty())
        r->identification = Identification::kIdentified;
      else if (s == "partial")
        r->identification = Identification::kPartial;
      else if (s == "unidentified")
        r->identification = Identification::kUnidentified;
      else
        rd.Fail(key, "unknown value " + Quote(s) + " (identified, partial, unidentified)");
    } else if (key == "notes")
      rd.Str(v, key, &r->notes);
    else if (key == "submitter") {
      if (!v.IsObject()) {
        rd.Fail(key, "must be an object");
        continue;
      }
      for (auto& s : v.GetObject()) {
        const std::string k = KeyOf(s.name);
        if (k == "relation")
          rd.Str(s.value, key + ".relation", &r->submitter_relation);
        else if (k == "contact")
          rd.Str(s.value, key + ".contact", &r->submitter_contact);
        else
          rd.Fail(key + "." + k, "unknown field");
      }
    } else
      rd.Fail(key, "unknown field");
  }
  // Precision keys refine the dates, whatever their order in the object.
  for (auto [pkey, date] : {std::pair{"date_of_birth_precision", &r->date_of_birth},
                            std::pair{"date_of_death_precision", &r->date_of_death},
                            std::pair{"date_documented_precision", &r->date_documented}}) {
    auto it = obj.FindMember(pkey);
    if (it != obj.MemberEnd()) rd.Precision(it->value, pkey, date);
  }
  // The loop above flagged the precision keys as unknown: drop those errors.
  std::erase_if(*errors, [&](const FieldError& e) {
    return e.problem == "unknown field" &&
           (e.field == "date_of_birth_precision" || e.field == "date_of_death_precision" ||
            e.field == "date_documented_precision");
  });
  return errors->size() == before;
}

bool ReportFromJsonText(std::string_view text, Report* out, std::vector<FieldError>* errors) {
  rapidjson::Document doc;
  if (Status parsed = ParseJsonLimited<rapidjson::kParseStopWhenDoneFlag>(text, &doc);
      !parsed.ok()) {
    errors->push_back({"", parsed.message()});
    return false;
  }
  return ReportFromJson(doc, out, errors);
}

namespace {

using W = rapidjson::Writer<rapidjson::StringBuffer>;

void KV(W& w, const char* k, const std::string& v) {
  if (v.empty()) return;
  w.Key(k);
  w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
}

void DateKV(W& w, const char* k, const std::string& pk, const FuzzyDate& d) {
  if (!d.known()) return;
  KV(w, k, d.ToString());
  const bool implied = (d.precision == DatePrecision::kExact && d.day != 0) ||
                       (d.precision == DatePrecision::kMonth && d.day == 0 && d.month != 0) ||
                       (d.precision == DatePrecision::kYear && d.month == 0);
  if (!implied) KV(w, pk.c_str(), DatePrecisionName(d.precision));
}

}  // namespace

std::string ReportToJson(const Report& r, const ReportJsonOptions& opts) {
  // Room for a typical report at once (the buffer grows by half otherwise).
  rapidjson::StringBuffer buf(nullptr, 1024);
  W w(buf);
  w.StartObject();
  if (opts.include_provenance) {
    KV(w, "source", r.source);
    KV(w, "source_record_id", r.source_record_id);
    const int version = opts.version != 0 ? opts.version : r.version;
    const int64_t received_at = opts.received_at_ms != 0 ? opts.received_at_ms : r.received_at_ms;
    if (version != 1) {
      w.Key("version");
      w.Int(version);
    }
    if (received_at != 0) {
      w.Key("received_at");
      w.Int64(received_at);
    }
    KV(w, "source_type", r.source_type);
    KV(w, "reliability", r.reliability);
  }
  if (!r.names.empty()) {
    w.Key("names");
    w.StartArray();
    for (const auto& n : r.names) {
      w.StartObject();
      KV(w, "full", n.full);
      if (n.script != Script::kUnknown) KV(w, "script", ScriptName(n.script));
      KV(w, "first", n.first);
      KV(w, "father", n.father);
      KV(w, "grandfather", n.grandfather);
      KV(w, "family", n.family);
      KV(w, "kunya", n.kunya);
      KV(w, "nickname", n.nickname);
      w.EndObject();
    }
    w.EndArray();
  }
  if (r.sex != Sex::kUnknown) KV(w, "sex", SexName(r.sex));
  KV(w, "age", r.age.ToString());
  DateKV(w, "date_of_birth", "date_of_birth_precision", r.date_of_birth);
  KV(w, "national_id", r.national_id);
  DateKV(w, "date_of_death", "date_of_death_precision", r.date_of_death);
  DateKV(w, "date_documented", "date_documented_precision", r.date_documented);
  if (!r.place_of_death.empty() || r.place_of_death.latitude) {
    w.Key("place_of_death");
    w.StartObject();
    KV(w, "governorate", r.place_of_death.governorate);
    KV(w, "district", r.place_of_death.district);
    KV(w, "locality", r.place_of_death.locality);
    KV(w, "precision", r.place_of_death.precision);
    if (r.place_of_death.latitude) {
      w.Key("lat");
      w.Double(*r.place_of_death.latitude);
    }
    if (r.place_of_death.longitude) {
      w.Key("lon");
      w.Double(*r.place_of_death.longitude);
    }
    w.EndObject();
  }
  KV(w, "governorate_of_origin", r.governorate_of_origin);
  KV(w, "cause", r.cause);
  KV(w, "perpetrator", r.perpetrator);
  if (!r.roles.empty()) {
    w.Key("roles");
    w.StartArray();
    for (const auto& role : r.roles) w.String(role.c_str());
    w.EndArray();
  }
  if (r.died_under_torture) {
    w.Key("died_under_torture");
    w.Bool(true);
  }
  KV(w, "detention", r.detention);
  KV(w, "incident_id", r.incident_id);
  if (r.identification != Identification::kIdentified) {
    KV(w, "identification", IdentificationName(r.identification));
  }
  KV(w, "notes", r.notes);
  if (opts.include_contact && (!r.submitter_relation.empty() || !r.submitter_contact.empty())) {
    w.Key("submitter");
    w.StartObject();
    KV(w, "relation", r.submitter_relation);
    KV(w, "contact", r.submitter_contact);
    w.EndObject();
  }
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

std::string FieldErrorsToJson(const std::vector<FieldError>& errors) {
  rapidjson::StringBuffer buf;
  W w(buf);
  w.StartArray();
  for (const auto& e : errors) {
    w.StartObject();
    w.Key("field");
    w.String(e.field.c_str());
    w.Key("problem");
    w.String(e.problem.c_str());
    w.EndObject();
  }
  w.EndArray();
  return buf.GetString();
}

}  // namespace qayd
