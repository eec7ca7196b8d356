#include "matching/interner.h"

#include <deque>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>

namespace qayd::matching {
namespace {

struct Table {
  std::shared_mutex mu;
  std::deque<std::string> strings{std::string()};
  std::unordered_map<std::string_view, uint32_t> ids{{std::string_view(), 0}};
};

Table& table() {
  static Table* t = new Table();  // never destroyed: views outlive static destruction
  return *t;
}

}  // namespace

uint32_t Intern(std::string_view s) {
  if (s.empty()) return 0;
  Table& t = table();
  {
    std::shared_lock lock(t.mu);
    auto it = t.ids.find(s);
    if (it != t.ids.end()) return it->second;
  }
  std::unique_lock lock(t.mu);
  auto it = t.ids.find(s);
  if (it != t.ids.end()) return it->second;
  t.strings.emplace_back(s);
  uint32_t id = static_cast<uint32_t>(t.strings.size() - 1);
  t.ids.emplace(t.strings.back(), id);
  return id;
}

std::string_view Interned(uint32_t id) {
  Table& t = table();
  std::shared_lock lock(t.mu);
  return id < t.strings.size() ? std::string_view(t.strings[id]) : std::string_view();
}

size_t InternedCount() {
  Table& t = table();
  std::shared_lock lock(t.mu);
  return t.strings.size();
}

}  // namespace qayd::matching
