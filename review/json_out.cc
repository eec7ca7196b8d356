#include "review/json_out.h"

#include <cmath>
#include <cstdlib>

#include "model/report_json.h"
#include "review/event_at.h"
#include "review/name_parts.h"
#include "review/transliterate.h"

namespace qayd::review {

void Str(JsonWriter& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

void Raw(JsonWriter& w, const char* key, const std::string& json) {
  w.Key(key);
  w.RawValue(json.data(), json.size(), rapidjson::kObjectType);
}

Result<HistoryEvent> EventAt(Txn& txn, int64_t seq, EventType type, const std::string& code,
                             const std::string& what) {
  auto events = txn.EventsSince(seq - 1, 1);
  if (!events.ok()) return events.status();
  if (events->empty() || events->front().seq != seq || events->front().type != type) {
    return Error(ErrorCode::kNotFound, code + ": no " + what + " event with that number");
  }
  return events->front();
}

void WriteReport(JsonWriter& w, const Report& r, bool admin) {
  w.StartObject();
  w.Key("id");
  w.Int64(r.id);
  ReportJsonOptions opts;
  opts.include_contact = admin;
  Raw(w, "record", ReportToJson(r, opts));
  w.Key("translit");
  w.StartArray();
  for (const auto& n : r.names) {
    std::string t = TransliterateName(n.full);
    w.String(t.data(), static_cast<rapidjson::SizeType>(t.size()));
  }
  w.EndArray();
  if (admin) Str(w, "raw_payload", r.raw_payload);
  w.EndObject();
}

void WriteEvent(JsonWriter& w, const HistoryEvent& e) {
  w.StartObject();
  w.Key("seq");
  w.Int64(e.seq);
  w.Key("at_ms");
  w.Int64(e.at_ms);
  Str(w, "type", EventTypeName(e.type));
  w.Key("victim_id");
  w.Int64(e.victim_id);
  w.Key("other_victim_id");
  w.Int64(e.other_victim_id);
  w.Key("report_id");
  w.Int64(e.report_id);
  Str(w, "actor", e.actor);
  rapidjson::Document d;
  if (!e.details.empty() && !d.Parse(e.details.c_str()).HasParseError() && d.IsObject()) {
    Raw(w, "details", e.details);
  } else {
    Str(w, "details_text", e.details);
  }
  w.EndObject();
}

void WriteReviewItemSummary(JsonWriter& w, const ReviewItem& item, int64_t now_ms) {
  w.Key("id");
  w.Int64(item.id);
  w.Key("report_id");
  w.Int64(item.report_id);
  w.Key("provisional_victim_id");
  w.Int64(item.provisional_victim_id);
  w.Key("top_score");
  w.Double(item.top_score);
  Str(w, "state", ReviewStateName(item.state));
  bool leased = !item.claimed_by.empty() && item.lease_expires_ms > now_ms;
  Str(w, "claimed_by", leased ? item.claimed_by : "");
  w.Key("lease_expires_ms");
  w.Int64(leased ? item.lease_expires_ms : 0);
  w.Key("created_at_ms");
  w.Int64(item.created_at_ms);
  w.Key("age_s");
  w.Int64(item.created_at_ms > 0 ? (now_ms - item.created_at_ms) / 1000 : 0);
  Str(w, "decision", item.decision);
  Str(w, "decided_by", item.decided_by);
  w.Key("decided_at_ms");
  w.Int64(item.decided_at_ms);
  w.Key("candidates");
  w.StartArray();
  for (const auto& c : item.candidates) {
    w.StartObject();
    w.Key("victim_id");
    w.Int64(c.victim_id);
    w.Key("score");
    w.Double(c.score);
    w.EndObject();
  }
  w.EndArray();
}

namespace {

void WriteDate(JsonWriter& w, const char* key, const FuzzyDate& a, const FuzzyDate& b) {
  w.Key(key);
  w.StartObject();
  Str(w, "a", a.ToString());
  Str(w, "b", b.ToString());
  Str(w, "precision_a", DatePrecisionName(a.precision));
  Str(w, "precision_b", DatePrecisionName(b.precision));
  w.Key("gap_days");
  if (a.known() && b.known()) {
    w.Int(std::abs(a.DaysSinceEpoch() - b.DaysSinceEpoch()));
  } else {
    w.Null();
  }
  w.EndObject();
}

bool AgesConflict(const Age& a, const Age& b) {
  if (!a.known() || !b.known()) return false;
  auto range = [](const Age& x, int* lo, int* hi) {
    switch (x.kind) {
      case Age::Kind::kChild:
        *lo = 0;
        *hi = 17;
        break;
      case Age::Kind::kAdult:
        *lo = 18;
        *hi = 150;
        break;
      default:
        *lo = x.min;
        *hi = x.max;
        break;
    }
  };
  int alo, ahi, blo, bhi;
  range(a, &alo, &ahi);
  range(b, &blo, &bhi);
  return ahi + 1 < blo || bhi + 1 < alo;  // one year of slack for birthdays
}

}  // namespace

void WriteComparison(JsonWriter& w, const Report& a, const Report& b,
                     const matching::Explanation& why,
                     const std::function<int64_t(const std::string&)>& commonness) {
  w.StartObject();
  w.Key("report_a");
  w.Int64(a.id);
  w.Key("report_b");
  w.Int64(b.id);
  w.Key("score");
  w.Double(why.total);
  Raw(w, "explanation", why.ToJson());

  NameSpelling empty;
  NameParts pa = SplitName(a.primary_name() ? *a.primary_name() : empty);
  NameParts pb = SplitName(b.primary_name() ? *b.primary_name() : empty);
  w.Key("alignment");
  w.StartArray();
  for (size_t i = 0; i < kPartNames.size(); ++i) {
    const std::string& x = pa.parts[i];
    const std::string& y = pb.parts[i];
    double sim = 0;
    const char* mark = PartMark(x, y, &sim);
    w.StartObject();
    Str(w, "part", kPartNames[i]);
    Str(w, "a", x);
    Str(w, "b", y);
    Str(w, "a_translit", TransliterateName(x));
    Str(w, "b_translit", TransliterateName(y));
    Str(w, "mark", mark);
    w.Key("similarity");
    w.Double(std::round(sim * 1000) / 1000);
    w.Key("commonness_a");
    w.Int64(x.empty() ? 0 : commonness(x));
    w.Key("commonness_b");
    w.Int64(y.empty() ? 0 : commonness(y));
    w.EndObject();
  }
  w.EndArray();

  WriteDate(w, "date_of_death", a.date_of_death, b.date_of_death);
  WriteDate(w, "date_of_birth", a.date_of_birth, b.date_of_birth);
  w.Key("conflicts");
  w.StartObject();
  w.Key("sex");
  w.Bool(a.sex != Sex::kUnknown && b.sex != Sex::kUnknown && a.sex != b.sex);
  w.Key("age");
  w.Bool(AgesConflict(a.age, b.age));
  w.Key("place_of_death");
  w.Bool(!a.place_of_death.governorate.empty() && !b.place_of_death.governorate.empty() &&
         a.place_of_death.governorate != b.place_of_death.governorate);
  w.EndObject();
  w.EndObject();
}

}  // namespace qayd::review
