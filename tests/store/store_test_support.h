// Test support for the store tests: temporary directories, a PostgreSQL
// cluster for the process (QAYD_TEST_PG_URL, else the ctest fixture's
// cluster in QAYD_TEST_PG_DIR, else one started here with
// scripts/pg-test-cluster.sh and stopped at exit), and a fresh database per
// test for either backend.
#pragma once

#include <memory>
#include <string>

#include "model/report.h"
#include "store/store.h"

namespace qayd::testing_support {

// A new directory under /tmp, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// libpq URL of the server's maintenance database "postgres" (starts the
// cluster on first use). Fails the test (via ADD_FAILURE) and returns "" when
// no cluster can be had.
std::string PostgresAdminUrl();

// A fresh, empty database for one test: a file in a temp dir (sqlite) or a
// newly created PostgreSQL database, dropped by the destructor.
class TestDatabase {
 public:
  explicit TestDatabase(const std::string& backend);
  ~TestDatabase();
  const std::string& location() const { return location_; }
  const std::string& backend() const { return backend_; }
  // Runs SQL directly on the database, outside the store (for tests that
  // check what the schema refuses).
  Status RawExec(const std::string& sql) const;
  // First column of the first row of a raw query, "" when there is none.
  std::string RawQuery(const std::string& sql) const;

 private:
  std::string backend_;
  std::unique_ptr<TempDir> dir_;
  std::string location_, dbname_;
};

// A report with a few fields filled, for tests and the benchmark.
Report MakeReport(const std::string& source, const std::string& record_id,
                  const std::string& name, const std::string& payload_suffix = "");

}  // namespace qayd::testing_support
