#include "base/version.h"

#include "base/version_string.inc"  // generated: QAYD_VERSION, QAYD_GIT_DESCRIBE

namespace qayd {

const char* ProjectVersion() { return QAYD_VERSION; }
const char* GitDescribe() { return QAYD_GIT_DESCRIBE; }
const char* VersionLine() {
  static const char* line =
      sizeof(QAYD_GIT_DESCRIBE) > 1 ? QAYD_VERSION " (git " QAYD_GIT_DESCRIBE ")" : QAYD_VERSION;
  return line;
}

}  // namespace qayd
