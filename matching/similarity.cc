#include "matching/similarity.h"

#include <algorithm>
#include <cstdint>

namespace qayd::matching {
namespace {

constexpr int kMax = 48;

int Decode(std::string_view s, uint32_t* out) {
  int n = 0;
  for (size_t i = 0; i < s.size() && n < kMax;) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    uint32_t cp = c;
    int len = 1;
    if (c >= 0xF0) {
      cp = c & 0x07;
      len = 4;
    } else if (c >= 0xE0) {
      cp = c & 0x0F;
      len = 3;
    } else if (c >= 0xC0) {
      cp = c & 0x1F;
      len = 2;
    }
    for (int k = 1; k < len && i + k < s.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    out[n++] = cp;
    i += len;
  }
  return n;
}

}  // namespace

double JaroWinkler(std::string_view sa, std::string_view sb) {
  uint32_t a[kMax], b[kMax];
  int na = Decode(sa, a), nb = Decode(sb, b);
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
