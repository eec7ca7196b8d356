#include "matching/interner.h"

#include <absl/container/flat_hash_map.h>

#include <atomic>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <shared_mutex>
#include <string>

namespace qayd::matching {
namespace {

// Views are kept in fixed-size chunks that never move, so Interned() reads
// without a lock: an id is only ever handed out after its view was written
// (under the mutex), and whoever holds the id got it through that mutex or a
// later synchronisation (the engine's lock).
constexpr uint32_t kChunkBits = 16;
constexpr uint32_t kChunkSize = 1u << kChunkBits;
constexpr uint32_t kMaxChunks = 4096;  // 268M distinct strings

struct Table {
  std::shared_mutex mu;
  std::deque<std::string> strings;
  absl::flat_hash_map<std::string_view, uint32_t> ids;
  std::atomic<std::string_view*> chunks[kMaxChunks] = {};
  std::atomic<uint32_t*> hash_chunks[kMaxChunks] = {};
  uint32_t next = 1;  // id 0 is the empty string
};

// FNV-1a, then MurmurHash3's finaliser: fixed, so the same in every process.
uint32_t StableHash(std::string_view s) {
  uint32_t h = 2166136261u;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h == 0 ? 1 : h;  // 0 stays the empty string's
}

Table& table() {
  static Table* t = new Table();  // never destroyed: views outlive static destruction
  return *t;
}

}  // namespace

uint32_t Intern(std::string_view s) {
  if (s.empty()) return 0;
  Table& t = table();
  {
    std::shared_lock lock(t.mu);
    auto it = t.ids.find(s);
    if (it != t.ids.end()) return it->second;
  }
  std::unique_lock lock(t.mu);
  auto it = t.ids.find(s);
  if (it != t.ids.end()) return it->second;
  uint32_t id = t.next++;
  uint32_t c = id >> kChunkBits;
  if (c >= kMaxChunks) std::abort();  // a broken invariant: far beyond any register
  std::string_view* chunk = t.chunks[c].load(std::memory_order_acquire);
  uint32_t* hashes = t.hash_chunks[c].load(std::memory_order_acquire);
  if (!chunk) {
    chunk = new std::string_view[kChunkSize];
    hashes = new uint32_t[kChunkSize];
    t.hash_chunks[c].store(hashes, std::memory_order_release);
    t.chunks[c].store(chunk, std::memory_order_release);
  }
  t.strings.emplace_back(s);
  chunk[id & (kChunkSize - 1)] = t.strings.back();
  hashes[id & (kChunkSize - 1)] = StableHash(s);
  t.ids.emplace(t.strings.back(), id);
  return id;
}

std::string_view Interned(uint32_t id) {
  if (id == 0) return {};
  std::string_view* chunk = table().chunks[id >> kChunkBits].load(std::memory_order_acquire);
  return chunk ? chunk[id & (kChunkSize - 1)] : std::string_view();
}

uint32_t InternedHash(uint32_t id) {
  if (id == 0) return 0;
  uint32_t* hashes = table().hash_chunks[id >> kChunkBits].load(std::memory_order_acquire);
  return hashes ? hashes[id & (kChunkSize - 1)] : 0;
}

size_t InternedCount() {
  Table& t = table();
  std::shared_lock lock(t.mu);
  return t.next;
}

}  // namespace qayd::matching
