#include "backup/manifest.h"

#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "backup/file_util.h"
#include "base/json_parse.h"

namespace qayd::backup {

std::string ManifestPathFor(const std::string& backup_path) {
  return backup_path + ".manifest.json";
}

std::string ManifestToJson(const Manifest& m) {
  rapidjson::StringBuffer buf;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buf);
  w.SetIndent(' ', 2);
  w.StartObject();
  w.Key("qayd_backup_manifest");
  w.Int(m.format);
  w.Key("file");
  w.String(m.file.c_str());
  w.Key("created_at");
  w.String(m.created_at.c_str());
  w.Key("created_at_ms");
  w.Int64(m.created_at_ms);
  w.Key("backend");
  w.String(m.backend.c_str());
  w.Key("source");
  w.String(m.source.c_str());
  w.Key("schema_version");
  w.Int(m.schema_version);
  w.Key("counts");
  w.StartObject();
  w.Key("reports");
  w.Int64(m.counts.reports);
  w.Key("victims");
  w.Int64(m.counts.victims);
  w.Key("history_events");
  w.Int64(m.counts.history_events);
  w.EndObject();
  w.Key("last_event_seq");
  w.Int64(m.last_event_seq);
  w.Key("size_bytes");
  w.Int64(m.size_bytes);
  w.Key("sha256");
  w.String(m.sha256.c_str());
  w.Key("encrypted");
  w.Bool(m.encrypted);
  w.Key("key_fingerprint");
  w.String(m.key_fingerprint.c_str());
  w.Key("plain_sha256");
  w.String(m.plain_sha256.c_str());
  w.EndObject();
  return std::string(buf.GetString()) + "\n";
}

Result<Manifest> ParseManifest(const std::string& json, const std::string& label) {
  rapidjson::Document d;
  const bool parsed = ParseJsonLimited(json, &d).ok();
  auto bad = [&](const std::string& why) {
    return Error(ErrorCode::kInvalidInput,
                 label + ": not a valid qayd backup manifest (" + why + ")");
  };
  if (!parsed || !d.IsObject()) return bad("not a JSON object");
  if (!d.HasMember("qayd_backup_manifest") || !d["qayd_backup_manifest"].IsInt()) {
    return bad("no qayd_backup_manifest version");
  }
  Manifest m;
  m.format = d["qayd_backup_manifest"].GetInt();
  if (m.format != 1) return bad("unknown format " + std::to_string(m.format));
  auto str = [&](const char* k, std::string* out) {
    if (!d.HasMember(k) || !d[k].IsString()) return false;
    *out = d[k].GetString();
    return true;
  };
  auto i64 = [&](const rapidjson::Value& obj, const char* k, int64_t* out) {
    if (!obj.HasMember(k) || !obj[k].IsInt64()) return false;
    *out = obj[k].GetInt64();
    return true;
  };
  int64_t schema = 0;
  if (!str("file", &m.file) || !str("created_at", &m.created_at) || !str("backend", &m.backend) ||
      !str("source", &m.source) || !str("sha256", &m.sha256) ||
      !str("key_fingerprint", &m.key_fingerprint) || !str("plain_sha256", &m.plain_sha256) ||
      !i64(d, "created_at_ms", &m.created_at_ms) || !i64(d, "schema_version", &schema) ||
      !i64(d, "last_event_seq", &m.last_event_seq) || !i64(d, "size_bytes", &m.size_bytes) ||
      !d.HasMember("encrypted") || !d["encrypted"].IsBool() || !d.HasMember("counts") ||
      !d["counts"].IsObject()) {
    return bad("a field is missing or has the wrong type");
  }
  m.schema_version = static_cast<int>(schema);
  m.encrypted = d["encrypted"].GetBool();
  const auto& c = d["counts"];
  if (!i64(c, "reports", &m.counts.reports) || !i64(c, "victims", &m.counts.victims) ||
      !i64(c, "history_events", &m.counts.history_events)) {
    return bad("counts incomplete");
  }
  return m;
}

Result<Manifest> ReadManifest(const std::string& path) {
  auto text = ReadFile(path);
  if (!text.ok()) {
    if (text.status().code() == ErrorCode::kNotFound) {
      return Error(ErrorCode::kNotFound, "manifest " + path + " is missing");
    }
    return text.status();
  }
  return ParseManifest(*text, path);
}

Status WriteManifest(const std::string& path, const Manifest& m) {
  return WriteFileAtomic(path, ManifestToJson(m), 0644);
}

}  // namespace qayd::backup
