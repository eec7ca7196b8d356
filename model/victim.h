// Victims, history events, review items and quarantine records: the register's
// derived records. Plain value types.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace qayd {

enum class VictimState {
  kActive = 0,     // a counted victim
  kProvisional,    // created for a report awaiting review; counted, flagged
  kAbsorbed,       // merged into another victim (merged_into); not counted
  kUnidentified,   // anonymous archive; never merged by name
};
const char* VictimStateName(VictimState s);

enum class Corroboration { kPending = 0, kCorroborated, kContested };
const char* CorroborationName(Corroboration c);

struct Victim {
  int64_t id = 0;  // stable, never reused
  VictimState state = VictimState::kActive;
  int64_t merged_into = 0;  // when kAbsorbed
  Corroboration corroboration = Corroboration::kPending;
  std::vector<int64_t> report_ids;  // ascending
  int64_t created_at_ms = 0;
};

// How a report was resolved by matching.
enum class Resolution {
  kPending = 0,   // accepted, durable, not matched yet (the inbox)
  kAttached,      // resolved to a victim (new or existing)
  kReview,        // provisional victim plus a review item
  kUnidentified,  // in the unidentified archive
  kDuplicate,     // same source, same id, same payload as an earlier report
};
const char* ResolutionName(Resolution r);

enum class EventType {
  kReportAccepted = 0,
  kReportNewVersion,   // the source re-delivered a changed payload
  kVictimCreated,
  kReportAttached,     // automatic (score, config version) or by a monitor
  kMerge,              // victim_id = survivor, other_victim_id = absorbed
  kUndoMerge,          // details.undoes = seq of the merge event
  kSplit,              // victim_id = source victim, other_victim_id = new victim
  kReviewQueued,
  kReviewDecision,
  kRelation,           // details.relation = sibling|parent|child|spouse
  kDifferentPeople,    // permanent constraint between victim_id and other_victim_id
  kStateChanged,       // victim state change, details.from/to
};
const char* EventTypeName(EventType t);

// One entry of the append-only history log. `seq` orders all events of the
// register and doubles as the change log followed by in-memory indexes.
struct HistoryEvent {
  int64_t seq = 0;
  int64_t at_ms = 0;
  EventType type = EventType::kReportAccepted;
  int64_t victim_id = 0;
  int64_t other_victim_id = 0;
  int64_t report_id = 0;
  std::string actor;    // "engine" for automatic events, else a user name
  std::string details;  // a JSON object, event-specific
};

struct ReviewCandidate {
  int64_t victim_id = 0;
  double score = 0;
};

enum class ReviewState { kPending = 0, kUnsure, kDecided };
const char* ReviewStateName(ReviewState s);

struct ReviewItem {
  int64_t id = 0;
  int64_t report_id = 0;
  int64_t provisional_victim_id = 0;
  std::vector<ReviewCandidate> candidates;  // best first
  double top_score = 0;
  ReviewState state = ReviewState::kPending;
  std::string claimed_by;
  int64_t lease_expires_ms = 0;
  int64_t created_at_ms = 0;
  std::string explanation;  // JSON from the matching engine
  std::string decision;     // same|different|unsure|related, when decided
  std::string decided_by;
  int64_t decided_at_ms = 0;
};

struct QuarantineRecord {
  int64_t id = 0;
  std::string source;
  std::string source_record_id;  // may be empty when the record had none
  std::string raw;               // verbatim
  std::string reasons;           // JSON array of {"field","problem"}
  int64_t received_at_ms = 0;
  int64_t replayed_report_id = 0;  // set once a corrected record was accepted
};

}  // namespace qayd
