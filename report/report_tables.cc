#include "report/report_tables.h"

#include <map>

namespace qayd::report {
namespace {

struct Phrase {
  const char* en;
  const char* ar;
};

const std::map<std::string, Phrase>& Phrases() {
  static const std::map<std::string, Phrase> kPhrases = {
      {"title", {"Civilian death toll", "حصيلة الضحايا المدنيين"}},
      {"period", {"Period", "الفترة"}},
      {"counted_by", {"Counted by date of", "العدّ حسب تاريخ"}},
      {"by_death", {"death", "الوفاة"}},
      {"by_documented", {"documentation", "التوثيق"}},
      {"summary", {"Summary", "ملخص"}},
      {"figure", {"Figure", "الرقم"}},
      {"victims", {"Victims", "الضحايا"}},
      {"children", {"Children", "الأطفال"}},
      {"women", {"Women", "السيدات"}},
      {"share", {"Share", "النسبة"}},
      {"party", {"Party", "الجهة"}},
      {"governorate", {"Governorate", "المحافظة"}},
      {"total", {"Civilians killed", "الضحايا المدنيون"}},
      {"children_long", {"of whom children (under 18)", "منهم أطفال (دون 18)"}},
      {"women_long", {"of whom women (adult females)", "منهم سيدات (إناث بالغات)"}},
      {"provisional", {"awaiting review (counted, flagged)", "بانتظار المراجعة (محسوبون)"}},
      {"unidentified", {"unidentified victims", "ضحايا مجهولو الهوية"}},
      {"torture_long", {"died due to torture", "قضوا بسبب التعذيب"}},
      {"massacres_long", {"massacres (incidents with 5+ civilians)", "مجازر (5 ضحايا مدنيين أو أكثر)"}},
      {"pending_items", {"pending review items touching these figures", "عناصر مراجعة معلقة تمس هذه الأرقام"}},
      {"parties_main", {"Victims by main party", "الضحايا حسب الأطراف الرئيسية"}},
      {"parties_other", {"Victims by other parties", "الضحايا على يد جهات أخرى"}},
      {"main_total", {"Main parties, total", "مجموع الأطراف الرئيسية"}},
      {"other_total", {"Other parties, total", "مجموع الجهات الأخرى"}},
      {"governorates", {"Victims by governorate of death", "الضحايا حسب محافظة الوفاة"}},
      {"origin", {"Victims by governorate of origin", "الضحايا حسب المحافظة الأصلية"}},
      {"torture", {"Deaths due to torture by party", "الوفيات بسبب التعذيب حسب الجهة"}},
      {"workers", {"Medical, media and civil defense workers killed", "الكوادر الطبية والإعلامية والدفاع المدني"}},
      {"role", {"Role", "الصفة"}},
      {"medical", {"Medical workers", "كوادر طبية"}},
      {"media", {"Media workers", "كوادر إعلامية"}},
      {"civil_defense", {"Civil defense workers", "كوادر الدفاع المدني"}},
      {"massacres_by_party", {"Massacres by party", "المجازر حسب الجهة"}},
      {"massacres", {"Massacres", "المجازر"}},
      {"incident", {"Incident", "الحادثة"}},
      {"date", {"Date", "التاريخ"}},
      {"two_dates", {"Died earlier, documented in this period", "قضوا سابقاً ووُثّقوا في هذه الفترة"}},
      {"victim", {"Victim id", "رقم الضحية"}},
      {"date_of_death", {"Date of death", "تاريخ الوفاة"}},
      {"date_documented", {"Date documented", "تاريخ التوثيق"}},
      {"two_dates_counted", {"Counted in this period (counting by date of documentation).", "محسوبون في هذه الفترة (العدّ حسب تاريخ التوثيق)."}},
      {"two_dates_listed", {"Listed only: counted in the month of their death.", "للعلم فقط: محسوبون في شهر وفاتهم."}},
      {"series", {"Victims per month", "الضحايا حسب الشهر"}},
      {"month", {"Month", "الشهر"}},
      {"not_recorded", {"Not recorded", "غير مسجل"}},
      {"pending_banner", {"pending review items could change these figures", "عناصر مراجعة معلقة قد تغيّر هذه الأرقام"}},
      {"figures_depend", {"figures depend on them", "رقماً يعتمد عليها"}},
      {"of", {"of", "من"}},
      {"no_pending", {"No pending review item touches these figures.", "لا توجد عناصر مراجعة معلقة تمس هذه الأرقام."}},
      {"victims_behind", {"Victims behind each figure", "الضحايا وراء كل رقم"}},
      {"charts", {"Charts", "الرسوم البيانية"}},
      {"pending_mark", {"depends on pending review", "يعتمد على مراجعة معلقة"}},
      {"civilians_note", {"Civilians: every counted victim; the register has no combatant flag.", "المدنيون: كل ضحية محسوبة؛ لا يحمل السجل علامة مقاتل."}},
  };
  return kPhrases;
}

Cell Text(std::string text) { return Cell{std::move(text), false, {}}; }
Cell Fig(const Figure& f) { return Cell{std::to_string(f.count()), true, f}; }

}  // namespace

std::string Label(const std::string& key, const std::string& lang) {
  auto it = Phrases().find(key);
  if (it == Phrases().end()) return key;
  return lang == "ar" ? it->second.ar : it->second.en;
}

std::string LabelOf(const Resolved& r, const std::string& lang) {
  if (r.code.empty() && r.label_en.empty()) return Label("not_recorded", lang);
  if (lang == "ar" && !r.label_ar.empty()) return r.label_ar;
  if (!r.label_en.empty()) return r.label_en;
  return r.code;
}

std::string PendingBanner(const DeathReport& r, const std::string& lang) {
  if (r.pending_review_items.empty()) return Label("no_pending", lang);
  return std::to_string(r.pending_review_items.size()) + " " + Label("pending_banner", lang) +
         " (" + std::to_string(r.figures_pending) + " " + Label("of", lang) + " " +
         std::to_string(r.figures) + " " + Label("figures_depend", lang) + ").";
}

std::vector<Table> BuildTables(const DeathReport& r, const std::string& lang) {
  auto L = [&](const char* key) { return Label(key, lang); };
  std::vector<Table> out;

  Table summary{"summary", L("summary"), {L("figure"), L("victims")}, {}, L("civilians_note")};
  Figure massacre_victims;
  for (const Massacre& m : r.massacres) {
    massacre_victims.victim_ids.insert(massacre_victims.victim_ids.end(),
                                       m.victims.victim_ids.begin(), m.victims.victim_ids.end());
    massacre_victims.pending += m.victims.pending;
  }
  summary.rows = {
      {Text(L("total")), Fig(r.total)},
      {Text(L("children_long")), Fig(r.children)},
      {Text(L("women_long")), Fig(r.women)},
      {Text(L("provisional")), Fig(r.provisional)},
      {Text(L("unidentified")), Fig(r.unidentified)},
      {Text(L("torture_long")), Fig(r.torture_total)},
      {Text(L("medical")), Fig(r.medical)},
      {Text(L("media")), Fig(r.media)},
      {Text(L("civil_defense")), Fig(r.civil_defense)},
      {Text(L("massacres_long")), Text(std::to_string(r.massacres.size()))},
      {Text(L("pending_items")), Text(std::to_string(r.pending_review_items.size()))},
  };
  out.push_back(std::move(summary));

  auto party_table = [&](const char* key, const std::vector<PartyRow>& rows,
                         const PartyRow& total, const char* total_key) {
    Table t{key, L(key), {L("party"), L("victims"), L("children"), L("women")}, {}, ""};
    for (const PartyRow& p : rows) {
      t.rows.push_back({Text(LabelOf(p.party, lang)), Fig(p.total), Fig(p.children), Fig(p.women)});
    }
    t.rows.push_back(
        {Text(L(total_key)), Fig(total.total), Fig(total.children), Fig(total.women)});
    out.push_back(std::move(t));
  };
  party_table("parties_main", r.main_parties, r.main_total, "main_total");
  party_table("parties_other", r.other_parties, r.other_total, "other_total");

  for (const char* key : {"governorates", "origin"}) {
    const auto& rows = std::string(key) == "governorates" ? r.by_governorate : r.by_origin;
    Table t{key, L(key), {L("governorate"), L("victims"), L("share")}, {}, ""};
    for (const PlaceRow& p : rows) {
      t.rows.push_back({Text(LabelOf(p.place, lang)), Fig(p.victims),
                        Text(std::to_string(p.share_percent) + "%")});
    }
    out.push_back(std::move(t));
  }

  Table torture{"torture", L("torture"), {L("party"), L("victims")}, {}, ""};
  for (const PartyRow& p : r.torture) torture.rows.push_back({Text(LabelOf(p.party, lang)), Fig(p.total)});
  out.push_back(std::move(torture));

  Table workers{"workers", L("workers"), {L("role"), L("victims")}, {}, ""};
  workers.rows = {{Text(L("medical")), Fig(r.medical)},
                  {Text(L("media")), Fig(r.media)},
                  {Text(L("civil_defense")), Fig(r.civil_defense)}};
  out.push_back(std::move(workers));

  Table mbp{"massacres_by_party", L("massacres_by_party"), {L("party"), L("massacres"), L("victims")}, {}, ""};
  for (const MassacreRow& m : r.massacres_by_party) {
    mbp.rows.push_back({Text(LabelOf(m.party, lang)), Text(std::to_string(m.incident_ids.size())),
                        Fig(m.victims)});
  }
  out.push_back(std::move(mbp));

  Table massacres{"massacres", L("massacres"),
                  {L("incident"), L("date"), L("governorate"), L("party"), L("victims")}, {}, ""};
  for (const Massacre& m : r.massacres) {
    massacres.rows.push_back({Text(m.incident_id), Text(m.date.ToString()),
                              Text(LabelOf(m.governorate, lang)), Text(LabelOf(m.party, lang)),
                              Fig(m.victims)});
  }
  out.push_back(std::move(massacres));

  Table two{"two_dates", L("two_dates"), {L("victim"), L("date_of_death"), L("date_documented")}, {},
            L(r.two_dates_counted ? "two_dates_counted" : "two_dates_listed")};
  for (const TwoDateVictim& t : r.two_dates) {
    two.rows.push_back(
        {Text(std::to_string(t.victim_id)), Text(t.died.ToString()), Text(t.documented.ToString())});
  }
  out.push_back(std::move(two));

  Table series{"series", L("series"), {L("month"), L("victims")}, {}, ""};
  for (const MonthPoint& p : r.series) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d", p.year, p.month);
    series.rows.push_back({Text(buf), Fig(p.victims)});
  }
  out.push_back(std::move(series));
  return out;
}

}  // namespace qayd::report
