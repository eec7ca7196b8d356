#include "tests/support/review_register_test.h"

#include <vector>

namespace qayd::testing {

void ReviewRegisterTest::SetUp() {
  MatchingSettings m = DefaultConfig().matching;
  m.auto_merge = 1000;  // every candidate pair goes to review
  m.review = -1000;
  reg_ = std::make_unique<TestRegister>(m);
  ASSERT_TRUE(reg_->Start().ok());
  ASSERT_TRUE(reg_->AddUser("mona", "monitor", kMonitorPass).ok());
  ASSERT_TRUE(reg_->AddUser("omar", "monitor", kMonitorPass).ok());
  ASSERT_TRUE(reg_->AddUser("ada", "admin", kAdminPass).ok());
  auto first = reg_->Ingest({Record("moh", "1", kFirstName, kDeath)});
  ASSERT_TRUE(first.ok());
  ASSERT_EQ((*first)[0].decision, "new");
  victim_ = (*first)[0].victim_id;
  first_report_ = (*first)[0].report_id;
}

HttpClient ReviewRegisterTest::Client() const { return HttpClient(reg_->port()); }

HttpClient ReviewRegisterTest::Monitor(const std::string& name) {
  HttpClient c = Client();
  EXPECT_EQ(c.Login(name, kMonitorPass).status, 200);
  return c;
}

HttpClient ReviewRegisterTest::Admin() {
  HttpClient c = Client();
  EXPECT_EQ(c.Login("ada", kAdminPass).status, 200);
  return c;
}

std::string ReviewRegisterTest::Path(int64_t item, const std::string& tail) {
  return "/api/v1/review/items/" + std::to_string(item) + tail;
}

int64_t ReviewRegisterTest::ItemOfReport(int64_t report_id) {
  auto txn = reg_->store()->Begin(Store::Mode::kRead);
  if (!txn.ok()) return 0;
  auto items = (*txn)->ListReviewItems(ReviewFilter{});
  if (!items.ok()) return 0;
  const std::vector<ReviewItem> list = std::move(*items);
  for (const auto& it : list) {
    if (it.report_id == report_id) return it.id;
  }
  return 0;
}

}  // namespace qayd::testing
