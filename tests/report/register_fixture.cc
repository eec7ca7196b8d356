#include "register_fixture.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <set>

#include "config/config.h"
#include "model/report_json.h"

namespace qayd::report::testing {
namespace {

// One report of one person (the person key ties duplicates together).
struct Entry {
  std::string person, source, name, sex, age, dob, dod, documented, gov, origin, perpetrator;
  std::string cause, incident;
  std::vector<std::string> roles;
  bool torture = false;
  bool unidentified = false;
};

// Report month 2024-03. Sources: "moh" (Arabic list), "ngo" (English list),
// "late" (re-reports and documentation that arrived later).
std::vector<Entry> Entries() {
  std::vector<Entry> e;
  auto add = [&](Entry x) { e.push_back(std::move(x)); };
  // P1, P2: one shelling incident (2 victims: not a massacre), Arabic + English.
  add({"P1", "moh", "محمد أحمد الحسين", "m", "34", "", "2024-03-05", "", "Idlib", "Idlib",
       "Syrian regime forces", "shelling", "inc-saraqib"});
  add({"P1", "ngo", "Mohammad Ahmad al-Hussein", "m", "34", "", "2024-03-05", "", "Idlib", "Idlib",
       "Syrian regime forces", "shelling", "inc-saraqib"});
  add({"P2", "moh", "فاطمة علي الخطيب", "f", "29", "", "2024-03-05", "", "Idlib", "Hama",
       "Russian forces", "air strike", "inc-saraqib"});
  add({"P2", "ngo", "Fatima Ali al-Khatib", "f", "29", "", "2024-03-05", "", "Idlib", "Hama",
       "Russian forces", "air strike", "inc-saraqib"});
  // P3: a child by date of birth; Arabic + English.
  add({"P3", "moh", "عبد الرحمن خالد العمر", "m", "", "2012-06-10", "2024-03-07", "", "Aleppo",
       "Aleppo", "Russian forces", "air strike", ""});
  add({"P3", "ngo", "Abdul Rahman Khaled al-Omar", "m", "", "2012-06-10", "2024-03-07", "",
       "Aleppo", "Aleppo", "Russian forces", "air strike", ""});
  // P4: a girl of 16 (a child, not a woman); re-reported in Arabic with other alef forms.
  add({"P4", "moh", "زينب حسن الأحمد", "f", "16", "", "2024-03-10", "", "Aleppo", "Aleppo", "ISIS",
       "explosion", ""});
  add({"P4", "late", "زينب حسن الاحمد", "f", "16", "", "2024-03-10", "", "Aleppo", "Aleppo", "ISIS",
       "explosion", ""});
  // P5a-e: a massacre (5 civilians) by a regime unit in Idlib; P5a also in English.
  add({"P5a", "moh", "خليل إبراهيم النجار", "m", "40", "", "2024-03-12", "", "Idlib", "Idlib",
       "Syrian regime army", "barrel bomb", "inc-ariha"});
  add({"P5a", "ngo", "Khalil Ibrahim al-Najjar", "m", "40", "", "2024-03-12", "", "Idlib", "Idlib",
       "Syrian regime army", "barrel bomb", "inc-ariha"});
  add({"P5b", "moh", "سعاد عمر الحلبي", "f", "38", "", "2024-03-12", "", "Idlib", "Idlib",
       "Syrian regime army", "barrel bomb", "inc-ariha"});
  add({"P5c", "moh", "ياسين طارق المصري", "m", "8", "", "2024-03-12", "", "Idlib", "Idlib",
       "Syrian regime army", "barrel bomb", "inc-ariha"});
  add({"P5d", "moh", "رنا سمير العلي", "f", "12", "", "2024-03-12", "", "Idlib", "Hama",
       "Syrian regime army", "barrel bomb", "inc-ariha"});
  add({"P5e", "moh", "حسام نادر الشامي", "m", "55", "", "2024-03-12", "", "Idlib", "Rif Dimashq",
       "Syrian regime army", "barrel bomb", "inc-ariha"});
  // P6: died under torture in January, documented in March; Arabic + English.
  {
    Entry a{"P6", "moh", "سامر فواز القاسم", "m", "31", "", "2024-01-15", "2024-03-20", "Damascus",
            "Daraa", "Syrian regime security", "torture in detention", ""};
    a.torture = true;
    add(a);
    a.source = "ngo";
    a.name = "Samer Fawaz al-Qasim";
    add(a);
  }
  // P7: torture in March (by cause), documented in March.
  add({"P7", "moh", "وائل منير الحمصي", "m", "45", "", "2024-03-18", "2024-03-25", "Homs", "Homs",
       "Hay'at Tahrir al-Sham", "torture in detention", ""});
  // P8: a medical worker; Arabic + English (Nour al-Din = Nureddine).
  {
    Entry a{"P8", "moh", "نور الدين صالح الزعبي", "m", "50", "", "2024-03-20", "", "Daraa", "Daraa",
            "unidentified gunfire", "gunfire", ""};
    a.roles = {"medical"};
    add(a);
    a.source = "ngo";
    a.name = "Nureddine Saleh al-Zoubi";
    add(a);
  }
  // P9: a media worker, woman.
  {
    Entry a{"P9", "moh", "ليلى جمال الدباغ", "f", "27", "", "2024-03-21", "", "Aleppo", "Aleppo",
            "SDF", "gunfire", ""};
    a.roles = {"media"};
    add(a);
  }
  // P10: a civil defense worker, died in March, documented in April.
  {
    Entry a{"P10", "moh", "أنس رامي الحموي", "m", "33", "", "2024-03-22", "2024-04-03", "Hama",
            "Hama", "unidentified landmines", "landmine", ""};
    a.roles = {"civil defense"};
    add(a);
  }
  // P11: unidentified, party outside the vocabulary.
  {
    Entry a{"P11", "moh", "مجهول", "m", "adult", "", "2024-03-23", "", "Idlib", "", "unknown",
            "shelling", ""};
    a.unidentified = true;
    add(a);
  }
  // P12: a female of unknown age, nothing recorded about place or party.
  add({"P12", "moh", "هدى كمال الرفاعي", "f", "", "", "2024-03-25", "", "", "", "", "", ""});
  // Other months (the monthly series).
  add({"P13a", "moh", "طارق زياد البيطار", "m", "22", "", "2024-02-10", "", "Idlib", "Idlib",
       "Syrian regime forces", "shelling", ""});
  add({"P13b", "moh", "جميلة فريد الصباغ", "f", "60", "", "2024-02-14", "2024-03-02", "Hama", "Hama",
       "Russian forces", "air strike", ""});
  add({"P13c", "ngo", "Omar Bilal Haddad", "m", "30", "", "2023-12-01", "", "Aleppo", "Aleppo",
       "Syrian regime forces", "shelling", ""});
  add({"P13d", "moh", "مازن عادل الكردي", "m", "41", "", "2024-04-02", "", "Homs", "Homs",
       "Syrian regime forces", "shelling", ""});
  return e;
}

Report ToReport(const Entry& x, int seq) {
  Report r;
  r.source = x.source;
  r.source_record_id = x.source + "-" + std::to_string(seq);
  r.received_at_ms = 1711000000000 + seq * 1000;
  r.source_type = x.source == "moh" ? "official" : "ngo";
  NameSpelling n;
  n.full = x.name;
  n.script = (static_cast<unsigned char>(x.name[0]) >= 0x80) ? Script::kArabic : Script::kLatin;
  r.names.push_back(n);
  r.sex = *ParseSex(x.sex.empty() ? "unknown" : x.sex);
  r.age = *ParseAge(x.age);
  r.date_of_birth = *ParseFuzzyDate(x.dob);
  r.date_of_death = *ParseFuzzyDate(x.dod);
  r.date_documented = *ParseFuzzyDate(x.documented);
  r.place_of_death.governorate = x.gov;
  r.governorate_of_origin = x.origin;
  r.perpetrator = x.perpetrator;
  r.cause = x.cause;
  r.incident_id = x.incident;
  r.roles = x.roles;
  r.died_under_torture = x.torture;
  r.identification = x.unidentified ? Identification::kUnidentified : Identification::kIdentified;
  r.raw_payload = ReportToJson(r);
  return r;
}

}  // namespace

FixtureRegister::~FixtureRegister() {
  pipeline.reset();
  engine.reset();
  store.reset();
  if (!dir.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
}

void BuildFixtureRegister(FixtureRegister* reg) {
  char tmpl[] = "/tmp/qayd-report-test-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  reg->dir = tmpl;
  reg->db = reg->dir + "/register.db";
  auto store = OpenStore(reg->db);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  reg->store = std::move(*store);
  reg->engine = std::make_unique<matching::Engine>(DefaultConfig().matching);
  reg->pipeline = std::make_unique<Pipeline>(reg->store.get(), reg->engine.get());

  // Three batches in arrival order: the Arabic list, the English list, late reports.
  const std::vector<Entry> entries = Entries();
  std::map<std::string, std::vector<int64_t>> reports_of;  // person -> report ids
  std::map<int64_t, std::string> decision_of;              // report id -> pipeline decision
  for (const std::string source : {"moh", "ngo", "late"}) {
    std::vector<IncomingRecord> batch;
    std::vector<std::string> persons;
    for (size_t i = 0; i < entries.size(); ++i) {
      if (entries[i].source != source) continue;
      IncomingRecord rec;
      rec.report = ToReport(entries[i], static_cast<int>(i));
      rec.record_label = "fixture record " + std::to_string(i);
      batch.push_back(std::move(rec));
      persons.push_back(entries[i].person);
    }
    auto out = reg->pipeline->Process(std::move(batch));
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    ASSERT_EQ(out->size(), persons.size());
    for (size_t i = 0; i < persons.size(); ++i) {
      const RecordOutcome& o = (*out)[i];
      ASSERT_NE(o.decision, "rejected") << o.error;
      ASSERT_NE(o.report_id, 0);
      reports_of[persons[i]].push_back(o.report_id);
      decision_of[o.report_id] = o.decision;
    }
  }

  // Decide what the engine left: duplicates of one person become one victim,
  // as a monitor would decide them (review item "same", then the merge).
  auto txn_or = reg->store->Begin();
  ASSERT_TRUE(txn_or.ok());
  Txn& txn = **txn_or;
  ReviewFilter pending;
  pending.limit = 1000;
  auto items = txn.ListReviewItems(pending);
  ASSERT_TRUE(items.ok()) << items.status().ToString();
  std::map<int64_t, int64_t> item_of_report;
  for (const ReviewItem& it : *items) item_of_report[it.report_id] = it.id;
  for (auto& [person, ids] : reports_of) {
    auto first = txn.VictimOfReport(ids.front());
    ASSERT_TRUE(first.ok());
    int64_t survivor = *first;
    for (size_t k = 1; k < ids.size(); ++k) {
      auto v = txn.VictimOfReport(ids[k]);
      ASSERT_TRUE(v.ok());
      if (*v == survivor) {
        ++reg->auto_merged;
        continue;
      }
      if (auto it = item_of_report.find(ids[k]); it != item_of_report.end()) {
        Status d = txn.DecideReviewItem(it->second, "monitor1", "same",
                                        "{\"reason\":\"report fixture: same person\"}", 1);
        ASSERT_TRUE(d.ok()) << d.ToString();
      }
      auto merged = txn.MergeVictims(survivor, *v, "monitor1", "{\"reason\":\"same person\"}");
      ASSERT_TRUE(merged.ok()) << person << ": " << merged.status().ToString();
      ++reg->monitor_merged;
    }
    auto victim = txn.GetVictim(survivor);
    ASSERT_TRUE(victim.ok());
    if (victim->state == VictimState::kProvisional) {
      ASSERT_TRUE(txn.SetVictimState(survivor, VictimState::kActive, "monitor1").ok());
    }
    reg->victim_of[person] = survivor;
  }
  // Any other open item (the engine asking about two different people) is
  // decided "different" so the fixture's only open item is the one below.
  for (const ReviewItem& it : *items) {
    auto again = txn.GetReviewItem(it.id);
    ASSERT_TRUE(again.ok());
    if (again->state == ReviewState::kDecided) continue;
    ASSERT_TRUE(txn.DecideReviewItem(it.id, "monitor1", "different", "{}", 1).ok());
    auto v = txn.GetVictim(it.provisional_victim_id);
    ASSERT_TRUE(v.ok());
    if (v->state == VictimState::kProvisional) {
      ASSERT_TRUE(txn.SetVictimState(v->id, VictimState::kActive, "monitor1").ok());
    }
  }
  // Every person is a different victim: the engine merged no two people.
  std::set<int64_t> distinct;
  for (auto& [person, id] : reg->victim_of) distinct.insert(id);
  ASSERT_EQ(distinct.size(), reg->victim_of.size());

  // One open question for the monitors: is P9 the same as P4? P9 is
  // provisional meanwhile (counted, flagged).
  ReviewItem open;
  open.report_id = reports_of["P9"].front();
  open.provisional_victim_id = reg->victim_of["P9"];
  open.candidates = {{reg->victim_of["P4"], 3.5}};
  open.top_score = 3.5;
  open.created_at_ms = 1;
  open.explanation = "{}";
  auto open_id = txn.CreateReviewItem(open);
  ASSERT_TRUE(open_id.ok()) << open_id.status().ToString();
  reg->open_review_item = *open_id;
  ASSERT_TRUE(txn.SetVictimState(reg->victim_of["P9"], VictimState::kProvisional, "engine").ok());
  ASSERT_TRUE(txn.Commit().ok());
}

}  // namespace qayd::report::testing
