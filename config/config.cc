#include "config/config.h"

#include <cstdio>
#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>

#include "config/matching_weights.h"

namespace qayd {

std::string ConfigError::ToString() const {
  std::string out = file;
  if (line > 0) out += ":" + std::to_string(line) + ":" + std::to_string(column);
  out += ": ";
  if (!path.empty()) out += path + ": ";
  out += message;
  return out;
}

std::string MatchingSettings::version() const {
  std::ostringstream text;
  text.precision(17);
  text << auto_merge << '|' << review << '|' << max_candidates;
  for (const auto& [k, v] : weights) text << '|' << k << '=' << v;
  const ConflictRule* rules[] = {&conflicts.date_of_birth, &conflicts.approximate_date_of_birth,
                                 &conflicts.age,           &conflicts.family_name,
                                 &conflicts.father_name,   &conflicts.sex,
                                 &conflicts.date_of_death, &conflicts.place_of_death};
  text << "|conflicts";
  for (const ConflictRule* r : rules) text << '|' << r->enabled << ',' << r->tolerance;
  text << "|evidence|" << evidence.enabled << ',' << evidence.name_parts << ','
       << evidence.placeholder_against_undated << "|placeholders";
  for (const auto& d : placeholder_dates.dates) text << '|' << d;
  text << '|' << placeholder_dates.january_first << ',' << placeholder_dates.january_first_share;
  // FNV-1a, printed as 8 hex digits: short enough for history details.
  uint32_t h = 2166136261u;
  for (char c : text.str()) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, "%08x", h);
  return buf;
}

double MatchingSettings::weight(const std::string& name) const {
  auto it = weights.find(name);
  if (it == weights.end()) throw std::out_of_range("unknown matching weight: " + name);
  return it->second;
}

Config DefaultConfig() {
  Config c;
  for (const auto& w : kMatchingWeights) c.matching.weights[w.name] = w.value;
  return c;
}

ConfigLoad LoadConfig(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    ConfigLoad load;
    load.config = DefaultConfig();
    load.errors.push_back({file, 0, 0, "", "cannot read file"});
    return load;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  ConfigLoad load = ParseConfig(ss.str(), file);
  load.config.path = file;
  return load;
}

}  // namespace qayd
