// Review queue, claims, items, decisions; victims, undo, split, search, explain.
#include <cstdlib>

#include "web/api.h"
#include "web/json_body.h"

namespace qayd::web {
namespace {

Response Wrap(const Result<std::string>& r) {
  if (!r.ok()) return FromStatusCoded(r.status());
  return Response::Json(*r);
}

bool ParseNumber(const std::string& text, double* out) {
  if (text.empty()) return false;
  char* end = nullptr;
  *out = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size();
}

bool IsDay(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

// Builds the queue filter from query parameters; "" on success, else the problem.
std::string FilterFromQuery(const Request& req, int64_t now_ms, ReviewFilter* f) {
  f->governorate = req.Query("governorate");
  f->source = req.Query("source");
  double v = 0;
  if (auto s = req.Query("min_score"); !s.empty()) {
    if (!ParseNumber(s, &v)) return "min_score must be a number";
    f->min_score = v;
  }
  if (auto s = req.Query("max_score"); !s.empty()) {
    if (!ParseNumber(s, &v)) return "max_score must be a number";
    f->max_score = v;
  }
  f->death_from = req.Query("death_from");
  f->death_to = req.Query("death_to");
  if (!f->death_from.empty() && !IsDay(f->death_from)) return "death_from must be YYYY-MM-DD";
  if (!f->death_to.empty() && !IsDay(f->death_to)) return "death_to must be YYYY-MM-DD";
  int64_t n = 0;
  if (auto s = req.Query("older_than_s"); !s.empty()) {
    if (!ParseId(s, &n)) return "older_than_s must be a positive integer";
    f->created_before_ms = now_ms - n * 1000;
  }
  if (auto s = req.Query("sort"); !s.empty()) {
    using Order = ReviewFilter::Order;
    if (s == "oldest")
      f->order = Order::kOldest;
    else if (s == "score_desc")
      f->order = Order::kScoreDesc;
    else if (s == "score_asc")
      f->order = Order::kScoreAsc;
    else if (s == "death")
      f->order = Order::kDeath;
    else
      return "sort must be oldest, score_desc, score_asc or death";
  }
  if (auto s = req.Query("offset"); !s.empty()) {
    if (s != "0" && !ParseId(s, &n)) return "offset must be a non-negative integer";
    f->offset = s == "0" ? 0 : static_cast<int>(std::min<int64_t>(n, 1000000));
  }
  if (auto s = req.Query("limit"); !s.empty()) {
    if (!ParseId(s, &n) || n > 200) return "limit must be 1..200";
    f->limit = static_cast<int>(n);
  }
  return "";
}

}  // namespace

void Api::AddReviewRoutes() {
  auto lease_ms = [this] { return int64_t{deps_.config().daemon.review_lease_s} * 1000; };

  router_.Add("GET", "/api/v1/review/queue", Access::kStaff, [this](Request& req) {
    ReviewFilter f;
    if (auto e = FilterFromQuery(req, deps_.now_ms(), &f); !e.empty()) {
      return Response::Error(400, "bad_query", e);
    }
    return Wrap(review_.Queue(f, ViewerOf(req)));
  });

  router_.Add("POST", "/api/v1/review/next", Access::kStaff, [this, lease_ms](Request& req) {
    ReviewFilter f;
    if (auto e = FilterFromQuery(req, deps_.now_ms(), &f); !e.empty()) {
      return Response::Error(400, "bad_query", e);
    }
    return Wrap(review_.ClaimNext(f, ViewerOf(req), lease_ms()));
  });

  router_.Add("POST", "/api/v1/review/items/{id}/claim", Access::kStaff,
              [this, lease_ms](Request& req) {
                int64_t id = 0;
                if (!ParseId(req.params["id"], &id)) {
                  return Response::Error(400, "bad_id", "item id must be a positive integer");
                }
                return Wrap(review_.Claim(id, ViewerOf(req), lease_ms()));
              });

  router_.Add("GET", "/api/v1/review/items/{id}", Access::kStaff, [this](Request& req) {
    int64_t id = 0;
    if (!ParseId(req.params["id"], &id)) {
      return Response::Error(400, "bad_id", "item id must be a positive integer");
    }
    return Wrap(review_.Item(id, ViewerOf(req)));
  });

  router_.Add("POST", "/api/v1/review/items/{id}/undo", Access::kStaff, [this](Request& req) {
    int64_t id = 0;
    if (!ParseId(req.params["id"], &id)) {
      return Response::Error(400, "bad_id", "item id must be a positive integer");
    }
    return Wrap(review_.UndoDecision(id, ViewerOf(req)));
  });

  router_.Add("POST", "/api/v1/review/items/{id}/release", Access::kStaff, [this](Request& req) {
    int64_t id = 0;
    if (!ParseId(req.params["id"], &id)) {
      return Response::Error(400, "bad_id", "item id must be a positive integer");
    }
    return Wrap(review_.Release(id, ViewerOf(req)));
  });

  router_.Add("POST", "/api/v1/review/items/{id}/decision", Access::kStaff, [this](Request& req) {
    review::DecisionInput in;
    if (!ParseId(req.params["id"], &in.item_id)) {
      return Response::Error(400, "bad_id", "item id must be a positive integer");
    }
    JsonBody body(req.body, {"decision", "victim_id", "relation", "reason", "note"});
    in.decision = body.String("decision");
    in.victim_id = body.Int("victim_id");
    in.relation = body.String("relation");
    in.reason = body.String("reason");
    in.note = body.String("note");
    if (!body.ok()) return Response::Error(400, "bad_request", body.error());
    if (in.victim_id < 0) return Response::Error(400, "bad_request", "victim_id must be positive");
    return Wrap(review_.Decide(in, ViewerOf(req)));
  });
}

void Api::AddVictimRoutes() {
  router_.Add("GET", "/api/v1/victims/{id}", Access::kStaff, [this](Request& req) {
    int64_t id = 0;
    if (!ParseId(req.params["id"], &id)) {
      return Response::Error(400, "bad_id", "victim id must be a positive integer");
    }
    return Wrap(review_.Victim(id, ViewerOf(req)));
  });

  router_.Add("POST", "/api/v1/victims/{id}/undo", Access::kStaff, [this](Request& req) {
    int64_t id = 0;
    if (!ParseId(req.params["id"], &id)) {
      return Response::Error(400, "bad_id", "victim id must be a positive integer");
    }
    JsonBody body(req.body, {"merge_seq", "reason"});
    int64_t seq = body.Int("merge_seq");
    std::string reason = body.String("reason");
    if (!body.ok()) return Response::Error(400, "bad_request", body.error());
    if (seq <= 0) return Response::Error(400, "bad_request", "merge_seq is required");
    return Wrap(review_.UndoMerge(seq, reason, ViewerOf(req)));
  });

  router_.Add("POST", "/api/v1/victims/{id}/undo-split", Access::kStaff, [this](Request& req) {
    int64_t id = 0;
    if (!ParseId(req.params["id"], &id)) {
      return Response::Error(400, "bad_id", "victim id must be a positive integer");
    }
    JsonBody body(req.body, {"split_seq"});
    int64_t seq = body.Int("split_seq");
    if (!body.ok()) return Response::Error(400, "bad_request", body.error());
    if (seq <= 0) return Response::Error(400, "bad_request", "split_seq is required");
    return Wrap(review_.UndoSplit(seq, ViewerOf(req)));
  });

  router_.Add("POST", "/api/v1/victims/{id}/split", Access::kStaff, [this](Request& req) {
    int64_t id = 0;
    if (!ParseId(req.params["id"], &id)) {
      return Response::Error(400, "bad_id", "victim id must be a positive integer");
    }
    JsonBody body(req.body, {"report_ids", "reason"});
    std::vector<int64_t> reports = body.IntArray("report_ids");
    std::string reason = body.String("reason");
    if (!body.ok()) return Response::Error(400, "bad_request", body.error());
    return Wrap(review_.Split(id, reports, reason, ViewerOf(req)));
  });

  router_.Add("GET", "/api/v1/search", Access::kStaff, [this](Request& req) {
    int64_t limit = 20;
    if (auto s = req.Query("limit"); !s.empty() && (!ParseId(s, &limit) || limit > 100)) {
      return Response::Error(400, "bad_query", "limit must be 1..100");
    }
    return Wrap(review_.Search(req.Query("name"), static_cast<int>(limit), ViewerOf(req)));
  });

  router_.Add("GET", "/api/v1/explain", Access::kStaff, [this](Request& req) {
    int64_t a = 0, b = 0;
    if (!ParseId(req.Query("a"), &a) || !ParseId(req.Query("b"), &b)) {
      return Response::Error(400, "bad_query", "a and b must be report ids");
    }
    return Wrap(review_.Explain(a, b, ViewerOf(req)));
  });
}

}  // namespace qayd::web
