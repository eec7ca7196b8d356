#include "cli/cmd_store.h"

#include <fstream>
#include <iostream>

#include "cli/args.h"
#include "store/export.h"
#include "store/history_format.h"
#include "store/store.h"

namespace qayd::cli {
namespace {

// Export and history only read: no writer lock, and a mistyped path is an
// error instead of a new empty register.
Result<std::unique_ptr<Store>> OpenReadOnly(const std::string& db) {
  StoreOptions options;
  options.read_only = true;
  return OpenStore(db, options);
}

}  // namespace

int CmdExport(const std::vector<std::string>& argv) {
  auto a = ParseArgs(argv, {"db", "format", "out"}, {});
  if (!a.ok() || !a->Has("db") || !a->positional.empty()) {
    std::cerr << "usage: qayd export --db DB [--format jsonl|csv] [--out FILE]\n";
    if (!a.ok()) std::cerr << "qayd export: " << a.status().message() << "\n";
    return 2;
  }
  const std::string format = a->Get("format", "jsonl");
  if (format != "jsonl" && format != "json" && format != "csv") {
    std::cerr << "qayd export: --format must be jsonl or csv\n";
    return 2;
  }
  auto store = OpenReadOnly(a->Get("db"));
  if (!store.ok()) {
    std::cerr << "qayd export: " << store.status().ToString() << "\n";
    return 1;
  }
  std::ofstream file;
  std::ostream* out = &std::cout;
  if (a->Has("out")) {
    file.open(a->Get("out"), std::ios::trunc);
    if (!file) {
      std::cerr << "qayd export: cannot write " << a->Get("out") << "\n";
      return 1;
    }
    out = &file;
  }
  Status s =
      ExportVictims(**store, *out, format == "csv" ? ExportFormat::kCsv : ExportFormat::kJsonLines);
  if (!s.ok()) {
    std::cerr << "qayd export: " << s.ToString() << "\n";
    return 1;
  }
  out->flush();
  return *out ? 0 : 1;
}

int CmdHistory(const std::vector<std::string>& argv) {
  auto a = ParseArgs(argv, {"db"}, {});
  if (!a.ok() || !a->Has("db") || a->positional.size() != 1) {
    std::cerr << "usage: qayd history --db DB VICTIM_ID\n";
    return 2;
  }
  int64_t id = 0;
  try {
    id = std::stoll(a->positional[0]);
  } catch (const std::exception&) {
    std::cerr << "qayd history: not a victim id: " << a->positional[0] << "\n";
    return 2;
  }
  auto store = OpenReadOnly(a->Get("db"));
  if (!store.ok()) {
    std::cerr << "qayd history: " << store.status().ToString() << "\n";
    return 1;
  }
  auto text = FormatVictimHistory(**store, id);
  if (!text.ok()) {
    std::cerr << "qayd history: " << text.status().ToString() << "\n";
    return 1;
  }
  std::cout << *text;
  return 0;
}

}  // namespace qayd::cli
