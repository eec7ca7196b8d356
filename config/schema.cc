// The closed schema of qayd.json: every key, its type, range and default.
// Defaults are the initial values of the structs in config/config.h and the
// weight table in config/matching_weights.h; this file says what is allowed.
#include <functional>
#include <map>
#include <set>

#include "base/ip_range.h"
#include "config/config.h"
#include "config/json_tree.h"
#include "config/matching_weights.h"
#include "config/schema.h"

namespace qayd::config_internal {
namespace {

std::string Num(double v) {
  std::string s = std::to_string(v);
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

class Checker {
 public:
  Checker(const std::string& file, std::vector<ConfigError>* errors) : file_(file), errors_(errors) {}

  void Fail(const Pos& pos, const std::string& path, const std::string& message) {
    errors_->push_back({file_, pos.line, pos.column, path, message});
  }

  bool Expect(const Node& n, const std::string& path, Node::Type t) {
    if (n.type == t || (t == Node::Type::kDouble && n.type == Node::Type::kInt)) return true;
    Fail(n.pos, path, std::string("expected ") + TypeName(t) + ", got " + TypeName(n.type));
    return false;
  }

  void String(const Node& n, const std::string& path, std::string* out) {
    if (Expect(n, path, Node::Type::kString)) *out = n.s;
  }
  void Enum(const Node& n, const std::string& path, std::initializer_list<const char*> allowed,
            std::string* out) {
    if (!Expect(n, path, Node::Type::kString)) return;
    std::string list;
    for (const char* a : allowed) {
      if (n.s == a) {
        *out = n.s;
        return;
      }
      list += list.empty() ? a : std::string(", ") + a;
    }
    Fail(n.pos, path, "must be one of " + list + ", got \"" + n.s + "\"");
  }
  void Bool(const Node& n, const std::string& path, bool* out) {
    if (Expect(n, path, Node::Type::kBool)) *out = n.b;
  }
  template <typename T>
  void Int(const Node& n, const std::string& path, long long min, long long max, T* out) {
    if (!Expect(n, path, Node::Type::kInt)) return;
    if (n.i < min || n.i > max) {
      Fail(n.pos, path,
           "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " +
               std::to_string(n.i));
      return;
    }
    *out = static_cast<T>(n.i);
  }
  void Double(const Node& n, const std::string& path, double min, double max, double* out) {
    if (!Expect(n, path, Node::Type::kDouble)) return;
    if (n.number() < min || n.number() > max) {
      Fail(n.pos, path, "must be between " + Num(min) + " and " + Num(max) + ", got " + Num(n.number()));
      return;
    }
    *out = n.number();
  }

  using MemberFn = std::function<void(const Node&, const std::string& path)>;
  struct Member {
    const char* key;
    MemberFn check;
  };

  // Checks an object against its members; unknown keys are errors.
  void Object(const Node& n, const std::string& path, const std::vector<Member>& members) {
    if (!Expect(n, path.empty() ? "(top level)" : path, Node::Type::kObject)) return;
    std::set<std::string> seen;
    for (size_t i = 0; i < n.members.size(); ++i) {
      const auto& [key, value] = n.members[i];
      const std::string child = path.empty() ? key : path + "." + key;
      if (!seen.insert(key).second) {
        Fail(n.key_pos[i], child, "duplicate key");
        continue;
      }
      const Member* m = nullptr;
      for (const auto& candidate : members) {
        if (key == candidate.key) m = &candidate;
      }
      if (m == nullptr) {
        std::string expected;
        for (const auto& candidate : members) {
          expected += expected.empty() ? candidate.key : std::string(", ") + candidate.key;
        }
        Fail(n.key_pos[i], child, "unknown key (expected one of: " + expected + ")");
        continue;
      }
      m->check(value, child);
    }
  }

 private:
  const std::string& file_;
  std::vector<ConfigError>* errors_;
};

void CheckConflicts(Checker& c, const Node& n, const std::string& path, ConflictSettings* s) {
  // Each rule: {"enabled": bool, "tolerance": int} with the rule's unit and range.
  auto rule = [&](ConflictRule* r, long long max_tolerance) {
    return [&c, r, max_tolerance](const Node& v, const std::string& p) {
      std::vector<Checker::Member> members = {
          {"enabled", [&c, r](auto& x, auto& xp) { c.Bool(x, xp, &r->enabled); }}};
      if (max_tolerance > 0) {
        members.push_back({"tolerance", [&c, r, max_tolerance](auto& x, auto& xp) {
                             c.Int(x, xp, 0, max_tolerance, &r->tolerance);
                           }});
      }
      c.Object(v, p, members);
    };
  };
  c.Object(n, path,
           {{"date_of_birth", rule(&s->date_of_birth, 120)},
            {"approximate_date_of_birth", rule(&s->approximate_date_of_birth, 120)},
            {"age", rule(&s->age, 120)},
            {"family_name", rule(&s->family_name, 0)},
            {"father_name", rule(&s->father_name, 0)},
            {"sex", rule(&s->sex, 0)},
            {"date_of_death", rule(&s->date_of_death, 36500)},
            {"place_of_death", rule(&s->place_of_death, 0)}});
}

// YYYY-MM-DD with a plausible month and day.
bool IsIsoDate(const std::string& d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (d[i] < '0' || d[i] > '9') return false;
  }
  const int month = std::stoi(d.substr(5, 2)), day = std::stoi(d.substr(8, 2));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

void CheckPlaceholderDates(Checker& c, const Node& n, const std::string& path,
                           PlaceholderDateSettings* s) {
  c.Object(n, path,
           {{"dates",
             [&](auto& v, auto& p) {
               if (!c.Expect(v, p, Node::Type::kArray)) return;
               if (v.items.size() > 32) {
                 c.Fail(v.pos, p, "at most 32 dates, got " + std::to_string(v.items.size()));
                 return;
               }
               s->dates.clear();
               for (size_t i = 0; i < v.items.size(); ++i) {
                 const std::string ip = p + "[" + std::to_string(i) + "]";
                 std::string d;
                 c.String(v.items[i], ip, &d);
                 if (v.items[i].type != Node::Type::kString) continue;
                 if (!IsIsoDate(d)) {
                   c.Fail(v.items[i].pos, ip, "must be a date YYYY-MM-DD, got \"" + d + "\"");
                   continue;
                 }
                 s->dates.push_back(d);
               }
             }},
            {"january_first",
             [&](auto& v, auto& p) { c.Enum(v, p, {"auto", "always", "never"}, &s->january_first); }},
            {"january_first_share",
             [&](auto& v, auto& p) { c.Double(v, p, 1, 365, &s->january_first_share); }}});
}

void CheckFeed(Checker& c, const Node& n, const std::string& path, FeedSettings* f) {
  c.Object(n, path,
           {{"id", [&](auto& v, auto& p) { c.String(v, p, &f->id); }},
            {"url", [&](auto& v, auto& p) { c.String(v, p, &f->url); }},
            {"format", [&](auto& v, auto& p) { c.Enum(v, p, {"jsonl", "json", "csv"}, &f->format); }},
            {"records_path", [&](auto& v, auto& p) { c.String(v, p, &f->records_path); }},
            {"field_map",
             [&](auto& v, auto& p) {
               if (!c.Expect(v, p, Node::Type::kObject)) return;
               for (const auto& [k, val] : v.members) {
                 std::string target;
                 c.String(val, p + "." + k, &target);
                 f->field_map[k] = target;
               }
             }},
            {"poll_interval_s", [&](auto& v, auto& p) { c.Int(v, p, 1, 7 * 86400, &f->poll_interval_s); }},
            {"timeout_s", [&](auto& v, auto& p) { c.Int(v, p, 1, 3600, &f->timeout_s); }},
            {"max_body_bytes",
             [&](auto& v, auto& p) { c.Int(v, p, 1024, 4LL << 30, &f->max_body_bytes); }},
            {"auth_header_file", [&](auto& v, auto& p) { c.String(v, p, &f->auth_header_file); }},
            {"auth_header_env", [&](auto& v, auto& p) { c.String(v, p, &f->auth_header_env); }},
            {"cursor_param", [&](auto& v, auto& p) { c.String(v, p, &f->cursor_param); }},
            {"cursor_field", [&](auto& v, auto& p) { c.String(v, p, &f->cursor_field); }},
            {"source_type", [&](auto& v, auto& p) { c.String(v, p, &f->source_type); }},
            {"reliability", [&](auto& v, auto& p) { c.String(v, p, &f->reliability); }}});
  if (n.type != Node::Type::kObject) return;
  if (f->id.empty()) c.Fail(n.pos, path + ".id", "required");
  if (f->url.empty()) c.Fail(n.pos, path + ".url", "required");
}

}  // namespace

void CheckConfig(const Node& root, const std::string& file, Config* cfg,
                 std::vector<ConfigError>* errors) {
  Checker c(file, errors);
  Pos thresholds_pos = root.pos;
  Pos weights_pos = root.pos;
  std::map<std::string, Pos> weight_pos;  // where each weight given in the file is
  c.Object(
      root, "",
      {{"store",
        [&](auto& n, auto& path) {
          c.Object(n, path,
                   {{"sqlite_path", [&](auto& v, auto& p) { c.String(v, p, &cfg->store.sqlite_path); }},
                    {"postgres", [&](auto& v, auto& p) { c.String(v, p, &cfg->store.postgres); }},
                    {"postgres_pool_size",
                     [&](auto& v, auto& p) { c.Int(v, p, 1, 64, &cfg->store.postgres_pool_size); }}});
        }},
       {"http",
        [&](auto& n, auto& path) {
          auto& h = cfg->http;
          c.Object(n, path,
                   {{"listen", [&](auto& v, auto& p) { c.String(v, p, &h.listen); }},
                    {"port", [&](auto& v, auto& p) { c.Int(v, p, 0, 65535, &h.port); }},
                    {"static_dir", [&](auto& v, auto& p) { c.String(v, p, &h.static_dir); }},
                    {"max_body_bytes",
                     [&](auto& v, auto& p) { c.Int(v, p, 1024, 1LL << 30, &h.max_body_bytes); }},
                    {"max_connections",
                     [&](auto& v, auto& p) { c.Int(v, p, 16, 1000000, &h.max_connections); }},
                    {"max_queued_requests",
                     [&](auto& v, auto& p) { c.Int(v, p, 1, 1000000, &h.max_queued_requests); }},
                    {"request_deadline_ms",
                     [&](auto& v, auto& p) { c.Int(v, p, 10, 3600000, &h.request_deadline_ms); }},
                    {"header_timeout_s",
                     [&](auto& v, auto& p) { c.Int(v, p, 1, 3600, &h.header_timeout_s); }},
                    {"body_timeout_s", [&](auto& v, auto& p) { c.Int(v, p, 1, 3600, &h.body_timeout_s); }},
                    {"idle_timeout_s", [&](auto& v, auto& p) { c.Int(v, p, 1, 3600, &h.idle_timeout_s); }},
                    {"trusted_proxies",
                     [&](auto& v, auto& p) {
                       if (!c.Expect(v, p, Node::Type::kArray)) return;
                       for (size_t i = 0; i < v.items.size(); ++i) {
                         const std::string item = p + "[" + std::to_string(i) + "]";
                         if (!c.Expect(v.items[i], item, Node::Type::kString)) continue;
                         if (auto range = IpRange::Parse(v.items[i].s); !range.ok()) {
                           c.Fail(v.items[i].pos, item, range.status().message());
                           continue;
                         }
                         h.trusted_proxies.push_back(v.items[i].s);
                       }
                     }}});
        }},
       {"feeds",
        [&](auto& n, auto& path) {
          if (!c.Expect(n, path, Node::Type::kArray)) return;
          std::set<std::string> ids;
          for (size_t i = 0; i < n.items.size(); ++i) {
            FeedSettings f;
            const std::string p = path + "[" + std::to_string(i) + "]";
            CheckFeed(c, n.items[i], p, &f);
            if (!f.id.empty() && !ids.insert(f.id).second) {
              c.Fail(n.items[i].pos, p + ".id", "duplicate feed id \"" + f.id + "\"");
            }
            cfg->feeds.push_back(std::move(f));
          }
        }},
       {"submissions",
        [&](auto& n, auto& path) {
          auto& s = cfg->submissions;
          c.Object(n, path,
                   {{"enabled", [&](auto& v, auto& p) { c.Bool(v, p, &s.enabled); }},
                    {"spool_dir", [&](auto& v, auto& p) { c.String(v, p, &s.spool_dir); }},
                    {"spool_scan_interval_s",
                     [&](auto& v, auto& p) { c.Int(v, p, 1, 86400, &s.spool_scan_interval_s); }},
                    {"spool_max_file_bytes",
                     [&](auto& v, auto& p) { c.Int(v, p, 1024, 16LL << 30, &s.spool_max_file_bytes); }},
                    {"spool_max_record_bytes",
                     [&](auto& v, auto& p) { c.Int(v, p, 1024, 1LL << 30, &s.spool_max_record_bytes); }},
                    {"rate_limit_per_minute",
                     [&](auto& v, auto& p) { c.Int(v, p, 1, 100000, &s.rate_limit_per_minute); }},
                    {"max_batch_records",
                     [&](auto& v, auto& p) { c.Int(v, p, 1, 1000000, &s.max_batch_records); }}});
        }},
       {"matching",
        [&](auto& n, auto& path) {
          auto& m = cfg->matching;
          c.Object(
              n, path,
              {{"thresholds",
                [&](auto& t, auto& tpath) {
                  thresholds_pos = t.pos;
                  c.Object(t, tpath,
                           {{"auto_merge", [&](auto& v, auto& p) { c.Double(v, p, -1000, 1000, &m.auto_merge); }},
                            {"review", [&](auto& v, auto& p) { c.Double(v, p, -1000, 1000, &m.review); }}});
                  for (size_t i = 0; i < t.members.size(); ++i) {
                    if (t.members[i].first == "auto_merge") thresholds_pos = t.members[i].second.pos;
                  }
                }},
               {"weights",
                [&](auto& w, auto& wpath) {
                  weights_pos = w.pos;
                  for (const auto& [key, value] : w.members) weight_pos[key] = value.pos;
                  std::vector<Checker::Member> members;
                  for (const auto& def : kMatchingWeights) {
                    const std::string name = def.name;
                    members.push_back({def.name, [&, name](auto& v, auto& p) {
                                         c.Double(v, p, -1000, 1000, &m.weights[name]);
                                       }});
                  }
                  c.Object(w, wpath, members);
                }},
               {"conflicts", [&](auto& v, auto& p) { CheckConflicts(c, v, p, &m.conflicts); }},
               {"evidence",
                [&](auto& v, auto& p) {
                  c.Object(v, p,
                           {{"enabled", [&](auto& x, auto& xp) { c.Bool(x, xp, &m.evidence.enabled); }},
                            {"name_parts",
                             [&](auto& x, auto& xp) { c.Int(x, xp, 1, 4, &m.evidence.name_parts); }},
                            {"placeholder_against_undated", [&](auto& x, auto& xp) {
                               c.Bool(x, xp, &m.evidence.placeholder_against_undated);
                             }}});
                }},
               {"placeholder_dates",
                [&](auto& v, auto& p) { CheckPlaceholderDates(c, v, p, &m.placeholder_dates); }},
               {"max_candidates", [&](auto& v, auto& p) { c.Int(v, p, 1, 50, &m.max_candidates); }},
               {"threads", [&](auto& v, auto& p) { c.Int(v, p, 0, 256, &m.threads); }}});
        }},
       {"logging",
        [&](auto& n, auto& path) {
          c.Object(n, path, {{"level", [&](auto& v, auto& p) {
                                c.Enum(v, p, {"debug", "info", "warning", "error"}, &cfg->logging.level);
                              }}});
        }},
       {"daemon",
        [&](auto& n, auto& path) {
          auto& d = cfg->daemon;
          c.Object(n, path,
                   {{"drain_timeout_s", [&](auto& v, auto& p) { c.Int(v, p, 1, 3600, &d.drain_timeout_s); }},
                    {"review_lease_s", [&](auto& v, auto& p) { c.Int(v, p, 10, 86400, &d.review_lease_s); }},
                    {"load_sample_data", [&](auto& v, auto& p) { c.Bool(v, p, &d.load_sample_data); }}});
        }},
       {"backup", [&](auto& n, auto& path) {
          auto& b = cfg->backup;
          c.Object(n, path,
                   {{"dir", [&](auto& v, auto& p) { c.String(v, p, &b.dir); }},
                    {"interval_s", [&](auto& v, auto& p) { c.Int(v, p, 3600, 30 * 86400, &b.interval_s); }},
                    {"keep", [&](auto& v, auto& p) { c.Int(v, p, 1, 10000, &b.keep); }},
                    {"post_command", [&](auto& v, auto& p) { c.String(v, p, &b.post_command); }},
                    {"public_key_file", [&](auto& v, auto& p) { c.String(v, p, &b.public_key_file); }}});
        }}});
  if (cfg->matching.auto_merge < cfg->matching.review) {
    c.Fail(thresholds_pos, "matching.thresholds.auto_merge",
           "must be >= matching.thresholds.review (" + Num(cfg->matching.review) + "), got " +
               Num(cfg->matching.auto_merge));
  }
  for (const auto& [lo, hi] : kWeightRanges) {
    const double min = cfg->matching.weight(lo), max = cfg->matching.weight(hi);
    if (min <= max) continue;
    const auto at = weight_pos.find(weight_pos.count(lo) ? lo : hi);
    c.Fail(at != weight_pos.end() ? at->second : weights_pos, std::string("matching.weights.") + lo,
           std::string("must be <= matching.weights.") + hi + " (" + Num(max) + "), got " +
               Num(min));
  }
}

}  // namespace qayd::config_internal
