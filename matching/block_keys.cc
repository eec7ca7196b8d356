#include "matching/block_keys.h"

#include <algorithm>

#include "matching/interner.h"

namespace qayd::matching {
namespace {

uint64_t Mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

uint64_t Key(uint64_t type, uint64_t a, uint64_t b) { return Mix((a << 32 | b) ^ Mix(type)); }

}  // namespace

void BlockKeys(const Profile& p, std::vector<uint64_t>* out) {
  size_t start = out->size();
  for (int i = 0; i < p.nnames; ++i) {
    const NameProfile& n = p.names[i];
    uint32_t r[kRoles];
    // By the strings' hashes, not their interned ids (which depend on thread
    // timing): the same keys, list lengths and proposals in every run.
    for (int k = 0; k < kRoles; ++k) r[k] = InternedHash(n.role(k).key);
    uint32_t alt = InternedHash(n.alt_family.key);
    static constexpr int kPairs[][2] = {{kFirst, kFather},      {kFather, kGrandfather},
                                        {kFirst, kFamily},      {kFather, kFamily},
                                        {kFirst, kGrandfather}, {kGrandfather, kFamily}};
    for (int t = 0; t < 6; ++t) {
      uint32_t a = r[kPairs[t][0]], b = r[kPairs[t][1]];
      if (a && b) out->push_back(Key(t + 1, a, b));
    }
    if (alt) {
      if (r[kFirst]) out->push_back(Key(3, r[kFirst], alt));
      if (r[kFather]) out->push_back(Key(4, r[kFather], alt));
    }
    if (n.n == 1 && r[kFirst]) out->push_back(Key(9, r[kFirst], 0));
    if (p.dob != kNoDate) {
      uint32_t d = static_cast<uint32_t>(p.dob);
      if (r[kFirst]) out->push_back(Key(10, d, r[kFirst]));
      if (r[kFamily]) out->push_back(Key(11, d, r[kFamily]));
    }
  }
  std::sort(out->begin() + static_cast<long>(start), out->end());
  out->erase(std::unique(out->begin() + static_cast<long>(start), out->end()), out->end());
}

}  // namespace qayd::matching
