// An upper bound of a candidate's score from a few of its fields, so that
// candidates that cannot change a decision are not scored (ScoreSlots).
//
// Contract: for every profile c,
//   ScoreBound(q, w, f).Of(Summarize(c)) >= Score(q, c, w, f, nullptr)
// up to floating-point rounding (the terms are added in another order:
// callers compare with a margin far above it). The bound classes each name
// role as Score's comparison would (agreeing, possibly near, certainly
// different, missing) from ids, lengths and first letters only, and takes
// each class at its best possible weight for q's spelling; it computes sex
// and date of birth as Score does, and takes the fields a summary does not
// hold (date of death, places, age) at their best possible weight.
//
// Threads: pure; the same conditions as Score (frequencies not being
// modified while a ScoreBound is built).
#pragma once

#include <cstdint>

#include "matching/profile.h"
#include "matching/scorer.h"

namespace qayd::matching {

// What the bound reads of a candidate: one cache line, kept beside the
// index's profiles (three lines, plus the name tables a near test reads).
// The first spelling's parts by role, field by field (PartRef's ids,
// lengths and lead; a hash of the spelling id, equal for equal spellings).
struct alignas(64) CandidateSummary {
  static constexpr uint8_t kPresent = 1, kArabic = 2;
  uint32_t key[kRoles] = {}, fine[kRoles] = {};
  uint16_t disp_hash[kRoles] = {};
  uint8_t key_len[kRoles] = {}, fine_len[kRoles] = {}, fine_lead[kRoles] = {};
  uint8_t flags[kRoles] = {};
  int32_t dob = kNoDate;
  int16_t dob_year = 0;
  uint8_t bits = 0;  // sex (2 bits), nnames (2 bits), alternative family name (1 bit)
};
static_assert(sizeof(CandidateSummary) == 64, "a summary is one cache line");

uint16_t DispHash(uint32_t disp);
CandidateSummary Summarize(const Profile& p);

class ScoreBound {
 public:
  ScoreBound(const Profile& q, const Weights& w, const Frequencies& f);
  // At least Score(q, c) for every profile c with Summarize(c) == s.
  double Of(const CandidateSummary& s) const;

 private:
  struct Role {
    PartRef part;
    double agree = 0, near = 0, disagree = 0;  // best weight of each class
  };
  struct Name {
    Role role[kRoles];
    bool alt_family = false;
    double family_any = 0;  // the family through an alternative family name, or dropped
    double shift = 0;       // a father-son shift, if positive
  };
  const Profile& q_;
  const Weights& w_;
  Name names_[kMaxNames];
  int nnames_ = 0;
  double any_name_ = 0;  // the best of any spelling against any (a second spelling)
  double fixed_ = 0;     // date of death and places at their best
  double age_ = 0;       // the two age comparisons at their best
};

}  // namespace qayd::matching
