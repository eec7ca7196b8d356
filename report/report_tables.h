// The death-toll report laid out as titled tables in one language: the shared
// layout of the markdown, CSV and HTML forms (JSON has its own structure).
// Plain value types; a Table copies the figures it shows.
#pragma once

#include <string>
#include <vector>

#include "report/death_report.h"

namespace qayd::report {

struct Cell {
  std::string text;        // the displayed value (a count for figures)
  bool is_figure = false;  // `figure` holds the victims behind the count
  Figure figure;
};

struct Table {
  std::string key;    // stable: summary, parties_main, parties_other, governorates, origin, ...
  std::string title;  // in the requested language
  std::vector<std::string> columns;
  std::vector<std::vector<Cell>> rows;  // first cell: the row label
  std::string note;   // one sentence under the table, may be empty
};

// lang: "en" or "ar" (labels from the vocabulary in that language).
std::vector<Table> BuildTables(const DeathReport& report, const std::string& lang);

// Localised fixed strings of the report ("title", "pending_banner", ...).
std::string Label(const std::string& key, const std::string& lang);
// A vocabulary label in `lang` (falls back to English, then the code).
std::string LabelOf(const Resolved& r, const std::string& lang);
// "N pending review items could change these figures (M of K figures)." or "".
std::string PendingBanner(const DeathReport& report, const std::string& lang);

}  // namespace qayd::report
