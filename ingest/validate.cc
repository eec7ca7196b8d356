#include "ingest/validate.h"

#include <algorithm>

#include "base/utf8.h"

namespace qayd::ingest {
namespace {

std::string Fold(std::string_view s) {
  std::string out;
  for (char c : s) {
    char f = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (f == '_' || f == '-' || f == '\t') f = ' ';
    if (f == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += f;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// Earliest and latest day (days since epoch) a fuzzy date can stand for.
int Earliest(const FuzzyDate& d) {
  return DaysFromCivil(d.year, d.month == 0 ? 1 : d.month, d.day == 0 ? 1 : d.day);
}
int Latest(const FuzzyDate& d) {
  if (d.month == 0) return DaysFromCivil(d.year, 12, 31);
  if (d.day == 0)
    return DaysFromCivil(d.month == 12 ? d.year + 1 : d.year, d.month % 12 + 1, 1) - 1;
  return DaysFromCivil(d.year, d.month, d.day);
}

// Whole years between two days.
int YearsBetween(int from_days, int to_days) {
  auto civil = [](int days, int* y, int* m, int* d) {
    // Inverse of DaysFromCivil (Howard Hinnant's civil_from_days).
    days += 719468;
    const int era = (days >= 0 ? days : days - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(days - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    *y = static_cast<int>(yoe) + era * 400 + (*m <= 2);
  };
  int y1, m1, d1, y2, m2, d2;
  civil(from_days, &y1, &m1, &d1);
  civil(to_days, &y2, &m2, &d2);
  int years = y2 - y1;
  if (m2 < m1 || (m2 == m1 && d2 < d1)) --years;
  return years;
}

class Checker {
 public:
  Checker(const ValidateOptions& o, std::vector<FieldError>* errors)
      : o_(o), errors_(errors), today_(o.today.known() ? o.today : TodayUtc()) {}

  void Add(std::string field, std::string problem) {
    errors_->push_back({std::move(field), std::move(problem)});
  }

  void Text(const std::string& field, const std::string& value, size_t max) {
    if (value.empty()) return;
    if (auto bad = FindInvalidUtf8(value)) {
      utf8_error_ = true;
      Add(field, "invalid UTF-8 at byte " + std::to_string(*bad));
    }
    if (value.size() > max) {
      Add(field,
          "too long: " + std::to_string(value.size()) + " bytes (max " + std::to_string(max) + ")");
    }
  }

  void Vocab(const std::string& field, const std::string& value,
             const std::vector<std::string>& vocab) {
    if (value.empty() || vocab.empty()) return;
    const std::string folded = Fold(value);
    for (const auto& v : vocab) {
      if (Fold(v) == folded) return;
    }
    const std::string best = ClosestEntry(value, vocab);
    Add(field, "not in the vocabulary: '" + value + "'" +
                   (best.empty() ? std::string() : " (did you mean '" + best + "'?)"));
  }

  void NotFuture(const std::string& field, const FuzzyDate& d) {
    if (!d.known()) return;
    if (Earliest(d) > Latest(today_)) {
      Add(field, "in the future: " + d.ToString() + " (today is " + today_.ToString() + ")");
    }
  }

  bool utf8_error() const { return utf8_error_; }

 private:
  const ValidateOptions& o_;
  std::vector<FieldError>* errors_;
  const FuzzyDate today_;
  bool utf8_error_ = false;
};

std::string AgeText(int lo, int hi) {
  return lo == hi ? std::to_string(lo) : std::to_string(lo) + " to " + std::to_string(hi);
}

}  // namespace

std::string ClosestEntry(std::string_view value, const std::vector<std::string>& vocab) {
  const std::string folded = Fold(value);
  const size_t limit = std::max<size_t>(2, folded.size() / 4);
  std::string best;
  size_t best_d = limit + 1;
  for (const auto& v : vocab) {
    const size_t d = EditDistance(folded, Fold(v));
    if (d < best_d) {
      best_d = d;
      best = v;
    }
  }
  return best;
}

void ValidateReport(const Report& r, const ValidateOptions& o, std::vector<FieldError>* errors) {
  Checker c(o, errors);
  if (r.source.empty()) c.Add("source", "required");
  if (r.source_record_id.empty()) c.Add("source_record_id", "required");
  if (r.names.empty() && r.identification != Identification::kUnidentified) {
    c.Add("names", "required: a name, or \"identification\": \"unidentified\"");
  }

  // Text: encoding and length.
  c.Text("source", r.source, o.max_name_bytes);
  c.Text("source_record_id", r.source_record_id, o.max_name_bytes);
  for (size_t i = 0; i < r.names.size(); ++i) {
    const NameSpelling& n = r.names[i];
    const std::string p = "names[" + std::to_string(i) + "].";
    c.Text(p + "full", n.full, o.max_name_bytes);
    c.Text(p + "first", n.first, o.max_name_bytes);
    c.Text(p + "father", n.father, o.max_name_bytes);
    c.Text(p + "grandfather", n.grandfather, o.max_name_bytes);
    c.Text(p + "family", n.family, o.max_name_bytes);
    c.Text(p + "kunya", n.kunya, o.max_name_bytes);
    c.Text(p + "nickname", n.nickname, o.max_name_bytes);
  }
  c.Text("notes", r.notes, o.max_notes_bytes);
  c.Text("detention", r.detention, o.max_notes_bytes);
  c.Text("national_id", r.national_id, o.max_text_bytes);
  c.Text("place_of_death.governorate", r.place_of_death.governorate, o.max_text_bytes);
  c.Text("place_of_death.district", r.place_of_death.district, o.max_text_bytes);
  c.Text("place_of_death.locality", r.place_of_death.locality, o.max_text_bytes);
  c.Text("governorate_of_origin", r.governorate_of_origin, o.max_text_bytes);
  c.Text("cause", r.cause, o.max_text_bytes);
  c.Text("perpetrator", r.perpetrator, o.max_text_bytes);
  c.Text("incident_id", r.incident_id, o.max_text_bytes);
  c.Text("source_type", r.source_type, o.max_text_bytes);
  c.Text("reliability", r.reliability, o.max_text_bytes);
  for (size_t i = 0; i < r.roles.size(); ++i) {
    c.Text("roles[" + std::to_string(i) + "]", r.roles[i], o.max_text_bytes);
  }
  c.Text("submitter.relation", r.submitter_relation, o.max_text_bytes);
  c.Text("submitter.contact", r.submitter_contact, o.max_text_bytes);
  if (!c.utf8_error()) {
    if (auto bad = FindInvalidUtf8(r.raw_payload)) {
      c.Add("", "invalid UTF-8 at byte " + std::to_string(*bad) + " of the record");
    }
  }

  // Dates.
  c.NotFuture("date_of_birth", r.date_of_birth);
  c.NotFuture("date_of_death", r.date_of_death);
  c.NotFuture("date_documented", r.date_documented);
  const bool both = r.date_of_birth.known() && r.date_of_death.known();
  if (both && Latest(r.date_of_death) < Earliest(r.date_of_birth)) {
    c.Add("date_of_death", "before date_of_birth (" + r.date_of_death.ToString() + " < " +
                               r.date_of_birth.ToString() + ")");
  }

  // Age.
  if (r.age.known()) {
    if (r.age.min < 0 || r.age.max > o.max_age) {
      c.Add("age", "out of range 0.." + std::to_string(o.max_age) + ": " + r.age.ToString());
    } else if (both && Latest(r.date_of_death) >= Earliest(r.date_of_birth)) {
      const int lo = std::max(0, YearsBetween(Latest(r.date_of_birth), Earliest(r.date_of_death)));
      const int hi = YearsBetween(Earliest(r.date_of_birth), Latest(r.date_of_death));
      // One year of slack: sources often compute age as a difference of years.
      if (r.age.max < lo - 1 || r.age.min > hi + 1) {
        c.Add("age", r.age.ToString() + " does not match date_of_birth " +
                         r.date_of_birth.ToString() + " and date_of_death " +
                         r.date_of_death.ToString() + " (age " + AgeText(lo, hi) + ")");
      }
    }
  }

  // Vocabularies.
  c.Vocab("perpetrator", r.perpetrator, o.vocab.perpetrators);
  c.Vocab("cause", r.cause, o.vocab.causes);
  c.Vocab("place_of_death.governorate", r.place_of_death.governorate, o.vocab.governorates);
  c.Vocab("governorate_of_origin", r.governorate_of_origin, o.vocab.governorates);
}

void ValidateRecords(std::vector<IncomingRecord>* records, const ValidateOptions& opts) {
  for (IncomingRecord& rec : *records) {
    const bool unparsed = std::any_of(rec.errors.begin(), rec.errors.end(),
                                      [](const FieldError& e) { return e.field.empty(); });
    if (unparsed) {
      if (auto bad = FindInvalidUtf8(rec.report.raw_payload)) {
        rec.errors.push_back(
            {"", "invalid UTF-8 at byte " + std::to_string(*bad) + " of the record"});
      }
      continue;
    }
    ValidateReport(rec.report, opts, &rec.errors);
  }
}

}  // namespace qayd::ingest
