// The fixture shared by the review API tests (tests/web/api_test.cc,
// tests/review/review_api_test.cc): a real register (TestRegister: SQLite,
// engine, pipeline, HTTP on loopback) whose thresholds send every candidate
// pair to review, monitors "mona" and "omar", admin "ada", and one victim
// (kFirstName, died kDeath) in victim_ / first_report_. Single-threaded like any
// gtest fixture.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>

#include "tests/web/http_client.h"
#include "tests/web/test_register.h"

namespace qayd::testing {

inline constexpr char kMonitorPass[] = "monitor-pass-1";
inline constexpr char kAdminPass[] = "admin-pass-123";
inline constexpr char kFirstName[] = "محمد أحمد حسن الخطيب";
// Record fields of the victim's death, to append to a record's JSON.
inline const std::string kDeath =
    "\"date_of_death\":\"2024-01-03\",\"sex\":\"male\","
    "\"place_of_death\":{\"governorate\":\"Gaza\"}";

class ReviewRegisterTest : public ::testing::Test {
 protected:
  void SetUp() override;

  HttpClient Client() const;
  // Logged in (the login is checked).
  HttpClient Monitor(const std::string& name = "mona");
  HttpClient Admin();
  static std::string Path(int64_t item, const std::string& tail = "");
  // The review item queued for `report_id` (0 when there is none).
  int64_t ItemOfReport(int64_t report_id);

  std::unique_ptr<TestRegister> reg_;
  int64_t victim_ = 0, first_report_ = 0;
};

}  // namespace qayd::testing
