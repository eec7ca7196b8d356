#include "base/log.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <regex>
#include <string>

namespace qayd::log {
namespace {

std::string Capture(const std::function<void()>& fn) {
  int fds[2];
  EXPECT_EQ(pipe(fds), 0);
  SetFd(fds[1]);
  fn();
  SetFd(2);
  close(fds[1]);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  close(fds[0]);
  return out;
}

TEST(LogTest, FormatsMessageAndFields) {
  EXPECT_EQ(Format("report accepted", {{"source", "moh"}, {"count", "3"}}),
            "report accepted source=moh count=3");
  EXPECT_EQ(Format("x", {{"error", "disk full"}, {"q", "a\"b"}}),
            "x error=\"disk full\" q=\"a\\\"b\"");
  EXPECT_EQ(Format("x", {{"empty", ""}}), "x empty=\"\"");
}

TEST(LogTest, WritesOneLineWithLevelAndHonoursTheThreshold) {
  SetLevel(Level::kInfo);
  SetTimestamps(false);
  std::string out = Capture([] {
    Debug("hidden detail", {{"name", "secret"}});
    Info("feed polled", {{"feed", "moh"}, {"records", "12"}});
    Error("store failed", {{"error", "io"}});
  });
  EXPECT_EQ(out,
            "level=info msg=\"feed polled\" feed=moh records=12\nlevel=error msg=\"store failed\" "
            "error=io\n");
  EXPECT_EQ(out.find("secret"), std::string::npos);
  SetLevel(Level::kDebug);
  out = Capture([] { Debug("detail"); });
  EXPECT_EQ(out, "level=debug msg=detail\n");
  SetLevel(Level::kInfo);
}

TEST(LogTest, StampsTheTimeWhenNotWritingToTheJournal) {
  SetTimestamps(true);
  std::string out = Capture([] { Info("started"); });
  EXPECT_TRUE(std::regex_match(
      out, std::regex("ts=20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]"
                      "\\.[0-9]{3}Z level=info msg=started\n")))
      << out;
}

TEST(LogTest, ParsesLevels) {
  Level l;
  EXPECT_TRUE(ParseLevel("warning", &l));
  EXPECT_EQ(l, Level::kWarning);
  EXPECT_FALSE(ParseLevel("loud", &l));
}

}  // namespace
}  // namespace qayd::log
