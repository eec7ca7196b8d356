// A report's matching profile: normalised name parts as interned ids plus the
// compared fields, precomputed once (at Upsert, or once per Match) so that
// scoring a candidate compares integers and allocates nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "model/report.h"

namespace qayd::matching {

inline constexpr int kMaxParts = 6;
inline constexpr int kMaxNames = 2;
inline constexpr int32_t kNoDate = std::numeric_limits<int32_t>::min();

struct PartRef {
  uint32_t key = 0;   // interned skeleton (cross-script)
  uint32_t disp = 0;  // interned folded spelling (same script)
  uint32_t fine = 0;  // interned same-script key (NamePart::fine)
  bool arabic = false;
  // Copied from the interned strings (in what would be padding) so that most
  // "near" tests reject without reading them: byte lengths of `key` and
  // `fine` (kLongPart when 255 or more) and a hash of `fine`'s first two bytes.
  uint8_t key_len = 0, fine_len = 0, fine_lead = 0;
  uint64_t vowels = 0;  // NamePart::vowels
  bool empty() const { return key == 0 && disp == 0; }
};
inline constexpr uint8_t kLongPart = 255;
static_assert(sizeof(PartRef) == 24, "the prefilter fields live in the padding");

enum Role { kFirst = 0, kFather, kGrandfather, kFamily, kRoles };

struct NameProfile {
  uint8_t n = 0;
  bool arabic = false;
  PartRef alt_family;  // before the parts: scoring reads it with the first four
  PartRef parts[kMaxParts];
  // Role accessors following NormalizedName's rules; an empty PartRef when absent.
  PartRef role(int r) const {
    switch (r) {
      case kFirst:
        return n >= 1 ? parts[0] : PartRef{};
      case kFather:
        return n >= 3 ? parts[1] : PartRef{};
      case kGrandfather:
        return n >= 4 ? parts[2] : PartRef{};
      case kFamily:
        return n >= 2 ? parts[n - 1] : PartRef{};
      default:
        return {};
    }
  }
};

// Laid out for scoring: the fields every comparison reads come first, so a
// candidate whose name has up to four parts is scored from three cache lines
// (the profile is aligned to one); a second spelling, when present, and the
// fields scoring never reads lie beyond.
struct alignas(64) Profile {
  int64_t report_id = 0;
  int64_t victim_id = 0;
  int32_t dob = kNoDate;  // days since epoch, exact dates only
  int32_t dod = kNoDate;  // date of death, days (middle of range when imprecise)
  uint32_t governorate = 0, district = 0, locality = 0;  // interned, lower-cased
  Sex sex = Sex::kUnknown;
  int16_t dob_year = 0;  // year when known (any precision)
  int16_t age_min = -1, age_max = -1;
  uint8_t nnames = 0;
  bool indexed = false;  // set by the engine's index: a live entry (not a freed slot)
  NameProfile names[kMaxNames];
  bool unidentified = false;  // never indexed by name, so never scored as a candidate
  uint8_t dod_precision = 0;
};

// The bytes a scoring of a candidate with one spelling of up to four parts
// reads (for prefetching).
inline constexpr size_t kProfileHotBytes =
    offsetof(Profile, names) + offsetof(NameProfile, parts) + 4 * sizeof(PartRef);

// Normalises and interns. Thread-safe. `primary_steps`, if given, receives
// the normalisation steps of the report's primary name (what
// NormalizeName(primary full name).steps returns, for explanations); it is
// left as it is when the report has no primary name to normalise.
Profile BuildProfile(const Report& r, std::vector<std::string>* primary_steps = nullptr);

struct NormalizedName;
// Interns one normalised name (the first kMaxParts-1 parts and the family).
NameProfile ToNameProfile(const NormalizedName& nn);

}  // namespace qayd::matching
