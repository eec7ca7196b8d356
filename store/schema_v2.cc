// Migration 2: controlled vocabularies (seeded from docs/DOMAIN.md) and
// the secondary indexes the queue, the inbox and the constraint checks use.
#include <string>

#include "store/schema.h"

namespace qayd::store {
namespace {

struct Entry {
  const char* kind;
  const char* code;
  const char* label_en;
  const char* label_ar;
  const char* parent;
};

// Perpetrator parties: top-level parties have parent "main" or "other" (the
// grouping of the monthly report); units of a party name the party.
constexpr Entry kVocabulary[] = {
    {"perpetrator", "syrian_regime", "Syrian regime forces", "قوات النظام السوري", "main"},
    {"perpetrator", "regime_army", "Syrian regime army", "جيش النظام السوري", "syrian_regime"},
    {"perpetrator", "regime_security", "Syrian regime security services", "الأجهزة الأمنية للنظام السوري", "syrian_regime"},
    {"perpetrator", "regime_local_militias", "Regime local militias", "الميليشيات المحلية التابعة للنظام", "syrian_regime"},
    {"perpetrator", "regime_foreign_militias", "Regime foreign militias", "الميليشيات الأجنبية التابعة للنظام", "syrian_regime"},
    {"perpetrator", "russian_forces", "Russian forces", "القوات الروسية", "main"},
    {"perpetrator", "isis", "ISIS", "تنظيم داعش", "main"},
    {"perpetrator", "hts", "Hay'at Tahrir al-Sham", "هيئة تحرير الشام", "main"},
    {"perpetrator", "armed_opposition", "Armed opposition / Syrian National Army", "المعارضة المسلحة / الجيش الوطني السوري", "main"},
    {"perpetrator", "sdf", "Syrian Democratic Forces", "قوات سوريا الديمقراطية", "main"},
    {"perpetrator", "international_coalition", "International coalition forces", "قوات التحالف الدولي", "main"},
    {"perpetrator", "other_parties", "Other parties", "جهات أخرى", "other"},
    {"perpetrator", "unidentified_landmines", "Landmines of unidentified origin", "ألغام مجهولة المصدر", "other_parties"},
    {"perpetrator", "unidentified_gunfire", "Gunfire of unidentified source", "رصاص مجهول المصدر", "other_parties"},
    {"perpetrator", "unidentified_bombings", "Bombings of unidentified source", "تفجيرات مجهولة المصدر", "other_parties"},
    {"perpetrator", "unidentified_parties", "Unidentified parties", "جهات مجهولة", "other_parties"},
    {"perpetrator", "weapon_tampering", "Weapon tampering", "العبث بالسلاح", "other_parties"},
    {"perpetrator", "border_guards", "Border guards of a neighbouring state", "قوات حرس الحدود لدولة مجاورة", "other_parties"},
    {"cause", "gunfire", "Gunfire", "إطلاق نار", ""},
    {"cause", "shelling", "Shelling", "قصف مدفعي", ""},
    {"cause", "air_strike", "Air strike", "غارة جوية", ""},
    {"cause", "barrel_bomb", "Barrel bomb", "برميل متفجر", ""},
    {"cause", "explosion", "Explosion", "انفجار", ""},
    {"cause", "landmine", "Landmine", "لغم أرضي", ""},
    {"cause", "field_execution", "Field execution", "إعدام ميداني", ""},
    {"cause", "torture_in_detention", "Torture in detention", "التعذيب في الاحتجاز", ""},
    {"cause", "chemical_weapon", "Chemical weapon", "سلاح كيميائي", ""},
    {"cause", "siege_starvation", "Siege / starvation", "الحصار والتجويع", ""},
    {"cause", "denied_medical_care", "Denied medical care", "الحرمان من الرعاية الطبية", ""},
    {"cause", "unknown", "Unknown", "غير معروف", ""},
    {"governorate", "damascus", "Damascus", "دمشق", "syria"},
    {"governorate", "rif_dimashq", "Rif Dimashq", "ريف دمشق", "syria"},
    {"governorate", "aleppo", "Aleppo", "حلب", "syria"},
    {"governorate", "idlib", "Idlib", "إدلب", "syria"},
    {"governorate", "hama", "Hama", "حماة", "syria"},
    {"governorate", "homs", "Homs", "حمص", "syria"},
    {"governorate", "latakia", "Latakia", "اللاذقية", "syria"},
    {"governorate", "tartus", "Tartus", "طرطوس", "syria"},
    {"governorate", "daraa", "Daraa", "درعا", "syria"},
    {"governorate", "suwayda", "Suwayda", "السويداء", "syria"},
    {"governorate", "quneitra", "Quneitra", "القنيطرة", "syria"},
    {"governorate", "deir_ez_zor", "Deir ez-Zor", "دير الزور", "syria"},
    {"governorate", "raqqa", "Raqqa", "الرقة", "syria"},
    {"governorate", "hasakah", "Hasakah", "الحسكة", "syria"},
    {"governorate", "north_gaza", "North Gaza", "شمال غزة", "gaza_strip"},
    {"governorate", "gaza", "Gaza", "غزة", "gaza_strip"},
    {"governorate", "deir_al_balah", "Deir al-Balah", "دير البلح", "gaza_strip"},
    {"governorate", "khan_younis", "Khan Younis", "خان يونس", "gaza_strip"},
    {"governorate", "rafah", "Rafah", "رفح", "gaza_strip"},
};

std::string Quote(const char* s) {
  std::string out = "'";
  for (const char* p = s; *p; ++p) {
    if (*p == '\'') out += '\'';
    out += *p;
  }
  return out + "'";
}

}  // namespace

std::string SchemaV2() {
  std::string sql = R"SQL(
CREATE TABLE vocabulary (
  kind TEXT NOT NULL,
  code TEXT NOT NULL,
  label_en TEXT NOT NULL,
  label_ar TEXT NOT NULL,
  parent TEXT NOT NULL DEFAULT '',
  ord {BIG} NOT NULL,
  PRIMARY KEY (kind, code)
);
CREATE INDEX reports_pending ON reports(resolution, id);
CREATE INDEX victims_by_merged_into ON victims(merged_into);
CREATE INDEX review_items_by_state ON review_items(state, id);
)SQL";
  int ord = 0;
  for (const Entry& e : kVocabulary) {
    sql += "INSERT INTO vocabulary(kind, code, label_en, label_ar, parent, ord) VALUES (" +
           Quote(e.kind) + ", " + Quote(e.code) + ", " + Quote(e.label_en) + ", " +
           Quote(e.label_ar) + ", " + Quote(e.parent) + ", " + std::to_string(++ord) + ");\n";
  }
  return sql;
}

std::string ForDialect(std::string sql, const std::string& dialect) {
  bool pg = dialect == "postgres";
  auto replace = [&sql](const std::string& from, const std::string& to) {
    for (size_t pos = sql.find(from); pos != std::string::npos; pos = sql.find(from, pos)) {
      sql.replace(pos, from.size(), to);
      pos += to.size();
    }
  };
  replace("{ID}", pg ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY");
  replace("{BIG}", pg ? "BIGINT" : "INTEGER");
  replace("{REAL}", pg ? "DOUBLE PRECISION" : "REAL");
  return sql;
}

}  // namespace qayd::store
