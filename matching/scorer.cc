#include "matching/scorer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "config/matching_weights.h"
#include "matching/interner.h"
#include "matching/similarity.h"
#include "matching/skeleton.h"
#include "matching/utf8.h"
#include "model/date.h"

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

// 1 January counts as "year only" (always, never, or when the register holds
// it `january_first_share` times more often than a day's share).
bool JanuaryFirstIsYearOnly(const Weights& w, const Frequencies& f) {
  switch (w.january_first) {
    case Weights::JanuaryFirst::kAlways:
      return true;
    case Weights::JanuaryFirst::kNever:
      return false;
    case Weights::JanuaryFirst::kAuto:
      break;
  }
  return f.total_dobs >= 100 && static_cast<double>(f.january_first_dobs) * 365.25 >
                                    w.january_first_share * static_cast<double>(f.total_dobs);
}

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

std::string DobDetail(const Profile& a, const Profile& b, const Frequencies& f) {
  auto text = [&](const Profile& p) {
    if (p.dob != kNoDate) {
      int month = 1;
      while (month < 12 && DaysFromCivil(p.dob_year, month + 1, 1) <= p.dob) ++month;
      char date[32];
      std::snprintf(date, sizeof date, "%04d-%02d-%02d", p.dob_year, month,
                    p.dob - DaysFromCivil(p.dob_year, month, 1) + 1);
      return std::string(date) + " (held by " + std::to_string(f.DobCount(p.dob)) + " indexed)";
    }
    return p.dob_year ? std::to_string(p.dob_year) + " (year only)" : std::string("none");
  };
  std::string out = text(a) + " ~ " + text(b);
  if (a.dob != kNoDate && b.dob != kNoDate)
    out += ", " + std::to_string(std::abs(a.dob - b.dob)) + " days apart";
  return out;
}

// Two name parts that Compare found different but that may still be one
// name: ابو X against X (a family name written with or without Abu/Umm), and
// across scripts (or between two Latin spellings) the same consonants or
// near skeletons (a transliteration's vowels and doubled letters). Two
// Arabic spellings differ for real otherwise (محمد/محمود).
bool Reconcilable(PartRef x, PartRef y, const Weights& w) {
  const std::string_view kx = Interned(x.key), ky = Interned(y.key);
  auto kunya = [](std::string_view with, std::string_view without) {
    return !without.empty() && with.size() == without.size() + 1 &&
           (with[0] == 'b' || with[0] == 'm') && with.substr(1) == without;
  };
  if (kunya(kx, ky) || kunya(ky, kx)) return true;
  if (x.arabic && y.arabic) return false;
  if (!kx.empty() && kx == ky) return true;
  return kx.size() >= 2 && ky.size() >= 2 && JaroWinkler(kx, ky) >= w.near_threshold - 0.08;
}

// The family name of one side is a middle part of the other (a name cut
// short: A B C D E against A B C D).
bool FamilyAmongParts(const NameProfile& with_family, const NameProfile& other) {
  const PartRef fam = with_family.role(kFamily);
  for (int i = 2; i + 1 < other.n; ++i) {
    if (SameKey(fam, other.parts[i])) return true;
  }
  return false;
}

struct CapInput {
  const Profile& a;
  const Profile& b;
  const Weights& w;
  const DobComparison& dob;
  int age_gap;
  int dod_gap;  // -1: not compared
  const NameScore* names = nullptr;
  const NameProfile* na = nullptr;
  const NameProfile* nb = nullptr;
};

// Caps `total` at w.review_cap when a rule fires; records every rule that
// fires in `why` (the first carries the weight that brings the total down).
double ApplyCaps(const CapInput& in, double total, Explanation* why) {
  const Weights& w = in.w;
  const ConflictSettings& c = w.conflicts;
  const double before = total;
  auto fire = [&](const char* rule, const char* field, const std::string& reason) {
    if (why) {
      why->fields.push_back(
          {field, "review-at-most", total - w.review_cap > 0 ? w.review_cap - total : 0, reason});
      why->caps.push_back({rule, reason, before});
    }
    total = w.review_cap;
    return why == nullptr;  // without an explanation the first rule is enough
  };
  const NameScore* ns = in.names;
  // Relatives share everything but the first name (twins even the date of
  // birth): a first-name disagreement goes to a human at most.
  if (ns && ns->level[kFirst] == Level::kDisagree &&
      fire("first_name", "name.first.cap",
           "capped at review: first names differ (relatives share the other parts)")) {
    return total;
  }
  if (in.dob.conflict_years > 0 &&
      fire("date_of_birth", "cap.date_of_birth",
           "capped at review: dates of birth " + std::to_string(in.dob.conflict_years) +
               " years apart")) {
    return total;
  }
  if (c.age.enabled && in.age_gap > c.age.tolerance &&
      fire("age", "cap.age",
           "capped at review: ages " + std::to_string(in.age_gap) + " years apart")) {
    return total;
  }
  if (ns) {
    const PartRef fa = in.na->role(kFamily), fb = in.nb->role(kFamily);
    if (c.family_name.enabled && ns->level[kFamily] == Level::kDisagree &&
        !Reconcilable(fa, fb, w) && !Reconcilable(fa, in.nb->alt_family, w) &&
        !Reconcilable(in.na->alt_family, fb, w) && !FamilyAmongParts(*in.na, *in.nb) &&
        !FamilyAmongParts(*in.nb, *in.na) &&
        fire("family_name", "cap.family_name",
             "capped at review: family names differ (" + std::string(Interned(fa.disp)) + " / " +
                 std::string(Interned(fb.disp)) + ")")) {
      return total;
    }
    const PartRef pa = in.na->role(kFather), pb = in.nb->role(kFather);
    if (c.father_name.enabled && ns->level[kFather] == Level::kDisagree &&
        !Reconcilable(pa, pb, w) &&
        fire("father_name", "cap.father_name",
             "capped at review: fathers' names differ (" + std::string(Interned(pa.disp)) + " / " +
                 std::string(Interned(pb.disp)) + ")")) {
      return total;
    }
  }
  if (c.sex.enabled && in.a.sex != Sex::kUnknown && in.b.sex != Sex::kUnknown &&
      in.a.sex != in.b.sex && fire("sex", "cap.sex", "capped at review: sexes differ")) {
    return total;
  }
  if (c.date_of_death.enabled && in.dod_gap > c.date_of_death.tolerance &&
      fire("date_of_death", "cap.date_of_death",
           "capped at review: dates of death " + std::to_string(in.dod_gap) + " days apart")) {
    return total;
  }
  if (c.place_of_death.enabled && in.a.governorate && in.b.governorate &&
      in.a.governorate != in.b.governorate &&
      fire("place_of_death", "cap.place_of_death",
           "capped at review: governorates of death differ")) {
    return total;
  }
  const bool place = (in.a.district && in.a.district == in.b.district) ||
                     (in.a.locality && in.a.locality == in.b.locality);
  const bool dod = in.dod_gap >= 0 && in.dod_gap <= 7;
  if (w.evidence.enabled) {
    int agree = 0;
    for (int r = 0; ns && r < kRoles; ++r) {
      const Level l = ns->level[r];
      agree += l == Level::kExact || l == Level::kKey || l == Level::kNear;
    }
    if (agree < w.evidence.name_parts && !in.dob.evidence && !dod && !place &&
        fire("evidence", "cap.evidence",
             "capped at review: only " + std::to_string(agree) +
                 " name parts agree and no date of birth, date of death or place agrees")) {
      return total;
    }
  }
  // A placeholder date (a form filled in with 2000-01-01) against no date:
  // the pair rests on the name alone, and on the shared lists these were the
  // largest class of wrong merges (namesakes under other ids); a date of
  // death or a place must agree too (docs/ACCURACY.md).
  if (w.evidence.placeholder_against_undated && in.dob.placeholder_against_none && !dod && !place &&
      fire("placeholder_against_undated", "cap.placeholder_against_undated",
           "capped at review: a placeholder date of birth against none, and no date of death or "
           "place agrees")) {
    return total;
  }
  return total;
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
  w.dob_placeholder_agree = Get(s, "dob.placeholder_agree");
  w.dob_placeholder_missing = Get(s, "dob.placeholder_missing");
  w.dob_approximate_max = Get(s, "dob.approximate_max");
  w.dob_approximate_disagree = Get(s, "dob.approximate_disagree");
  w.ambiguity_margin = Get(s, "decision.ambiguity_margin");
  w.review_cap = s.auto_merge - 0.5;
  w.conflicts = s.conflicts;
  w.evidence = s.evidence;
  for (const std::string& d : s.placeholder_dates.dates) {
    std::optional<FuzzyDate> date = ParseFuzzyDate(d);
    if (!date || date->precision != DatePrecision::kExact) continue;  // the schema checked them
    if (w.placeholders < Weights::kMaxPlaceholders)
      w.placeholder_days[w.placeholders++] = date->DaysSinceEpoch();
  }
  const std::string& jan = s.placeholder_dates.january_first;
  w.january_first = jan == "always"  ? Weights::JanuaryFirst::kAlways
                    : jan == "never" ? Weights::JanuaryFirst::kNever
                                     : Weights::JanuaryFirst::kAuto;
  w.january_first_share = s.placeholder_dates.january_first_share;
  for (int y = 0; y < Weights::kYears; ++y)
    w.january_first_day[y] = DaysFromCivil(Weights::kFirstYear + y, 1, 1);
  return w;
}

DobKind ClassifyDob(int32_t dob, int16_t year, const Weights& w, const Frequencies& f) {
  if (year == 0) return DobKind::kNone;
  if (dob == kNoDate) return DobKind::kApproximate;
  for (int i = 0; i < w.placeholders; ++i) {
    if (w.placeholder_days[i] == dob) return DobKind::kPlaceholder;
  }
  if (w.IsJanuaryFirst(dob, year) && JanuaryFirstIsYearOnly(w, f)) return DobKind::kApproximate;
  if (f.DobPlaceholder(dob, w.dob_placeholder_share)) return DobKind::kPlaceholder;
  return DobKind::kExact;
}

DobComparison CompareDob(int32_t dob_a, int16_t year_a, int32_t dob_b, int16_t year_b,
                         const Weights& w, const Frequencies& f) {
  return CompareDob(ClassifyDob(dob_a, year_a, w, f), dob_a, year_a, dob_b, year_b, w, f);
}

DobComparison CompareDob(DobKind ka, int32_t dob_a, int16_t year_a, int32_t dob_b, int16_t year_b,
                         const Weights& w, const Frequencies& f) {
  DobComparison c;
  const DobKind kb = dob_a == dob_b && year_a == year_b ? ka : ClassifyDob(dob_b, year_b, w, f);
  if (ka == DobKind::kNone && kb == DobKind::kNone) return c;
  if (ka == DobKind::kPlaceholder || kb == DobKind::kPlaceholder) {
    // No evidence either way, and the ages (derived from it) neither.
    c.compared = true;
    if (ka == kb && dob_a == dob_b) {
      c.level = "placeholder-agree", c.weight = w.dob_placeholder_agree;
    } else if (ka != DobKind::kNone && kb != DobKind::kNone) {
      c.level = "placeholder", c.weight = w.dob_placeholder_disagree;
    } else {  // a placeholder against no date: no date on either side
      c.level = "placeholder-missing", c.weight = w.dob_placeholder_missing;
      c.placeholder_against_none = true;
    }
    return c;
  }
  if (ka == DobKind::kNone || kb == DobKind::kNone) {
    c.level = "one-missing", c.weight = w.dob_missing;
    return c;
  }
  c.compared = true;
  const int years = std::abs(year_a - year_b);
  if (ka == DobKind::kExact && kb == DobKind::kExact) {
    const int gap = std::abs(dob_a - dob_b);
    if (gap == 0) {
      c.level = "exact", c.evidence = true;
      c.weight = std::clamp(std::log2(w.dob_m / f.DobU(dob_a)), w.dob_exact_min, w.dob_exact_max);
    } else if (years == 0) {
      c.level = "same-year", c.weight = w.dob_same_year;  // day/month swaps among them
    } else if (gap <= 366) {
      c.level = "within-year", c.weight = w.dob_within_year;
    } else {
      c.level = gap > 5 * 365 ? "far" : "disagree";
      c.weight = w.dob_disagree + (gap > 5 * 365 ? w.dob_far : 0);
      if (w.conflicts.date_of_birth.enabled && years > w.conflicts.date_of_birth.tolerance &&
          gap > 366 * w.conflicts.date_of_birth.tolerance) {
        c.conflict_years = years;
      }
    }
    return c;
  }
  // A year only on one side at least: compare years.
  if (years == 0) {
    if (dob_a == dob_b && dob_a != kNoDate) {  // the same 1 January: a year, not a day
      c.level = "approximate-agree";
      c.weight = std::clamp(std::log2(w.dob_m / f.DobU(dob_a)), w.dob_exact_min,
                            std::max(w.dob_exact_min, w.dob_approximate_max));
    } else {
      c.level = "same-year", c.weight = w.dob_same_year;
    }
  } else if (years == 1) {
    c.level = "within-year", c.weight = w.dob_within_year;
  } else {
    c.level = "approximate-disagree", c.weight = w.dob_approximate_disagree;
    if (w.conflicts.approximate_date_of_birth.enabled &&
        years > w.conflicts.approximate_date_of_birth.tolerance) {
      c.conflict_years = years;
    }
  }
  return c;
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

void Frequencies::AddDob(int32_t dob, int16_t year, int delta) {
  int64_t i = static_cast<int64_t>(dob) - kFirstDay;
  if (i < 0 || i >= kDays) return;
  if (dob_count.empty()) dob_count.assign(kDays, 0);
  dob_count[static_cast<size_t>(i)] += delta;
  total_dobs += delta;
  if (dob == DaysFromCivil(year, 1, 1)) january_first_dobs += delta;
}

bool Frequencies::DobPlaceholder(int32_t dob, double share) const {
  if (dob_count.empty()) return false;
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
  const DobComparison dob = CompareDob(a.dob, a.dob_year, b.dob, b.dob_year, w, f);
  if (dob.level) {
    total += dob.weight;
    Add(why, "date_of_birth", dob.level, dob.weight, [&] { return DobDetail(a, b, f); });
  }
  bool dob_compared = dob.compared;
  int age_gap = 0;  // the largest age disagreement in years
  // One side's date of birth against the other's age at death (needs a date of
  // death to know when the age was reached).
  auto age_vs_dob = [&](const Profile& with_dob, const Profile& with_age) {
    if (!with_dob.dob_year || with_age.dob_year || with_age.age_min < 0) return false;
    int32_t dod = with_age.dod != kNoDate ? with_age.dod : with_dob.dod;
    if (dod == kNoDate) return false;
    int death_year = 1970 + static_cast<int>(dod / 365.2425);
    int implied = death_year - with_dob.dob_year;
    int gap = std::max({0, with_age.age_min - implied, implied - with_age.age_max});
    age_gap = std::max(age_gap, gap);
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
    age_gap = std::max(age_gap, gap);
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
  int dod_gap = -1;
  if (a.dod != kNoDate && b.dod != kNoDate) {
    int gap = std::abs(a.dod - b.dod);
    dod_gap = gap;
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
  // Caps: a pair that would merge goes to a human instead when the two reports
  // conflict or the evidence is thin (docs/MATCHING.md "Caps"). Checked only
  // above the cap, so most candidates never reach this.
  if (total > w.review_cap) {
    CapInput in{a, b, w, dob, age_gap, dod_gap};
    if (bi >= 0) in.names = &best, in.na = &a.names[bi], in.nb = &b.names[bj];
    total = ApplyCaps(in, total, why);
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
