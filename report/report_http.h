// The report as an HTTP resource, independent of the web layer's types so the
// web module can wire it into its router:
//   GET /api/v1/reports/deaths?month=YYYY-MM|year=YYYY[&by=death|documented]
//                             [&format=json|html|md|csv][&lang=en|ar]
// Blocks on the store: call from a worker thread. Never throws.
#pragma once

#include <map>
#include <string>

#include "store/store.h"

namespace qayd::report {

struct HttpReply {
  int status = 200;
  std::string content_type;
  std::string body;  // errors: {"error":{"code":"invalid_input","message":"..."}}
};

// `query`: decoded query parameters. Defaults: format json, by death, lang en.
// Exactly one of month/year is required (400 otherwise). `victim_link` is the
// HTML link pattern for victim ids (see RenderOptions).
HttpReply RenderReportHttp(Store* store, const std::map<std::string, std::string>& query,
                           const std::string& victim_link = "");

}  // namespace qayd::report
