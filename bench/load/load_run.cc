#include "bench/load/load_run.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <random>
#include <thread>

#include "bench/load/http_conn.h"

namespace qayd::load {
namespace {

using Clock = std::chrono::steady_clock;
using Headers = std::vector<std::pair<std::string, std::string>>;

std::string ErrorCodeOf(const std::string& body) {
  rapidjson::Document d;
  if (d.Parse(body.c_str()).HasParseError() || !d.IsObject() || !d.HasMember("error") ||
      !d["error"].IsObject() || !d["error"].HasMember("code") || !d["error"]["code"].IsString()) {
    return "";
  }
  return d["error"]["code"].GetString();
}

// Sends one request, records its latency and status; classifies failures.
// Returns true for a 2xx answer. A 4xx whose error code is in `expected` is
// counted as expected, not as an error.
struct Timed {
  HttpAnswer answer;
  bool ok = false;
  bool expected = false;
};

Timed Exchange(HttpConn& conn, EndpointStats& s, const std::string& method,
               const std::string& target, const std::string& body, const Headers& headers,
               std::initializer_list<const char*> expected = {}) {
  Timed t;
  const auto t0 = Clock::now();
  t.answer = conn.Send(method, target, body, headers);
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count();
  s.latency_us.push_back(static_cast<uint32_t>(std::min<int64_t>(us, UINT32_MAX)));
  const int st = t.answer.status;
  ++s.by_status[st];
  if (st == 0) {
    ++s.errors["connection: " + t.answer.error];
  } else if (st >= 200 && st < 300) {
    t.ok = true;
  } else {
    const std::string code = ErrorCodeOf(t.answer.body);
    if (st >= 400 && st < 500) {
      for (const char* e : expected) {
        if (code == e) t.expected = true;
      }
    }
    if (t.expected)
      ++s.expected_4xx;
    else
      ++s.errors[std::to_string(st) + " " + (code.empty() ? "(no error code)" : code)];
  }
  return t;
}

void BadAnswer(EndpointStats& s, const std::string& what) { ++s.errors["bad answer: " + what]; }

struct Shared {
  const LoadOptions* o = nullptr;
  const std::vector<LoadRecord>* records = nullptr;
  Clock::time_point deadline;
  std::atomic<size_t> next{0};
  std::atomic<bool> exhausted{false};
  std::atomic<int64_t> max_victim{0};
  std::mutex mu;
  LoadResult* result = nullptr;  // merged into under mu
};

void Submitter(Shared* sh) {
  const LoadOptions& o = *sh->o;
  HttpConn conn(o.host, o.port, o.timeout_ms);
  StatsByClass st;
  EndpointStats& s = st["submit"];
  std::vector<std::string> acked;
  std::map<std::string, int64_t> outcomes;
  int64_t sent = 0, rejected = 0;
  const Headers headers = {{"Authorization", "Bearer " + o.token}};
  const size_t batch = static_cast<size_t>(std::max(1, o.batch));
  while (Clock::now() < sh->deadline) {
    size_t first = sh->next.fetch_add(batch);
    if (first >= sh->records->size()) {
      sh->exhausted = true;
      if (!o.repeat_pool) break;
      first %= sh->records->size();
    }
    const size_t end = std::min(first + batch, sh->records->size());
    std::string body;
    if (batch == 1) {
      body = (*sh->records)[first].json;
    } else {
      body = "{\"records\":[";
      for (size_t i = first; i < end; ++i) body += (i > first ? "," : "") + (*sh->records)[i].json;
      body += "]}";
    }
    sent += static_cast<int64_t>(end - first);
    Timed t = Exchange(conn, s, "POST", "/api/v1/reports", body, headers);
    if (!t.ok) continue;
    rapidjson::Document d;
    if (d.Parse(t.answer.body.c_str()).HasParseError() || !d.IsObject() ||
        !d.HasMember("outcomes") || !d["outcomes"].IsArray() ||
        d["outcomes"].Size() != end - first) {
      BadAnswer(s, "submission answer without one outcome per record");
      continue;
    }
    for (size_t i = first; i < end; ++i) {
      const auto& out = d["outcomes"][static_cast<rapidjson::SizeType>(i - first)];
      if (!out.IsObject() || !out.HasMember("source_record_id") ||
          !out["source_record_id"].IsString() || !out.HasMember("decision") ||
          !out["decision"].IsString() ||
          (*sh->records)[i].source_record_id != out["source_record_id"].GetString()) {
        BadAnswer(s, "outcome does not name the record sent");
        continue;
      }
      const std::string decision = out["decision"].GetString();
      ++outcomes[decision];
      if (decision == "rejected") {
        ++rejected;
        continue;
      }
      acked.push_back((*sh->records)[i].source_record_id);
      if (out.HasMember("victim_id") && out["victim_id"].IsInt64()) {
        int64_t v = out["victim_id"].GetInt64();
        int64_t seen = sh->max_victim.load();
        while (v > seen && !sh->max_victim.compare_exchange_weak(seen, v)) {
        }
      }
    }
  }
  std::lock_guard lock(sh->mu);
  LoadResult& r = *sh->result;
  MergeInto(&r.stats, st);
  r.records_sent += sent;
  r.records_rejected += rejected;
  r.records_acked += static_cast<int64_t>(acked.size());
  for (const auto& [k, n] : outcomes) r.outcomes[k] += n;
  r.acked_ids.insert(r.acked_ids.end(), acked.begin(), acked.end());
}

const rapidjson::Value* Member(const rapidjson::Value& v, const char* name) {
  if (!v.IsObject() || !v.HasMember(name)) return nullptr;
  return &v[name];
}

std::string PersonOf(const rapidjson::Value& report) {
  const rapidjson::Value* rec = Member(report, "record");
  const rapidjson::Value* id = rec ? Member(*rec, "national_id") : nullptr;
  return id && id->IsString() ? id->GetString() : "";
}

void Monitor(Shared* sh, std::string user, std::string password, uint64_t seed) {
  const LoadOptions& o = *sh->o;
  HttpConn conn(o.host, o.port, o.timeout_ms);
  StatsByClass st;
  std::vector<DecidedItem> decided;
  std::map<std::string, int64_t> decisions;
  int64_t merges = 0;
  std::mt19937_64 rng(seed);

  rapidjson::StringBuffer lb;
  {
    rapidjson::Writer<rapidjson::StringBuffer> w(lb);
    w.StartObject();
    w.Key("user");
    w.String(user.c_str());
    w.Key("password");
    w.String(password.c_str());
    w.EndObject();
  }
  Timed login = Exchange(conn, st["login"], "POST", "/api/v1/login", lb.GetString(), {});
  std::string cookie, csrf;
  if (login.ok) {
    cookie = login.answer.set_cookie.substr(0, login.answer.set_cookie.find(';'));
    rapidjson::Document d;
    d.Parse(login.answer.body.c_str());
    const rapidjson::Value* c = d.HasParseError() ? nullptr : Member(d, "csrf");
    if (c && c->IsString()) csrf = c->GetString();
    if (cookie.rfind("qayd_session=", 0) != 0 || csrf.empty()) {
      BadAnswer(st["login"], "login without session cookie or csrf");
    }
  }
  const Headers get_h = {{"Cookie", cookie}};
  const Headers post_h = {{"Cookie", cookie}, {"X-CSRF-Token", csrf}};
  auto view_victim = [&](int64_t id) {
    Timed v =
        Exchange(conn, st["victim"], "GET", "/api/v1/victims/" + std::to_string(id), "", get_h);
    rapidjson::Document d;
    if (v.ok && (d.Parse(v.answer.body.c_str()).HasParseError() || !d.IsObject())) {
      BadAnswer(st["victim"], "victim view is not a JSON object");
    }
  };
  while (!csrf.empty() && Clock::now() < sh->deadline) {
    Timed q = Exchange(conn, st["queue"], "GET", "/api/v1/review/queue?limit=20", "", get_h);
    if (q.ok) {
      rapidjson::Document d;
      d.Parse(q.answer.body.c_str());
      const rapidjson::Value* items = d.HasParseError() ? nullptr : Member(d, "items");
      if (!items || !items->IsArray()) BadAnswer(st["queue"], "queue without items");
    }
    Timed n =
        Exchange(conn, st["claim"], "POST", "/api/v1/review/next", "", post_h, {"queue_empty"});
    int64_t item_id = 0;
    if (n.ok) {
      rapidjson::Document d;
      d.Parse(n.answer.body.c_str());
      const rapidjson::Value* id = d.HasParseError() ? nullptr : Member(d, "item_id");
      if (id && id->IsInt64())
        item_id = id->GetInt64();
      else
        BadAnswer(st["claim"], "claim without item_id");
    }
    if (item_id == 0) {
      if (int64_t max = sh->max_victim.load(); max > 0) {
        view_victim(std::uniform_int_distribution<int64_t>(1, max)(rng));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(o.idle_ms));
      continue;
    }
    const std::string item_path = "/api/v1/review/items/" + std::to_string(item_id);
    Timed it = Exchange(conn, st["item"], "GET", item_path, "", get_h);
    std::string decision = "unsure";
    int64_t victim = 0;
    if (it.ok) {
      rapidjson::Document d;
      d.Parse(it.answer.body.c_str());
      const rapidjson::Value* report = d.HasParseError() ? nullptr : Member(d, "report");
      const rapidjson::Value* cands = d.HasParseError() ? nullptr : Member(d, "candidates");
      if (!report || !cands || !cands->IsArray()) {
        BadAnswer(st["item"], "item view without report or candidates");
      } else if (std::uniform_int_distribution<int>(0, 99)(rng) >= o.unsure_percent) {
        const std::string person = PersonOf(*report);
        decision = "different";
        for (const auto& c : cands->GetArray()) {
          const rapidjson::Value* reps = Member(c, "reports");
          const rapidjson::Value* vid = Member(c, "victim_id");
          if (!reps || !reps->IsArray() || !vid || !vid->IsInt64()) continue;
          for (const auto& rep : reps->GetArray()) {
            if (!person.empty() && PersonOf(rep) == person) {
              decision = "same";
              victim = vid->GetInt64();
            }
          }
          if (decision == "same") break;
        }
      }
    }
    std::string body = "{\"decision\":\"" + decision + "\"";
    if (victim > 0) body += ",\"victim_id\":" + std::to_string(victim);
    body += "}";
    Timed dec = Exchange(conn, st["decision"], "POST", item_path + "/decision", body, post_h,
                         {"marked_different"});
    if (dec.expected) {  // a constraint forbids the merge: release the item instead
      decision = "unsure";
      dec = Exchange(conn, st["decision"], "POST", item_path + "/decision",
                     "{\"decision\":\"unsure\"}", post_h);
    }
    if (!dec.ok) continue;
    rapidjson::Document d;
    d.Parse(dec.answer.body.c_str());
    const rapidjson::Value* got = d.HasParseError() ? nullptr : Member(d, "decision");
    if (!got || !got->IsString() || decision != got->GetString()) {
      BadAnswer(st["decision"], "decision answer does not repeat the decision");
      continue;
    }
    ++decisions[decision];
    decided.push_back({item_id, decision, user});
    const rapidjson::Value* seq = Member(d, "merge_seq");
    if (decision == "same" && seq && seq->IsInt64() && seq->GetInt64() > 0) ++merges;
    const rapidjson::Value* vid = Member(d, "victim_id");
    if (vid && vid->IsInt64() && vid->GetInt64() > 0) view_victim(vid->GetInt64());
  }
  std::lock_guard lock(sh->mu);
  LoadResult& r = *sh->result;
  MergeInto(&r.stats, st);
  for (const auto& [k, c] : decisions) r.decisions[k] += c;
  r.review_merges += merges;
  r.decided.insert(r.decided.end(), decided.begin(), decided.end());
}

std::string Ms(uint32_t us) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", us / 1000.0);
  return buf;
}

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

}  // namespace

int64_t LoadResult::errors() const {
  int64_t n = 0;
  for (const auto& [name, s] : stats) n += s.error_count();
  return n;
}

LoadResult RunLoad(const LoadOptions& o, const std::vector<LoadRecord>& records) {
  LoadResult result;
  Shared sh;
  sh.o = &o;
  sh.records = &records;
  sh.result = &result;
  result.warmup_s = o.warmup_s >= 0 ? o.warmup_s : o.duration_s * 0.2;
  RssSampler rss(o.pid, o.rss_interval_ms);
  rss.Start();
  const auto start = Clock::now();
  sh.deadline = start + std::chrono::milliseconds(static_cast<int64_t>(o.duration_s * 1000));
  std::vector<std::thread> threads;
  for (int i = 0; i < o.submitters; ++i) threads.emplace_back(Submitter, &sh);
  for (size_t i = 0; i < o.monitors.size(); ++i) {
    threads.emplace_back(Monitor, &sh, o.monitors[i].first, o.monitors[i].second, 1000 + i);
  }
  for (auto& t : threads) t.join();
  result.elapsed_s = std::chrono::duration<double>(Clock::now() - start).count();
  rss.Stop();
  result.rss = rss.samples();
  result.pool_exhausted = sh.exhausted;
  for (auto& [name, s] : result.stats) std::sort(s.latency_us.begin(), s.latency_us.end());
  return result;
}

std::string LoadResult::ToJson(const LoadOptions& o) const {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("duration_s");
  w.Double(o.duration_s);
  w.Key("elapsed_s");
  w.Double(elapsed_s);
  w.Key("submitters");
  w.Int(o.submitters);
  w.Key("monitors");
  w.Int(static_cast<int>(o.monitors.size()));
  w.Key("batch");
  w.Int(o.batch);
  w.Key("errors_total");
  w.Int64(errors());
  w.Key("classes");
  w.StartObject();
  for (const auto& [name, s] : stats) {
    w.Key(name.c_str());
    w.StartObject();
    w.Key("requests");
    w.Int64(s.requests());
    w.Key("throughput_per_s");
    w.Double(elapsed_s > 0 ? static_cast<double>(s.requests()) / elapsed_s : 0);
    for (auto [key, p] :
         {std::pair{"p50_ms", 50.0}, {"p90_ms", 90.0}, {"p99_ms", 99.0}, {"max_ms", 100.0}}) {
      w.Key(key);
      w.Double(Percentile(s.latency_us, p) / 1000.0);
    }
    w.Key("expected_4xx");
    w.Int64(s.expected_4xx);
    w.Key("by_status");
    w.StartObject();
    for (const auto& [code, n] : s.by_status) {
      w.Key(std::to_string(code).c_str());
      w.Int64(n);
    }
    w.EndObject();
    w.Key("errors");
    w.StartObject();
    for (const auto& [kind, n] : s.errors) {
      w.Key(kind.c_str());
      w.Int64(n);
    }
    w.EndObject();
    w.EndObject();
  }
  w.EndObject();
  w.Key("records");
  w.StartObject();
  w.Key("sent");
  w.Int64(records_sent);
  w.Key("acknowledged");
  w.Int64(records_acked);
  w.Key("rejected");
  w.Int64(records_rejected);
  w.Key("records_per_s");
  w.Double(elapsed_s > 0 ? static_cast<double>(records_acked) / elapsed_s : 0);
  w.Key("pool_exhausted");
  w.Bool(pool_exhausted);
  w.Key("repeat_pool");
  w.Bool(o.repeat_pool);
  w.Key("outcomes");
  w.StartObject();
  for (const auto& [k, n] : outcomes) {
    w.Key(k.c_str());
    w.Int64(n);
  }
  w.EndObject();
  w.EndObject();
  w.Key("decisions");
  w.StartObject();
  for (const auto& [k, n] : decisions) {
    w.Key(k.c_str());
    w.Int64(n);
  }
  w.Key("review_merges");
  w.Int64(review_merges);
  w.EndObject();
  w.Key("rss");
  w.StartObject();
  if (!rss.empty()) {
    const RssSample* steady = &rss.front();
    for (const auto& s : rss) {
      if (s.t_s >= warmup_s) {
        steady = &s;
        break;
      }
    }
    int64_t max = 0;
    for (const auto& s : rss) max = std::max(max, s.rss_kib);
    w.Key("start_kib");
    w.Int64(rss.front().rss_kib);
    w.Key("steady_start_s");
    w.Double(steady->t_s);
    w.Key("steady_start_kib");
    w.Int64(steady->rss_kib);
    w.Key("end_kib");
    w.Int64(rss.back().rss_kib);
    w.Key("max_kib");
    w.Int64(max);
    w.Key("steady_growth_kib");
    w.Int64(rss.back().rss_kib - steady->rss_kib);
    w.Key("steady_anon_growth_kib");
    w.Int64(rss.back().anon_kib - steady->anon_kib);
    w.Key("end_anon_kib");
    w.Int64(rss.back().anon_kib);
    w.Key("end_file_kib");
    w.Int64(rss.back().file_kib);
    w.Key("samples");
    w.StartArray();
    for (const auto& s : rss) {
      w.StartArray();
      w.Double(s.t_s);
      w.Int64(s.rss_kib);
      w.Int64(s.anon_kib);
      w.Int64(s.file_kib);
      w.Int64(s.shmem_kib);
      w.EndArray();
    }
    w.EndArray();
  }
  w.EndObject();
  w.EndObject();
  return buf.GetString();
}

std::string LoadResult::Table() const {
  std::string out = "class        requests    req/s   p50 ms   p90 ms   p99 ms   max ms  errors\n";
  for (const auto& [name, s] : stats) {
    char line[256];
    std::snprintf(
        line, sizeof line, "%-10s %10lld %8s %8s %8s %8s %8s %7lld\n", name.c_str(),
        static_cast<long long>(s.requests()),
        Num(elapsed_s > 0 ? static_cast<double>(s.requests()) / elapsed_s : 0).c_str(),
        Ms(Percentile(s.latency_us, 50)).c_str(), Ms(Percentile(s.latency_us, 90)).c_str(),
        Ms(Percentile(s.latency_us, 99)).c_str(), Ms(Percentile(s.latency_us, 100)).c_str(),
        static_cast<long long>(s.error_count()));
    out += line;
    for (const auto& [kind, n] : s.errors) {
      out += "    error " + kind + ": " + std::to_string(n) + "\n";
    }
  }
  out += "records: sent " + std::to_string(records_sent) + ", acknowledged " +
         std::to_string(records_acked) + ", rejected " + std::to_string(records_rejected) + "\n";
  out += "decisions:";
  for (const auto& [k, n] : decisions) out += " " + k + " " + std::to_string(n);
  out += " (review merges " + std::to_string(review_merges) + ")\n";
  if (!rss.empty()) {
    out += "qaydd RSS: start " + std::to_string(rss.front().rss_kib) + " KiB, end " +
           std::to_string(rss.back().rss_kib) + " KiB (anon " +
           std::to_string(rss.back().anon_kib) + ", file " + std::to_string(rss.back().file_kib) +
           ", shmem " + std::to_string(rss.back().shmem_kib) + ")\n";
  }
  return out;
}

}  // namespace qayd::load
