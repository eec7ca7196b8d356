#include "matching/score_bound.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <initializer_list>
#include <limits>

namespace qayd::matching {
namespace {

double Best(std::initializer_list<double> v) { return std::max(v); }

constexpr uint8_t kSexMask = 3, kNamesShift = 2, kNamesMask = 3, kAltBit = 16;

enum class Class { kAgree, kNear, kDisagree, kMissing };

// The classes of Compare's levels (scorer.cc) that q's part x and a
// candidate's part y can reach: exact or same key (kAgree, which may also be
// a vowel mismatch), near or different (kNear), certainly different
// (kDisagree), missing. A spelling hash that collides only widens a class.
Class Classify(PartRef x, const CandidateSummary& c, int r) {
  if (x.empty() || !(c.flags[r] & CandidateSummary::kPresent)) return Class::kMissing;
  if (x.disp != 0 && DispHash(x.disp) == c.disp_hash[r]) return Class::kAgree;
  PartRef z;  // the candidate's part without its spelling, for the cheap near tests
  z.key = c.key[r];
  z.fine = c.fine[r];
  z.arabic = (c.flags[r] & CandidateSummary::kArabic) != 0;
  z.key_len = c.key_len[r];
  z.fine_len = c.fine_len[r];
  z.fine_lead = c.fine_lead[r];
  if (x.arabic && z.arabic) {
    if (x.fine != 0 && x.fine == z.fine) return Class::kAgree;
    return MayBeArabicNear(x, z) ? Class::kNear : Class::kDisagree;
  }
  if (x.key != 0 && x.key == z.key) return Class::kAgree;
  return MayBeNearKeys(x, z) ? Class::kNear : Class::kDisagree;
}

}  // namespace

uint16_t DispHash(uint32_t disp) { return static_cast<uint16_t>((disp * 0x9E3779B1u) >> 16); }

CandidateSummary Summarize(const Profile& p) {
  CandidateSummary s;
  s.dob = p.dob;
  s.dob_year = p.dob_year;
  s.bits = static_cast<uint8_t>(static_cast<unsigned>(p.sex) & kSexMask);
  s.bits |= static_cast<uint8_t>(std::min<unsigned>(p.nnames, kNamesMask) << kNamesShift);
  if (p.nnames == 0) return s;
  for (int r = 0; r < kRoles; ++r) {
    const PartRef x = p.names[0].role(r);
    if (x.empty()) continue;
    s.key[r] = x.key;
    s.fine[r] = x.fine;
    s.disp_hash[r] = DispHash(x.disp);
    s.key_len[r] = x.key_len;
    s.fine_len[r] = x.fine_len;
    s.fine_lead[r] = x.fine_lead;
    s.flags[r] = CandidateSummary::kPresent | (x.arabic ? CandidateSummary::kArabic : 0);
  }
  if (!p.names[0].alt_family.empty()) s.bits |= kAltBit;
  return s;
}

ScoreBound::ScoreBound(const Profile& q, const Weights& w, const Frequencies& f) : q_(q), w_(w) {
  // A name part's agreement weight is log2(m/u) with u the larger of the two
  // parts' frequencies, so q's part alone bounds it; near levels take a
  // share of it (or of agree_min, were near_factor negative).
  auto role_bound = [&](PartRef x, int r) {
    Role b;
    b.part = x;
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
  const int c_names = (c.bits >> kNamesShift) & kNamesMask;
  const bool c_alt = (c.bits & kAltBit) != 0;
  double names = 0;
  if (nnames_ > 0 && c_names > 0) {
    names = -std::numeric_limits<double>::infinity();
    for (int i = 0; i < nnames_; ++i) {
      const Name& b = names_[i];
      double sum = b.shift;
      for (int r = 0; r < kRoles; ++r) {
        const Role& x = b.role[r];
        const Class cls = Classify(x.part, c, r);
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
                     Classify(x.part, c, kGrandfather) == Class::kAgree) {
            wt = std::max(wt, 0.0);
          } else if (const PartRef g = b.role[kGrandfather].part; !g.empty()) {
            if (Classify(g, c, kFamily) == Class::kAgree) wt = std::max(wt, 0.0);
          }
        }
        sum += wt;
      }
      names = std::max(names, sum);
    }
    if (c_names > 1) names = std::max(names, any_name_);  // its second spelling is not summarised
  }
  // Date of birth as Score compares it (an exact agreement at its largest).
  double other = fixed_;
  bool dob_compared = false;
  if (q_.dob != kNoDate && c.dob != kNoDate) {
    dob_compared = true;
    const int gap = std::abs(q_.dob - c.dob);
    if (gap == 0) {
      other += std::max(w_.dob_exact_min, w_.dob_exact_max);
    } else if (q_.dob_year == c.dob_year) {
      other += w_.dob_same_year;
    } else if (gap <= 366) {
      other += w_.dob_within_year;
    } else {
      other +=
          std::max(w_.dob_placeholder_disagree, w_.dob_disagree + (gap > 5 * 365 ? w_.dob_far : 0));
    }
  } else if (q_.dob_year && c.dob_year) {
    dob_compared = true;
    const int gap = std::abs(q_.dob_year - c.dob_year);
    other += gap == 0 ? w_.dob_same_year : gap == 1 ? w_.dob_within_year : w_.dob_disagree;
  }
  if (!dob_compared) {
    if ((q_.dob_year != 0) != (c.dob_year != 0)) other += w_.dob_missing;
    other += age_;
  }
  const Sex sex = static_cast<Sex>(c.bits & kSexMask);
  if (q_.sex != Sex::kUnknown && sex != Sex::kUnknown)
    other += q_.sex == sex ? w_.sex_agree : w_.sex_disagree;
  return names + other;
}

}  // namespace qayd::matching
