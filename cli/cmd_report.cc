#include "cli/cmd_report.h"

#include <fstream>
#include <iostream>

#include "cli/args.h"
#include "cli/common.h"
#include "report/death_report.h"
#include "report/render.h"

namespace qayd::cli {
namespace {

int Usage(const std::string& problem) {
  std::cerr << "usage: qayd report --db DB (--month YYYY-MM | --year YYYY) [--by death|documented]\n"
               "                   [--format md|csv|json|html] [--lang en|ar] [--out FILE]\n"
               "                   [--victim-link PATTERN] [--config FILE]\n";
  if (!problem.empty()) std::cerr << "qayd report: " << problem << "\n";
  return 2;
}

}  // namespace

int CmdReport(const std::vector<std::string>& argv) {
  auto parsed = ParseArgs(
      argv, {"db", "month", "year", "by", "format", "lang", "out", "victim-link", "config"}, {});
  if (!parsed.ok()) return Usage(parsed.status().message());
  const Args& a = *parsed;
  if (!a.Has("db")) return Usage("--db is required");
  if (a.Has("month") == a.Has("year")) return Usage("give exactly one of --month and --year");
  const std::string by = a.Get("by", "death");
  if (by != "death" && by != "documented") return Usage("--by must be death or documented");
  const std::string lang = a.Get("lang", "en");
  if (lang != "en" && lang != "ar") return Usage("--lang must be en or ar");
  auto format = report::ParseFormat(a.Get("format", "md"));
  if (!format.ok()) return Usage(format.status().message());
  const std::string period = a.Has("month") ? a.Get("month") : a.Get("year");
  if (period.size() != (a.Has("month") ? 7u : 4u)) {
    return Usage(a.Has("month") ? "--month must be YYYY-MM" : "--year must be YYYY");
  }
  auto request = report::ParsePeriod(
      period, by == "death" ? report::CountBy::kDeath : report::CountBy::kDocumented);
  if (!request.ok()) return Usage(request.status().message());

  auto reg = OpenRegister(a.Get("db"), a.Get("config"), /*load_index=*/false, /*read_only=*/true);
  if (!reg.ok()) {
    std::cerr << "qayd report: " << reg.status().message() << "\n";
    return 1;
  }
  auto built = report::BuildDeathReport((*reg)->store.get(), *request);
  if (!built.ok()) {
    std::cerr << "qayd report: " << built.status().ToString() << "\n";
    return 1;
  }
  report::RenderOptions opts;
  opts.lang = lang;
  opts.victim_link = a.Get("victim-link");
  const std::string text = report::Render(*built, *format, opts);
  if (!built->pending_review_items.empty()) {
    std::cerr << "qayd report: " << built->pending_review_items.size()
              << " pending review items could change the figures\n";
  }

  if (!a.Has("out") || a.Get("out") == "-") {
    std::cout << text;
    std::cout.flush();
    return std::cout ? 0 : 1;
  }
  std::ofstream out(a.Get("out"), std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    std::cerr << "qayd report: cannot write " << a.Get("out") << "\n";
    return 1;
  }
  return 0;
}

}  // namespace qayd::cli
