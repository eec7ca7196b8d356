#include "eval/loaders.h"

#include <rapidjson/document.h>

#include <fstream>
#include <sstream>

#include "base/csv.h"

namespace qayd::eval {
namespace {

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(ErrorCode::kIo, "cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Stem(const std::string& path) {
  size_t slash = path.find_last_of('/');
  std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  size_t dot = base.find_last_of('.');
  return dot == std::string::npos ? base : base.substr(0, dot);
}

Script DetectScript(const std::string& s) {
  bool arabic = false, latin = false;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == 0xD8 || c == 0xD9 || c == 0xDA || c == 0xDB) arabic = true;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) latin = true;
  }
  if (arabic && latin) return Script::kMixed;
  return arabic ? Script::kArabic : latin ? Script::kLatin : Script::kUnknown;
}

Report MakeReport(const std::string& source, size_t row, const std::string& id,
                  const std::string& name, const std::string& dob, const std::string& sex,
                  const std::string& age) {
  Report r;
  r.source = source;
  r.source_record_id = id.empty() ? std::to_string(row) : id;
  r.national_id = id;
  NameSpelling n;
  n.full = name;
  n.script = DetectScript(name);
  r.names.push_back(std::move(n));
  if (auto s = ParseSex(sex)) r.sex = *s;
  if (auto d = ParseFuzzyDate(dob)) r.date_of_birth = *d;
  if (auto a = ParseAge(age)) r.age = *a;
  return r;
}

}  // namespace

bool IsNationalId(const std::string& id) {
  if (id.size() != 9) return false;
  for (char c : id) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

Result<std::vector<Report>> LoadGazaCsv(const std::string& path) {
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  // The CSV reader of `qayd ingest` (base/csv.h); a malformed row is an error
  // here, where the lists are known to be well formed.
  const std::vector<CsvRow> rows = SplitCsv(*text);
  if (rows.empty()) return Error(ErrorCode::kInvalidInput, path + ": empty file");
  for (const CsvRow& r : rows) {
    if (!r.error.empty()) {
      return Error(ErrorCode::kInvalidInput,
                   path + ": line " + std::to_string(r.line) + ": " + r.error);
    }
  }
  int col_id = -1, col_name = -1, col_dob = -1, col_sex = -1, col_age = -1;
  for (size_t i = 0; i < rows[0].fields.size(); ++i) {
    const std::string& h = rows[0].fields[i];
    int c = static_cast<int>(i);
    if (h == "id") col_id = c;
    if (h == "name_ar_raw" || h == "name") col_name = c;
    if (h == "dob") col_dob = c;
    if (h == "sex") col_sex = c;
    if (h == "age") col_age = c;
  }
  if (col_id < 0 || col_name < 0) {
    return Error(ErrorCode::kInvalidInput, path + ": header lacks id or name_ar_raw");
  }
  auto cell = [](const std::vector<std::string>& row, int c) {
    return c >= 0 && static_cast<size_t>(c) < row.size() ? row[c] : std::string();
  };
  std::vector<Report> out;
  std::string source = Stem(path);
  for (size_t i = 1; i < rows.size(); ++i) {
    const auto& row = rows[i].fields;
    out.push_back(MakeReport(source, i, cell(row, col_id), cell(row, col_name), cell(row, col_dob),
                             cell(row, col_sex), cell(row, col_age)));
  }
  return out;
}

Result<std::vector<Report>> LoadGazaJson(const std::string& path, const std::string& name_field) {
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  rapidjson::Document doc;
  doc.Parse(text->c_str(), text->size());
  if (doc.HasParseError() || !doc.IsArray()) {
    return Error(ErrorCode::kInvalidInput, path + ": not a JSON array");
  }
  auto str = [](const rapidjson::Value& o, const char* k) -> std::string {
    auto it = o.FindMember(k);
    if (it == o.MemberEnd()) return "";
    if (it->value.IsString()) return it->value.GetString();
    if (it->value.IsInt64()) return std::to_string(it->value.GetInt64());
    if (it->value.IsNumber()) return std::to_string(static_cast<int64_t>(it->value.GetDouble()));
    return "";
  };
  std::vector<Report> out;
  std::string source = Stem(path);
  size_t row = 0;
  for (const auto& o : doc.GetArray()) {
    ++row;
    if (!o.IsObject()) continue;
    out.push_back(MakeReport(source, row, str(o, "id"), str(o, name_field.c_str()), str(o, "dob"),
                             str(o, "sex"), str(o, "age")));
  }
  return out;
}

}  // namespace qayd::eval
