// The HTML form: a standalone page (inline CSS, no scripts) with the tables,
// three SVG charts and, at the end, the victim ids behind every figure.
#include <sstream>

#include "report/render.h"
#include "report/report_tables.h"
#include "report/svg_chart.h"

namespace qayd::report {
namespace {

const char kStyle[] = R"CSS(
body{font-family:"DejaVu Sans","Noto Sans Arabic",Arial,sans-serif;margin:24px;color:#222}
table{border-collapse:collapse;margin:8px 0 20px}
th,td{border:1px solid #bbb;padding:4px 10px}
td.n{text-align:end;font-variant-numeric:tabular-nums}
.pending a{color:#b35900;font-weight:bold}
.banner{padding:8px 12px;border:1px solid #b35900;background:#fff4e5}
.banner.clear{border-color:#2d7d2d;background:#eef8ee}
details{margin:2px 0}
.ids{font-family:monospace;font-size:12px}
svg.chart{display:block;margin:8px 0 24px;max-width:100%}
)CSS";

// Victim-id lists are numbered in the order the figures appear.
class Lists {
 public:
  std::string Link(const std::string& label, const Figure& f) {
    const std::string anchor = "v-" + std::to_string(entries_.size() + 1);
    entries_.push_back({anchor, label, f});
    return anchor;
  }
  std::string Render(const std::string& victim_link) const {
    std::string out;
    for (const Entry& e : entries_) {
      out += "<details id=\"" + e.anchor + "\"><summary>" + HtmlEscape(e.label) + ": " +
             std::to_string(e.figure.count()) + "</summary><p class=\"ids\">";
      for (size_t i = 0; i < e.figure.victim_ids.size(); ++i) {
        const std::string id = std::to_string(e.figure.victim_ids[i]);
        out += i ? " " : "";
        if (victim_link.empty()) {
          out += "<span class=\"vid\">" + id + "</span>";
        } else {
          std::string href = victim_link;
          if (auto pos = href.find("{id}"); pos != std::string::npos) href.replace(pos, 4, id);
          out += "<a class=\"vid\" href=\"" + HtmlEscape(href) + "\">" + id + "</a>";
        }
      }
      out += "</p></details>\n";
    }
    return out;
  }

 private:
  struct Entry {
    std::string anchor, label;
    Figure figure;
  };
  std::vector<Entry> entries_;
};

}  // namespace

const char* HtmlStyleSheet() { return kStyle; }

std::string RenderHtml(const DeathReport& r, const RenderOptions& opts) {
  const std::string& lang = opts.lang;
  const bool rtl = lang == "ar";
  const std::string title = Label("title", lang) + ": " + r.period_label;
  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"" << (rtl ? "ar" : "en") << "\" dir=\""
      << (rtl ? "rtl" : "ltr") << "\">\n<head><meta charset=\"utf-8\"><title>" << HtmlEscape(title)
      << "</title><style>" << kStyle << "</style></head>\n<body>\n";
  out << "<h1>" << HtmlEscape(title) << "</h1>\n<p>" << HtmlEscape(Label("counted_by", lang)) << " "
      << HtmlEscape(Label(r.request.by == CountBy::kDeath ? "by_death" : "by_documented", lang))
      << (opts.generated_at.empty() ? "" : " · " + HtmlEscape(opts.generated_at)) << "</p>\n";
  out << "<p class=\"banner" << (r.pending_review_items.empty() ? " clear" : "")
      << "\" id=\"pending-review\">" << HtmlEscape(PendingBanner(r, lang));
  if (!r.pending_review_items.empty()) {
    out << " <span class=\"ids\">";
    for (size_t i = 0; i < r.pending_review_items.size(); ++i) {
      out << (i ? ", " : "") << "#" << r.pending_review_items[i];
    }
    out << "</span>";
  }
  out << "</p>\n";

  Lists lists;
  std::string charts_party_href, charts_gov_href;
  std::vector<Bar> party_bars, gov_bars, month_bars;
  std::vector<std::string> sections;  // one per table; the charts go after the summary
  for (const Table& t : BuildTables(r, lang)) {
    std::ostringstream sec;
    sec << "<section id=\"t-" << t.key << "\"><h2>" << HtmlEscape(t.title) << "</h2>\n";
    if (!t.note.empty()) sec << "<p>" << HtmlEscape(t.note) << "</p>\n";
    sec << "<table class=\"" << t.key << "\"><thead><tr>";
    for (const std::string& c : t.columns) sec << "<th>" << HtmlEscape(c) << "</th>";
    sec << "</tr></thead><tbody>\n";
    for (const auto& row : t.rows) {
      sec << "<tr>";
      for (size_t i = 0; i < row.size(); ++i) {
        const Cell& c = row[i];
        if (!c.is_figure) {
          sec << (i ? "<td class=\"n\">" : "<td>") << HtmlEscape(c.text) << "</td>";
          continue;
        }
        const std::string label =
            t.title + " · " + row[0].text + (i < t.columns.size() ? " · " + t.columns[i] : "");
        const std::string anchor = lists.Link(label, c.figure);
        sec << "<td class=\"n" << (c.figure.pending ? " pending" : "") << "\""
            << (c.figure.pending ? " title=\"" + HtmlEscape(Label("pending_mark", lang)) + "\""
                                 : "")
            << "><a href=\"#" << anchor << "\" data-count=\"" << c.figure.count() << "\">"
            << c.figure.count() << "</a></td>";
        const bool last_row = &row == &t.rows.back();
        if (i == 1 && (t.key == "parties_main" || t.key == "parties_other") && !last_row &&
            c.figure.count() > 0) {
          party_bars.push_back({row[0].text, c.figure.count(), "#" + anchor});
        } else if (i == 1 && t.key == "governorates") {
          gov_bars.push_back({row[0].text, c.figure.count(), "#" + anchor});
        } else if (i == 1 && t.key == "series") {
          month_bars.push_back({row[0].text, c.figure.count(), "#" + anchor});
        }
      }
      sec << "</tr>\n";
    }
    sec << "</tbody></table></section>\n";
    sections.push_back(sec.str());
  }
  for (size_t i = 0; i < sections.size() && i < 1; ++i) out << sections[i];
  out << "<section id=\"charts\"><h2>" << HtmlEscape(Label("charts", lang)) << "</h2>\n";
  out << HorizontalBarChart(Label("parties_main", lang) + " / " + Label("parties_other", lang),
                            party_bars, rtl)
      << "\n";
  out << HorizontalBarChart(Label("governorates", lang), gov_bars, rtl) << "\n";
  out << ColumnChart(Label("series", lang), month_bars, rtl) << "\n</section>\n";
  for (size_t i = 1; i < sections.size(); ++i) out << sections[i];
  out << "<section id=\"victim-lists\"><h2>" << HtmlEscape(Label("victims_behind", lang))
      << "</h2>\n"
      << lists.Render(opts.victim_link) << "</section>\n</body>\n</html>\n";
  return out.str();
}

}  // namespace qayd::report
