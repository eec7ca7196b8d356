// Fuzzes config/config.h ParseConfig: any text gives a Config or errors, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  qayd::ConfigLoad load = qayd::ParseConfig(text, "fuzz.json");
  for (const auto& e : load.errors) (void)e.ToString();
  if (load.ok()) (void)load.config.matching.version();
  return 0;
}
