#include "store/canonical.h"

#include <algorithm>

namespace qayd {

CanonicalVictim ComputeCanonical(const std::vector<Report>& input) {
  std::vector<const Report*> reports;
  for (const auto& r : input) reports.push_back(&r);
  std::sort(reports.begin(), reports.end(),
            [](const Report* a, const Report* b) { return a->id < b->id; });
  CanonicalVictim c;
  auto take = [&c](const char* field, bool has, int64_t id, auto&& assign) {
    if (!has || c.sources.count(field)) return;
    assign();
    c.sources[field] = id;
  };
  for (const Report* r : reports) {
    const NameSpelling* primary = r->primary_name();
    take("name", primary && !primary->full.empty(), r->id, [&] { c.name = primary->full; });
    for (const auto& n : r->names) {
      if (n.full.empty()) continue;
      bool seen = std::any_of(c.names.begin(), c.names.end(),
                              [&n](const NameSpelling& m) { return m.full == n.full; });
      if (!seen) c.names.push_back(n);
    }
    take("sex", r->sex != Sex::kUnknown, r->id, [&] { c.sex = r->sex; });
    take("age", r->age.known(), r->id, [&] { c.age = r->age; });
    take("date_of_birth", r->date_of_birth.known(), r->id, [&] { c.date_of_birth = r->date_of_birth; });
    take("date_of_death", r->date_of_death.known(), r->id, [&] { c.date_of_death = r->date_of_death; });
    take("place_of_death", !r->place_of_death.empty(), r->id,
         [&] { c.place_of_death = r->place_of_death; });
    take("governorate_of_origin", !r->governorate_of_origin.empty(), r->id,
         [&] { c.governorate_of_origin = r->governorate_of_origin; });
    take("cause", !r->cause.empty(), r->id, [&] { c.cause = r->cause; });
    take("perpetrator", !r->perpetrator.empty(), r->id, [&] { c.perpetrator = r->perpetrator; });
    take("roles", !r->roles.empty(), r->id, [&] { c.roles = r->roles; });
    take("died_under_torture", r->died_under_torture, r->id, [&] { c.died_under_torture = true; });
  }
  return c;
}

}  // namespace qayd
