#include "bench/load/load_corpus.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <random>
#include <sstream>

#include "bench/corpus/generator.h"
#include "bench/corpus/name_stats.h"

namespace qayd::load {
namespace {

void AppendLines(const std::string& text, std::vector<std::string>* out) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out->push_back(std::move(line));
  }
}

}  // namespace

Result<std::vector<LoadRecord>> MakeLoadRecords(const CorpusSpec& spec) {
  auto stats = bench::LoadNameStats(spec.data_dir);
  if (!stats.ok()) return stats.status();
  bench::CorpusOptions o;
  o.seed = spec.seed;
  o.register_size = std::max<int64_t>(1, spec.records * 6 / 10);
  o.incoming = std::max<int64_t>(1, spec.records - o.register_size);
  o.rereport_share = 0.5;
  o.self_dup_share = 0.15;
  std::ostringstream reg, inc;
  bench::WriteCorpus(*stats, o, reg, inc);
  std::vector<std::string> lines;
  AppendLines(reg.str(), &lines);
  AppendLines(inc.str(), &lines);
  std::mt19937_64 rng(spec.seed);
  std::shuffle(lines.begin(), lines.end(), rng);

  std::vector<LoadRecord> out;
  out.reserve(lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    rapidjson::Document d;
    if (d.Parse(lines[i].c_str()).HasParseError() || !d.IsObject()) {
      return Error(ErrorCode::kInternal, "corpus line is not a JSON object");
    }
    LoadRecord r;
    r.source_record_id = spec.tag + "-" + std::to_string(i + 1);
    if (d.HasMember("national_id") && d["national_id"].IsString()) {
      r.person = d["national_id"].GetString();
    }
    auto& a = d.GetAllocator();
    d.RemoveMember("source");
    d.RemoveMember("source_record_id");
    d.AddMember("source", rapidjson::Value(spec.source.c_str(), a), a);
    d.AddMember("source_record_id", rapidjson::Value(r.source_record_id.c_str(), a), a);
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    d.Accept(w);
    r.json = buf.GetString();
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace qayd::load
