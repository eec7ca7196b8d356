#include "model/victim.h"

namespace qayd {

const char* VictimStateName(VictimState s) {
  switch (s) {
    case VictimState::kActive: return "active";
    case VictimState::kProvisional: return "provisional";
    case VictimState::kAbsorbed: return "absorbed";
    case VictimState::kUnidentified: return "unidentified";
  }
  return "active";
}

const char* CorroborationName(Corroboration c) {
  switch (c) {
    case Corroboration::kPending: return "pending";
    case Corroboration::kCorroborated: return "corroborated";
    case Corroboration::kContested: return "contested";
  }
  return "pending";
}

const char* ResolutionName(Resolution r) {
  switch (r) {
    case Resolution::kPending: return "pending";
    case Resolution::kAttached: return "attached";
    case Resolution::kReview: return "review";
    case Resolution::kUnidentified: return "unidentified";
    case Resolution::kDuplicate: return "duplicate";
  }
  return "pending";
}

const char* EventTypeName(EventType t) {
  switch (t) {
    case EventType::kReportAccepted: return "report_accepted";
    case EventType::kReportNewVersion: return "report_new_version";
    case EventType::kVictimCreated: return "victim_created";
    case EventType::kReportAttached: return "report_attached";
    case EventType::kMerge: return "merge";
    case EventType::kUndoMerge: return "undo_merge";
    case EventType::kSplit: return "split";
    case EventType::kReviewQueued: return "review_queued";
    case EventType::kReviewDecision: return "review_decision";
    case EventType::kRelation: return "relation";
    case EventType::kDifferentPeople: return "different_people";
    case EventType::kStateChanged: return "state_changed";
  }
  return "unknown";
}

const char* ReviewStateName(ReviewState s) {
  switch (s) {
    case ReviewState::kPending: return "pending";
    case ReviewState::kUnsure: return "unsure";
    case ReviewState::kDecided: return "decided";
  }
  return "pending";
}

}  // namespace qayd
