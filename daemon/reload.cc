#include "daemon/reload.h"

namespace qayd::daemon {
namespace {

template <typename T>
void Keep(const char* key, const T& running, T* next, std::vector<std::string>* kept) {
  if (*next == running) return;
  *next = running;
  kept->push_back(key);
}

}  // namespace

std::vector<std::string> KeepRestartOnly(const Config& running, Config* next) {
  std::vector<std::string> kept;
  Keep("store.sqlite_path", running.store.sqlite_path, &next->store.sqlite_path, &kept);
  Keep("store.postgres", running.store.postgres, &next->store.postgres, &kept);
  Keep("store.postgres_pool_size", running.store.postgres_pool_size,
       &next->store.postgres_pool_size, &kept);
  Keep("http.listen", running.http.listen, &next->http.listen, &kept);
  Keep("http.port", running.http.port, &next->http.port, &kept);
  Keep("http.static_dir", running.http.static_dir, &next->http.static_dir, &kept);
  Keep("matching.threads", running.matching.threads, &next->matching.threads, &kept);
  return kept;
}

}  // namespace qayd::daemon
