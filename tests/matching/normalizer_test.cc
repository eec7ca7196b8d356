// Each normalisation rule with real variant pairs.
#include <gtest/gtest.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <string>
#include <thread>
#include <vector>

#include "matching/name_normalizer.h"
#include "matching/skeleton.h"

namespace qayd::matching {
namespace {

// The cross-script keys of all parts, space separated.
std::string Keys(const std::string& name) {
  NormalizedName n = NormalizeName(name);
  std::string out;
  for (const auto& p : n.parts) out += (out.empty() ? "" : " ") + p.key;
  return out;
}

std::string Displays(const std::string& name) {
  NormalizedName n = NormalizeName(name);
  std::string out;
  for (const auto& p : n.parts) out += (out.empty() ? "" : " ") + p.display;
  return out;
}

TEST(ArabicFolding, AlefHamzaYaTaMarbutaAndMarks) {
  EXPECT_EQ(Displays("أحمد"), Displays("احمد"));
  EXPECT_EQ(Displays("إبراهيم"), Displays("ابراهيم"));
  EXPECT_EQ(Displays("مصطفى"), Displays("مصطفي"));
  EXPECT_EQ(Displays("فاطمة"), Displays("فاطمه"));
  EXPECT_EQ(Displays("مُحَمَّد"), Displays("محمد"));     // tashkeel
  EXPECT_EQ(Displays("محـــمد"), Displays("محمد"));  // tatweel
  EXPECT_EQ(Displays("مؤمن"), Displays("مومن"));
  EXPECT_EQ(Displays("محمد\u200f"), Displays("محمد"));  // invisible mark
  EXPECT_EQ(Displays("یوسف"), Displays("يوسف"));        // Persian ya
  EXPECT_NE(Displays("محمد"), Displays("محمود"));
}

// Names written only in ASCII and the base Arabic letters (U+0621..U+064A)
// skip ICU's NFKC: that is sound only if NFKC leaves every such text as it
// is, i.e. no such character changes alone and no two of them compose.
TEST(ArabicFolding, AsciiAndBaseArabicLettersAreAlreadyNfkc) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  ASSERT_TRUE(U_SUCCESS(status));
  std::vector<UChar32> set;
  for (UChar32 c = 0; c < 0x80; ++c) set.push_back(c);
  for (UChar32 c = 0x0621; c <= 0x064A; ++c) set.push_back(c);
  int checked = 0;
  for (UChar32 a : set) {
    for (UChar32 b : set) {
      icu::UnicodeString pair;
      pair.append(a).append(b);
      ASSERT_TRUE(nfkc->isNormalized(pair, status) && U_SUCCESS(status))
          << std::hex << "U+" << a << " U+" << b;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 170 * 170);
  // Outside that set the full path runs: presentation forms, marks and
  // Persian letters fold to the same name as the base letters.
  EXPECT_EQ(NormalizeName("\uFEE3\uFEA4\uFEE4\uFEAA").parts.at(0).display, "محمد");
  EXPECT_EQ(Displays("أحمد مُحَمَّد (یوسف)"), Displays("احمد محمد (يوسف)"));
  auto folded = [](const std::string& name) {
    for (const auto& step : NormalizeName(name).steps)
      if (step == "fold-letters") return true;
    return false;
  };
  EXPECT_TRUE(folded("أحمد"));  // on the short path too
  EXPECT_FALSE(folded("احمد"));
  EXPECT_EQ(Displays("محـــمد"), "محمد");  // tatweel dropped on the short path
}

TEST(PdfArtefacts, ReversedLamAlefAndArticle) {
  EXPECT_EQ(Displays("عبدهللا"), Displays("عبدالله"));
  EXPECT_EQ(Displays("محمد االسعدني"), Displays("محمد السعدني"));
  NormalizedName n = NormalizeName("عبدهللا محمد");
  bool noted = false;
  for (const auto& s : n.steps) noted = noted || s.find("pdf:") == 0;
  EXPECT_TRUE(noted);
}

TEST(PdfArtefacts, BrokenNameJoined) {
  EXPECT_EQ(Displays("حسي ن علي"), Displays("حسين علي"));
  // the conjunction و alone is not a broken letter of the previous word
  EXPECT_EQ(NormalizeName("حسين و علي").parts.size(), 3u);
}

TEST(PdfArtefacts, DroppedFinalLetterKeepsKey) { EXPECT_EQ(Keys("مصطف"), Keys("مصطفى")); }

TEST(Compounds, AbdIsOnePart) {
  EXPECT_EQ(NormalizeName("عبد الرحمن محمد").parts.size(), 2u);
  EXPECT_EQ(Keys("عبد الرحمن"), Keys("عبدالرحمن"));
  for (const char* latin : {"Abdulrahman", "Abd al-Rahman", "Abdel Rahman", "Abdurrahman",
                            "Abd ar-Rahman", "AbdelRahman", "Abdel-Rahman", "Abdalrahamun"}) {
    EXPECT_EQ(Keys(latin), Keys("عبد الرحمن")) << latin;
  }
  EXPECT_EQ(Keys("Abdullah"), Keys("عبدالله"));
  EXPECT_EQ(Keys("Abdallah"), Keys("عبد الله"));
}

TEST(Compounds, AlDin) {
  EXPECT_EQ(Keys("Nureddine"), Keys("نور الدين"));
  EXPECT_EQ(Keys("Noureddine"), Keys("Nur al-Din"));
  EXPECT_EQ(Keys("نورالدين"), Keys("نور الدين"));
  EXPECT_EQ(NormalizeName("نور الدين محمد").parts.size(), 2u);
  // a name that merely sounds like -din is not joined
  EXPECT_EQ(NormalizeName("محمد عدنان").parts.size(), 2u);
}

TEST(Kunya, AbuOwnPartJoinedOrApart) {
  EXPECT_EQ(Keys("ابو شرخ"), Keys("ابوشرخ"));
  EXPECT_EQ(Keys("Abu Shakra"), Keys("Abushakra"));
  EXPECT_EQ(Keys("Abou Obaid"), Keys("ابو عبيد"));
  EXPECT_EQ(NormalizeName("محمد ابو شرخ").parts.size(), 2u);
  EXPECT_NE(Keys("ابو بكر"), Keys("عبد بكر"));  // Abu is not Abd
}

TEST(Particles, IbnBinBintDropped) {
  EXPECT_EQ(Keys("محمد بن سلمان"), Keys("محمد سلمان"));
  EXPECT_EQ(Keys("Muhammad bin Salman"), Keys("Muhammad Salman"));
  EXPECT_EQ(Keys("Fatima bint Ali"), Keys("Fatima Ali"));
  EXPECT_EQ(Keys("Ahmad ibn Hanbal"), Keys("Ahmad Hanbal"));
}

TEST(Articles, AlElSunLettersButNotAlaaOrElias) {
  EXPECT_EQ(Keys("al-Madhoun"), Keys("المدهون"));
  EXPECT_EQ(Keys("Alshwa"), Keys("الشوا"));
  EXPECT_EQ(Keys("El Masri"), Keys("al-Masri"));
  EXPECT_EQ(Keys("Arraouf"), Keys("الرؤوف"));
  EXPECT_EQ(Keys("Alaa"), Keys("علاء"));  // not an article
  EXPECT_EQ(Keys("Ali"), Keys("علي"));
  EXPECT_EQ(Keys("Elias"), Keys("الياس"));
}

TEST(LatinFolding, Vowels) {
  EXPECT_EQ(Keys("Muhammad"), Keys("Mohammed"));
  EXPECT_EQ(Keys("Mohamad"), Keys("Mohamed"));
  EXPECT_EQ(Keys("Osama"), Keys("Usama"));
  EXPECT_EQ(Keys("Yahya"), Keys("Yehia"));
  EXPECT_EQ(Keys("Youssef"), Keys("Yusuf"));
  EXPECT_EQ(Keys("Khaleed"), Keys("Khalid"));
}

TEST(LatinFolding, DoubledConsonantsAndTaMarbuta) {
  EXPECT_EQ(Keys("Hassan"), Keys("Hasan"));
  EXPECT_EQ(Keys("Fatima"), Keys("Fatimah"));
  EXPECT_EQ(Keys("Fatma"), Keys("Fatmeh"));
}

TEST(LatinFolding, FrenchAndEgyptianConventions) {
  EXPECT_EQ(Keys("Chadi"), Keys("Shadi"));
  EXPECT_EQ(Keys("Djamel"), Keys("Jamal"));
  EXPECT_EQ(Keys("Gamal"), Keys("Jamal"));
  EXPECT_EQ(Keys("Noureddine"), Keys("Nuruddin"));
}

TEST(LatinFolding, ApostrophesAndDiacritics) {
  EXPECT_EQ(Keys("Sa'id"), Keys("Said"));
  EXPECT_EQ(Keys("Ma`mun"), Keys("Mamun"));
  EXPECT_EQ(Keys("ʿAbd al-ʿAziz"), Keys("Abdulaziz"));
  EXPECT_EQ(Keys("Hélène"), Keys("Helene"));
}

TEST(LatinFolding, Arabizi) {
  EXPECT_EQ(Keys("7asan"), Keys("Hasan"));
  EXPECT_EQ(Keys("5aled"), Keys("Khaled"));
  EXPECT_EQ(Keys("3ali"), Keys("Ali"));
  EXPECT_EQ(Keys("Sa3eed"), Keys("Saeed"));
}

TEST(CrossScript, KeysMeet) {
  for (const char* latin : {"Muhammad", "Mohammed", "Mohamed", "Mhd", "Mohd"}) {
    EXPECT_EQ(Keys(latin), Keys("محمد")) << latin;
  }
  EXPECT_EQ(Keys("Khalil Ibrahim al-Masri"), Keys("خليل ابراهيم المصري"));
  EXPECT_EQ(Keys("Hani Ibrahem Saleem al-Madhoun"), Keys("هاني ابراهيم سليم المدهون"));
  EXPECT_EQ(Keys("al-Dahdouh"), Keys("الدحدوح"));
  EXPECT_EQ(Keys("Fathi Madhat"), Keys("فتحي مدحت"));
}

TEST(Unidentified, UnknownMarkersAndEmpty) {
  EXPECT_TRUE(NormalizeName("مجهول مجهول مجهول مجهول").unidentified);
  EXPECT_TRUE(NormalizeName("unknown").unidentified);
  EXPECT_TRUE(NormalizeName("").unidentified);
  EXPECT_TRUE(NormalizeName("bin al").unidentified);
  EXPECT_FALSE(NormalizeName("محمد مجهول").unidentified);
}

TEST(Structure, RolesAndAlternativeFamily) {
  NormalizedName n = NormalizeName("نور حاتم خالد ابو عيشة ( ابو حطب");
  ASSERT_EQ(n.parts.size(), 4u);
  EXPECT_EQ(n.family()->key, Keys("ابو عيشه"));
  EXPECT_EQ(n.alt_family.key, Keys("ابو حطب"));
  EXPECT_EQ(n.original, "نور حاتم خالد ابو عيشة ( ابو حطب");
  NormalizedName three = NormalizeName("Ali Hassan Nasser");
  EXPECT_EQ(three.grandfather(), nullptr);
  ASSERT_NE(three.father(), nullptr);
  EXPECT_EQ(three.father()->display, "hassan");
  // stray Latin in an Arabic list is dropped
  EXPECT_EQ(NormalizeName("محمد عمر الشاعر UNB8").parts.size(), 3u);
}

TEST(Cache, SameResultOnEveryThread) {
  std::string here = Keys("عبد الرحمن ابو شرخ");
  std::string there;
  std::thread t([&] { there = Keys("عبد الرحمن ابو شرخ"); });
  t.join();
  EXPECT_EQ(here, there);
  ClearNormalizerCache();
  EXPECT_EQ(Keys("عبد الرحمن ابو شرخ"), here);
}

TEST(Skeleton, FoldsConfusedPairs) {
  EXPECT_EQ(LatinSkeleton("khalid"), "xld");
  EXPECT_EQ(LatinSkeleton("qasim"), LatinSkeleton("kasim"));
  EXPECT_EQ(LatinSkeleton("thamer"), LatinSkeleton("tamer"));
  EXPECT_EQ(FinishSkeleton("mmhmmd"), "mhmd");
  EXPECT_EQ(FinishSkeleton("ftmh"), "ftm");
  EXPECT_EQ(FinishSkeleton("lh"), "lh");  // too short to drop the h
}

TEST(VowelSketch, LongVowelsTellSameSkeletonNamesApart) {
  auto agree = [](const std::string& ar, const std::string& latin) {
    NormalizedName a = NormalizeName(ar), l = NormalizeName(latin);
    return VowelSketchesAgree(a.parts.at(0).vowels, l.parts.at(0).vowels);
  };
  // same skeleton "mhmd", different names
  EXPECT_FALSE(agree("محمود", "Muhammad"));
  EXPECT_FALSE(agree("عمر", "Ameer"));
  EXPECT_FALSE(agree("ايمان", "Amna"));
  // true variants keep agreeing
  EXPECT_TRUE(agree("محمود", "Mahmoud"));
  EXPECT_TRUE(agree("محمد", "Muhammad"));
  EXPECT_TRUE(agree("ابراهيم", "Ibrahem"));
  EXPECT_TRUE(agree("سليم", "Saleem"));
  EXPECT_TRUE(agree("المدهون", "al-Madhoun"));
  EXPECT_TRUE(agree("يوسف", "Youssef"));
  EXPECT_TRUE(agree("مصطفى", "Mustafa"));  // final ى is not a long i
  EXPECT_TRUE(agree("وليد", "Walid"));
}

}  // namespace
}  // namespace qayd::matching
