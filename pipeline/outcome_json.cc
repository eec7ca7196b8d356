#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "pipeline/pipeline.h"

namespace qayd {

std::string RecordOutcome::ToJson() const {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("source");
  w.String(source.c_str());
  w.Key("source_record_id");
  w.String(source_record_id.c_str());
  w.Key("decision");
  w.String(decision.c_str());
  w.Key("victim_id");
  if (victim_id != 0) w.Int64(victim_id);
  else w.Null();
  w.Key("score");
  w.Double(score);
  w.Key("candidates");
  w.StartArray();
  for (const auto& c : candidates) {
    w.StartObject();
    w.Key("victim_id");
    w.Int64(c.victim_id);
    w.Key("score");
    w.Double(c.score);
    w.EndObject();
  }
  w.EndArray();
  w.Key("error");
  if (error.empty()) w.Null();
  else w.String(error.c_str());
  w.EndObject();
  return buf.GetString();
}

}  // namespace qayd
