// Server-rendered SVG charts for the HTML report: horizontal bars (victims by
// party, by governorate) and columns (the monthly series). Labels are escaped.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace qayd::report {

struct Bar {
  std::string label;
  int64_t value = 0;
  std::string href;  // optional link target ("#v-3")
};

// An <svg> element with role="img" and a <title>; `rtl` mirrors the layout.
std::string HorizontalBarChart(const std::string& title, const std::vector<Bar>& bars, bool rtl);
std::string ColumnChart(const std::string& title, const std::vector<Bar>& bars, bool rtl);

}  // namespace qayd::report
