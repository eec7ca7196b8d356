// Reading JSON request bodies: an object with typed, optional members.
// Wrong types are reported by member name; unknown members are rejected.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <rapidjson/document.h>

namespace qayd::web {

class JsonBody {
 public:
  // Parses `text` (empty text counts as {}); `allowed` lists the members.
  JsonBody(const std::string& text, const std::set<std::string>& allowed);
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

  std::string String(const char* key, const std::string& fallback = "");
  int64_t Int(const char* key, int64_t fallback = 0);
  double Number(const char* key, double fallback = 0);
  std::vector<int64_t> IntArray(const char* key);
  bool Has(const char* key) const;
  const rapidjson::Value* Get(const char* key) const;

 private:
  void Fail(const std::string& message) {
    if (error_.empty()) error_ = message;
  }
  rapidjson::Document doc_;
  std::string error_;
};

}  // namespace qayd::web
