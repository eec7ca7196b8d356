// An upper bound of a candidate's score from a few of its fields, so that
// candidates that cannot change a decision are not scored (ScoreSlots).
//
// Contract: for every profile c,
//   ScoreBound(q, w, f).Of(Summarize(c)) >= Score(q, c, w, f, nullptr)
// up to floating-point rounding (the terms are added in another order:
// callers compare with a margin far above it). The bound classes each name
// role as Score's comparison would (agreeing, possibly near, certainly
// different, missing) from the signatures below (hashes, lengths, a few
// letters, character sets), never reading the name tables, and takes each
// class at its best possible weight for q's spelling; it computes sex
// and date of birth as Score does, and takes the fields a summary does not
// hold (date of death, places, age) at their best possible weight.
//
// Threads: pure; the same conditions as Score (frequencies not being
// modified while a ScoreBound is built or used). Sign() and Summarize() read
// the interner (lock-free). A ScoreBound refers to q, w and f: they must
// outlive it.
#pragma once

#include <cstdint>

#include "matching/profile.h"
#include "matching/scorer.h"

namespace qayd::matching {

// A name part as the bound compares it, in a few bytes: one-byte hashes of
// its skeleton and of its spelling (the Arabic key, else the display; equal
// parts have equal hashes, and parts whose hashes are equal compare as
// possibly equal), the skeleton's length and the set of its characters
// (for the Jaro-Winkler test), and for an Arabic key of up to 48 letters its
// length and letters (code point - U+0600) at the positions a near
// spelling must keep: first, second, penultimate, last.
struct PartSig {
  static constexpr uint8_t kLenMask = 31, kLong = 31;  // key length in bytes; kLong: 31 or more
  static constexpr uint8_t kPresent = 0x20, kArabic = 0x40, kLetters = 0x80;
  static constexpr uint8_t kCharsKnown = 0x80;  // in `first`
  uint8_t info = 0;                             // key length | kPresent | kArabic | kLetters
  uint8_t key_hash = 0, spelling_hash = 0;
  uint8_t count = 0;   // letters, when kLetters
  uint8_t first = 0;   // the skeleton's first byte & 31, | kCharsKnown
  uint32_t chars = 0;  // bit (byte & 31) of each skeleton byte
  uint8_t letters[4] = {};
};
PartSig Sign(PartRef p);

// What the bound reads of a candidate: one cache line, kept beside the
// index's profiles (three lines, plus the name tables a near test reads):
// the first spelling's parts by role, field by field.
struct alignas(64) CandidateSummary {
  uint8_t info[kRoles] = {}, key_hash[kRoles] = {}, spelling_hash[kRoles] = {};
  uint8_t count[kRoles] = {}, first[kRoles] = {};
  uint32_t chars[kRoles] = {};
  uint8_t letters[kRoles][4] = {};
  int32_t dob = kNoDate;
  uint16_t bits = 0;  // year of birth (11 bits), sex (2), nnames (2), alternative family (1)
  PartSig Part(int role) const;
};
static_assert(sizeof(CandidateSummary) == 64, "a summary is one cache line");

CandidateSummary Summarize(const Profile& p);

class ScoreBound {
 public:
  ScoreBound(const Profile& q, const Weights& w, const Frequencies& f);
  // At least Score(q, c) for every profile c with Summarize(c) == s.
  double Of(const CandidateSummary& s) const;

 private:
  struct Role {
    PartSig part;
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
  const Frequencies& f_;
  Name names_[kMaxNames];
  int nnames_ = 0;
  double any_name_ = 0;  // the best of any spelling against any (a second spelling)
  double fixed_ = 0;     // date of death and places at their best
  double age_ = 0;       // the two age comparisons at their best
  DobKind q_dob_;        // ClassifyDob of q's date of birth
};

}  // namespace qayd::matching
