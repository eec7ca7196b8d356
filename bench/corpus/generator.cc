#include "bench/corpus/generator.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include <rapidjson/ostreamwrapper.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "bench/corpus/arabic_text.h"

namespace qayd::bench {
namespace {

struct Day {
  int y = 0, m = 0, d = 0;
};

// Howard Hinnant's civil_from_days / days_from_civil.
Day CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}

int64_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + static_cast<unsigned>(d) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

std::string DayText(const Day& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.y, d.m, d.d);
  return buf;
}

struct Person {
  std::string id;
  bool male = true;
  std::string first, father, grandfather, family;
  int64_t dob = 0, dod = 0;  // days since epoch
  int gov = 0;
  int cause = 0;
  int64_t family_id = 0;
};

const char* kGovernorates[] = {"North Gaza", "Gaza", "Deir al-Balah", "Khan Younis", "Rafah"};
const char* kCauses[] = {"air strike", "shelling", "gunfire", "explosion", "unknown"};
const char* kSources[] = {"moh-daily", "family-form", "ngo-feed", "hospital-list", "news-monitor"};
const char* kSourceTypes[] = {"official", "relative", "ngo", "hospital", "news"};

class Gen {
 public:
  Gen(const NameStats& stats, const CorpusOptions& opts) : st_(stats), o_(opts), rng_(opts.seed) {}

  bool Chance(double p) { return static_cast<double>(rng_() % 1000000) < p * 1e6; }
  int64_t Uniform(int64_t lo, int64_t hi) {  // inclusive
    return lo + static_cast<int64_t>(rng_() % static_cast<uint64_t>(hi - lo + 1));
  }

  std::string NextId() {
    const uint64_t c = next_id_++;
    return std::to_string(400000000 + (c * 2654435761ULL + o_.seed * 7919) % 500000000);
  }

  // Appends the killed members of one family to `people`.
  void Family(std::vector<Person>* people) {
    const int64_t fam = families_++;
    const std::string family = st_.family.Sample(rng_);
    const std::string grandfather = st_.male_given.Sample(rng_);
    const std::string great = st_.male_given.Sample(rng_);
    std::string father_first = st_.first_male.Sample(rng_);
    const int64_t dod = DaysFromCivil(2023, 10, 7) + Uniform(0, 450);
    const int gov = static_cast<int>(Uniform(0, 4));
    const int cause = static_cast<int>(Uniform(0, 4));
    const int64_t father_dob = DaysFromCivil(1955, 1, 1) + Uniform(0, 35 * 365);
    const bool together = Chance(0.7);
    auto add = [&](bool male, std::string first, std::string father, std::string gf,
                   std::string fam_name, int64_t dob) {
      Person p;
      p.id = NextId();
      p.male = male;
      p.first = std::move(first);
      p.father = std::move(father);
      p.grandfather = std::move(gf);
      p.family = std::move(fam_name);
      p.dob = dob;
      p.dod = together ? dod : DaysFromCivil(2023, 10, 7) + Uniform(0, 450);
      p.gov = together ? gov : static_cast<int>(Uniform(0, 4));
      p.cause = together ? cause : static_cast<int>(Uniform(0, 4));
      p.family_id = fam;
      if (p.dob > p.dod - 30) p.dob = p.dod - Uniform(30, 3650);
      people->push_back(std::move(p));
    };
    const int kids = static_cast<int>(Uniform(0, 6));
    const bool alone = kids == 0 || Chance(0.35);
    if (alone || Chance(0.45)) add(true, father_first, grandfather, great, family, father_dob);
    if (alone) return;
    if (Chance(0.45)) {
      add(false, st_.first_female.Sample(rng_), st_.male_given.Sample(rng_),
          st_.male_given.Sample(rng_), st_.family.Sample(rng_), father_dob + Uniform(-5, 10) * 365);
    }
    std::vector<std::string> used;
    for (int k = 0; k < kids; ++k) {
      if (!Chance(0.6)) continue;
      const bool male = Chance(0.5);
      std::string first;
      for (int tries = 0; tries < 5; ++tries) {
        first = (male ? st_.first_male : st_.first_female).Sample(rng_);
        if (std::find(used.begin(), used.end(), first) == used.end()) break;
      }
      used.push_back(first);
      add(male, first, father_first, grandfather, family, father_dob + Uniform(18, 45) * 365);
    }
  }

  std::string Latin(const std::string& part) {
    std::string out;
    size_t start = 0;
    while (start <= part.size()) {
      size_t sp = part.find(' ', start);
      if (sp == std::string::npos) sp = part.size();
      const std::string tok = part.substr(start, sp - start);
      start = sp + 1;
      if (tok.empty()) continue;
      auto it = st_.latin.find(FoldArabic(tok));
      std::string w = it != st_.latin.end() && !it->second.empty() ? it->second.Sample(rng_)
                                                                   : FallbackLatin(tok);
      if (o_.drift > 0) w = LatinDrift(w, rng_, o_.drift);
      if (!out.empty()) out += ' ';
      out += w;
    }
    return out;
  }

  // One report of `p`. variant=false: the register's clean record.
  void Write(rapidjson::Writer<rapidjson::StringBuffer>& w, const Person& p, bool variant,
             bool latin, const std::string& source, const char* source_type,
             const std::string& record_id) {
    std::vector<std::string> parts = {p.first, p.father, p.grandfather, p.family};
    if (variant) {
      if (Chance(0.15 * o_.drift)) parts.erase(parts.begin() + 2);  // grandfather dropped
      if (Chance(0.02 * o_.drift)) parts.back() = st_.family.Sample(rng_);  // family replaced
    }
    std::string full;
    for (const auto& part : parts) {
      std::string s = latin ? Latin(part) : variant && o_.drift > 0 ? ArabicDrift(part, rng_, o_.drift)
                                                                    : part;
      if (!full.empty()) full += ' ';
      full += s;
    }
    w.StartObject();
    w.Key("source");
    w.String(source.c_str());
    w.Key("source_record_id");
    w.String(record_id.c_str());
    w.Key("source_type");
    w.String(source_type);
    w.Key("name");
    w.StartObject();
    w.Key("full");
    w.String(full.c_str());
    w.Key("script");
    w.String(latin ? "latin" : "arabic");
    w.EndObject();
    if (!(variant && Chance(0.02))) {
      w.Key("sex");
      w.String(p.male ? "male" : "female");
    }
    int64_t dob = p.dob;
    bool dob_known = !variant || !Chance(0.25);
    if (!variant && Chance(0.1)) dob_known = false;
    if (variant && dob_known && Chance(0.1)) {
      Day d = CivilFromDays(dob);
      switch (rng_() % 3) {
        case 0: if (d.d <= 12) std::swap(d.d, d.m); break;
        case 1: d.y += Chance(0.5) ? 1 : -1; if (d.m == 2 && d.d == 29) d.d = 28; break;
        default: d.m = 1, d.d = 1; break;
      }
      const int64_t shifted = DaysFromCivil(d.y, d.m, d.d);
      if (shifted < p.dod - 30) dob = shifted;
    }
    const Day death = CivilFromDays(p.dod + (variant && Chance(0.2) ? Uniform(-3, 3) : 0));
    if (dob_known) {
      w.Key("date_of_birth");
      w.String(DayText(CivilFromDays(dob)).c_str());
    }
    if (!variant || Chance(0.7)) {
      const int64_t age = (p.dod - p.dob) / 365;
      if (age >= 0 && age <= 110) {
        w.Key("age");
        w.String(std::to_string(age).c_str());
      }
    }
    if (!variant || Chance(0.8)) {
      w.Key("date_of_death");
      w.String(DayText(death).c_str());
    }
    w.Key("national_id");
    w.String(p.id.c_str());
    w.Key("place_of_death");
    w.StartObject();
    w.Key("governorate");
    w.String(kGovernorates[variant && Chance(0.1) ? Uniform(0, 4) : p.gov]);
    w.EndObject();
    w.Key("cause");
    w.String(kCauses[p.cause]);
    w.EndObject();
  }

  const NameStats& st_;
  const CorpusOptions& o_;
  std::mt19937_64 rng_;
  uint64_t next_id_ = 0;
  int64_t families_ = 0;
};

}  // namespace

CorpusCounts WriteCorpus(const NameStats& stats, const CorpusOptions& opts, std::ostream& reg,
                         std::ostream& inc) {
  Gen g(stats, opts);
  CorpusCounts c;
  const int64_t n_rr = opts.register_size > 0
                           ? static_cast<int64_t>(opts.incoming * opts.rereport_share + 0.5)
                           : 0;
  int64_t n_sd = static_cast<int64_t>(opts.incoming * opts.self_dup_share + 0.5);
  n_sd = std::min(n_sd, opts.incoming - n_rr);
  int64_t n_new = opts.incoming - n_rr - n_sd;
  if (n_new == 0 && n_sd > 0) ++n_new, --n_sd;

  std::vector<Person> people;
  people.reserve(static_cast<size_t>(opts.register_size + n_new + 8));
  while (static_cast<int64_t>(people.size()) < opts.register_size + n_new) g.Family(&people);
  people.resize(static_cast<size_t>(opts.register_size + n_new));
  for (size_t i = people.size(); i > 1; --i) std::swap(people[i - 1], people[g.rng_() % i]);
  c.people = static_cast<int64_t>(people.size());
  c.families = g.families_;

  std::vector<char> family_in_register(static_cast<size_t>(g.families_), 0);
  rapidjson::StringBuffer buf;
  for (int64_t i = 0; i < opts.register_size; ++i) {
    family_in_register[static_cast<size_t>(people[i].family_id)] = 1;
    buf.Clear();
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    g.Write(w, people[i], false, false, "register", "official", "r" + std::to_string(i + 1));
    reg.write(buf.GetString(), static_cast<std::streamsize>(buf.GetSize()));
    reg.put('\n');
  }
  c.register_reports = opts.register_size;

  // Incoming events: person index, in a shuffled order.
  std::vector<int64_t> events;
  events.reserve(static_cast<size_t>(opts.incoming));
  for (int64_t i = 0; i < n_new; ++i) events.push_back(opts.register_size + i);
  for (int64_t i = 0; i < n_rr; ++i) events.push_back(g.Uniform(0, opts.register_size - 1));
  for (int64_t i = 0; i < n_sd; ++i) events.push_back(opts.register_size + g.Uniform(0, n_new - 1));
  for (size_t i = events.size(); i > 1; --i) std::swap(events[i - 1], events[g.rng_() % i]);
  for (size_t k = 0; k < events.size(); ++k) {
    const Person& p = people[static_cast<size_t>(events[k])];
    const bool latin = g.Chance(opts.latin_share);
    c.incoming_latin += latin;
    if (events[k] >= opts.register_size &&
        family_in_register[static_cast<size_t>(p.family_id)]) {
      ++c.incoming_relatives_in_register;
    }
    const size_t s = g.rng_() % 5;
    buf.Clear();
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    g.Write(w, p, true, latin, kSources[s], kSourceTypes[s], "i" + std::to_string(k + 1));
    inc.write(buf.GetString(), static_cast<std::streamsize>(buf.GetSize()));
    inc.put('\n');
  }
  c.incoming_reports = opts.incoming;
  c.incoming_rereports = n_rr;
  c.incoming_self_dups = n_sd;
  c.incoming_new = n_new;
  return c;
}

}  // namespace qayd::bench
