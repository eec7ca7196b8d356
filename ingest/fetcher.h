// Fetching a feed body: http(s):// through libcurl, file:// from the disk.
//
// Fetch() blocks the calling thread (a poller's worker thread, never the
// io_context) for at most the request's timeout; it returns early, with
// kUnavailable "cancelled", once *cancel becomes true (checked by curl's
// progress callback several times a second).
// Errors are values: transport failures, HTTP statuses other than 200/304,
// oversized or truncated bodies come back as a Status whose message names the
// problem ("HTTP 500", "body larger than 1048576 bytes", "timed out after 2 s").
// A Fetcher is stateless between calls and may be shared between threads.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"

namespace qayd::ingest {

struct FetchRequest {
  std::string url;                   // http://, https:// or file://
  std::vector<std::string> headers;  // "Name: value"
  std::string if_none_match;         // saved ETag; sent as If-None-Match
  std::string if_modified_since;     // saved Last-Modified; sent as If-Modified-Since
  int timeout_ms = 30000;            // whole transfer
  int64_t max_body_bytes = 64 << 20;
  const std::atomic<bool>* cancel = nullptr;
};

struct FetchResponse {
  int status = 0;             // 200 or 304 (file://: 200, or 304 when the ETag matches)
  bool not_modified = false;  // 304
  std::string body;
  std::string content_type;  // without parameters, lower case ("application/json")
  std::string etag, last_modified;
};

class Fetcher {
 public:
  virtual ~Fetcher() = default;
  virtual Result<FetchResponse> Fetch(const FetchRequest& request) = 0;
};

// libcurl for http(s) (redirects followed within http/https, at most 5), the
// file system for file:// (ETag = "<mtime>-<size>").
std::unique_ptr<Fetcher> MakeCurlFetcher();

}  // namespace qayd::ingest
