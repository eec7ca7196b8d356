// The review screen's transliteration (review/transliterate.h), both ways:
// readable forms of common names and of the name rules, and how well the
// output agrees with real renderings of the same people: the 14,140 records
// of data/gaza-moh/update-2024-02-19-with-english.json carry each victim's
// Arabic name and an English rendering of it. A token agrees when its
// normalised form (letters only, lower case; Arabic folded) equals the other
// rendering's or is within Jaro-Winkler 0.9 of it. The floors below are the
// figures measured when this was written, rounded down (docs/REVIEW.md).
#include "review/transliterate.h"

#include <gtest/gtest.h>
#include <unicode/translit.h>

#include <cctype>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>
#include <vector>

#include "eval/loaders.h"
#include "matching/similarity.h"
#include "review/name_parts.h"

namespace qayd::review {
namespace {

TEST(Transliterate, ArabicNamesReadAsLatin) {
  EXPECT_EQ(ArabicToLatin("محمد أحمد"), "Muhammad Ahmed");
  EXPECT_EQ(ArabicToLatin("إبراهيم"), "Ibrahim");
  EXPECT_EQ(ArabicToLatin("فاطمة"), "Fatima");
  // ال -> al-, عبد ال joined or apart -> Abd al-, ابو joined -> Abu.
  EXPECT_EQ(ArabicToLatin("هاني سليم المدهون"), "Hani Salim al-Madhoun");
  EXPECT_EQ(ArabicToLatin("عبدالرحمن"), "Abd al-Rahman");
  EXPECT_EQ(ArabicToLatin("عبد الكريم"), "Abd al-Karim");
  EXPECT_EQ(ArabicToLatin("ابوشلوف"), "Abu Shalouf");
  EXPECT_EQ(ArabicToLatin("نورالدين"), "Nour al-Din");
  // Words outside the table: long vowels, a short a where a syllable needs
  // one, final ة / ه as a, hamza and ayn by their neighbours.
  EXPECT_EQ(ArabicToLatin("كسكين"), "Kaskin");
  EXPECT_EQ(ArabicToLatin("عاشور"), "Ashour");
  EXPECT_EQ(ArabicToLatin("جوده"), "Jouda");
  EXPECT_EQ(ArabicToLatin("سائد"), "Saed");
  EXPECT_EQ(ArabicToLatin("ايهاب"), "Ihab");
  EXPECT_EQ(ArabicToLatin("عطيه"), "Atya");
  EXPECT_EQ(ArabicToLatin("ساقالله"), "Saqallah");
  // Tashkeel and tatweel do not change the reading.
  EXPECT_EQ(ArabicToLatin("مُحَمَّـد"), "Muhammad");
  EXPECT_EQ(ArabicToLatin("Ahmed"), "");
}

TEST(Transliterate, LatinNamesWrittenInArabic) {
  EXPECT_EQ(LatinToArabic("Mohammed Ahmad"), "محمد أحمد");
  EXPECT_EQ(LatinToArabic("Fatima"), "فاطمة");
  // al- (joined, hyphenated or apart) -> ال; Abd/Abdul/Abdel + X -> عبد الX.
  EXPECT_EQ(LatinToArabic("al-Najjar"), "النجار");
  EXPECT_EQ(LatinToArabic("El Najjar"), "النجار");
  EXPECT_EQ(LatinToArabic("Abdul Rahman"), "عبد الرحمن");
  EXPECT_EQ(LatinToArabic("Hamdan"), "همدان");
  EXPECT_EQ(LatinToArabic("Abdelkarim"), "عبد الكريم");
  EXPECT_EQ(LatinToArabic("Abu-Shalouf"), "أبو شلوف");
  // Digraphs, long final syllables, endings.
  EXPECT_EQ(LatinToArabic("Ghassan"), "غسان");
  EXPECT_EQ(LatinToArabic("Khaled"), "خالد");
  EXPECT_EQ(LatinToArabic("Dhiyab"), "ذياب");
  EXPECT_EQ(LatinToArabic("Madhoun"), "مذون");
  EXPECT_EQ(LatinToArabic("Samira"), "سميرة");
  EXPECT_EQ(LatinToArabic("Nureddine"), "نور الدين");
  EXPECT_EQ(LatinToArabic("محمد"), "");
}

TEST(Transliterate, NameInTheOtherScript) {
  EXPECT_EQ(TransliterateName("جمال النجار"), "Jamal al-Najar");
  EXPECT_EQ(TransliterateName("Jamal al-Najjar"), "جمال النجار");
  EXPECT_EQ(TransliterateName("12 - ?"), "");
}

// Each thread uses its own clone of the ICU transliterators: many threads at
// once give what one thread gives.
TEST(Transliterate, ThreadsGetTheSameAnswers) {
  const std::vector<std::string> names = {"محمد عبدالرحمن النجار", "Hassan al-Zoubi",
                                          "ليلى ابوشلوف", "Abdelkarim Nasser"};
  std::vector<std::string> expected;
  for (const auto& n : names) expected.push_back(TransliterateName(n));
  std::vector<std::thread> threads;
  std::vector<int> wrong(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const size_t k = static_cast<size_t>(i + t) % names.size();
        if (TransliterateName(names[k]) != expected[k]) ++wrong[static_cast<size_t>(t)];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int w : wrong) EXPECT_EQ(w, 0);
}

std::vector<std::string> Words(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

std::string LatinKey(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalpha(c)) out.push_back(static_cast<char>(std::tolower(c)));
  }
  return out;
}

std::string ArabicKey(const std::string& s) {
  std::string out;
  for (const auto& w : Words(s)) out += FoldToken(w);
  return out;
}

// The skeleton the screen showed before: ICU's "Any-Latin; Latin-ASCII; Lower".
std::string OldSkeleton(const std::string& s) {
  thread_local std::unique_ptr<icu::Transliterator> tr = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance(
        "Any-Latin; Latin-ASCII; Lower", UTRANS_FORWARD, status));
    return t;
  }();
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(s);
  tr->transliterate(u);
  std::string out;
  u.toUTF8String(out);
  return out;
}

struct Agreement {
  size_t tokens = 0, equal = 0, close = 0;
  void Add(const std::string& a, const std::string& b) {
    ++tokens;
    if (a == b) {
      ++equal;
      ++close;
    } else if (!a.empty() && !b.empty() && matching::JaroWinkler(a, b) >= 0.9) {
      ++close;
    }
  }
  double EqualShare() const { return tokens ? static_cast<double>(equal) / tokens : 0; }
  double CloseShare() const { return tokens ? static_cast<double>(close) / tokens : 0; }
};

void Print(const Agreement& to_latin, const Agreement& old, const Agreement& to_arabic) {
  for (const auto& [label, a] :
       {std::pair<const char*, const Agreement*>{"Arabic->Latin", &to_latin},
        {"old skeleton ", &old},
        {"Latin->Arabic", &to_arabic}}) {
    std::cout << label << ": equal " << a->EqualShare() << ", equal or JW>=0.9 " << a->CloseShare()
              << "\n";
  }
}

TEST(Transliterate, AgreesWithRealEnglishRenderings) {
  const std::string path =
      std::string(QAYD_DATA_DIR) + "/gaza-moh/update-2024-02-19-with-english.json";
  auto arabic = eval::LoadGazaJson(path, "name");
  auto english = eval::LoadGazaJson(path, "en_name");
  ASSERT_TRUE(arabic.ok()) << arabic.status().message();
  ASSERT_TRUE(english.ok()) << english.status().message();
  ASSERT_EQ(arabic->size(), english->size());
  Agreement to_latin, to_arabic, old;
  size_t names = 0;
  for (size_t i = 0; i < arabic->size(); ++i) {
    const Report& a = (*arabic)[i];
    const Report& e = (*english)[i];
    if (a.names.empty() || e.names.empty()) continue;
    std::vector<std::string> aw = Words(a.names[0].full), ew = Words(e.names[0].full);
    if (aw.empty() || aw.size() != ew.size()) continue;  // words not in step
    ++names;
    for (size_t k = 0; k < aw.size(); ++k) {
      to_latin.Add(LatinKey(ArabicToLatin(aw[k])), LatinKey(ew[k]));
      old.Add(LatinKey(OldSkeleton(aw[k])), LatinKey(ew[k]));
      to_arabic.Add(ArabicKey(LatinToArabic(ew[k])), ArabicKey(aw[k]));
    }
  }
  std::cout << "names in step: " << names << ", word pairs: " << to_latin.tokens << "\n";
  Print(to_latin, old, to_arabic);
  ASSERT_GT(names, 10000u);
  EXPECT_GE(to_latin.CloseShare(), 0.77);
  EXPECT_GE(to_latin.EqualShare(), 0.47);
  EXPECT_GE(to_arabic.CloseShare(), 0.75);
  EXPECT_GE(to_arabic.EqualShare(), 0.54);
  EXPECT_GT(to_latin.CloseShare(), old.CloseShare() + 0.4);
}

// The same measure on data/translit/ar2en-eval.txt: 1,431 name words mined
// from Wikipedia, Arab and foreign names mixed (the foreign ones, Asensio,
// Atherton, follow no Arabic name rule).
TEST(Transliterate, AgreesWithWikipediaNameWords) {
  std::ifstream in(std::string(QAYD_DATA_DIR) + "/translit/ar2en-eval.txt");
  ASSERT_TRUE(in) << "data/translit/ar2en-eval.txt";
  Agreement to_latin, to_arabic, old;
  std::string line;
  while (std::getline(in, line)) {
    const size_t tab = line.find('\t');
    if (tab == std::string::npos) continue;
    const std::string ar = line.substr(0, tab), en = line.substr(tab + 1);
    to_latin.Add(LatinKey(ArabicToLatin(ar)), LatinKey(en));
    old.Add(LatinKey(OldSkeleton(ar)), LatinKey(en));
    to_arabic.Add(ArabicKey(LatinToArabic(en)), ArabicKey(ar));
  }
  std::cout << "words: " << to_latin.tokens << "\n";
  Print(to_latin, old, to_arabic);
  ASSERT_GT(to_latin.tokens, 1400u);
  EXPECT_GE(to_latin.CloseShare(), 0.27);
  EXPECT_GE(to_arabic.CloseShare(), 0.37);
  EXPECT_GT(to_latin.CloseShare(), old.CloseShare());
}

}  // namespace
}  // namespace qayd::review
