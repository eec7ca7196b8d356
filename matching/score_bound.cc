#include "matching/score_bound.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdlib>
#include <initializer_list>
#include <limits>
#include <string_view>

#include "matching/interner.h"

namespace qayd::matching {
namespace {

double Best(std::initializer_list<double> v) { return std::max(v); }

constexpr uint16_t kYearMask = 0x7FF, kWideYear = 0x7FF;
constexpr int kSexShift = 11, kNamesShift = 13, kAltShift = 15;
constexpr double kInfinity = std::numeric_limits<double>::infinity();

uint8_t Hash8(uint32_t id) { return static_cast<uint8_t>((id * 0x9E3779B1u) >> 24); }

// Letter codes of the long vowels ا و ي (scorer.cc's IsLongVowel).
bool LongVowel(uint8_t code) { return code == 0x27 || code == 0x48 || code == 0x4A; }

// Whether scorer.cc's ArabicNear can hold for two different keys whose
// letters are known: one letter after the first differs (neither a long
// vowel), or the longer has one more letter at the end (not a long vowel).
// Only the positions kept in the signatures are checked.
bool ArabicNearPossible(const PartSig& x, const PartSig& y) {
  const PartSig* a = &x;
  const PartSig* b = &y;
  if (a->count < b->count) std::swap(a, b);
  const int na = a->count, nb = b->count;
  if (a->letters[0] != b->letters[0] || nb < 3 || na - nb > 1) return false;
  if (na == nb + 1) {  // b followed by one letter
    return a->letters[1] == b->letters[1] && a->letters[2] == b->letters[3] &&
           !LongVowel(a->letters[3]);
  }
  // Positions 1, n-2, n-1 hold letters 1..3; count the positions that differ.
  const int pos[3] = {1, na - 2, na - 1};
  int differing = 0, seen = 0;
  bool vowel = false;
  for (int k = 0; k < 3; ++k) {
    if (pos[k] <= seen) continue;  // the same position as an earlier one (three letters)
    seen = pos[k];
    if (a->letters[k + 1] == b->letters[k + 1]) continue;
    ++differing;
    vowel = vowel || LongVowel(a->letters[k + 1]) || LongVowel(b->letters[k + 1]);
  }
  return differing == 0 || (differing == 1 && !vowel);
}

// Whether two skeletons of known lengths and characters, neither equal nor
// of lengths more than one apart, can reach `threshold` in scorer.cc's
// Jaro-Winkler test: matches are at most the characters each has that the
// other has, transpositions at least none, and the prefix bonus needs the
// same first character.
bool JaroWinklerPossible(const PartSig& x, const PartSig& y, double threshold) {
  const int la = x.info & PartSig::kLenMask, lb = y.info & PartSig::kLenMask;
  const int m =
      std::min(la - std::popcount(x.chars & ~y.chars), lb - std::popcount(y.chars & ~x.chars));
  if (m <= 0) return false;
  const double jaro = (static_cast<double>(m) / la + static_cast<double>(m) / lb + 1.0) / 3.0;
  const int prefix = x.first == y.first ? std::min({4, la, lb}) : 0;
  return jaro + prefix * 0.1 * (1.0 - jaro) + 1e-9 >= threshold;
}

enum class Class { kAgree, kNear, kDisagree, kMissing };

// The classes of scorer.cc's Compare levels that two parts can reach: exact
// or same key (kAgree, which may also be a vowel mismatch), near or
// different (kNear), certainly different (kDisagree), missing. Whatever the
// signatures cannot tell apart falls in the wider class.
Class Classify(const PartSig& x, const PartSig& y, double near_threshold) {
  if (!(x.info & PartSig::kPresent) || !(y.info & PartSig::kPresent)) return Class::kMissing;
  const bool xa = x.info & PartSig::kArabic, ya = y.info & PartSig::kArabic;
  if (xa && ya) {  // same script: the keys (equal displays have equal keys)
    if (x.spelling_hash == y.spelling_hash) return Class::kAgree;
    if (!(x.info & y.info & PartSig::kLetters)) return Class::kNear;
    return ArabicNearPossible(x, y) ? Class::kNear : Class::kDisagree;
  }
  if (!xa && !ya && x.spelling_hash == y.spelling_hash) return Class::kAgree;  // the same display
  if (x.key_hash == y.key_hash) return Class::kAgree;
  // Compare's length condition for near skeletons (at least 2 bytes, at most
  // 1 apart), then the Jaro-Winkler bound.
  const int la = x.info & PartSig::kLenMask, lb = y.info & PartSig::kLenMask;
  if (la == PartSig::kLong || lb == PartSig::kLong) return Class::kNear;
  if (la < 2 || lb < 2 || std::abs(la - lb) > 1) return Class::kDisagree;
  if (!(x.first & y.first & PartSig::kCharsKnown)) return Class::kNear;
  return JaroWinklerPossible(x, y, near_threshold) ? Class::kNear : Class::kDisagree;
}

}  // namespace

PartSig Sign(PartRef p) {
  PartSig s;
  if (p.empty()) return s;
  const std::string_view key = Interned(p.key);
  s.info = static_cast<uint8_t>(std::min<size_t>(key.size(), PartSig::kLong)) | PartSig::kPresent;
  s.key_hash = Hash8(InternedHash(p.key));
  s.spelling_hash = Hash8(InternedHash(p.arabic ? p.fine : p.disp));
  if (!key.empty() && key.size() <= 30) {
    bool ascii = true;
    for (char c : key) {
      ascii = ascii && static_cast<unsigned char>(c) < 0x80;
      s.chars |= 1u << (c & 31);
    }
    if (ascii)
      s.first = static_cast<uint8_t>((key[0] & 31) | PartSig::kCharsKnown);
    else
      s.chars = 0;
  }
  if (!p.arabic) return s;
  s.info |= PartSig::kArabic;
  // The key's letters, if all are in the Arabic block (two bytes each).
  const std::string_view fine = Interned(p.fine);
  const size_t n = fine.size() / 2;
  if (fine.size() % 2 != 0 || n == 0 || n > 48) return s;
  uint8_t code[48];
  for (size_t i = 0; i < n; ++i) {
    const unsigned char b0 = static_cast<unsigned char>(fine[2 * i]);
    const unsigned char b1 = static_cast<unsigned char>(fine[2 * i + 1]);
    if (b0 < 0xD8 || b0 > 0xDB || (b1 & 0xC0) != 0x80) return s;  // not U+0600..U+06FF
    code[i] = static_cast<uint8_t>(((b0 & 3) << 6) | (b1 & 0x3F));
  }
  s.count = static_cast<uint8_t>(n);
  s.letters[0] = code[0];
  s.letters[1] = n > 1 ? code[1] : 0;
  s.letters[2] = n > 1 ? code[n - 2] : 0;
  s.letters[3] = code[n - 1];
  s.info |= PartSig::kLetters;
  return s;
}

PartSig CandidateSummary::Part(int r) const {
  PartSig s;
  s.info = info[r];
  s.key_hash = key_hash[r];
  s.spelling_hash = spelling_hash[r];
  s.count = count[r];
  s.first = first[r];
  s.chars = chars[r];
  std::copy(letters[r], letters[r] + 4, s.letters);
  return s;
}

CandidateSummary Summarize(const Profile& p) {
  CandidateSummary s;
  s.dob = p.dob;
  const uint16_t year =
      p.dob_year > 0 && p.dob_year < kWideYear ? static_cast<uint16_t>(p.dob_year) : 0;
  s.bits = p.dob_year != 0 && year == 0 ? kWideYear : year;
  s.bits |= static_cast<uint16_t>((static_cast<unsigned>(p.sex) & 3) << kSexShift);
  s.bits |= static_cast<uint16_t>(std::min<unsigned>(p.nnames, 3) << kNamesShift);
  if (p.nnames == 0) return s;
  for (int r = 0; r < kRoles; ++r) {
    const PartSig x = Sign(p.names[0].role(r));
    s.info[r] = x.info;
    s.key_hash[r] = x.key_hash;
    s.spelling_hash[r] = x.spelling_hash;
    s.count[r] = x.count;
    s.first[r] = x.first;
    s.chars[r] = x.chars;
    std::copy(x.letters, x.letters + 4, s.letters[r]);
  }
  if (!p.names[0].alt_family.empty()) s.bits |= 1u << kAltShift;
  return s;
}

ScoreBound::ScoreBound(const Profile& q, const Weights& w, const Frequencies& f)
    : q_(q), w_(w), f_(f), q_dob_(ClassifyDob(q.dob, q.dob_year, w, f)) {
  // A name part's agreement weight is log2(m/u) with u the larger of the two
  // parts' frequencies, so q's part alone bounds it; near levels take a
  // share of it (or of agree_min, were near_factor negative).
  auto role_bound = [&](PartRef x, int r) {
    Role b;
    b.part = Sign(x);
    if (x.empty()) return b;  // missing, whatever the candidate holds
    const double a = std::clamp(std::log2(w.name_m / f.PartU(x.key)), w.agree_min, w.agree_max);
    b.near = std::max({a * w.near_factor, w.agree_min * w.near_factor, w.disagree[r]});
    b.agree = Best({a, a + w.spelling, b.near});  // includes a vowel mismatch (disagree)
    b.disagree = w.disagree[r];
    return b;
  };
  nnames_ = q.nnames;
  for (int i = 0; i < q.nnames; ++i) {
    const NameProfile& n = q.names[i];
    Name& b = names_[i];
    double any = 0;
    for (int r = 0; r < kRoles; ++r) {
      b.role[r] = role_bound(n.role(r), r);
      if (r != kFamily) any += std::max(0.0, b.role[r].agree);
    }
    // The family may agree through either side's alternative family name.
    b.alt_family = !n.alt_family.empty();
    b.family_any = Best({0.0, b.role[kFamily].agree, role_bound(n.alt_family, kFamily).agree});
    b.shift = std::max(0.0, w.shift);
    any += b.family_any + b.shift;
    any_name_ = i == 0 ? any : std::max(any_name_, any);
  }
  fixed_ = Best({0.0, w.dod_near, w.dod_far}) + Best({0.0, w.gov_agree, w.gov_disagree}) +
           std::max(0.0, w.district_agree) + Best({0.0, w.locality_agree, w.locality_disagree});
  age_ = 2 * Best({0.0, w.age_agree, w.age_disagree});
}

double ScoreBound::Of(const CandidateSummary& c) const {
  const int c_year = c.bits & kYearMask;
  if (c_year == kWideYear) return kInfinity;  // a year the summary does not hold
  const int c_names = (c.bits >> kNamesShift) & 3;
  const bool c_alt = (c.bits >> kAltShift) & 1;
  double names = 0;
  if (nnames_ > 0 && c_names > 0) {
    PartSig part[kRoles];
    for (int r = 0; r < kRoles; ++r) part[r] = c.Part(r);
    names = -kInfinity;
    for (int i = 0; i < nnames_; ++i) {
      const Name& b = names_[i];
      double sum = b.shift;
      for (int r = 0; r < kRoles; ++r) {
        const Role& x = b.role[r];
        const Class cls = Classify(x.part, part[r], w_.near_threshold);
        double wt = cls == Class::kAgree      ? x.agree
                    : cls == Class::kNear     ? x.near
                    : cls == Class::kDisagree ? x.disagree
                                              : 0.0;
        if (r == kFamily) {
          // Score tries the alternative family names when the families do
          // not agree, and counts a family that is the other side's
          // grandfather as dropped (weight 0).
          if (c_alt || b.alt_family) {
            wt = b.family_any;
          } else if (cls != Class::kDisagree ||
                     Classify(x.part, part[kGrandfather], w_.near_threshold) == Class::kAgree ||
                     Classify(b.role[kGrandfather].part, part[kFamily], w_.near_threshold) ==
                         Class::kAgree) {
            wt = std::max(wt, 0.0);
          }
        }
        sum += wt;
      }
      names = std::max(names, sum);
    }
    if (c_names > 1) names = std::max(names, any_name_);  // its second spelling is not summarised
  }
  // Date of birth as Score compares it; the ages at their best when it does not.
  const DobComparison dob =
      CompareDob(q_dob_, q_.dob, q_.dob_year, c.dob, static_cast<int16_t>(c_year), w_, f_);
  double other = fixed_ + dob.weight;
  if (!dob.compared) other += age_;
  const Sex sex = static_cast<Sex>((c.bits >> kSexShift) & 3);
  if (q_.sex != Sex::kUnknown && sex != Sex::kUnknown)
    other += q_.sex == sex ? w_.sex_agree : w_.sex_disagree;
  return names + other;
}

}  // namespace qayd::matching
