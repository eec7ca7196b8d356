#include "matching/profile.h"

#include <algorithm>
#include <cctype>

#include "matching/interner.h"
#include "matching/name_normalizer.h"

namespace qayd::matching {
namespace {

uint8_t Len(const std::string& s) {
  return static_cast<uint8_t>(std::min<size_t>(s.size(), kLongPart));
}

// PartRef::fine_lead: equal for keys whose first two bytes are equal.
uint8_t FineLead(const std::string& fine) {
  if (fine.size() < 2) return 0;
  return static_cast<uint8_t>(static_cast<uint8_t>(fine[0]) * 31u + static_cast<uint8_t>(fine[1]));
}

PartRef Ref(const NamePart& p) {
  PartRef r;
  r.key = Intern(p.key);
  // Equal strings have equal ids: a part's spellings often repeat one
  // another (a Latin part's fine key is its key), and each lookup in the
  // process-wide table is a cache miss or two on a large register.
  r.disp = p.display == p.key ? r.key : Intern(p.display);
  r.fine = p.fine == p.key ? r.key : p.fine == p.display ? r.disp : Intern(p.fine);
  r.arabic = p.arabic;
  r.key_len = Len(p.key);
  r.fine_len = Len(p.fine);
  r.fine_lead = FineLead(p.fine);
  r.vowels = p.vowels;
  return r;
}

uint32_t PlaceId(const std::string& s) {
  std::string l = s;
  std::transform(l.begin(), l.end(), l.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return Intern(l);
}

}  // namespace

NameProfile ToNameProfile(const NormalizedName& nn) {
  NameProfile np;
  np.arabic = nn.arabic;
  size_t n = nn.parts.size();
  if (n <= kMaxParts) {
    for (size_t i = 0; i < n; ++i) np.parts[i] = Ref(nn.parts[i]);
    np.n = static_cast<uint8_t>(n);
  } else {  // keep the first parts and the family name
    for (int i = 0; i < kMaxParts - 1; ++i) np.parts[i] = Ref(nn.parts[i]);
    np.parts[kMaxParts - 1] = Ref(nn.parts.back());
    np.n = kMaxParts;
  }
  if (!nn.alt_family.display.empty()) np.alt_family = Ref(nn.alt_family);
  return np;
}

Profile BuildProfile(const Report& r, std::vector<std::string>* primary_steps) {
  Profile p;
  p.report_id = r.id;
  p.sex = r.sex;
  bool any_name = false, all_unidentified = true;
  for (const auto& spelling : r.names) {
    if (p.nnames >= kMaxNames) break;
    std::string full = spelling.full;
    if (full.empty()) {
      for (const std::string* s :
           {&spelling.first, &spelling.father, &spelling.grandfather, &spelling.family}) {
        if (!s->empty()) full += (full.empty() ? "" : " ") + *s;
      }
    }
    if (full.empty()) continue;
    any_name = true;
    NormalizedName nn = NormalizeName(full);
    if (primary_steps != nullptr && &spelling == r.primary_name()) *primary_steps = nn.steps;
    if (nn.unidentified) continue;
    all_unidentified = false;
    p.names[p.nnames++] = ToNameProfile(nn);
  }
  p.unidentified =
      !any_name || all_unidentified || r.identification == Identification::kUnidentified;
  if (r.date_of_birth.known()) {
    p.dob_year = static_cast<int16_t>(r.date_of_birth.year);
    if (r.date_of_birth.precision == DatePrecision::kExact)
      p.dob = r.date_of_birth.DaysSinceEpoch();
  }
  if (r.age.known() && (r.age.kind == Age::Kind::kExact || r.age.kind == Age::Kind::kRange)) {
    p.age_min = static_cast<int16_t>(r.age.min);
    p.age_max = static_cast<int16_t>(r.age.max);
  }
  if (r.date_of_death.known()) {
    p.dod = r.date_of_death.DaysSinceEpoch();
    p.dod_precision = static_cast<uint8_t>(r.date_of_death.precision);
  }
  if (!r.place_of_death.governorate.empty()) p.governorate = PlaceId(r.place_of_death.governorate);
  if (!r.place_of_death.district.empty()) p.district = PlaceId(r.place_of_death.district);
  if (!r.place_of_death.locality.empty()) p.locality = PlaceId(r.place_of_death.locality);
  return p;
}

}  // namespace qayd::matching
