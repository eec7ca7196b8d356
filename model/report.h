// The record model: a source report as received and parsed. See docs/RECORD-FORMAT.md
// for the JSON form and docs/DOMAIN.md for the meaning of each field.
// Plain value types; copyable; no invariants beyond what the comments state.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/date.h"

namespace qayd {

enum class Script { kUnknown = 0, kArabic, kLatin, kMixed };
const char* ScriptName(Script s);
std::optional<Script> ParseScript(std::string_view text);

// One spelling of a person's name. `full` is the name exactly as reported;
// the parts are filled when the source gave them separately (otherwise the
// matching engine splits `full` itself).
struct NameSpelling {
  std::string full;
  Script script = Script::kUnknown;
  std::string first, father, grandfather, family, kunya, nickname;
  bool operator==(const NameSpelling&) const = default;
};

enum class Sex { kUnknown = 0, kMale, kFemale };
const char* SexName(Sex s);
// Accepts male/female/unknown, m/f/u (any case), ذكر/أنثى.
std::optional<Sex> ParseSex(std::string_view text);

struct Age {
  enum class Kind { kUnknown = 0, kExact, kRange, kChild, kAdult };
  Kind kind = Kind::kUnknown;
  int min = 0;  // years; kExact: min == max
  int max = 0;
  bool known() const { return kind != Kind::kUnknown; }
  std::string ToString() const;  // "34", "30-40", "child", "adult", ""
  bool operator==(const Age&) const = default;
};
// Accepts "34", "30-40", "child", "adult", "" (unknown). nullopt if malformed.
std::optional<Age> ParseAge(std::string_view text);

struct Place {
  std::string governorate, district, locality;
  std::optional<double> latitude, longitude;
  std::string precision;  // free vocabulary: exact, locality, district, governorate
  bool empty() const { return governorate.empty() && district.empty() && locality.empty(); }
  bool operator==(const Place&) const = default;
};

enum class Identification { kIdentified = 0, kPartial, kUnidentified };
const char* IdentificationName(Identification i);

struct Report {
  // --- provenance (set by ingest) ---
  int64_t id = 0;                 // store id; 0 until stored
  std::string source;             // channel/feed id; with source_record_id the idempotency key
  std::string source_record_id;
  int version = 1;                // >1 when the source re-delivered a changed payload
  int64_t received_at_ms = 0;     // unix time in milliseconds
  std::string raw_payload;        // verbatim as received (admin-only)
  std::string source_type;        // news, official, hospital, witness, relative, ngo, social_media
  std::string reliability;        // free vocabulary, e.g. high/medium/low

  // --- the person ---
  std::vector<NameSpelling> names;  // first is the primary spelling
  Sex sex = Sex::kUnknown;
  Age age;
  FuzzyDate date_of_birth;
  std::string national_id;        // as printed by the source; used only for evaluation/exact links

  // --- the death ---
  FuzzyDate date_of_death;
  FuzzyDate date_documented;
  Place place_of_death;
  std::string governorate_of_origin;
  std::string cause;              // vocabulary: causes
  std::string perpetrator;        // vocabulary: perpetrator parties
  std::vector<std::string> roles;  // medical, media, civil_defense, humanitarian
  bool died_under_torture = false;
  std::string detention;          // free text: detaining party, dates
  std::string incident_id;
  Identification identification = Identification::kIdentified;
  std::string notes;

  // --- submitter (relatives' forms); stored apart, admin-only ---
  std::string submitter_relation;
  std::string submitter_contact;

  const NameSpelling* primary_name() const { return names.empty() ? nullptr : &names.front(); }
};

}  // namespace qayd
