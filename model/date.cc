#include "model/date.h"

#include <charconv>
#include <chrono>
#include <cstdio>

namespace qayd {
namespace {

bool ParseInt(std::string_view s, int* out) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc();
}

std::optional<FuzzyDate> Make(int y, int m, int d) {
  FuzzyDate date;
  date.year = y;
  date.month = m;
  date.day = d;
  if (y < 1800 || y > 2200) return std::nullopt;
  if (m == 0) {
    date.precision = DatePrecision::kYear;
  } else if (d == 0) {
    if (m < 1 || m > 12) return std::nullopt;
    date.precision = DatePrecision::kMonth;
  } else {
    if (!IsValidCivilDate(y, m, d)) return std::nullopt;
    date.precision = DatePrecision::kExact;
  }
  return date;
}

}  // namespace

const char* DatePrecisionName(DatePrecision p) {
  switch (p) {
    case DatePrecision::kUnknown: return "unknown";
    case DatePrecision::kYear: return "year";
    case DatePrecision::kMonth: return "month";
    case DatePrecision::kExact: return "exact";
    case DatePrecision::kEstimate: return "estimate";
  }
  return "unknown";
}

std::optional<DatePrecision> ParseDatePrecision(std::string_view t) {
  if (t == "unknown") return DatePrecision::kUnknown;
  if (t == "year") return DatePrecision::kYear;
  if (t == "month") return DatePrecision::kMonth;
  if (t == "exact" || t == "day") return DatePrecision::kExact;
  if (t == "estimate") return DatePrecision::kEstimate;
  return std::nullopt;
}

std::string FuzzyDate::ToString() const {
  if (!known()) return "";
  char buf[16];
  if (month == 0) {
    std::snprintf(buf, sizeof buf, "%04d", year);
  } else if (day == 0) {
    std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  }
  return buf;
}

int FuzzyDate::DaysSinceEpoch() const {
  int m = month == 0 ? 7 : month;
  int d = day == 0 ? (month == 0 ? 1 : 15) : day;
  return DaysFromCivil(year, m, d);
}

int DaysFromCivil(int y, int m, int d) {
  // Howard Hinnant's days_from_civil.
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

bool IsValidCivilDate(int y, int m, int d) {
  if (m < 1 || m > 12 || d < 1) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int max = kDays[m - 1];
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (m == 2 && leap) max = 29;
  return d <= max;
}

std::optional<FuzzyDate> ParseFuzzyDate(std::string_view t) {
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
  if (t.empty()) return FuzzyDate{};
  // Drop a time part: "2024-01-05T00:00:00Z" or "2024-01-05 00:00".
  if (t.size() > 10 && (t[10] == 'T' || t[10] == ' ')) t = t.substr(0, 10);
  int y = 0, m = 0, d = 0;
  if (t.size() == 4 && ParseInt(t, &y)) return Make(y, 0, 0);
  if (t.size() == 7 && (t[4] == '-' || t[4] == '/') && ParseInt(t.substr(0, 4), &y) &&
      ParseInt(t.substr(5, 2), &m) && m >= 1) {
    return Make(y, m, 0);
  }
  if (t.size() == 10 && (t[4] == '-' || t[4] == '/') && t[7] == t[4] &&
      ParseInt(t.substr(0, 4), &y) && ParseInt(t.substr(5, 2), &m) &&
      ParseInt(t.substr(8, 2), &d) && m >= 1 && d >= 1) {
    return Make(y, m, d);
  }
  if (t.size() == 10 && (t[2] == '/' || t[2] == '-' || t[2] == '.') && t[5] == t[2] &&
      ParseInt(t.substr(0, 2), &d) && ParseInt(t.substr(3, 2), &m) &&
      ParseInt(t.substr(6, 4), &y) && m >= 1 && d >= 1) {
    return Make(y, m, d);
  }
  return std::nullopt;
}

FuzzyDate TodayUtc() {
  using namespace std::chrono;
  const auto days = floor<std::chrono::days>(system_clock::now());
  const year_month_day ymd{days};
  FuzzyDate d;
  d.year = static_cast<int>(ymd.year());
  d.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  d.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  d.precision = DatePrecision::kExact;
  return d;
}

}  // namespace qayd
