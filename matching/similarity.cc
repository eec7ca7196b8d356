#include "matching/similarity.h"

#include <algorithm>
#include <cstdint>

#include "matching/utf8.h"

namespace qayd::matching {
namespace {

constexpr int kMax = 48;

}  // namespace

double JaroWinkler(std::string_view sa, std::string_view sb) {
  uint32_t a[kMax], b[kMax];
  int na = DecodeUtf8(sa, a, kMax), nb = DecodeUtf8(sb, b, kMax);
  if (na == 0 || nb == 0) return 0.0;
  if (na == nb && std::equal(a, a + na, b)) return 1.0;
  int window = std::max(0, std::max(na, nb) / 2 - 1);
  bool ma[kMax] = {}, mb[kMax] = {};
  int matches = 0;
  for (int i = 0; i < na; ++i) {
    int lo = std::max(0, i - window), hi = std::min(nb - 1, i + window);
    for (int j = lo; j <= hi; ++j) {
      if (!mb[j] && a[i] == b[j]) {
        ma[i] = mb[j] = true;
        ++matches;
        break;
      }
    }
  }
  if (matches == 0) return 0.0;
  int t = 0;
  for (int i = 0, j = 0; i < na; ++i) {
    if (!ma[i]) continue;
    while (!mb[j]) ++j;
    if (a[i] != b[j]) ++t;
    ++j;
  }
  double m = matches;
  double jaro = (m / na + m / nb + (m - t / 2.0) / m) / 3.0;
  int prefix = 0;
  while (prefix < 4 && prefix < na && prefix < nb && a[prefix] == b[prefix]) ++prefix;
  return jaro + prefix * 0.1 * (1.0 - jaro);
}

}  // namespace qayd::matching
