#include "cli/cmd_quarantine.h"

#include <rapidjson/document.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "cli/args.h"
#include "cli/common.h"
#include "ingest/quarantine_replay.h"

namespace qayd::cli {
namespace {

constexpr const char* kUsage =
    "usage: qayd quarantine list --db DB [--offset N] [--limit N]\n"
    "       qayd quarantine show ID --db DB\n"
    "       qayd quarantine replay ID --db DB [--file CORRECTED] [--config FILE]\n";

// "field: problem; field: problem" from the stored JSON reasons.
std::string Reasons(const std::string& json) {
  rapidjson::Document d;
  d.Parse(json.c_str());
  if (d.HasParseError() || !d.IsArray()) return json;
  std::string out;
  for (const auto& e : d.GetArray()) {
    if (!e.IsObject() || !e.HasMember("field") || !e.HasMember("problem")) continue;
    const std::string field = e["field"].GetString();
    out += (out.empty() ? "" : "; ") + (field.empty() ? std::string("(record)") : field) + ": " +
           e["problem"].GetString();
  }
  return out;
}

bool ParseCount(const std::string& text, int64_t* n) {
  try {
    size_t used = 0;
    *n = std::stoll(text, &used);
    return used == text.size() && *n >= 0;
  } catch (...) {
    return false;
  }
}

bool ParseId(const std::string& text, int64_t* id) { return ParseCount(text, id) && *id > 0; }

int List(Store* store, const Args& a) {
  int64_t offset = 0, limit = 100;
  if ((a.Has("offset") && !ParseCount(a.Get("offset"), &offset)) ||
      (a.Has("limit") && !ParseId(a.Get("limit"), &limit))) {
    std::cerr << "qayd quarantine: --offset and --limit take numbers\n";
    return 2;
  }
  auto txn = store->Begin(Store::Mode::kRead);
  if (!txn.ok()) {
    std::cerr << "qayd quarantine: " << txn.status().ToString() << "\n";
    return 1;
  }
  auto recs = (*txn)->ListQuarantine(static_cast<int>(offset), static_cast<int>(limit));
  if (!recs.ok()) {
    std::cerr << "qayd quarantine: " << recs.status().ToString() << "\n";
    return 1;
  }
  std::cout << "id\tsource\trecord_id\treplayed\treasons\n";
  for (const QuarantineRecord& q : *recs) {
    std::cout << q.id << "\t" << q.source << "\t" << q.source_record_id << "\t"
              << (q.replayed_report_id ? "report " + std::to_string(q.replayed_report_id) : "-")
              << "\t" << Reasons(q.reasons) << "\n";
  }
  return 0;
}

Result<QuarantineRecord> Get(Store* store, int64_t id) {
  auto txn = store->Begin(Store::Mode::kRead);
  if (!txn.ok()) return txn.status();
  return (*txn)->GetQuarantined(id);
}

int Show(Store* store, int64_t id) {
  auto q = Get(store, id);
  if (!q.ok()) {
    std::cerr << "qayd quarantine: " << id << ": " << q.status().ToString() << "\n";
    return 1;
  }
  std::cout << "id: " << q->id << "\nsource: " << q->source
            << "\nsource_record_id: " << q->source_record_id
            << "\nreceived_at_ms: " << q->received_at_ms << "\nreplayed: "
            << (q->replayed_report_id ? "report " + std::to_string(q->replayed_report_id) : "no")
            << "\nreasons: " << Reasons(q->reasons) << "\nrecord:\n"
            << q->raw << "\n";
  return 0;
}

int64_t NowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

int Replay(Register& reg, int64_t id, const Args& a) {
  std::optional<std::string> corrected;
  if (a.Has("file")) {
    std::ifstream in(a.Get("file"), std::ios::binary);
    if (!in) {
      std::cerr << "qayd quarantine: cannot read " << a.Get("file") << "\n";
      return 1;
    }
    std::stringstream s;
    s << in.rdbuf();
    corrected = s.str();
  }
  auto r = ingest::ReplayQuarantined(reg.store.get(), reg.pipeline.get(), reg.config.feeds, id,
                                     corrected, NowMs());
  if (!r.ok()) {
    std::cerr << "qayd quarantine: " << id << ": " << r.status().message() << "\n";
    return 1;
  }
  if (!r->errors.empty()) {
    std::cerr << "qayd quarantine: " << id << " is still invalid:\n";
    for (const auto& e : r->errors) {
      std::cerr << "  " << (e.field.empty() ? "(record)" : e.field) << ": " << e.problem << "\n";
    }
    return 1;
  }
  std::cout << r->outcome.ToJson() << "\n";
  if (r->outcome.decision == "rejected") return 1;
  return 0;
}

}  // namespace

int CmdQuarantine(const std::vector<std::string>& argv) {
  auto parsed = ParseArgs(argv, {"db", "config", "file", "offset", "limit"}, {});
  if (!parsed.ok() || parsed->positional.empty() || !parsed->Has("db")) {
    std::cerr << kUsage;
    if (!parsed.ok()) std::cerr << "qayd quarantine: " << parsed.status().message() << "\n";
    return 2;
  }
  const Args& a = *parsed;
  const std::string& verb = a.positional[0];
  int64_t id = 0;
  if (verb == "list") {
    if (a.positional.size() != 1) {
      std::cerr << kUsage;
      return 2;
    }
  } else if (verb == "show" || verb == "replay") {
    if (a.positional.size() != 2 || !ParseId(a.positional[1], &id)) {
      std::cerr << kUsage;
      return 2;
    }
  } else {
    std::cerr << kUsage << "qayd quarantine: unknown action " << verb << "\n";
    return 2;
  }
  auto reg = OpenRegister(a.Get("db"), a.Get("config"), /*load_index=*/verb == "replay",
                          /*read_only=*/verb != "replay");
  if (!reg.ok()) {
    std::cerr << "qayd quarantine: " << reg.status().message() << "\n";
    return 1;
  }
  if (verb == "list") return List((*reg)->store.get(), a);
  if (verb == "show") return Show((*reg)->store.get(), id);
  return Replay(**reg, id, a);
}

}  // namespace qayd::cli
