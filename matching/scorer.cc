#include "matching/scorer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "config/matching_weights.h"
#include "matching/interner.h"
#include "matching/similarity.h"
#include "matching/skeleton.h"
#include "matching/utf8.h"

namespace qayd::matching {
namespace {

double Get(const MatchingSettings& s, const char* name) {
  auto it = s.weights.find(name);
  if (it != s.weights.end()) return it->second;
  for (const auto& w : kMatchingWeights) {
    if (std::string_view(w.name) == name) return w.value;
  }
  return 0;
}

enum class Level { kExact, kKey, kNear, kDisagree, kMissing, kDropped };
const char* LevelName(Level l) {
  switch (l) {
    case Level::kExact:
      return "exact";
    case Level::kKey:
      return "same-key";
    case Level::kNear:
      return "near";
    case Level::kDisagree:
      return "disagree";
    case Level::kMissing:
      return "missing";
    case Level::kDropped:
      return "dropped";
  }
  return "";
}

constexpr Level kVowelMismatch = Level::kDisagree;

bool IsLongVowel(uint32_t c) { return c == 0x0627 || c == 0x0648 || c == 0x064A; }

// Two Arabic spellings that differ as extraction noise does: one misread
// consonant after the first letter, or a letter dropped at the end (مصطف).
// Vowel letters are not noise in Arabic script (محمد/محمود, سامر/سمير are
// different names), nor is the first letter (فادي/شادي), nor a letter missing
// in the middle (بيسان/بيان).
bool ArabicNear(std::string_view sa, std::string_view sb) {
  // Cheap rejections first: the first letter must agree, lengths be close.
  if (sa.size() < 2 || sb.size() < 2 || sa.substr(0, 2) != sb.substr(0, 2)) return false;
  if ((sa.size() > sb.size() ? sa.size() - sb.size() : sb.size() - sa.size()) > 4) return false;
  uint32_t a[48], b[48];
  int na = DecodeUtf8(sa, a, 48), nb = DecodeUtf8(sb, b, 48);
  if (na < nb) std::swap(na, nb), std::swap(a, b);
  if (nb < 3 || na - nb > 1) return false;
  int i = 0;
  while (i < nb && a[i] == b[i]) ++i;
  if (na == nb) {
    if (i == na) return true;
    if (i == 0 || IsLongVowel(a[i]) || IsLongVowel(b[i])) return false;
    return std::equal(a + i + 1, a + na, b + i + 1);
  }
  return i == nb && !IsLongVowel(a[nb]);  // one letter more, at the end
}

// ArabicNear's and the skeletons' cheap rejections, from the lengths and lead
// kept in the PartRefs, without reading the interned strings. False: the
// two parts are certainly not near.
bool MayBeArabicNear(PartRef a, PartRef b) {
  if (a.fine_len < 2 || b.fine_len < 2 || a.fine_lead != b.fine_lead) return false;
  if (a.fine_len == kLongPart || b.fine_len == kLongPart) return true;
  return std::abs(int{a.fine_len} - int{b.fine_len}) <= 4;
}
bool MayBeNearKeys(PartRef a, PartRef b) {
  if (a.key_len == kLongPart || b.key_len == kLongPart) return true;
  return a.key_len >= 2 && b.key_len >= 2 && std::abs(int{a.key_len} - int{b.key_len}) <= 1;
}

Level Compare(PartRef a, PartRef b, double near_threshold) {
  if (a.empty() || b.empty()) return Level::kMissing;
  if (a.disp != 0 && a.disp == b.disp) return Level::kExact;
  if (a.arabic && b.arabic) {  // same script: the spelling carries the vowels
    if (a.fine != 0 && a.fine == b.fine) return Level::kKey;
    return MayBeArabicNear(a, b) && ArabicNear(Interned(a.fine), Interned(b.fine))
               ? Level::kNear
               : Level::kDisagree;
  }
  if (a.key != 0 && a.key == b.key) {
    // Across scripts the skeleton drops long vowels; the sketch restores them.
    if (a.arabic != b.arabic &&
        !VowelSketchesAgree(a.arabic ? a.vowels : b.vowels, a.arabic ? b.vowels : a.vowels)) {
      return kVowelMismatch;
    }
    return Level::kKey;
  }
  if (!MayBeNearKeys(a, b)) return Level::kDisagree;
  std::string_view ka = Interned(a.key), kb = Interned(b.key);
  size_t la = ka.size(), lb = kb.size();
  if (la >= 2 && lb >= 2 && (la > lb ? la - lb : lb - la) <= 1 &&
      JaroWinkler(ka, kb) >= near_threshold) {
    return Level::kNear;
  }
  return Level::kDisagree;
}

// Compare(a, b) is kExact or kKey (without computing the near levels).
bool SameKey(PartRef a, PartRef b) {
  if (a.empty() || b.empty()) return false;
  if (a.disp != 0 && a.disp == b.disp) return true;
  if (a.arabic && b.arabic) return a.fine != 0 && a.fine == b.fine;
  if (a.key == 0 || a.key != b.key) return false;
  return a.arabic == b.arabic ||
         VowelSketchesAgree(a.arabic ? a.vowels : b.vowels, a.arabic ? b.vowels : a.vowels);
}

const char* kRoleNames[kRoles] = {"name.first", "name.father", "name.grandfather", "name.family"};

struct NameScore {
  double total = 0;
  Level level[kRoles];
  double weight[kRoles];
  bool shift = false;
};

NameScore ScoreNames(const NameProfile& a, const NameProfile& b, const Weights& w,
                     const Frequencies& f) {
  NameScore s;
  for (int r = 0; r < kRoles; ++r) {
    PartRef pa = a.role(r), pb = b.role(r);
    Level l = Compare(pa, pb, w.near_threshold);
    if (r == kFamily && l != Level::kExact && l != Level::kKey) {
      // An alternative family name "(...)" may agree instead.
      for (PartRef x : {pa, a.alt_family}) {
        for (PartRef y : {pb, b.alt_family}) {
          Level alt = Compare(x, y, w.near_threshold);
          if (alt < l) l = alt, pa = x, pb = y;
        }
      }
      // Family dropped on one side: its last part is the other's grandfather.
      if (l == Level::kDisagree &&
          (SameKey(pa, b.role(kGrandfather)) || SameKey(pb, a.role(kGrandfather)))) {
        l = Level::kDropped;
      }
    }
    double wt = 0;
    if (l == Level::kExact || l == Level::kKey || l == Level::kNear) {
      double u = std::max(f.PartU(pa.key), f.PartU(pb.key));
      double agree = std::clamp(std::log2(w.name_m / u), w.agree_min, w.agree_max);
      if (l == Level::kExact) wt = agree;
      if (l == Level::kKey) wt = agree + w.spelling;
      if (l == Level::kNear) wt = agree * w.near_factor;
    } else if (l == Level::kDisagree) {
      wt = w.disagree[r];
    }
    s.level[r] = l;
    s.weight[r] = wt;
    s.total += wt;
  }
  // Father and son: the son's father is the father's first name, and the
  // son's grandfather the father's father.
  if (s.level[kFirst] == Level::kDisagree) {
    auto shifted = [](const NameProfile& son, const NameProfile& dad) {
      return SameKey(son.role(kFather), dad.role(kFirst)) &&
             (son.role(kGrandfather).empty() || dad.role(kFather).empty() ||
              SameKey(son.role(kGrandfather), dad.role(kFather)));
    };
    if (shifted(a, b) || shifted(b, a)) {
      s.shift = true;
      s.total += w.shift;
    }
  }
  return s;
}

std::string Detail(PartRef a, PartRef b, const Frequencies& f) {
  std::string out(Interned(a.disp));
  out += " ~ ";
  out += Interned(b.disp);
  char buf[96];
  std::snprintf(buf, sizeof buf, " [%s|%s] (freq %u,%u of %llu)",
                std::string(Interned(a.key)).c_str(), std::string(Interned(b.key)).c_str(),
                a.key < f.key_count.size() ? f.key_count[a.key] : 0u,
                b.key < f.key_count.size() ? f.key_count[b.key] : 0u,
                static_cast<unsigned long long>(f.total_parts));
  return out + buf;
}

// Records a field's contribution when an explanation is wanted. `detail` is
// a callable returning the text, so that scoring without an explanation
// builds no strings.
template <class Detail>
void Add(Explanation* why, const char* field, const char* level, double weight,
         const Detail& detail) {
  if (why) why->fields.push_back({field, level, weight, detail()});
}
void Add(Explanation* why, const char* field, const char* level, double weight,
         const char* detail) {
  if (why) why->fields.push_back({field, level, weight, detail});
}

}  // namespace

Weights Weights::From(const MatchingSettings& s) {
  Weights w;
  // m probabilities outside (0, 1] would make log2(m/u) meaningless: clamp.
  w.name_m = std::clamp(Get(s, "name.m"), 1e-3, 1.0);
  w.agree_min = Get(s, "name.agree_min");
  w.agree_max = Get(s, "name.agree_max");
  w.spelling = Get(s, "name.spelling");
  w.near_factor = Get(s, "name.near_factor");
  w.near_threshold = Get(s, "name.near_threshold");
  w.disagree[kFirst] = Get(s, "name.first.disagree");
  w.disagree[kFather] = Get(s, "name.father.disagree");
  w.disagree[kGrandfather] = Get(s, "name.grandfather.disagree");
  w.disagree[kFamily] = Get(s, "name.family.disagree");
  w.shift = Get(s, "name.shift");
  w.dob_m = std::clamp(Get(s, "dob.m"), 1e-3, 1.0);
  w.dob_exact_min = Get(s, "dob.exact_min");
  w.dob_exact_max = Get(s, "dob.exact_max");
  w.dob_same_year = Get(s, "dob.same_year");
  w.dob_within_year = Get(s, "dob.within_year");
  w.dob_disagree = Get(s, "dob.disagree");
  w.dob_far = Get(s, "dob.far");
  w.dob_missing = Get(s, "dob.missing");
  w.dob_placeholder_share = Get(s, "dob.placeholder_share");
  w.dob_placeholder_disagree = Get(s, "dob.placeholder_disagree");
  w.age_agree = Get(s, "age.agree");
  w.age_disagree = Get(s, "age.disagree");
  w.sex_agree = Get(s, "sex.agree");
  w.sex_disagree = Get(s, "sex.disagree");
  w.dod_near = Get(s, "dod.near");
  w.dod_far = Get(s, "dod.far");
  w.gov_agree = Get(s, "place.governorate.agree");
  w.gov_disagree = Get(s, "place.governorate.disagree");
  w.district_agree = Get(s, "place.district.agree");
  w.locality_agree = Get(s, "place.locality.agree");
  w.locality_disagree = Get(s, "place.locality.disagree");
  w.ambiguity_margin = Get(s, "decision.ambiguity_margin");
  w.first_disagree_cap = s.auto_merge - 0.5;
  return w;
}

double Frequencies::PartU(uint32_t key) const {
  uint32_t c = key < key_count.size() ? key_count[key] : 0;
  // Add-half smoothing over a floor of 1,000 parts, so a small register does
  // not make every token look rare.
  double total = static_cast<double>(std::max<uint64_t>(total_parts, 1000));
  return (c + 0.5) / (total + 1.0);
}

double Frequencies::DobU(int32_t dob) const {
  uint32_t c = DobCount(dob);
  double total = static_cast<double>(std::max<uint64_t>(total_dobs, 1000));
  // A random pair agrees on a date at least as often as 1 in 365*80.
  return std::max((c + 0.5) / (total + 1.0), 1.0 / 29200.0);
}

uint32_t Frequencies::DobCount(int32_t dob) const {
  int64_t i = static_cast<int64_t>(dob) - kFirstDay;
  return i >= 0 && static_cast<size_t>(i) < dob_count.size() ? dob_count[static_cast<size_t>(i)]
                                                             : 0;
}

void Frequencies::AddDob(int32_t dob, int delta) {
  int64_t i = static_cast<int64_t>(dob) - kFirstDay;
  if (i < 0 || i >= kDays) return;
  if (dob_count.empty()) dob_count.assign(kDays, 0);
  dob_count[static_cast<size_t>(i)] += delta;
  total_dobs += delta;
}

bool Frequencies::DobPlaceholder(int32_t dob, double share) const {
  uint32_t c = DobCount(dob);
  double per_day = std::max(1.0, static_cast<double>(total_dobs) / 29200.0);
  return c > share * per_day;
}

double Score(const Profile& a, const Profile& b, const Weights& w, const Frequencies& f,
             Explanation* why) {
  double total = 0;
  // Names: the best pair of spellings.
  NameScore best;
  int bi = -1, bj = -1;
  for (int i = 0; i < a.nnames; ++i) {
    for (int j = 0; j < b.nnames; ++j) {
      NameScore s = ScoreNames(a.names[i], b.names[j], w, f);
      if (bi < 0 || s.total > best.total) best = s, bi = i, bj = j;
    }
  }
  if (bi >= 0) {
    total += best.total;
    if (why) {
      for (int r = 0; r < kRoles; ++r) {
        Add(why, kRoleNames[r], LevelName(best.level[r]), best.weight[r],
            [&] { return Detail(a.names[bi].role(r), b.names[bj].role(r), f); });
      }
      if (best.shift)
        Add(why, "name.shift", "father-son", w.shift, "parts shifted by one position");
    }
  } else {
    Add(why, "name", "missing", 0, "no usable name on one side");
  }
  // Date of birth, else age.
  bool dob_compared = false;
  if (a.dob != kNoDate && b.dob != kNoDate) {
    dob_compared = true;
    int gap = std::abs(a.dob - b.dob);
    auto days_apart = [&] { return std::to_string(gap) + " days apart"; };
    if (gap == 0) {
      double wt = std::clamp(std::log2(w.dob_m / f.DobU(a.dob)), w.dob_exact_min, w.dob_exact_max);
      total += wt;
      Add(why, "date_of_birth", "exact", wt, [&] {
        return "same day (date shared by " + std::to_string(f.DobCount(a.dob)) + " indexed)";
      });
    } else if (a.dob_year == b.dob_year) {
      total += w.dob_same_year;
      Add(why, "date_of_birth", "same-year", w.dob_same_year, days_apart);
    } else if (gap <= 366) {
      total += w.dob_within_year;
      Add(why, "date_of_birth", "within-year", w.dob_within_year, days_apart);
    } else if (f.DobPlaceholder(a.dob, w.dob_placeholder_share) ||
               f.DobPlaceholder(b.dob, w.dob_placeholder_share)) {
      total += w.dob_placeholder_disagree;
      Add(why, "date_of_birth", "placeholder", w.dob_placeholder_disagree,
          [&] { return days_apart() + "; one date is a common placeholder"; });
    } else {
      double wt = w.dob_disagree + (gap > 5 * 365 ? w.dob_far : 0);
      total += wt;
      Add(why, "date_of_birth", gap > 5 * 365 ? "far" : "disagree", wt, days_apart);
    }
  } else if (a.dob_year && b.dob_year) {
    dob_compared = true;
    int gap = std::abs(a.dob_year - b.dob_year);
    double wt = gap == 0 ? w.dob_same_year : gap == 1 ? w.dob_within_year : w.dob_disagree;
    total += wt;
    Add(why, "date_of_birth",
        gap == 0   ? "same-year"
        : gap == 1 ? "within-year"
                   : "disagree",
        wt, "years only");
  }
  if (!dob_compared && (a.dob_year != 0) != (b.dob_year != 0)) {
    total += w.dob_missing;
    Add(why, "date_of_birth", "one-missing", w.dob_missing, "only one side has a date of birth");
  }
  // One side's date of birth against the other's age at death (needs a date of
  // death to know when the age was reached).
  auto age_vs_dob = [&](const Profile& with_dob, const Profile& with_age) {
    if (!with_dob.dob_year || with_age.dob_year || with_age.age_min < 0) return false;
    int32_t dod = with_age.dod != kNoDate ? with_age.dod : with_dob.dod;
    if (dod == kNoDate) return false;
    int death_year = 1970 + static_cast<int>(dod / 365.2425);
    int implied = death_year - with_dob.dob_year;
    int gap = std::max({0, with_age.age_min - implied, implied - with_age.age_max});
    double wt = gap <= 1 ? w.age_agree : gap > 2 ? w.age_disagree : 0;
    total += wt;
    Add(why, "age",
        gap <= 1  ? "agree-with-dob"
        : gap > 2 ? "disagree-with-dob"
                  : "near-dob",
        wt, [&] {
          return "age " + std::to_string(with_age.age_min) + " vs born " +
                 std::to_string(with_dob.dob_year) + ", died " + std::to_string(death_year);
        });
    return true;
  };
  if (!dob_compared && !age_vs_dob(a, b)) age_vs_dob(b, a);
  if (!dob_compared && a.age_min >= 0 && b.age_min >= 0) {
    int gap = std::max({0, a.age_min - b.age_max, b.age_min - a.age_max});
    double wt = gap <= 1 ? w.age_agree : gap > 2 ? w.age_disagree : 0;
    total += wt;
    Add(why, "age",
        gap <= 1  ? "agree"
        : gap > 2 ? "disagree"
                  : "near",
        wt, [&] { return std::to_string(gap) + " years apart"; });
  }
  // Sex.
  if (a.sex != Sex::kUnknown && b.sex != Sex::kUnknown) {
    double wt = a.sex == b.sex ? w.sex_agree : w.sex_disagree;
    total += wt;
    Add(why, "sex", a.sex == b.sex ? "agree" : "disagree", wt, "");
  }
  // Date of death.
  if (a.dod != kNoDate && b.dod != kNoDate) {
    int gap = std::abs(a.dod - b.dod);
    double wt = gap <= 7 ? w.dod_near : gap > 365 ? w.dod_far : 0;
    total += wt;
    Add(why, "date_of_death",
        gap <= 7    ? "near"
        : gap > 365 ? "far"
                    : "window",
        wt, [&] { return std::to_string(gap) + " days apart"; });
  }
  // Place of death.
  if (a.governorate && b.governorate) {
    double wt = a.governorate == b.governorate ? w.gov_agree : w.gov_disagree;
    total += wt;
    Add(why, "place.governorate", a.governorate == b.governorate ? "agree" : "disagree", wt, "");
  }
  if (a.district && b.district && a.district == b.district) {
    total += w.district_agree;
    Add(why, "place.district", "agree", w.district_agree, "");
  }
  if (a.locality && b.locality) {
    double wt = a.locality == b.locality ? w.locality_agree : w.locality_disagree;
    total += wt;
    Add(why, "place.locality", a.locality == b.locality ? "agree" : "disagree", wt, "");
  }
  // Relatives share everything but the first name (twins even the date of
  // birth): a first-name disagreement goes to a human at most.
  if (bi >= 0 && best.level[kFirst] == Level::kDisagree && total > w.first_disagree_cap) {
    Add(why, "name.first.cap", "review-at-most", w.first_disagree_cap - total,
        "first names differ: never merged automatically");
    total = w.first_disagree_cap;
  }
  if (why) why->total = total;
  return total;
}

double NameProfileSimilarity(const NameProfile& a, const NameProfile& b) {
  if (a.n == 0 || b.n == 0) return 0;
  auto part_sim = [](PartRef x, PartRef y) {
    if (x.disp == y.disp) return 1.0;
    if (x.key && x.key == y.key) {
      bool cross = x.arabic != y.arabic;
      if (cross &&
          !VowelSketchesAgree(x.arabic ? x.vowels : y.vowels, x.arabic ? y.vowels : x.vowels)) {
        return 0.8;  // same consonants, different long vowels
      }
      return 0.95;
    }
    double k = JaroWinkler(Interned(x.key), Interned(y.key));
    if (x.key == 0 || y.key == 0) k = 0;
    double d = JaroWinkler(Interned(x.disp), Interned(y.disp));
    return std::max(0.9 * k, 0.8 * d);
  };
  // Align position by position; the last parts (family) align with each other.
  int n = std::min(a.n, b.n);
  double sum = 0;
  for (int i = 0; i + 1 < n; ++i) sum += part_sim(a.parts[i], b.parts[i]);
  sum += part_sim(a.parts[a.n - 1], b.parts[b.n - 1]);
  double sim = sum / n;
  // Parts present on one side only lower the similarity a little.
  return sim * (1.0 - 0.05 * std::abs(a.n - b.n));
}

}  // namespace qayd::matching
