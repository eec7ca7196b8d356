#include "bench/corpus/name_stats.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <rapidjson/document.h>

#include "bench/corpus/arabic_text.h"

namespace qayd::bench {

void Bag::Add(const std::string& s, uint32_t n) {
  auto [it, inserted] = index_.try_emplace(s, items_.size());
  if (inserted) {
    items_.push_back(s);
    counts_.push_back(0);
  }
  counts_[it->second] += n;
}

void Bag::Finish() {
  // Deterministic order: by count descending, then by text.
  std::vector<size_t> order(items_.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return counts_[a] != counts_[b] ? counts_[a] > counts_[b] : items_[a] < items_[b];
  });
  std::vector<std::string> items;
  std::vector<uint64_t> counts;
  for (size_t i : order) {
    items.push_back(std::move(items_[i]));
    counts.push_back(counts_[i]);
  }
  items_ = std::move(items);
  counts_ = std::move(counts);
  index_.clear();
  cumulative_.clear();
  uint64_t total = 0;
  for (uint64_t c : counts_) cumulative_.push_back(total += c);
}

const std::string& Bag::Sample(std::mt19937_64& rng) const {
  const uint64_t x = rng() % cumulative_.back();
  const size_t i = std::upper_bound(cumulative_.begin(), cumulative_.end(), x) - cumulative_.begin();
  return items_[i];
}

namespace {

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(ErrorCode::kIo, "cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Splits one CSV line (quotes allowed, no embedded newlines in these files).
std::vector<std::string> CsvFields(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        out.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else if (c != '\r') {
      out.back() += c;
    }
  }
  return out;
}

void AddName(NameStats* st, const std::string& raw, bool male) {
  std::vector<std::string> parts = NameParts(raw);
  if (parts.size() < 3) return;
  for (const auto& p : parts) {
    if (p.find("مجهول") != std::string::npos) return;
  }
  ++st->source_names;
  (male ? st->first_male : st->first_female).Add(parts[0]);
  st->male_given.Add(parts[1]);
  if (parts.size() >= 4) st->male_given.Add(parts[2]);
  st->family.Add(parts.back());
}

Status LoadCsv(NameStats* st, const std::string& path) {
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  std::istringstream in(*text);
  std::string line;
  std::getline(in, line);
  std::vector<std::string> header = CsvFields(line);
  int name_col = -1, sex_col = -1;
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == "name_ar_raw") name_col = static_cast<int>(i);
    if (header[i] == "sex") sex_col = static_cast<int>(i);
  }
  if (name_col < 0 || sex_col < 0) return Error(ErrorCode::kInvalidInput, path + ": no name/sex");
  while (std::getline(in, line)) {
    auto f = CsvFields(line);
    if (static_cast<int>(f.size()) <= std::max(name_col, sex_col)) continue;
    const std::string& sex = f[sex_col];
    if (sex != "M" && sex != "F" && sex != "m" && sex != "f") continue;
    AddName(st, f[name_col], sex == "M" || sex == "m");
  }
  return Status::Ok();
}

bool LatinWord(const std::string& w) {
  if (w.empty()) return false;
  for (char c : w) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '\'')) return false;
  }
  return true;
}

std::vector<std::string> Words(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

Status LoadEnglish(NameStats* st, const std::string& path) {
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  rapidjson::Document doc;
  doc.Parse(text->data(), text->size());
  if (doc.HasParseError() || !doc.IsArray()) return Error(ErrorCode::kInvalidInput, path);
  for (const auto& rec : doc.GetArray()) {
    if (!rec.IsObject() || !rec.HasMember("name") || !rec.HasMember("en_name")) continue;
    if (!rec["name"].IsString() || !rec["en_name"].IsString()) continue;
    auto ar = Words(rec["name"].GetString());
    auto en = Words(rec["en_name"].GetString());
    if (ar.size() != en.size()) continue;
    for (size_t i = 0; i < ar.size(); ++i) {
      if (!IsArabicWord(ar[i]) || !LatinWord(en[i])) continue;
      st->latin[FoldArabic(ar[i])].Add(en[i]);
    }
  }
  return Status::Ok();
}

Status LoadTranslit(NameStats* st, const std::string& path) {
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  std::istringstream in(*text);
  std::string line;
  while (std::getline(in, line)) {
    const auto tab = line.find('\t');
    if (tab == std::string::npos) continue;
    std::string ar = line.substr(0, tab), en = line.substr(tab + 1);
    if (!en.empty() && en.back() == '\r') en.pop_back();
    if (!IsArabicWord(ar) || !LatinWord(en)) continue;
    en[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(en[0])));
    st->latin[FoldArabic(ar)].Add(en);
  }
  return Status::Ok();
}

}  // namespace

Result<NameStats> LoadNameStats(const std::string& data_dir) {
  NameStats st;
  for (const char* f : {"/gaza-moh/release-2024-01-05.csv", "/gaza-moh/release-2024-03-29.csv"}) {
    Status s = LoadCsv(&st, data_dir + f);
    if (!s.ok()) return s;
  }
  Status s = LoadEnglish(&st, data_dir + "/gaza-moh/update-2024-02-19-with-english.json");
  if (!s.ok()) return s;
  for (const char* f : {"/translit/ar2en-train.txt", "/translit/ar2en-eval.txt"}) {
    s = LoadTranslit(&st, data_dir + f);
    if (!s.ok()) return s;
  }
  for (Bag* b : {&st.first_male, &st.first_female, &st.male_given, &st.family}) b->Finish();
  for (auto& [k, bag] : st.latin) bag.Finish();
  if (st.first_male.empty() || st.first_female.empty() || st.family.empty()) {
    return Error(ErrorCode::kInvalidInput, "no names found under " + data_dir);
  }
  return st;
}

}  // namespace qayd::bench
