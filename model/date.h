// Dates with a precision, as casualty records carry them: an exact day, a month,
// a year, an estimate, or unknown.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace qayd {

enum class DatePrecision { kUnknown = 0, kYear, kMonth, kExact, kEstimate };

const char* DatePrecisionName(DatePrecision p);
std::optional<DatePrecision> ParseDatePrecision(std::string_view text);

struct FuzzyDate {
  int year = 0;   // 0 when unknown
  int month = 0;  // 1..12, 0 when unknown
  int day = 0;    // 1..31, 0 when unknown
  DatePrecision precision = DatePrecision::kUnknown;

  bool known() const { return precision != DatePrecision::kUnknown && year != 0; }
  // "YYYY-MM-DD", "YYYY-MM" or "YYYY"; empty when unknown.
  std::string ToString() const;
  // Days since 1970-01-01 of the date (missing month/day taken as the middle
  // of the range). Only meaningful when known().
  int DaysSinceEpoch() const;
  bool operator==(const FuzzyDate&) const = default;
};

// Parses "YYYY-MM-DD", "YYYY-MM", "YYYY", also "DD/MM/YYYY" and "YYYY/MM/DD".
// Precision follows from the form. Returns nullopt if the text is not a date or
// names a day that does not exist (2023-02-30). Empty text gives an unknown date.
std::optional<FuzzyDate> ParseFuzzyDate(std::string_view text);

// Days since 1970-01-01 for a civil date (proleptic Gregorian).
int DaysFromCivil(int year, int month, int day);
bool IsValidCivilDate(int year, int month, int day);

// Today's date in UTC (from the system clock).
FuzzyDate TodayUtc();

}  // namespace qayd
