// `qayd train --db`: a monitor's reviewed decisions are labelled pairs that
// move the estimated weights (docs/MATCHING.md §6). The register holds
// brothers, each reported twice, most with the same date of birth, twelve with
// dates three years apart (capped at review by the date-of-birth rule): the
// weight of such a gap must rise when monitors say "same" and fall when they
// say "different".
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "store/store.h"
#include "tests/support/run_command.h"

namespace {

std::string Qayd(const std::string& args, int* code) {
  qayd::testing::CommandResult run =
      qayd::testing::RunCommand(std::string(QAYD_PATH) + " " + args + " 2>&1");
  *code = run.code;
  return run.out;
}

double WeightIn(const std::string& out, const std::string& name) {
  const size_t at = out.find("\"" + name + "\": ");
  if (at == std::string::npos) return 1e9;
  return std::stod(out.substr(at + name.size() + 4));
}

class TrainDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("qayd-train-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
    const char* first[] = {"سعيد", "هاني", "رائد", "وليد", "خالد", "امين", "ماهر", "زياد"};
    const char* father[] = {"حامد", "نبيل", "سمير", "جمال"};
    const char* grandfather[] = {"محمود", "يوسف", "عثمان"};
    const char* family[] = {"حمدونه", "الفرا", "ابو حطب", "كسكين", "شهاب", "مسعود"};
    std::ofstream f(dir_ / "in.jsonl");
    int id = 0;
    auto line = [&](const std::string& name, const std::string& dob) {
      f << R"({"source_record_id":")" << ++id << R"(","name":")" << name
        << R"(","sex":"male","date_of_birth":")" << dob << "\"}\n";
    };
    // Twelve families of three brothers, each brother reported twice: the
    // eldest with his year of birth three years off (capped at review), the
    // others with the same date (merged).
    for (int fam = 0; fam < 12; ++fam) {
      for (int k = 0; k < 3; ++k) {
        const std::string name = std::string(first[(fam + 3 * k) % 8]) + " " + father[fam % 4] +
                                 " " + grandfather[fam % 3] + " " + family[fam % 6];
        const int year = 1960 + 2 * fam + 6 * k;
        const std::string day = "-0" + std::to_string(1 + k) + "-1" + std::to_string(fam % 10);
        line(name, std::to_string(year) + day);
        line(name, std::to_string(k == 0 ? year + 3 : year) + day);
      }
    }
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string P(const std::string& name) const { return (dir_ / name).string(); }

  // Ingests the reports into `db`, decides every review item `decision`
  // (none when empty) and returns what `qayd train --db` prints.
  std::string TrainAfter(const std::string& db, const std::string& decision, int* decided) {
    int code = 0;
    std::string out = Qayd("ingest --db " + P(db) + " --source test " + P("in.jsonl"), &code);
    EXPECT_EQ(code, 0) << out;
    *decided = 0;
    if (!decision.empty()) {
      auto store = qayd::OpenStore(P(db));
      EXPECT_TRUE(store.ok());
      if (!store.ok()) return "";
      auto txn = (*store)->Begin(qayd::Store::Mode::kWrite);
      EXPECT_TRUE(txn.ok());
      if (!txn.ok()) return "";
      qayd::ReviewFilter filter;
      filter.state = qayd::ReviewState::kPending;
      filter.limit = 1000;
      auto items = (*txn)->ListReviewItems(filter);
      EXPECT_TRUE(items.ok());
      for (const auto& item : *items) {
        EXPECT_TRUE((*txn)->DecideReviewItem(item.id, "monitor", decision, "{}", 1).ok());
        ++*decided;
      }
      EXPECT_TRUE((*txn)->Commit().ok());
    }
    out = Qayd("train --db " + P(db), &code);
    EXPECT_EQ(code, 0) << out;
    return out;
  }
  std::filesystem::path dir_;
};

TEST_F(TrainDbTest, MonitorsDecisionsMoveTheWeightOfWhatTheyDecided) {
  int none = 0, same = 0, different = 0;
  const std::string unlabelled = TrainAfter("none.db", "", &none);
  const std::string confirmed = TrainAfter("same.db", "same", &same);
  const std::string refuted = TrainAfter("different.db", "different", &different);
  // At least the twelve people reported with dates three years apart are
  // review items, and each decision becomes a labelled pair.
  ASSERT_GE(same, 12) << confirmed;
  ASSERT_EQ(different, same) << refuted;
  EXPECT_NE(confirmed.find(std::to_string(same) + " reviewed pairs"), std::string::npos)
      << confirmed;
  EXPECT_NE(unlabelled.find("0 reviewed pairs"), std::string::npos) << unlabelled;
  const double w0 = WeightIn(unlabelled, "dob.disagree");
  const double w_same = WeightIn(confirmed, "dob.disagree");
  const double w_diff = WeightIn(refuted, "dob.disagree");
  ASSERT_LT(w0, 1e8) << unlabelled;
  EXPECT_GT(w_same, w0 + 0.5) << unlabelled << confirmed;
  // Fewer pairs move it down (a gap is already rare among the matches EM sees).
  EXPECT_LT(w_diff, w0 - 0.1) << unlabelled << refuted;
  EXPECT_GT(w_same, w_diff + 1) << confirmed << refuted;
}

}  // namespace
