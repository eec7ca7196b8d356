#include "store/history_format.h"

#include <ctime>

namespace qayd {
namespace {

std::string UtcTime(int64_t ms) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%SZ", &tm);
  return buf;
}

std::string Subject(const HistoryEvent& e) {
  auto v = [](int64_t id) { return std::to_string(id); };
  switch (e.type) {
    case EventType::kReportAccepted:
      return "report " + v(e.report_id);
    case EventType::kReportNewVersion:
      return "report " + v(e.report_id) + " (new version)";
    case EventType::kVictimCreated:
      return "victim " + v(e.victim_id) + " from report " + v(e.report_id);
    case EventType::kReportAttached:
      return "report " + v(e.report_id) + " to victim " + v(e.victim_id);
    case EventType::kMerge:
      return "victim " + v(e.other_victim_id) + " into victim " + v(e.victim_id);
    case EventType::kUndoMerge:
      return "victim " + v(e.other_victim_id) + " out of victim " + v(e.victim_id);
    case EventType::kSplit:
      return "victim " + v(e.other_victim_id) + " split off victim " + v(e.victim_id);
    case EventType::kReviewQueued:
    case EventType::kReviewDecision:
      return "report " + v(e.report_id) + " (victim " + v(e.victim_id) + ")";
    case EventType::kRelation:
    case EventType::kDifferentPeople:
      return "victims " + v(e.victim_id) + " and " + v(e.other_victim_id);
    case EventType::kStateChanged:
      return "victim " + v(e.victim_id);
  }
  return "";
}

}  // namespace

std::string FormatHistoryEvent(const HistoryEvent& e) {
  std::string line = "#" + std::to_string(e.seq) + " " + UtcTime(e.at_ms) + " " +
                     EventTypeName(e.type) + " " + Subject(e) + " by " + e.actor;
  if (!e.details.empty() && e.details != "{}") line += " " + e.details;
  return line;
}

std::string FormatHistory(const std::vector<HistoryEvent>& events) {
  std::string out;
  for (const auto& e : events) out += FormatHistoryEvent(e) + "\n";
  return out;
}

Result<std::string> FormatVictimHistory(Store& store, int64_t victim_id) {
  auto t = store.Begin(Store::Mode::kRead);
  if (!t.ok()) return t.status();
  auto v = (*t)->GetVictim(victim_id);
  if (!v.ok()) return v.status();
  auto events = (*t)->VictimHistory(victim_id);
  if (!events.ok()) return events.status();
  std::string head = "victim " + std::to_string(v->id) + ": " + VictimStateName(v->state);
  if (v->merged_into) head += " into victim " + std::to_string(v->merged_into);
  head += ", " + std::to_string(v->report_ids.size()) + " reports\n";
  return head + FormatHistory(*events);
}

}  // namespace qayd
