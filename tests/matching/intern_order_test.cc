// Decisions never depend on thread timing: strings are interned in whatever
// order threads reach them, so interned ids differ from run to run, and
// whatever orders or groups by name (block keys, and with them which block
// lists a query's proposal budget takes; candidate summaries; the index's
// grouping) uses InternedHash, a hash of the string. Two child processes
// intern the same fresh names in opposite orders; everything derived from a
// profile that is not an id must come out the same.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "matching/block_keys.h"
#include "matching/interner.h"
#include "matching/profile.h"
#include "matching/score_bound.h"
#include "test_reports.h"

namespace qayd::matching {
namespace {

using testing::MakeReport;

// Names whose parts no other test in this binary interns.
const std::vector<std::string>& Names() {
  static const std::vector<std::string> names = {
      "زغلول ضرغام قطزيم ثعلوب", "ثعلوب ضرغام زغلول طشقند", "Zaghlool Dargham Qatzim Thaaloob",
      "قطزيم طشقند ثعلوب زغلول"};
  return names;
}

// What the matcher derives from each name's profile, except ids, as text.
std::string Derived(bool reverse) {
  std::vector<Profile> profiles(Names().size());
  for (size_t k = 0; k < Names().size(); ++k) {
    const size_t i = reverse ? Names().size() - 1 - k : k;
    profiles[i] = BuildProfile(MakeReport(Names()[i], "1980-05-06"));
  }
  std::ostringstream out;
  for (const Profile& p : profiles) {
    std::vector<uint64_t> keys;
    BlockKeys(p, &keys);
    for (uint64_t k : keys) out << k << ' ';
    const CandidateSummary s = Summarize(p);
    for (int r = 0; r < kRoles; ++r) {
      const PartSig x = s.Part(r);
      out << '|' << int(x.info) << ',' << int(x.key_hash) << ',' << int(x.spelling_hash) << ','
          << x.chars;
    }
    out << '\n';
  }
  return out.str();
}

// Derived(reverse) in a child process, whose interner starts as this one's.
std::string InChild(bool reverse) {
  int fds[2];
  if (pipe(fds) != 0) return "pipe failed";
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    const std::string text = Derived(reverse);
    const ssize_t n = write(fds[1], text.data(), text.size());
    _exit(n == static_cast<ssize_t>(text.size()) ? 0 : 1);
  }
  close(fds[1]);
  std::string text;
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;)
    text.append(buf, static_cast<size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return "child failed";
  return text;
}

TEST(InternOrder, BlockKeysAndSummariesDoNotDependOnTheOrderNamesWereInterned) {
  const std::string forward = InChild(false), backward = InChild(true);
  EXPECT_NE(forward.find('\n'), std::string::npos) << forward;
  EXPECT_EQ(forward, backward);
}

TEST(InternOrder, InternedHashIsTheStringsOwn) {
  const uint32_t a = Intern("قطزيم-وحده"), b = Intern("طشقند-وحده");
  EXPECT_NE(a, b);
  EXPECT_NE(InternedHash(a), 0u);
  EXPECT_EQ(InternedHash(0), 0u);
  // Not the id: a fixed function of the bytes (FNV-1a with MurmurHash3's
  // finaliser), the same in every process and release. Changing it changes
  // block keys, hence which proposals a query takes: a release note matter.
  EXPECT_EQ(InternedHash(Intern("abc")), 482950588u);
  EXPECT_NE(InternedHash(a), InternedHash(b));
}

}  // namespace
}  // namespace qayd::matching
