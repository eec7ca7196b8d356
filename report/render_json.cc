// The JSON form of the report: every figure with the victim ids behind it.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "report/render.h"
#include "report/report_tables.h"

namespace qayd::report {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Str(Writer& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}

void Fig(Writer& w, const char* key, const Figure& f) {
  w.Key(key);
  w.StartObject();
  w.Key("count");
  w.Int64(f.count());
  w.Key("pending");
  w.Int64(f.pending);
  w.Key("victim_ids");
  w.StartArray();
  for (int64_t id : f.victim_ids) w.Int64(id);
  w.EndArray();
  w.EndObject();
}

void Label(Writer& w, const Resolved& r) {
  Str(w, "code", r.code);
  Str(w, "label_en", LabelOf(r, "en"));
  Str(w, "label_ar", LabelOf(r, "ar"));
  w.Key("in_vocabulary");
  w.Bool(r.in_vocabulary);
}

void Parties(Writer& w, const char* key, const std::vector<PartyRow>& rows, const PartyRow& total) {
  w.Key(key);
  w.StartObject();
  w.Key("rows");
  w.StartArray();
  for (const PartyRow& p : rows) {
    w.StartObject();
    Label(w, p.party);
    Fig(w, "victims", p.total);
    Fig(w, "children", p.children);
    Fig(w, "women", p.women);
    w.EndObject();
  }
  w.EndArray();
  Fig(w, "victims", total.total);
  Fig(w, "children", total.children);
  Fig(w, "women", total.women);
  w.EndObject();
}

void Places(Writer& w, const char* key, const std::vector<PlaceRow>& rows) {
  w.Key(key);
  w.StartArray();
  for (const PlaceRow& p : rows) {
    w.StartObject();
    Label(w, p.place);
    Fig(w, "victims", p.victims);
    w.Key("share_percent");
    w.Int(p.share_percent);
    w.EndObject();
  }
  w.EndArray();
}

void Ids(Writer& w, const char* key, const std::vector<int64_t>& ids) {
  w.Key(key);
  w.StartArray();
  for (int64_t id : ids) w.Int64(id);
  w.EndArray();
}

}  // namespace

std::string RenderJson(const DeathReport& r, const RenderOptions& opts) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  Str(w, "period", r.period_label);
  w.Key("year");
  w.Int(r.request.year);
  if (r.request.month) {
    w.Key("month");
    w.Int(r.request.month);
  } else {
    w.Key("through_month");
    w.Int(r.request.last_month);
  }
  Str(w, "counted_by", CountByName(r.request.by));
  if (!opts.generated_at.empty()) Str(w, "generated_at", opts.generated_at);
  Fig(w, "total", r.total);
  Fig(w, "children", r.children);
  Fig(w, "women", r.women);
  Fig(w, "provisional", r.provisional);
  Fig(w, "unidentified", r.unidentified);
  Parties(w, "main_parties", r.main_parties, r.main_total);
  Parties(w, "other_parties", r.other_parties, r.other_total);
  Places(w, "governorates", r.by_governorate);
  Places(w, "origin", r.by_origin);
  w.Key("torture");
  w.StartObject();
  Fig(w, "victims", r.torture_total);
  w.Key("by_party");
  w.StartArray();
  for (const PartyRow& p : r.torture) {
    w.StartObject();
    Label(w, p.party);
    Fig(w, "victims", p.total);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  Fig(w, "medical", r.medical);
  Fig(w, "media", r.media);
  Fig(w, "civil_defense", r.civil_defense);
  w.Key("massacres");
  w.StartArray();
  for (const Massacre& m : r.massacres) {
    w.StartObject();
    Str(w, "incident_id", m.incident_id);
    Str(w, "date", m.date.ToString());
    w.Key("party");
    w.StartObject();
    Label(w, m.party);
    w.EndObject();
    w.Key("governorate");
    w.StartObject();
    Label(w, m.governorate);
    w.EndObject();
    Fig(w, "victims", m.victims);
    w.EndObject();
  }
  w.EndArray();
  w.Key("massacres_by_party");
  w.StartArray();
  for (const MassacreRow& m : r.massacres_by_party) {
    w.StartObject();
    Label(w, m.party);
    w.Key("massacres");
    w.Int64(static_cast<int64_t>(m.incident_ids.size()));
    w.Key("incident_ids");
    w.StartArray();
    for (const std::string& id : m.incident_ids) {
      w.String(id.c_str(), static_cast<rapidjson::SizeType>(id.size()));
    }
    w.EndArray();
    Fig(w, "victims", m.victims);
    w.EndObject();
  }
  w.EndArray();
  w.Key("two_dates");
  w.StartObject();
  w.Key("counted");
  w.Bool(r.two_dates_counted);
  Fig(w, "victims", r.two_dates_figure);
  w.Key("list");
  w.StartArray();
  for (const TwoDateVictim& t : r.two_dates) {
    w.StartObject();
    w.Key("victim_id");
    w.Int64(t.victim_id);
    Str(w, "date_of_death", t.died.ToString());
    Str(w, "date_documented", t.documented.ToString());
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  w.Key("series");
  w.StartArray();
  for (const MonthPoint& p : r.series) {
    char ym[16];
    std::snprintf(ym, sizeof ym, "%04d-%02d", p.year, p.month);
    w.StartObject();
    Str(w, "month", ym);
    Fig(w, "victims", p.victims);
    w.EndObject();
  }
  w.EndArray();
  w.Key("pending_review");
  w.StartObject();
  Ids(w, "item_ids", r.pending_review_items);
  w.Key("figures");
  w.Int64(r.figures);
  w.Key("figures_depending");
  w.Int64(r.figures_pending);
  w.EndObject();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace qayd::report
