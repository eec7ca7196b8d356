// Locating the verbatim text of each element of a records array inside an
// already-validated JSON document, so that a record's raw bytes are kept
// exactly as the feed sent them.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"

namespace qayd::ingest {

// `text` must be a syntactically valid JSON document. `path` is a dotted list
// of object keys leading to an array ("" = the document itself). Returns the
// [begin, end) byte range of every array element. kInvalidInput when a key is
// missing or the value found is not an array.
Result<std::vector<std::pair<size_t, size_t>>> ArrayElementSpans(std::string_view text,
                                                                 std::string_view path);

}  // namespace qayd::ingest
