// The Prometheus registry's text form: shortest numbers, labelled families.
#include "base/metrics.h"

#include <gtest/gtest.h>

namespace qayd::metrics {
namespace {

TEST(MetricsTest, NumbersPrintInTheirShortestRoundTripForm) {
  EXPECT_EQ(FormatNumber(0.0005), "0.0005");
  EXPECT_EQ(FormatNumber(28.71), "28.71");
  EXPECT_EQ(FormatNumber(0.1 + 0.2), "0.30000000000000004");  // exact, not rounded away
  EXPECT_EQ(FormatNumber(3), "3");
  EXPECT_EQ(FormatNumber(1e21), "1e+21");
  EXPECT_EQ(FormatNumber(2.5e-9), "2.5e-09");
  EXPECT_EQ(FormatNumber(-1), "-1");
  EXPECT_EQ(FormatNumber(1765100000.123), "1765100000.123");
  EXPECT_EQ(std::stod(FormatNumber(1.0 / 3)), 1.0 / 3);
  EXPECT_EQ(FormatNumber(1.0 / 0.0), "+Inf");
}

TEST(MetricsTest, HistogramBoundsAndLabelledFamiliesRender) {
  Registry r;
  Histogram* h = r.GetHistogram("x_seconds", "latency", {0.0005, 0.0025});
  h->Observe(0.001);
  r.GetGauge("feed_failing", "per feed", {{"feed", "a"}})->Set(1);
  r.GetGauge("feed_failing", "per feed", {{"feed", "b\"q"}})->Set(0);
  r.GetCounter("files_total", "per state", {{"state", "done"}})->Inc(2);
  const std::string text = r.Exposition();
  EXPECT_NE(text.find("x_seconds_bucket{le=\"0.0005\"} 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("x_seconds_bucket{le=\"0.0025\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("x_seconds_sum 0.001\n"), std::string::npos) << text;
  EXPECT_NE(text.find("feed_failing{feed=\"a\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("feed_failing{feed=\"b\\\"q\"} 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("files_total{state=\"done\"} 2\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("# TYPE feed_failing gauge"), text.rfind("# TYPE feed_failing gauge"));
  // A labelled family has no unlabelled value.
  EXPECT_THROW(r.GetGauge("feed_failing", "per feed"), std::logic_error);
  r.ClearGaugeFamily("feed_failing");
  EXPECT_EQ(r.Exposition().find("feed_failing{"), std::string::npos);
}

}  // namespace
}  // namespace qayd::metrics
