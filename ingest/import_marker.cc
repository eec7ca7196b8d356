#include "ingest/import_marker.h"

#include <filesystem>
#include <fstream>
#include <system_error>

#include "ingest/durable_file.h"

namespace qayd::ingest {
namespace fs = std::filesystem;

namespace {

fs::path MarkerPath(const std::string& dir, const std::string& name) {
  return fs::path(dir) / ("." + name + ".importing");
}

}  // namespace

ImportMarker::ImportMarker(std::string dir, std::string name, int max_attempts)
    : dir_(std::move(dir)), name_(std::move(name)), max_attempts_(max_attempts) {
  if (dir_.empty()) return;
  std::ifstream in(MarkerPath(dir_, name_));
  std::string key;
  while (in >> key) {
    if (key == "digest") {
      in >> digest_;
    } else if (key == "attempts") {
      in >> interrupted_;
    } else {
      in.ignore(1 << 20, '\n');
    }
  }
  if (digest_ == 0) interrupted_ = 0;
}

uint64_t ImportMarker::Digest(std::string_view body) {
  uint64_t h = 1469598103934665603ull;  // FNV-1a, 64 bits, then the length
  for (unsigned char c : body) {
    h ^= c;
    h *= 1099511628211ull;
  }
  h ^= body.size();
  return h == 0 ? 1 : h;
}

Result<bool> ImportMarker::Begin(std::string_view body) {
  if (dir_.empty()) return true;
  const uint64_t digest = Digest(body);
  const int attempts = digest == digest_ ? interrupted_ : 0;
  if (attempts >= max_attempts_) {
    refused_digest_ = digest;
    return false;
  }
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) return Error(ErrorCode::kIo, "cannot create " + dir_ + ": " + ec.message());
  Status s =
      WriteFileDurably(MarkerPath(dir_, name_), "digest " + std::to_string(digest) + "\nattempts " +
                                                    std::to_string(attempts + 1) + "\n");
  if (!s.ok()) return s;
  active_ = true;
  return true;
}

void ImportMarker::End() {
  if (!active_) return;
  active_ = false;
  std::error_code ec;
  fs::remove(MarkerPath(dir_, name_), ec);
  digest_ = 0;
  interrupted_ = 0;
}

Result<std::string> ImportMarker::SetAside(std::string_view body, int64_t time_ms,
                                           const std::string& ext) {
  const uint64_t digest = refused_digest_;                  // of `body`: Begin() just refused it
  if (digest == set_aside_digest_) return set_aside_path_;  // once per process
  const fs::path failed = fs::path(dir_) / "failed";
  std::error_code ec;
  fs::create_directories(failed, ec);
  if (ec) return Error(ErrorCode::kIo, "cannot create " + failed.string() + ": " + ec.message());
  const fs::path path = failed / (name_ + "-" + std::to_string(time_ms) + ext);
  Status s = WriteFileDurably(path, body);
  if (!s.ok()) return s;
  set_aside_digest_ = digest;
  set_aside_path_ = path.string();
  return set_aside_path_;
}

}  // namespace qayd::ingest
