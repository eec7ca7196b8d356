#include <curl/curl.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <mutex>
#include <sstream>

#include "ingest/fetcher.h"

namespace qayd::ingest {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string TrimHeaderValue(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == '\r' || v.back() == '\n' || v.back() == ' '))
    v.remove_suffix(1);
  return std::string(v);
}

struct Transfer {
  const FetchRequest* req;
  FetchResponse resp;
  bool oversized = false;
};

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t bytes = size * n;
  if (static_cast<int64_t>(t->resp.body.size() + bytes) > t->req->max_body_bytes) {
    t->oversized = true;
    return 0;  // aborts with CURLE_WRITE_ERROR
  }
  t->resp.body.append(data, bytes);
  return bytes;
}

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::string_view line(data, size * n);
  if (line.substr(0, 5) == "HTTP/") {  // a new response (after a redirect or 100): start over
    t->resp.etag.clear();
    t->resp.last_modified.clear();
  }
  const size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    const std::string name = Lower(std::string(line.substr(0, colon)));
    if (name == "etag") t->resp.etag = TrimHeaderValue(line.substr(colon + 1));
    if (name == "last-modified") t->resp.last_modified = TrimHeaderValue(line.substr(colon + 1));
  }
  return size * n;
}

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  return t->req->cancel != nullptr && t->req->cancel->load() ? 1 : 0;
}

std::string Mb(int64_t bytes) { return std::to_string(bytes) + " bytes"; }

class CurlFetcher : public Fetcher {
 public:
  CurlFetcher() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  }

  Result<FetchResponse> Fetch(const FetchRequest& req) override {
    if (req.url.rfind("file://", 0) == 0) return FetchFile(req);
    if (req.url.rfind("http://", 0) != 0 && req.url.rfind("https://", 0) != 0) {
      return Error(ErrorCode::kInvalidInput, "unsupported URL scheme: " + req.url);
    }
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl) return Error(ErrorCode::kInternal, "curl_easy_init failed");
    CURL* c = curl.get();
    Transfer t{&req, {}, false};
    curl_slist* headers = nullptr;
    for (const auto& h : req.headers) headers = curl_slist_append(headers, h.c_str());
    if (!req.if_none_match.empty()) {
      headers = curl_slist_append(headers, ("If-None-Match: " + req.if_none_match).c_str());
    }
    if (!req.if_modified_since.empty()) {
      headers = curl_slist_append(headers, ("If-Modified-Since: " + req.if_modified_since).c_str());
    }
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_list(headers,
                                                                            curl_slist_free_all);
    curl_easy_setopt(c, CURLOPT_URL, req.url.c_str());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(req.timeout_ms));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(std::min(req.timeout_ms, 10000)));
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(req.max_body_bytes));
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");  // gzip/deflate if the server offers
    curl_easy_setopt(c, CURLOPT_USERAGENT, "qayd-feed/0.1");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, OnHeader);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, OnProgress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &t);
    char errbuf[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);

    const CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK) {
      if (rc == CURLE_ABORTED_BY_CALLBACK) return Error(ErrorCode::kUnavailable, "cancelled");
      if (t.oversized || rc == CURLE_FILESIZE_EXCEEDED) {
        return Error(ErrorCode::kInvalidInput, "body larger than " + Mb(req.max_body_bytes));
      }
      if (rc == CURLE_OPERATION_TIMEDOUT) {
        return Error(ErrorCode::kUnavailable,
                     "timed out after " + std::to_string(req.timeout_ms) + " ms");
      }
      if (rc == CURLE_PARTIAL_FILE) {
        return Error(ErrorCode::kIo, "truncated body: the connection closed early");
      }
      return Error(ErrorCode::kUnavailable, std::string(curl_easy_strerror(rc)) +
                                                (errbuf[0] ? std::string(": ") + errbuf : ""));
    }
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    t.resp.status = static_cast<int>(status);
    char* ct = nullptr;
    curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct);
    if (ct != nullptr) {
      std::string type = ct;
      type = Lower(TrimHeaderValue(type.substr(0, type.find(';'))));
      t.resp.content_type = type;
    }
    if (status == 304) {
      t.resp.not_modified = true;
      t.resp.body.clear();
      return std::move(t.resp);
    }
    if (status != 200) {
      return Error(
          status >= 500 || status == 429 ? ErrorCode::kUnavailable : ErrorCode::kInvalidInput,
          "HTTP " + std::to_string(status));
    }
    return std::move(t.resp);
  }

 private:
  static Result<FetchResponse> FetchFile(const FetchRequest& req) {
    const std::string path = req.url.substr(7);
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return Error(ErrorCode::kNotFound, "no such file: " + path);
    if (st.st_size > req.max_body_bytes) {
      return Error(ErrorCode::kInvalidInput, "body larger than " + Mb(req.max_body_bytes));
    }
    FetchResponse resp;
    resp.etag = "\"" + std::to_string(st.st_mtim.tv_sec) + "." +
                std::to_string(st.st_mtim.tv_nsec) + "-" + std::to_string(st.st_size) + "\"";
    if (!req.if_none_match.empty() && req.if_none_match == resp.etag) {
      resp.status = 304;
      resp.not_modified = true;
      return resp;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error(ErrorCode::kIo, "cannot read " + path);
    std::ostringstream body;
    body << in.rdbuf();
    resp.body = body.str();
    resp.status = 200;
    return resp;
  }
};

}  // namespace

std::unique_ptr<Fetcher> MakeCurlFetcher() { return std::make_unique<CurlFetcher>(); }

}  // namespace qayd::ingest
