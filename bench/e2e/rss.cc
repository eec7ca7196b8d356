#include "bench/e2e/rss.h"

#include <sys/resource.h>

#include <fstream>
#include <string>

namespace qayd::bench {

Memory ReadMemory() {
  Memory m;
  std::ifstream in("/proc/self/status");
  std::string key;
  while (in >> key) {
    if (key == "VmRSS:")
      in >> m.rss_kib;
    else if (key == "VmHWM:")
      in >> m.peak_kib;
    else
      in.ignore(1 << 20, '\n');
  }
  std::ifstream rollup("/proc/self/smaps_rollup");
  while (rollup >> key) {
    if (key == "AnonHugePages:")
      rollup >> m.huge_kib;
    else
      rollup.ignore(1 << 20, '\n');
  }
  return m;
}

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

}  // namespace qayd::bench
