// The version of this build: CMake's project version and, when built from a
// git checkout, `git describe --always --dirty` at build time.
// Threads: constant strings, safe anywhere.
#pragma once

namespace qayd {

// "0.1.0", the project version (packages use it).
const char* ProjectVersion();
// "0.1.0 (git 19bf851)" or "0.1.0" outside a checkout.
const char* VersionLine();
// The git description alone, "" outside a checkout.
const char* GitDescribe();

}  // namespace qayd
