// ScoreBound: never below the score, on real names (Arabic, Latin, two
// spellings, alternative family names, missing dates) and on weights chosen
// to take every branch of the bound; and Match, which skips candidates by
// it, reports the same best score and candidates as scoring every proposal.
#include "matching/score_bound.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "config/config.h"
#include "eval/loaders.h"
#include "matching/engine.h"
#include "matching/engine_impl.h"
#include "matching/scorer.h"

namespace qayd::matching {
namespace {

const std::string kData = QAYD_DATA_DIR;

// Real reports; every third one also spelled in Latin letters (the ministry's
// English list), every fifth without a date of birth, every seventh with a
// year only, plus variants that drop or change a letter of a part.
const std::vector<Report>& Reports() {
  static const std::vector<Report> reports = [] {
    std::vector<Report> out;
    auto csv = eval::LoadGazaCsv(kData + "/gaza-moh/release-2024-03-29.csv");
    auto ar = eval::LoadGazaJson(kData + "/gaza-moh/update-2024-02-19-with-english.json", "name");
    auto en =
        eval::LoadGazaJson(kData + "/gaza-moh/update-2024-02-19-with-english.json", "en_name");
    if (!csv.ok() || !ar.ok() || !en.ok()) return out;
    for (size_t i = 0; i < 2500 && i < csv->size(); ++i) out.push_back((*csv)[i]);
    for (size_t i = 0; i < 1500 && i < ar->size() && i < en->size(); ++i) {
      Report r = (*ar)[i];
      if (i % 3 == 0 && !(*en)[i].names.empty()) r.names.push_back((*en)[i].names[0]);
      if (i % 3 == 1) r = (*en)[i];
      out.push_back(r);
    }
    std::mt19937 rng(7);
    const size_t real = out.size();
    const char* places[] = {"gaza", "rafah", "khan_younis"};
    for (size_t i = 0; i < real; ++i) {
      Report& r = out[i];
      if (i % 5 == 0) r.date_of_birth = {};
      if (i % 7 == 0) r.date_of_birth.precision = DatePrecision::kYear;
      // Places and dates of death, from small sets so that they often agree
      // (the lists hold none).
      if (rng() % 5 != 0) {
        r.place_of_death.governorate = places[rng() % 3];
        r.place_of_death.district = places[rng() % 2];
        r.place_of_death.locality = places[rng() % 3];
        r.date_of_death = {2023, 10 + static_cast<int>(rng() % 3), 1 + static_cast<int>(rng() % 28),
                           DatePrecision::kExact};
      }
      if (i % 4 != 0 || r.names.empty() || r.names[0].full.size() < 8) continue;
      Report v = r;  // a re-report with extraction noise
      std::string& full = v.names[0].full;
      const size_t cut = full.rfind(' ');
      if (rng() % 2 && cut != std::string::npos && full.size() - cut > 4) {
        full.erase(full.size() - 2);  // an Arabic letter (or two Latin ones) dropped at the end
      } else {
        full.insert(cut == std::string::npos ? 0 : cut,
                    " (" + out[rng() % real].names[0].full + ")");
      }
      out.push_back(v);
    }
    return out;
  }();
  return reports;
}

std::vector<Profile> Profiles(Frequencies* f) {
  std::vector<Profile> out;
  for (const Report& r : Reports()) {
    out.push_back(BuildProfile(r));
    CountProfile(out.back(), +1, f);
  }
  return out;
}

// Every query against a sample of the others (and itself): the bound is at
// least the score; returns the share of pairs it would leave out at `review`.
double CheckBound(const MatchingSettings& settings) {
  Frequencies f;
  const std::vector<Profile> profiles = Profiles(&f);
  const Weights w = Weights::From(settings);
  std::vector<CandidateSummary> summaries;
  for (const Profile& p : profiles) summaries.push_back(Summarize(p));
  size_t pairs = 0, below = 0, failures = 0;
  for (size_t i = 0; i < profiles.size(); i += 3) {
    const ScoreBound bound(profiles[i], w, f);
    for (size_t j = i % 11; j < profiles.size(); j += 11) {
      const double score = Score(profiles[i], profiles[j], w, f, nullptr);
      const double b = bound.Of(summaries[j]);
      ++pairs;
      below += b < settings.review;
      if (score > b + 1e-9 && ++failures <= 5) {
        ADD_FAILURE() << "report " << i << " against " << j << ": score " << score
                      << " above bound " << b;
      }
    }
  }
  EXPECT_GT(pairs, 100000u);
  return static_cast<double>(below) / static_cast<double>(pairs);
}

TEST(ScoreBoundTest, NeverBelowTheScoreWithTheDefaultWeights) {
  ASSERT_GT(Reports().size(), 4000u) << "real data under " << kData;
  // It must also leave most of such pairs out, or it would not be worth it.
  EXPECT_GT(CheckBound(DefaultConfig().matching), 0.5);
}

TEST(ScoreBoundTest, NeverBelowTheScoreWithUnusualWeights) {
  // Weights of the other sign take the bound's conservative branches: a
  // positive disagreement, a negative near share, a bonus for a spelling
  // difference or a shift.
  MatchingSettings s = DefaultConfig().matching;
  s.weights["name.family.disagree"] = 1.5;
  s.weights["name.first.disagree"] = 0.5;
  s.weights["name.near_factor"] = -0.5;
  s.weights["name.spelling"] = 0.7;
  s.weights["name.shift"] = 2;
  s.weights["name.agree_min"] = -1;
  s.weights["dob.placeholder_disagree"] = 1;
  s.weights["dob.missing"] = 0.5;
  s.weights["age.disagree"] = 0.5;
  s.weights["dod.far"] = 0.5;
  s.weights["place.governorate.disagree"] = 0.5;
  s.weights["place.locality.disagree"] = 0.5;
  CheckBound(s);
}

// Spellings one letter apart, the near spellings' territory: every letter
// of the first and the family name changed (to a consonant and to a long
// vowel), dropped at the end, added at the end, or two letters swapped; in
// Arabic and in Latin letters, and each against the other spellings.
TEST(ScoreBoundTest, NeverBelowTheScoreForSpellingsOneLetterApart) {
  std::vector<Report> base;
  size_t arabic = 0, latin = 0;
  for (const Report& r : Reports()) {
    if (r.names.empty() || r.names[0].full.size() < 12 ||
        r.names[0].full.find('(') != std::string::npos)
      continue;
    const bool is_arabic = (r.names[0].full[0] & 0x80) != 0;
    if ((is_arabic ? arabic : latin) == 300) continue;
    ++(is_arabic ? arabic : latin);
    base.push_back(r);
  }
  ASSERT_EQ(arabic, 300u);
  ASSERT_EQ(latin, 300u);
  std::vector<Report> all = base;
  std::vector<std::pair<size_t, size_t>> pairs;  // (base index, variant index)
  for (size_t i = 0; i < base.size(); ++i) {
    const std::string full = base[i].names[0].full;
    const bool is_arabic = (full[0] & 0x80) != 0;
    const size_t step = is_arabic ? 2 : 1;  // bytes per letter
    const std::vector<std::string> letters =
        is_arabic ? std::vector<std::string>{"ب", "ا", "ي", "ن", "ه"}
                  : std::vector<std::string>{"b", "a", "i", "n", "h"};
    const size_t first_end = full.find(' '), last_start = full.rfind(' ') + 1;
    for (auto [begin, end] :
         {std::pair{size_t{0}, first_end}, std::pair{last_start, full.size()}}) {
      std::vector<std::string> variants;
      for (size_t k = begin + step; k + step <= end; k += step) {
        for (const std::string& l : letters)
          variants.push_back(full.substr(0, k) + l + full.substr(k + step));
        if (k + 2 * step <= end)
          variants.push_back(full.substr(0, k) + full.substr(k + step, step) +
                             full.substr(k, step) + full.substr(k + 2 * step));
      }
      variants.push_back(full.substr(0, end - step) + full.substr(end));
      for (const std::string& l : letters)
        variants.push_back(full.substr(0, end) + l + full.substr(end));
      for (const std::string& v : variants) {
        Report r = base[i];
        r.names[0].full = v;
        pairs.push_back({i, all.size()});
        all.push_back(r);
      }
    }
    // Against other names of the other script too (cross-script skeletons).
    for (size_t k = 1; k <= 20; ++k) pairs.push_back({i, (i + k * 31) % base.size()});
  }
  Frequencies f;
  std::vector<Profile> profiles;
  for (const Report& r : all) {
    profiles.push_back(BuildProfile(r));
    CountProfile(profiles.back(), +1, &f);
  }
  const MatchingSettings settings = DefaultConfig().matching;
  const Weights w = Weights::From(settings);
  size_t failures = 0, below = 0;
  for (auto [i, j] : pairs) {
    for (auto [a, b] : {std::pair{i, j}, std::pair{j, i}}) {
      const double score = Score(profiles[a], profiles[b], w, f, nullptr);
      const double bound = ScoreBound(profiles[a], w, f).Of(Summarize(profiles[b]));
      below += bound < settings.review;
      if (score > bound + 1e-9 && ++failures <= 5) {
        ADD_FAILURE() << all[a].names[0].full << " against " << all[b].names[0].full << ": score "
                      << score << " above bound " << bound;
      }
    }
  }
  EXPECT_GT(pairs.size(), 10000u);
  EXPECT_GT(below, 100u);  // the letters rule some out
}

TEST(ScoreBoundTest, MatchReportsWhatScoringEveryProposalWould) {
  const MatchingSettings settings = DefaultConfig().matching;
  Engine engine(settings);
  const std::vector<Report>& reports = Reports();
  std::map<int64_t, std::vector<const Report*>> by_victim;
  for (size_t i = 0; i < reports.size(); i += 2) {
    // One report per victim: Match scores the proposed reports, and Propose
    // names their victims.
    const int64_t victim = static_cast<int64_t>(i) + 1;
    engine.Upsert(static_cast<int64_t>(i) + 1, victim, reports[i]);
    by_victim[victim].push_back(&reports[i]);
  }
  int compared = 0, reviewed = 0;
  for (size_t i = 1; i < reports.size(); i += 4) {
    const Report& q = reports[i];
    const MatchResult m = engine.Match(q);
    if (m.decision == Decision::kUnidentified) continue;
    // Every proposal scored: the best, and the victims worth a look.
    double best = -1e300;
    std::vector<std::pair<double, int64_t>> worth;
    for (int64_t victim : engine.Propose(q)) {
      double victim_best = -1e300;
      for (const Report* r : by_victim[victim])
        victim_best = std::max(victim_best, engine.ScorePair(q, *r).total);
      best = std::max(best, victim_best);
      if (victim_best >= settings.review) worth.push_back({-victim_best, victim});
    }
    if (worth.empty() && best == -1e300) continue;  // nothing proposed
    ++compared;
    std::sort(worth.begin(), worth.end());
    worth.resize(std::min(worth.size(), static_cast<size_t>(settings.max_candidates)));
    EXPECT_EQ(m.score, best) << "query " << i;
    ASSERT_EQ(m.candidates.size(), worth.size()) << "query " << i;
    for (size_t k = 0; k < worth.size(); ++k) {
      EXPECT_EQ(m.candidates[k].victim_id, worth[k].second) << "query " << i;
      EXPECT_EQ(m.candidates[k].score, -worth[k].first) << "query " << i;
    }
    reviewed += !worth.empty();
  }
  EXPECT_GT(compared, 500);
  EXPECT_GT(reviewed, 100);
}

}  // namespace
}  // namespace qayd::matching
