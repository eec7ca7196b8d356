// Resident memory of this process, from /proc/self/status and
// /proc/self/smaps_rollup (Linux).
#pragma once

#include <cstdint>

namespace qayd::bench {

struct Memory {
  int64_t rss_kib = 0;   // VmRSS: resident now
  int64_t peak_kib = 0;  // VmHWM: the high-water mark
  int64_t huge_kib = 0;  // AnonHugePages: resident in transparent huge pages (the index asks)
};
Memory ReadMemory();
// User + system CPU seconds of this process so far (getrusage).
double CpuSeconds();

}  // namespace qayd::bench
