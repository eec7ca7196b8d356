#include "base/json_parse.h"

#include <rapidjson/error/en.h>

#include <string>

namespace qayd::json_internal {

Status TooLarge(size_t size, size_t limit) {
  return Error(ErrorCode::kInvalidInput, "JSON text of " + std::to_string(size) +
                                             " bytes is larger than the limit of " +
                                             std::to_string(limit) + " bytes");
}

Status ParseFailed(const rapidjson::ParseResult& r, bool too_deep, size_t max_depth,
                   JsonErrorAt* where) {
  const std::string offset = std::to_string(r.Offset());
  if (too_deep) {
    const std::string what = "nested deeper than " + std::to_string(max_depth) + " levels";
    if (where) *where = {r.Offset(), what};
    return Error(ErrorCode::kInvalidInput, "JSON " + what + " at offset " + offset);
  }
  const std::string what = rapidjson::GetParseError_En(r.Code());
  if (where) *where = {r.Offset(), what};
  return Error(ErrorCode::kInvalidInput, "malformed JSON at offset " + offset + ": " + what);
}

}  // namespace qayd::json_internal
