// qayd_web_test_server: a real web server over a seeded temporary register,
// for the browser tests. Creates users monitor1/admin1 (passwords given by
// --password, default "browser-test-pass"), prints "PORT <n>" and "VICTIM <id>"
// and serves until stdin closes or SIGTERM arrives.
//
// Default seeding: one review item (an Arabic name reported twice).
// --hostile (tests/browser/hostile.test.js): one review item whose incoming AND
// candidate reports carry script and markup in every text field of the record
// format, three hostile quarantined records and a feed with a hostile id and last
// error; also prints "ITEM <review item id>" and "INCOMING <victim id>" (the
// incoming report's provisional victim). --screen: a small family register
// with items ITEM and SHORT (see SeedScreen). --quarantine adds quarantined
// records (SeedQuarantine) to either. The payloads are stored as given: the
// test server skips ingest's vocabulary checks, so the UI's escaping is tested
// even on fields validation would normally reject.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "tests/web/test_register.h"

namespace {

bool SeedDefault(qayd::testing::TestRegister& reg) {
  const std::string extra =
      "\"sex\":\"male\",\"age\":\"34\",\"date_of_death\":\"2024-01-03\","
      "\"place_of_death\":{\"governorate\":\"Gaza\",\"locality\":\"Jabalia\"}";
  auto a = reg.Ingest({qayd::testing::Record("moh", "1", "محمد أحمد حسن الخطيب", extra)});
  auto b = reg.Ingest(
      {qayd::testing::Record("ngo-list", "x7", "محمد احمد حسن الخطيب",
                             "\"sex\":\"male\",\"age\":\"35\",\"date_of_death\":\"2024-01-04\","
                             "\"place_of_death\":{\"governorate\":\"Gaza\"}")});
  if (!a.ok() || !b.ok() || (*b)[0].decision != "review") return false;
  std::cout << "PORT " << reg.port() << "\nVICTIM " << (*a)[0].victim_id << std::endl;
  return true;
}

// ---- --screen (tests/browser/screen.test.js) --------------------------------------
// A register like a real one for the review screen: a family (same father and
// family name), a report in both scripts with dates, places, cause and
// incident, an incoming report of the same person (item ITEM) and a two-part
// name ("جمال النجار", item SHORT) whose candidate has four parts.
bool SeedScreen(qayd::testing::TestRegister& reg) {
  using qayd::testing::Record;
  const std::string place =
      "\"place_of_death\":{\"governorate\":\"Gaza\",\"district\":\"North Gaza\","
      "\"locality\":\"Jabalia\"},\"cause\":\"Air strike\",\"incident_id\":\"jabalia-2024-01-03\"";
  auto family = reg.Ingest(
      {"{\"source\":\"moh\",\"source_record_id\":\"44062001\",\"source_type\":\"official\","
       "\"reliability\":\"high\",\"names\":[{\"full\":\"محمد أحمد حسن "
       "الخطيب\",\"script\":\"arabic\"},"
       "{\"full\":\"Mohammed Ahmad Hassan al-Khatib\",\"script\":\"latin\"}],\"sex\":\"male\","
       "\"age\":\"34\",\"date_of_birth\":\"1989-05-04\",\"date_of_death\":\"2024-01-03\"," +
           place + "}",
       Record("moh", "44062002", "جمال أحمد حسن النجار",
              "\"sex\":\"male\",\"age\":\"41\",\"date_of_death\":\"2023-11-02\","
              "\"place_of_death\":{\"governorate\":\"Khan Younis\"}")});
  if (!family.ok()) return false;
  auto incoming =
      reg.Ingest({"{\"source\":\"ngo-list\",\"source_record_id\":\"x7\","
                  "\"source_type\":\"ngo\",\"reliability\":\"medium\",\"names\":[{"
                  "\"full\":\"محمد احمد حسن الخطيب\",\"script\":\"arabic\"}],"
                  "\"sex\":\"male\",\"age\":\"35\",\"date_of_death\":\"2024-01-04\"," +
                  place + "}"});
  auto short_name =
      reg.Ingest({Record("relatives", "r12", "جمال النجار",
                         "\"sex\":\"male\",\"date_of_death\":\"2023-11-02\",\"place_of_death\":{"
                         "\"governorate\":\"Khan Younis\"}")});
  if (!incoming.ok() || !short_name.ok()) return false;
  auto txn = reg.store()->Begin(qayd::Store::Mode::kRead);
  if (!txn.ok()) return false;
  auto items = (*txn)->ListReviewItems(qayd::ReviewFilter{});
  if (!items.ok()) return false;
  int64_t item = 0, short_item = 0;
  for (const auto& it : *items) {
    if (it.report_id == (*incoming)[0].report_id) item = it.id;
    if (it.report_id == (*short_name)[0].report_id) short_item = it.id;
  }
  if (item == 0 || short_item == 0) return false;
  std::cout << "PORT " << reg.port() << "\nVICTIM " << (*family)[0].victim_id << "\nITEM " << item
            << "\nSHORT " << short_item << std::endl;
  return true;
}

// ---- --quarantine (tests/browser/admin.test.js) ----------------------------------
// On top of the other seeding: quarantined records as ingest's checks leave them
// (vocabularies loaded): QUARANTINE_EN and QUARANTINE_AR name a governorate with a
// suggestion ("Khan Yunis": did you mean 'Khan Younis'?), QUARANTINE_BAD a date of
// death that is not a date.
bool SeedQuarantine(qayd::testing::TestRegister& reg) {
  using qayd::testing::Record;
  const std::string place =
      "\"sex\":\"male\",\"date_of_death\":\"2023-11-02\",\"place_of_death\":{"
      "\"governorate\":\"Khan Yunis\",\"locality\":\"Bani Suhaila\"}";
  auto bad = reg.IngestValidated({Record("relatives", "q-en", "سامي خليل النجار", place),
                                  Record("relatives", "q-ar", "Rami Khalil al-Najjar", place),
                                  Record("moh", "q-date", "هالة يوسف عودة",
                                         "\"sex\":\"female\",\"date_of_death\":\"2024-13-45\"")});
  if (!bad.ok()) return false;
  for (const auto& o : *bad) {
    if (o.decision != "rejected") return false;
  }
  auto txn = reg.store()->Begin(qayd::Store::Mode::kRead);
  if (!txn.ok()) return false;
  auto list = (*txn)->ListQuarantine(0, 10);
  if (!list.ok() || list->size() != 3) return false;
  for (const auto& q : *list) {
    const char* tag = q.source_record_id == "q-en"   ? "QUARANTINE_EN"
                      : q.source_record_id == "q-ar" ? "QUARANTINE_AR"
                                                     : "QUARANTINE_BAD";
    std::cout << tag << " " << q.id << "\n";
  }
  return true;
}

// ---- --hostile ------------------------------------------------------------------
// Payloads: each would set window.__xss (or open a dialog) if it reached the page
// as markup; U+202E (right-to-left override) tests that names are bidi-isolated.
const std::string kScript = "<script>window.__xss=1</script>";
const std::string kImg = "\"><img src=x onerror=\"window.__xss=2\">";
const std::string kSvg = "<svg onload=window.__xss=3>";
const std::string kJs = "javascript:window.__xss=4";
const std::string kTemplate = "{{7*7}}";
const std::string kRlo = "\u202E";
const std::string kClose =
    "</pre></bdi></td></tr></table><a href=\"javascript:window.__xss=5\">x</a>"
    "<iframe srcdoc=\"<script>parent.__xss=6</script>\"></iframe>";

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;
void Str(JsonWriter& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}

// One report with a payload in every text field; `side` ("A" candidate, "B"
// incoming) makes the values of the two reports distinct. The Arabic name parts
// stay those of one person so that the two reports are candidates of each other.
std::string HostileRecord(const std::string& side, const std::string& ahmad) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  Str(w, "source", "src-" + side + kImg);
  Str(w, "source_record_id", "rid-" + side + kScript);
  Str(w, "source_type", "type-" + side + kSvg);
  Str(w, "reliability", "rel-" + side + kJs);
  w.Key("names");
  w.StartArray();
  w.StartObject();
  Str(w, "full", "محمد " + ahmad + " حسن الخطيب " + kRlo + side + kScript);
  Str(w, "script", "arabic");
  Str(w, "first", "محمد" + kTemplate);
  Str(w, "father", ahmad + kImg);
  Str(w, "grandfather", "حسن" + kSvg);
  Str(w, "family", "الخطيب" + kJs);
  Str(w, "kunya", "أبو علي" + kScript);
  Str(w, "nickname", "الأسمر" + kClose);
  w.EndObject();
  w.StartObject();
  Str(w, "full", "Mohammed Ahmad " + kRlo + "Hassan al-Khatib " + side + kImg);
  Str(w, "script", "latin");
  Str(w, "first", "Mohammed" + kSvg);
  Str(w, "family", "al-Khatib" + kTemplate);
  Str(w, "nickname", "Abu <b>Ali</b>" + side);
  w.EndObject();
  w.EndArray();
  Str(w, "sex", "male");
  Str(w, "age", side == "A" ? "34" : "35");
  Str(w, "date_of_death", side == "A" ? "2024-01-03" : "2024-01-04");
  Str(w, "national_id", "nid-" + side + kSvg);
  w.Key("place_of_death");
  w.StartObject();
  Str(w, "governorate", "gov-" + side + kImg);
  Str(w, "district", "dist-" + side + kScript);
  Str(w, "locality", "Jabalia-" + side + kSvg + kRlo + "loc");
  Str(w, "precision", "prec-" + side + kTemplate);
  w.EndObject();
  Str(w, "governorate_of_origin", "origin-" + side + kJs);
  Str(w, "cause", "cause-" + side + kImg);
  Str(w, "perpetrator", "perp-" + side + kSvg);
  w.Key("roles");
  w.StartArray();
  w.String(("role-" + side + kScript).c_str());
  w.EndArray();
  Str(w, "detention", "det-" + side + kClose);
  Str(w, "incident_id", "inc-" + side + kJs);
  Str(w, "notes", "notes-" + side + kScript + kSvg + kTemplate);
  w.Key("submitter");
  w.StartObject();
  Str(w, "relation", "relation-" + side + kImg);
  Str(w, "contact", kJs + "//contact-" + side);
  w.EndObject();
  w.EndObject();
  return buf.GetString();
}

// Quarantined records: a bad sex (the problem text repeats the payload), an
// unknown key that is markup (the reason's field is the payload), and a line
// that is not JSON at all (raw payload only).
std::vector<std::string> HostileBadRecords() {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  Str(w, "source", "qsrc" + kImg);
  Str(w, "source_record_id", "qrid" + kSvg);
  Str(w, "name", "qname" + kScript);
  Str(w, "sex", "qsex" + kImg);
  w.EndObject();
  rapidjson::StringBuffer buf2;
  JsonWriter w2(buf2);
  w2.StartObject();
  Str(w2, "source", "qsrc2");
  Str(w2, "source_record_id", "qrid2");
  Str(w2, "name", "qname2");
  Str(w2, ("qkey" + kSvg).c_str(), "1");
  w2.EndObject();
  return {buf.GetString(), buf2.GetString(), "qraw" + kScript + kClose + "{\"name\":"};
}

qayd::FeedSettings HostileFeed() {
  qayd::FeedSettings f;
  f.id = "feed" + kImg;
  f.url = "https://127.0.0.1:9/never-polled";
  return f;
}

struct HostileIds {
  int64_t candidate_victim = 0, incoming_victim = 0, review_item = 0;
};

bool SeedHostile(qayd::testing::TestRegister& reg, HostileIds* ids) {
  auto a = reg.Ingest({HostileRecord("A", "أحمد")});
  auto b = reg.Ingest({HostileRecord("B", "احمد")});
  auto bad = reg.Ingest(HostileBadRecords());
  if (!a.ok() || !b.ok() || !bad.ok() || (*b)[0].decision != "review") return false;
  for (const auto& o : *bad) {
    if (o.decision != "rejected") return false;
  }
  ids->candidate_victim = (*a)[0].victim_id;
  ids->incoming_victim = (*b)[0].victim_id;
  auto txn = reg.store()->Begin();
  if (!txn.ok()) return false;
  qayd::FeedState st;
  st.feed_id = HostileFeed().id;
  st.last_error_ms = reg.now_ms.load();
  st.last_error = "HTTP 500 from upstream: " + kScript + kClose;
  st.consecutive_failures = 3;
  if (!(*txn)->PutFeedState(st).ok()) return false;
  auto items = (*txn)->ListReviewItems(qayd::ReviewFilter{});
  if (!items.ok()) return false;
  for (const auto& item : *items) {
    if (item.report_id == (*b)[0].report_id) ids->review_item = item.id;
  }
  return ids->review_item > 0 && (*txn)->Commit().ok();
}

}  // namespace

int main(int argc, char** argv) {
  std::string password = "browser-test-pass";
  bool hostile = false, screen = false, quarantine = false;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--password" && i + 1 < argc) password = argv[i + 1];
    if (std::string(argv[i]) == "--hostile") hostile = true;
    if (std::string(argv[i]) == "--screen") screen = true;
    if (std::string(argv[i]) == "--quarantine") quarantine = true;
  }
  qayd::MatchingSettings m = qayd::DefaultConfig().matching;
  m.auto_merge = 1000;  // the pair below goes to review whatever the weights
  m.review = -1000;
  qayd::testing::TestRegister reg(m);
  if (hostile) reg.config().feeds.push_back(HostileFeed());
  if (auto s = reg.Start(); !s.ok()) {
    std::cerr << "start: " << s.ToString() << "\n";
    return 1;
  }
  reg.now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
  if (!reg.AddUser("monitor1", "monitor", password).ok() ||
      !reg.AddUser("admin1", "admin", password).ok()) {
    std::cerr << "cannot add users\n";
    return 1;
  }
  if (quarantine && !SeedQuarantine(reg)) {
    std::cerr << "quarantine seeding failed\n";
    return 1;
  }
  if (hostile) {
    HostileIds ids;
    if (!SeedHostile(reg, &ids)) {
      std::cerr << "hostile seeding failed\n";
      return 1;
    }
    std::cout << "PORT " << reg.port() << "\nVICTIM " << ids.candidate_victim << "\nINCOMING "
              << ids.incoming_victim << "\nITEM " << ids.review_item << std::endl;
  } else if (screen) {
    if (!SeedScreen(reg)) {
      std::cerr << "screen seeding failed\n";
      return 1;
    }
  } else if (!SeedDefault(reg)) {
    std::cerr << "seeding failed\n";
    return 1;
  }
  // A thread advances the fake clock with the real one.
  std::atomic<bool> done{false};
  std::thread clock([&] {
    while (!done) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      reg.now_ms += 200;
    }
  });
  std::string line;
  while (std::getline(std::cin, line)) {
  }
  done = true;
  clock.join();
  return 0;
}
