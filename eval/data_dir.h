// Where the real data for evaluation lives when no --data is given.
#pragma once

#include <string>

namespace qayd::eval {

// The folder that holds gaza-moh/, translit/ and febrl/: $QAYD_DATA_DIR when set, else
// the repository's data/ this build was configured from (CMake's QAYD_DATA_DIR) when it
// exists, else "data" relative to the working directory. Pure; thread-safe.
std::string DefaultDataDir();

}  // namespace qayd::eval
