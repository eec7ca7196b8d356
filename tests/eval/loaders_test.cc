#include "eval/loaders.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace qayd::eval {
namespace {

TEST(Loaders, NationalIds) {
  EXPECT_TRUE(IsNationalId("994024404"));
  EXPECT_FALSE(IsNationalId("44062697"));
  EXPECT_FALSE(IsNationalId("99402440a"));
  EXPECT_FALSE(IsNationalId(""));
}

TEST(Loaders, CsvByHeaderWithStrayQuotes) {
  auto dir = std::filesystem::temp_directory_path() / ("qayd-eval-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string path = (dir / "rel.csv").string();
  {
    std::ofstream out(path);
    out << "id,name_ar_raw,dob,age,sex,source\n"
        << "123456789,هناء سلمان \"\"ابو عجوة \",,\"20\",F,h\n"
        << ",محمد علي,1990-01-01,\"34\",M,c\n";
  }
  auto r = LoadGazaCsv(path);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].national_id, "123456789");
  EXPECT_EQ((*r)[0].sex, Sex::kFemale);
  EXPECT_EQ((*r)[0].age.min, 20);
  EXPECT_EQ((*r)[1].source_record_id, "2");  // row number when the id is empty
  EXPECT_EQ((*r)[1].date_of_birth.year, 1990);
  EXPECT_EQ((*r)[1].source, "rel");
  std::filesystem::remove_all(dir);
}

TEST(Loaders, RealFilesLoad) {
  std::string dir = std::string(QAYD_DATA_DIR) + "/gaza-moh/";
  auto a = LoadGazaCsv(dir + "release-2024-03-29.csv");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->size(), 20390u);
  auto e = LoadGazaJson(dir + "update-2024-02-19-with-english.json", "en_name");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->size(), 14140u);
  EXPECT_EQ((*e)[0].names[0].script, Script::kLatin);
  EXPECT_FALSE(LoadGazaCsv(dir + "no-such-file.csv").ok());
}

}  // namespace
}  // namespace qayd::eval
