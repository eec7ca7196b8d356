// The HTML report of the fixture register opened in headless chromium: the
// page renders (a non-trivial screenshot, kept as a test artifact under the
// build directory) and the rendered DOM holds the tables and the SVG charts.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "register_fixture.h"
#include "report/death_report.h"
#include "report/render.h"
#include "tests/support/run_command.h"

namespace qayd::report {
namespace {

const char kChromium[] = "/usr/bin/chromium";

std::string ChromiumCommand(const std::string& profile, const std::string& what,
                            const std::string& url) {
  // `timeout` bounds every run: chromium must never hang the test.
  return "timeout -k 5 90 " + std::string(kChromium) +
         " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
         " --disable-background-networking --disable-component-update --disable-sync"
         " --user-data-dir=" +
         profile + " " + what + " --window-size=1200,2000 " + url + " 2>/dev/null";
}

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t p = 0; (p = text.find(needle, p)) != std::string::npos; p += needle.size()) ++n;
  return n;
}

TEST(ReportBrowser, HtmlReportRendersTablesAndCharts) {
  ASSERT_EQ(access(kChromium, X_OK), 0) << "chromium is required for the browser tests";
  testing::FixtureRegister reg;
  testing::BuildFixtureRegister(&reg);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  ReportRequest q;
  q.year = 2024;
  q.month = 3;
  auto report = BuildDeathReport(reg.store.get(), q);
  ASSERT_TRUE(report.ok()) << report.status().ToString();

  const std::string artifacts = std::string(QAYD_BINARY_DIR) + "/test-artifacts/report";
  std::filesystem::create_directories(artifacts);
  for (const std::string lang : {"en", "ar"}) {
    RenderOptions opts;
    opts.lang = lang;
    const std::string page = artifacts + "/deaths-2024-03-" + lang + ".html";
    {
      std::ofstream out(page, std::ios::trunc);
      out << RenderHtml(*report, opts);
    }
    const std::string png = artifacts + "/deaths-2024-03-" + lang + ".png";
    std::filesystem::remove(png);
    const auto shot = qayd::testing::RunCommand(ChromiumCommand(
        reg.dir + "/profile-shot-" + lang, "--screenshot=" + png, "file://" + page));
    ASSERT_EQ(shot.code, 0) << "chromium screenshot failed";
    struct stat st {};
    ASSERT_EQ(stat(png.c_str(), &st), 0) << png;
    EXPECT_GT(st.st_size, 20000) << "screenshot looks empty";
    std::ifstream in(png, std::ios::binary);
    char magic[8] = {};
    in.read(magic, 8);
    EXPECT_EQ(std::string(magic + 1, 3), "PNG");

    const auto dump = qayd::testing::RunCommand(
        ChromiumCommand(reg.dir + "/profile-dom-" + lang, "--dump-dom", "file://" + page));
    ASSERT_EQ(dump.code, 0) << "chromium --dump-dom failed";
    const std::string& dom = dump.out;
    for (const char* table :
         {"summary", "parties_main", "parties_other", "governorates", "origin", "torture",
          "workers", "massacres_by_party", "massacres", "two_dates", "series"}) {
      EXPECT_NE(dom.find("<table class=\"" + std::string(table) + "\">"), std::string::npos)
          << table;
    }
    EXPECT_EQ(Count(dom, "<svg"), 3u);
    EXPECT_NE(dom.find("class=\"chart bars\""), std::string::npos);
    EXPECT_NE(dom.find("class=\"chart columns\""), std::string::npos);
    // Bars: 9 party rows with victims (5 main, 4 other), 6 governorates, 12 months.
    EXPECT_EQ(Count(dom, "<rect"), 9u + 6u + 12u);
    EXPECT_NE(dom.find(lang == "ar" ? "dir=\"rtl\"" : "dir=\"ltr\""), std::string::npos);
    EXPECT_NE(dom.find(lang == "ar" ? "إدلب" : "Idlib"), std::string::npos);
  }
}

}  // namespace
}  // namespace qayd::report
