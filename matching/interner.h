// Process-wide string interning for name keys and spellings: equal strings get
// equal small integer ids, so profiles and index keys are compact and
// comparisons are integer compares. Id 0 is the empty string.
//
// Threads: safe from any thread. Intern() takes a shared mutex (exclusive
// only for a new string); Interned() takes no lock. Strings are never removed;
// views stay valid for the process lifetime.
#pragma once

#include <cstdint>
#include <string_view>

namespace qayd::matching {

uint32_t Intern(std::string_view s);
std::string_view Interned(uint32_t id);
// A hash of Interned(id) that does not depend on the order strings were
// interned in (ids do: threads intern concurrently), the same in every
// process; 0 only for id 0. Whatever orders or groups by name (block keys,
// summaries, the index's grouping) uses it, so a decision never depends on
// thread timing. No lock, like Interned().
uint32_t InternedHash(uint32_t id);
size_t InternedCount();

}  // namespace qayd::matching
