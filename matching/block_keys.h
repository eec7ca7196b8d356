// Blocking keys of a profile: the index proposes a victim when any key is
// shared. Keys combine two name parts (first+father, father+grandfather,
// first+family, ...), so one differing part never hides a true match while a
// common first name alone never makes a key; plus date-of-birth-aware keys
// (exact dob + first name, exact dob + family) for names that drifted in two
// parts. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "matching/profile.h"

namespace qayd::matching {

// Appends the profile's keys (deduplicated) to `out`.
void BlockKeys(const Profile& p, std::vector<uint64_t>* out);

}  // namespace qayd::matching
