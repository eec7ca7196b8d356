// String similarity for name tokens: Jaro-Winkler on code points, without
// allocation (tokens longer than 48 code points are truncated). Thread-safe.
#pragma once

#include <string_view>

namespace qayd::matching {

// 0..1; 1 for equal strings, 0 when either is empty. UTF-8 input.
double JaroWinkler(std::string_view a, std::string_view b);

}  // namespace qayd::matching
