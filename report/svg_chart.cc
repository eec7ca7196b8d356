#include "report/svg_chart.h"

#include <algorithm>
#include <cstdio>

#include "report/render.h"

namespace qayd::report {
namespace {

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string Open(const std::string& title, int width, int height, const char* cls) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart " + std::string(cls) +
         "\" role=\"img\" width=\"" + std::to_string(width) + "\" height=\"" +
         std::to_string(height) + "\" viewBox=\"0 0 " + std::to_string(width) + " " +
         std::to_string(height) + "\"><title>" + HtmlEscape(title) + "</title>";
}

std::string Link(const Bar& b, const std::string& inner) {
  if (b.href.empty()) return inner;
  return "<a href=\"" + HtmlEscape(b.href) + "\">" + inner + "</a>";
}

}  // namespace

std::string HorizontalBarChart(const std::string& title, const std::vector<Bar>& bars, bool rtl) {
  const int width = 720, label_w = 260, value_w = 60, row_h = 26, top = 10;
  const int height = top * 2 + row_h * std::max<int>(1, static_cast<int>(bars.size()));
  int64_t max = 1;
  for (const Bar& b : bars) max = std::max(max, b.value);
  const double span = width - label_w - value_w;
  std::string svg = Open(title, width, height, "bars");
  for (size_t i = 0; i < bars.size(); ++i) {
    const Bar& b = bars[i];
    const double y = top + row_h * static_cast<double>(i);
    const double w = b.value > 0 ? std::max(1.0, span * static_cast<double>(b.value) / max) : 0;
    const double x = rtl ? width - label_w - w : label_w;
    const double label_x = rtl ? width - 6 : label_w - 6;
    const double value_x = rtl ? x - 6 : x + w + 6;
    svg += "<text x=\"" + Num(label_x) + "\" y=\"" + Num(y + 17) +
           // In right-to-left text "start" is the right edge: labels end at the bars in both.
           "\" text-anchor=\"" + (rtl ? "start" : "end") + "\" direction=\"" +
           (rtl ? "rtl" : "ltr") + "\" font-size=\"13\">" +
           HtmlEscape(b.label) + "</text>";
    svg += Link(b, "<rect x=\"" + Num(x) + "\" y=\"" + Num(y + 4) + "\" width=\"" + Num(w) +
                       "\" height=\"" + std::to_string(row_h - 8) + "\" fill=\"#8c2d2d\"><title>" +
                       HtmlEscape(b.label) + ": " + std::to_string(b.value) + "</title></rect>");
    svg += "<text x=\"" + Num(value_x) + "\" y=\"" + Num(y + 17) + "\" direction=\"ltr\" text-anchor=\"" +
           (rtl ? "end" : "start") + "\" font-size=\"13\">" + std::to_string(b.value) + "</text>";
  }
  return svg + "</svg>";
}

std::string ColumnChart(const std::string& title, const std::vector<Bar>& bars, bool rtl) {
  const int width = 720, height = 260, bottom = 40, top = 24, left = 10;
  const int n = std::max<int>(1, static_cast<int>(bars.size()));
  const double slot = static_cast<double>(width - 2 * left) / n;
  int64_t max = 1;
  for (const Bar& b : bars) max = std::max(max, b.value);
  const double span = height - top - bottom;
  std::string svg = Open(title, width, height, "columns");
  svg += "<line x1=\"" + std::to_string(left) + "\" y1=\"" + std::to_string(height - bottom) +
         "\" x2=\"" + std::to_string(width - left) + "\" y2=\"" + std::to_string(height - bottom) +
         "\" stroke=\"#444\"/>";
  for (size_t i = 0; i < bars.size(); ++i) {
    const Bar& b = bars[i];
    const size_t pos = rtl ? bars.size() - 1 - i : i;
    const double x = left + slot * static_cast<double>(pos);
    const double h = b.value > 0 ? std::max(1.0, span * static_cast<double>(b.value) / max) : 0;
    const double y = height - bottom - h;
    svg += Link(b, "<rect x=\"" + Num(x + slot * 0.15) + "\" y=\"" + Num(y) + "\" width=\"" +
                       Num(slot * 0.7) + "\" height=\"" + Num(h) + "\" fill=\"#2d5d8c\"><title>" +
                       HtmlEscape(b.label) + ": " + std::to_string(b.value) + "</title></rect>");
    svg += "<text x=\"" + Num(x + slot / 2) + "\" y=\"" + Num(y - 4) +
           "\" text-anchor=\"middle\" font-size=\"11\">" + std::to_string(b.value) + "</text>";
    svg += "<text x=\"" + Num(x + slot / 2) + "\" y=\"" + std::to_string(height - bottom + 16) +
           "\" text-anchor=\"middle\" font-size=\"10\">" + HtmlEscape(b.label) + "</text>";
  }
  return svg + "</svg>";
}

}  // namespace qayd::report
