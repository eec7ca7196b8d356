#include "web/json_body.h"

#include "base/json_parse.h"
#include "base/utf8.h"

namespace qayd::web {

JsonBody::JsonBody(const std::string& text, const std::set<std::string>& allowed) {
  if (text.empty()) {
    doc_.SetObject();
    return;
  }
  if (Status parsed = ParseJsonLimited(text, &doc_); !parsed.ok()) {
    Fail("body is not valid JSON: " + parsed.message());
    doc_.SetObject();
    return;
  }
  if (!doc_.IsObject()) {
    Fail("body must be a JSON object");
    doc_.SetObject();
    return;
  }
  for (const auto& m : doc_.GetObject()) {
    std::string name(m.name.GetString(), m.name.GetStringLength());
    if (!allowed.count(name)) Fail("unknown member \"" + PrintableUtf8(name) + "\"");
  }
}

bool JsonBody::Has(const char* key) const { return doc_.HasMember(key); }

const rapidjson::Value* JsonBody::Get(const char* key) const {
  auto it = doc_.FindMember(key);
  return it == doc_.MemberEnd() ? nullptr : &it->value;
}

std::string JsonBody::String(const char* key, const std::string& fallback) {
  const rapidjson::Value* v = Get(key);
  if (!v || v->IsNull()) return fallback;
  if (!v->IsString()) {
    Fail(std::string(key) + " must be a string");
    return fallback;
  }
  return std::string(v->GetString(), v->GetStringLength());
}

int64_t JsonBody::Int(const char* key, int64_t fallback) {
  const rapidjson::Value* v = Get(key);
  if (!v || v->IsNull()) return fallback;
  if (!v->IsInt64()) {
    Fail(std::string(key) + " must be an integer");
    return fallback;
  }
  return v->GetInt64();
}

double JsonBody::Number(const char* key, double fallback) {
  const rapidjson::Value* v = Get(key);
  if (!v || v->IsNull()) return fallback;
  if (!v->IsNumber()) {
    Fail(std::string(key) + " must be a number");
    return fallback;
  }
  return v->GetDouble();
}

std::vector<int64_t> JsonBody::IntArray(const char* key) {
  std::vector<int64_t> out;
  const rapidjson::Value* v = Get(key);
  if (!v || v->IsNull()) return out;
  if (!v->IsArray()) {
    Fail(std::string(key) + " must be an array of integers");
    return out;
  }
  for (const auto& e : v->GetArray()) {
    if (!e.IsInt64()) {
      Fail(std::string(key) + " must be an array of integers");
      return {};
    }
    out.push_back(e.GetInt64());
  }
  return out;
}

}  // namespace qayd::web
