// UTF-8 checks for ingest (base/utf8.h): invalid text is reported with its
// byte offset, never repaired or replaced.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "base/utf8.h"

namespace qayd::ingest {

using ::qayd::FindInvalidUtf8;
using ::qayd::StripBom;

}  // namespace qayd::ingest
