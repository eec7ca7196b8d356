#include "review/transliterate.h"

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <cctype>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "review/name_parts.h"

namespace qayd::review {
namespace {

// Common name words whose unvocalised spelling does not say how they are
// read. Arabic as usually written; Latin as English-language lists write it.
struct Word {
  const char* arabic;
  const char* latin;
};
constexpr Word kWords[] = {
    {"محمد", "Muhammad"},    {"أحمد", "Ahmed"},      {"محمود", "Mahmoud"},
    {"مصطفى", "Mustafa"},    {"إبراهيم", "Ibrahim"}, {"إسماعيل", "Ismail"},
    {"يوسف", "Yousef"},      {"علي", "Ali"},         {"حسن", "Hassan"},
    {"حسين", "Hussein"},     {"عمر", "Omar"},        {"عثمان", "Othman"},
    {"خالد", "Khaled"},      {"خليل", "Khalil"},     {"سعيد", "Saeed"},
    {"سعد", "Saad"},         {"سليمان", "Suleiman"}, {"سلمان", "Salman"},
    {"سالم", "Salem"},       {"سليم", "Salim"},      {"جمال", "Jamal"},
    {"كمال", "Kamal"},       {"عماد", "Imad"},       {"رائد", "Raed"},
    {"ماجد", "Majed"},       {"ياسر", "Yasser"},     {"ياسين", "Yassin"},
    {"يحيى", "Yahya"},       {"موسى", "Musa"},       {"عيسى", "Issa"},
    {"زكريا", "Zakaria"},    {"نور", "Nour"},        {"فاطمة", "Fatima"},
    {"عائشة", "Aisha"},      {"خديجة", "Khadija"},   {"مريم", "Maryam"},
    {"زينب", "Zainab"},      {"آمنة", "Amna"},       {"أسماء", "Asmaa"},
    {"إسراء", "Israa"},      {"آلاء", "Alaa"},       {"أميرة", "Amira"},
    {"سميرة", "Samira"},     {"منى", "Mona"},        {"هدى", "Huda"},
    {"رنا", "Rana"},         {"ريم", "Reem"},        {"سارة", "Sara"},
    {"ليلى", "Laila"},       {"نعيمة", "Naima"},     {"حليمة", "Halima"},
    {"سعاد", "Suad"},        {"هند", "Hind"},        {"إيمان", "Iman"},
    {"آية", "Aya"},          {"أسامة", "Osama"},     {"حمزة", "Hamza"},
    {"طارق", "Tariq"},       {"زياد", "Ziad"},       {"رامي", "Rami"},
    {"هاني", "Hani"},        {"وليد", "Walid"},      {"فادي", "Fadi"},
    {"شادي", "Shadi"},       {"نبيل", "Nabil"},      {"عادل", "Adel"},
    {"جميل", "Jamil"},       {"منصور", "Mansour"},   {"رمضان", "Ramadan"},
    {"شعبان", "Shaaban"},    {"صالح", "Saleh"},      {"فتحي", "Fathi"},
    {"صبحي", "Subhi"},       {"رشيد", "Rashid"},     {"عبد", "Abd"},
    {"أبو", "Abu"},          {"أم", "Umm"},          {"بن", "bin"},
    {"بنت", "bint"},         {"ابن", "ibn"},         {"الله", "Allah"},
    {"عبدالله", "Abdullah"}, {"الدين", "al-Din"},    {"نصر", "Nasr"},
    {"ناصر", "Nasser"},      {"عوض", "Awad"},        {"عيد", "Eid"},
    {"سمير", "Samir"},       {"هشام", "Hisham"},     {"عصام", "Issam"},
    {"وسام", "Wissam"},      {"حسام", "Hussam"},     {"أنس", "Anas"},
    {"معاذ", "Muadh"},       {"بلال", "Bilal"},      {"عمار", "Ammar"},
    {"ياسمين", "Yasmin"},    {"دعاء", "Duaa"},       {"إلهام", "Ilham"},
    {"أحلام", "Ahlam"},      {"صباح", "Sabah"},      {"وفاء", "Wafaa"},
    {"هبة", "Hiba"},         {"ندى", "Nada"},        {"جنى", "Jana"},
    {"سلمى", "Salma"},       {"غادة", "Ghada"},      {"رغد", "Raghad"},
    {"شهد", "Shahd"},        {"تسنيم", "Tasnim"},    {"مها", "Maha"},
    {"أمل", "Amal"},         {"إياد", "Iyad"},       {"أيمن", "Ayman"},
    {"أشرف", "Ashraf"},      {"أكرم", "Akram"},      {"أمجد", "Amjad"},
    {"عبير", "Abeer"},       {"إسلام", "Islam"},     {"مؤمن", "Moamen"},
    {"فؤاد", "Fouad"},       {"رياض", "Riyad"},      {"عامر", "Amer"},
    {"عمرو", "Amr"},         {"بكر", "Bakr"},        {"جهاد", "Jihad"},
    {"نضال", "Nidal"},       {"صلاح", "Salah"},      {"فلسطين", "Falastin"},
    {"إلياس", "Elias"},      {"ألفت", "Olfat"},      {"يونس", "Younis"},
    {"يعقوب", "Yaqoub"},     {"داود", "Dawoud"},     {"عبدالرحمن", "Abd al-Rahman"},
};

// Latin spellings of the table's words besides the table's own.
struct Variant {
  const char* latin;  // lower case, letters only
  const char* arabic;
};
constexpr Variant kVariants[] = {
    {"mohammed", "محمد"},    {"mohamed", "محمد"},    {"mohammad", "محمد"},
    {"mohamad", "محمد"},     {"muhammed", "محمد"},   {"mhd", "محمد"},
    {"ahmad", "أحمد"},       {"mahmud", "محمود"},    {"yusuf", "يوسف"},
    {"youssef", "يوسف"},     {"yousif", "يوسف"},     {"hussain", "حسين"},
    {"husain", "حسين"},      {"husein", "حسين"},     {"hasan", "حسن"},
    {"ibrahem", "إبراهيم"},  {"ebrahim", "إبراهيم"}, {"fatma", "فاطمة"},
    {"fatimah", "فاطمة"},    {"khalid", "خالد"},     {"umar", "عمر"},
    {"mustapha", "مصطفى"},   {"mostafa", "مصطفى"},   {"moustafa", "مصطفى"},
    {"abdallah", "عبدالله"}, {"abdulla", "عبدالله"}, {"suleman", "سليمان"},
    {"sulaiman", "سليمان"},  {"aysha", "عائشة"},     {"aishah", "عائشة"},
    {"emad", "عماد"},        {"raid", "رائد"},       {"amina", "آمنة"},
    {"amneh", "آمنة"},       {"esraa", "إسراء"},     {"asma", "أسماء"},
    {"eman", "إيمان"},       {"ayah", "آية"},        {"usama", "أسامة"},
    {"hamzah", "حمزة"},      {"tareq", "طارق"},      {"ziyad", "زياد"},
    {"waleed", "وليد"},      {"adil", "عادل"},       {"jameel", "جميل"},
    {"mansur", "منصور"},     {"salih", "صالح"},      {"saif", "سيف"},
    {"said", "سعيد"},        {"sad", "سعد"},         {"essam", "عصام"},
    {"isam", "عصام"},        {"mona", "منى"},        {"muna", "منى"},
    {"noor", "نور"},         {"nur", "نور"},         {"yehia", "يحيى"},
    {"yehya", "يحيى"},       {"zeinab", "زينب"},     {"fouad", "فؤاد"},
    {"amr", "عمرو"},         {"mousa", "موسى"},      {"rahman", "رحمن"},
    {"moussa", "موسى"},      {"ali", "علي"},         {"abo", "أبو"},
    {"abou", "أبو"},         {"um", "أم"},           {"om", "أم"},
    {"ben", "بن"},           {"ibn", "ابن"},
};

std::string LettersLower(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalpha(c)) out.push_back(static_cast<char>(std::tolower(c)));
  }
  return out;
}

struct Tables {
  std::unordered_map<std::string, std::string> to_latin;   // FoldToken(arabic) -> latin
  std::unordered_map<std::string, std::string> to_arabic;  // LettersLower(latin) -> arabic
  Tables() {
    for (const Word& w : kWords) {
      to_latin.emplace(FoldToken(w.arabic), w.latin);
      to_arabic.emplace(LettersLower(w.latin), w.arabic);
    }
    for (const Variant& v : kVariants) to_arabic.emplace(v.latin, v.arabic);
  }
};

const Tables& GetTables() {
  static const Tables tables;
  return tables;
}

// Arabic letters to one code letter per sound, read by Syllables(): lower
// case for consonants written as themselves; V th, X kh, D dh, S sh, G gh,
// C ch; E ayn, Q hamza; A alif, I initial i, U u, M alif maqsura, P ta
// marbuta; W waw and Y ya (vowel or consonant, decided by Syllables()).
// Letters not named (rare Persian ones) go through ICU's Arabic-Latin.
constexpr char kArabicRules[] = R"(
:: NFKC ;
:: [\u064B-\u065F\u0670\u0640\u200C-\u200F] Remove ;
[بتثجحخدذرزسشصضطظعغفقكلمني] { ه } $ > ة ;
:: Null ;
آ > A ; أ > A ; ا > A ; ٱ > A ; إ > I ;
ب > b ; ت > t ; ث > V ; ج > j ; ح > h ; خ > X ; د > d ; ذ > D ; ر > r ; ز > z ;
س > s ; ش > S ; ص > s ; ض > d ; ط > t ; ظ > z ; ع > E ; غ > G ; ف > f ; ق > q ;
ك > k ; ک > k ; ل > l ; م > m ; ن > n ; ه > h ; و > W ; ي > Y ; ی > Y ; ى > M ;
ة > P ; ء > Q ; ئ > Q ; ؤ > U ; چ > C ; گ > g ; پ > p ; ڤ > v ;
:: Arabic-Latin ;
:: Latin-ASCII ;
)";

// Latin letters (lower case, doubled consonants single, long vowels marked by
// Lengthen()) to Arabic letters: initial vowels, endings, digraphs, long
// vowels (ICU refuses a rule that an earlier one masks, so two-letter keys
// come before one-letter ones, anchored before unanchored); single consonants through ICU's
// Latin-Arabic, whose short-vowel marks are then removed (short vowels are not written).
constexpr char kLatinRules[] = R"(
:: NFD ;
:: [:Mn:] Remove ;
:: NFC ;
:: Lower ;
[\'\`’‘ʿʾ] > ;
^ aa > ا ; ^ ai > اي ; ^ ay > اي ; ^ ei > اي ; ^ ey > اي ; ^ ou > ا ;
aa } $ > اء ; ah } $ > ة ; eh } $ > ة ; ee } $ > ي ; ey } $ > ي ; ie } $ > ي ;
ou } $ > و ; oo } $ > و ;
sh > ش ; ch > ش ; kh > خ ; th > ث ; gh > غ ; dh > ذ ; dj > ج ; ph > ف ;
aa > ا ; ae > ائ ; ai > ي ; ay > ي ; ei > ي ; ey > ي ; ee > ي ; ii > ي ; ie > ي ;
oo > و ; ou > و ; uu > و ;
^ [aeiou] > ا ;
a } $ > ة ; i } $ > ي ; e } $ > ي ; y } $ > ي ; o } $ > و ; u } $ > و ;
g > ج ; p > ب ; v > ف ; c > ك ; q > ق ; w > و ; y > ي ; x > كس ;
:: Latin-Arabic ;
:: [\u064B-\u0652] Remove ;
)";

struct Protos {
  Protos();
  std::unique_ptr<icu::Transliterator> to_latin, to_arabic;
  std::mutex mu;  // guards clone()
};

std::unique_ptr<icu::Transliterator> Build(const char* id, const char* rules) {
  UErrorCode status = U_ZERO_ERROR;
  UParseError parse{};
  std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createFromRules(
      icu::UnicodeString::fromUTF8(id), icu::UnicodeString::fromUTF8(rules), UTRANS_FORWARD, parse,
      status));
  if (U_FAILURE(status)) t.reset();
  return t;
}

Protos::Protos()
    : to_latin(Build("qayd-name-arabic-latin", kArabicRules)),
      to_arabic(Build("qayd-name-latin-arabic", kLatinRules)) {}

Protos& GetProtos() {
  static Protos p;
  return p;
}

// This thread's copy of a prototype (nullptr if ICU could not build it).
icu::Transliterator* ThreadCopy(bool to_latin) {
  thread_local std::unique_ptr<icu::Transliterator> latin, arabic;
  std::unique_ptr<icu::Transliterator>& mine = to_latin ? latin : arabic;
  if (!mine) {
    Protos& p = GetProtos();
    std::lock_guard<std::mutex> lock(p.mu);
    const auto& proto = to_latin ? p.to_latin : p.to_arabic;
    if (proto) mine.reset(proto->clone());
  }
  return mine.get();
}

std::string Apply(bool to_latin, const std::string& text) {
  icu::Transliterator* t = ThreadCopy(to_latin);
  if (!t) return "";
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(text);
  t->transliterate(u);
  std::string out;
  u.toUTF8String(out);
  return out;
}

// ---- Arabic -> Latin --------------------------------------------------------

bool CodeIsVowel(char c) { return c == 'A' || c == 'I' || c == 'U' || c == 'M' || c == 'P'; }

// Readable Latin from the code letters of kArabicRules: W/Y are vowels
// between consonants (and W/Y after a final consonant), a short vowel is
// written after a consonant that opens a syllable before another consonant
// ("e" after a long a: Khaled, else "a"), ayn and hamza are spelled by their
// neighbours (Saad, Raed, Asmaa), initial اي before a consonant is i (Ihab).
std::string Syllables(const std::string& code) {
  const size_t n = code.size();
  std::vector<bool> vowel(n);
  for (size_t i = 0; i < n; ++i) {
    const char c = code[i];
    if (c == 'W' || c == 'Y') {
      const bool after_cons = i > 0 && !vowel[i - 1];
      const bool before_cons =
          i + 1 == n || (!CodeIsVowel(code[i + 1]) && code[i + 1] != 'W' && code[i + 1] != 'Y') ||
          ((code[i + 1] == 'W' || code[i + 1] == 'Y') && i + 2 == n);
      vowel[i] = after_cons && before_cons;
    } else {
      vowel[i] = CodeIsVowel(c);
    }
  }
  std::string out;
  size_t start = 0;
  // Initial اي before a consonant is a long i (Ihab, Iman, Inas).
  if (n >= 3 && code[0] == 'A' && code[1] == 'Y' && !vowel[2] && code[2] != 'W' && code[2] != 'Y') {
    out = "i";
    start = 2;
  }
  bool after_vowel = start > 0;  // the last unit written was a vowel
  bool inserted_a = false;       // ... and it was an inserted short a
  bool after_long_a = false;     // ... and it was a long a
  for (size_t i = start; i < n; ++i) {
    const char c = code[i];
    const bool next_vowel = i + 1 < n && vowel[i + 1];
    const bool at_end = i + 1 == n;
    if (vowel[i]) {
      switch (c) {
        case 'A':
        case 'M':
        case 'P':
          out += 'a';
          break;
        case 'I':
          out += 'i';
          break;
        case 'U':
          out += 'u';
          break;
        case 'W':
          out += at_end ? "u" : "ou";
          break;
        default:
          out += 'i';
          break;
      }
      after_vowel = true;
      inserted_a = false;
      after_long_a = c == 'A';
      continue;
    }
    const bool was_after_vowel = after_vowel;
    switch (c) {
      case 'V':
        out += "th";
        break;
      case 'X':
        out += "kh";
        break;
      case 'D':
        out += "dh";
        break;
      case 'S':
        out += "sh";
        break;
      case 'G':
        out += "gh";
        break;
      case 'C':
        out += "ch";
        break;
      case 'W':
        out += 'w';
        break;
      case 'Y':
        out += 'y';
        break;
      case 'E':  // ayn: heard as a lengthened a after a short a (Saad)
      case 'Q':  // hamza: Asmaa, Raed
        if (c == 'E' ? inserted_a && !next_vowel : was_after_vowel && !next_vowel) {
          out += c == 'E' || at_end ? 'a' : 'e';
          after_vowel = true;  // spelled as a vowel: nothing to insert after it
          inserted_a = after_long_a = false;
          continue;
        }
        break;
      default:
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        break;
    }
    after_vowel = false;
    inserted_a = false;
    // A consonant that opens a syllable (word start, or after a consonant,
    // or after a long a: fa:'il) needs a vowel before the next consonant.
    const bool opens = !was_after_vowel || after_long_a;
    after_long_a = false;
    if (!at_end && !next_vowel && opens) {
      out += (was_after_vowel && i > 0 && code[i - 1] == 'A') ? 'e' : 'a';
      after_vowel = true;
      inserted_a = out.back() == 'a';
    }
  }
  return out;
}

std::string Capital(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

bool StartsWith(const std::string& s, const char* p) { return s.rfind(p, 0) == 0; }
bool EndsWith(const std::string& s, const std::string& p) {
  return s.size() >= p.size() && s.compare(s.size() - p.size(), p.size(), p) == 0;
}
size_t Letters(const std::string& utf8) {
  size_t n = 0;
  for (unsigned char c : utf8) n += (c & 0xC0) != 0x80;
  return n;
}

// One Arabic word (folded by FoldToken) as readable Latin.
std::string LatinWord(const std::string& folded, const std::string& spelled) {
  const Tables& t = GetTables();
  if (auto it = t.to_latin.find(folded); it != t.to_latin.end()) return it->second;
  const std::string al = "ال", abd = "عبد", abu = "ابو", din = "الدين", allah = "الله";
  auto rest = [&](const std::string& prefix) { return folded.substr(prefix.size()); };
  if (StartsWith(folded, abd.c_str()) && Letters(rest(abd)) >= 2) {
    return "Abd " + LatinWord(rest(abd), rest(abd));
  }
  if (StartsWith(folded, abu.c_str()) && Letters(rest(abu)) >= 2) {
    return "Abu " + LatinWord(rest(abu), rest(abu));
  }
  if (EndsWith(folded, din) && Letters(folded) >= din.size() / 2 + 2) {
    std::string first = folded.substr(0, folded.size() - din.size());
    return LatinWord(first, first) + " al-Din";
  }
  if (EndsWith(folded, allah) && Letters(folded) >= allah.size() / 2 + 2) {
    std::string first = folded.substr(0, folded.size() - allah.size());
    return LatinWord(first, first) + "allah";
  }
  if (StartsWith(folded, al.c_str()) && Letters(rest(al)) >= 2) {
    return "al-" + LatinWord(rest(al), spelled.size() > al.size() ? spelled.substr(al.size()) : "");
  }
  // The spelling as written keeps ة, ى and the hamza seats the rules read.
  std::string code = Apply(true, spelled.empty() ? folded : spelled);
  return Capital(Syllables(code));
}

bool HasLatin(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (std::isalpha(c)) return true;
    if (c == 0xC3 && i + 1 < s.size()) return true;  // Latin-1 letters with accents
  }
  return false;
}

std::vector<std::string> Split(std::string_view s, const char* seps) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (std::string_view(seps).find(c) != std::string_view::npos) {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

// The word's spelling without tashkeel and tatweel, but with ة ى and the
// hamza seats kept (FoldToken folds them away).
std::string Spelled(const std::string& word) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(word), out;
  for (int32_t i = 0; i < u.length();) {
    UChar32 c = u.char32At(i);
    i += U16_LENGTH(c);
    if ((c >= 0x064B && c <= 0x065F) || c == 0x0670 || c == 0x0640) continue;
    out.append(c);
  }
  std::string s;
  out.toUTF8String(s);
  return s;
}

// ---- Latin -> Arabic --------------------------------------------------------

bool IsVowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

// Doubled consonants made single (shadda is not written) and the vowel of a
// long final syllable doubled so that the rules write it: CVCaC (Jamal,
// Hisham), a after a doubled consonant (Hassan, Najjar) and a final -an
// (Hamdan) have a long a; a final i (Salim) and o/u (Mahmud) are long; a
// final e is short and makes the a before it long (Khaled, Majed).
std::string Lengthen(const std::string& w) {
  std::string s;
  std::vector<bool> doubled;
  for (char c : w) {
    if (!s.empty() && s.back() == c && !IsVowel(c)) {
      doubled.back() = true;
      continue;
    }
    s.push_back(c);
    doubled.push_back(false);
  }
  const size_t n = s.size();
  if (n < 4 || IsVowel(s[n - 1])) return s;
  // The final consonant (one letter or an h digraph) and the vowel before it.
  size_t v = n - 1;
  if (v >= 1 && s[v] == 'h' && std::string_view("sckgdt").find(s[v - 1]) != std::string::npos) --v;
  if (v == 0 || !IsVowel(s[v - 1]) || (v >= 2 && IsVowel(s[v - 2]))) return s;
  --v;  // s[v] is the single vowel of the final syllable
  if (v == 0) return s;
  const char vowel = s[v];
  if (vowel == 'i' || vowel == 'o' || vowel == 'u') return s.insert(v, 1, vowel);
  if (vowel == 'e') {
    // C a C e C: the a is long.
    if (v >= 3 && s[v - 2] == 'a' && !IsVowel(s[v - 1]) && !IsVowel(s[v - 3]))
      s.insert(v - 2, 1, 'a');
    return s;
  }
  if (vowel != 'a') return s;
  const bool after_double = doubled[v - 1];
  size_t vowels = 0;
  for (size_t i = 0; i < v; ++i) vowels += IsVowel(s[i]) && (i == 0 || !IsVowel(s[i - 1]));
  const bool cvcac = vowels == 1 && !IsVowel(s[0]) && !IsVowel(s[v - 1]) &&
                     (v < 2 || IsVowel(s[v - 2]) || s[v - 1] == 'h');
  // -an after a consonant is the long ending of Hamdan, Radwan, Marwan.
  const bool an = s[n - 1] == 'n' && v == n - 2 && !IsVowel(s[v - 1]);
  if (after_double || cvcac || an) s.insert(v, 1, 'a');
  return s;
}

std::string ArabicWord(const std::string& word) {
  const std::string key = LettersLower(word);
  if (key.empty()) return "";
  const Tables& t = GetTables();
  if (auto it = t.to_arabic.find(key); it != t.to_arabic.end()) return it->second;
  static const char* const kAbd[] = {"abdul", "abdel", "abdal", "abdol", "abdur", "abdar",
                                     "abdas", "abdad", "abdan", "abdat", "abdash"};
  for (const char* p : kAbd) {
    if (StartsWith(key, p) && key.size() >= std::string_view(p).size() + 3) {
      return "عبد ال" + ArabicWord(key.substr(std::string_view(p).size()));
    }
  }
  if (StartsWith(key, "abd") && key.size() >= 6) return "عبد " + ArabicWord(key.substr(3));
  for (const char* p : {"abou", "abu"}) {
    if (StartsWith(key, p) && key.size() >= std::string_view(p).size() + 3) {
      return "أبو " + ArabicWord(key.substr(std::string_view(p).size()));
    }
  }
  for (const char* s : {"eddine", "eddin", "uddin", "addin", "aldin", "eldin"}) {
    if (EndsWith(key, s) && key.size() >= std::string_view(s).size() + 2) {
      return ArabicWord(key.substr(0, key.size() - std::string_view(s).size())) + " الدين";
    }
  }
  if (EndsWith(key, "allah") && key.size() >= 8) {
    return ArabicWord(key.substr(0, key.size() - 5)) + "الله";
  }
  if ((StartsWith(key, "al") || StartsWith(key, "el")) && key.size() >= 6) {
    return "ال" + ArabicWord(key.substr(2));
  }
  return Apply(false, Lengthen(key));
}

bool IsArticle(const std::string& k) {
  return k == "al" || k == "el" || k == "ar" || k == "as" || k == "ad" || k == "an" || k == "ash" ||
         k == "at" || k == "az" || k == "ul";
}
bool IsAbd(const std::string& k) {
  return k == "abd" || k == "abdul" || k == "abdel" || k == "abdal" || k == "abdol" || k == "abed";
}

}  // namespace

bool HasArabic(std::string_view s) {
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0xD8 && c <= 0xDB) return true;
  }
  return false;
}

std::string ArabicToLatin(std::string_view name) {
  if (!HasArabic(name)) return "";
  std::string out;
  std::vector<std::string> words = Split(name, " \t\n\r-_,.;:()/");
  for (size_t i = 0; i < words.size(); ++i) {
    if (!HasArabic(words[i])) continue;
    std::string spelled = Spelled(words[i]);
    std::string folded = FoldToken(spelled);
    std::string latin;
    // "عبد الرحمن" written apart is read as one part, as joined.
    if (folded == "عبد" && i + 1 < words.size() && HasArabic(words[i + 1])) {
      std::string next = Spelled(words[i + 1]);
      latin = "Abd " + LatinWord(FoldToken(next), next);
      ++i;
    } else {
      latin = LatinWord(folded, spelled);
    }
    if (latin.empty()) continue;
    if (!out.empty()) out += ' ';
    out += latin;
  }
  return out;
}

std::string LatinToArabic(std::string_view name) {
  if (!HasLatin(name)) return "";
  std::vector<std::string> parts = Split(name, " \t\n\r-_,.;:()/");
  std::string out;
  bool article = false;  // "al" seen: joined to the next word
  bool abd = false;      // "Abd" seen: "عبد" + the next word with ال
  for (size_t i = 0; i < parts.size(); ++i) {
    const std::string key = LettersLower(parts[i]);
    if (key.empty()) continue;
    const bool more = i + 1 < parts.size();
    if (more && IsArticle(key) && !article) {
      article = true;
      continue;
    }
    if (more && IsAbd(key) && !abd) {
      abd = true;
      continue;
    }
    std::string word = ArabicWord(parts[i]);
    if (word.empty()) continue;
    if ((article || (abd && key != "allah" && key != "lah")) && !StartsWith(word, "ال")) {
      word = "ال" + word;
    }
    if (abd) word = key == "allah" || key == "lah" ? "عبدالله" : "عبد " + word;
    article = abd = false;
    if (!out.empty()) out += ' ';
    out += word;
  }
  return out;
}

std::string TransliterateName(std::string_view name) {
  if (HasArabic(name)) return ArabicToLatin(name);
  return LatinToArabic(name);
}

}  // namespace qayd::review
