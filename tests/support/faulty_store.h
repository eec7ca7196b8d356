// A Store that delegates to a real one and fails on request, for tests of
// what callers do when a commit or a write inside a transaction fails.
//
// Contract
// - Every Store method, and every method of the Txn that Begin() returns,
//   delegates to the inner store / its Txn unchanged, except for the faults
//   armed below. Each fault fires once (the flag is cleared when it fires).
// - fail_next_commit: the next Commit() of a write transaction returns
//   Error(kIo, "injected commit failure") without committing; the inner Txn is
//   then destroyed uncommitted (rolled back). A second Commit() of that Txn
//   fails the same way.
// - fail_next_attach: the next AttachReport() returns
//   Error(kIo, "injected attach failure") without calling the inner Txn (the
//   caller must then abandon the Txn, as after any database error).
// - fail_next_mark_replayed: the next MarkReplayed() returns
//   Error(kIo, "injected mark failure") without calling the inner Txn.
// - events_read counts the events EventsSince returned (what following the
//   change log read back).
// - Ownership: does not own the inner store, which must outlive this one;
//   every Txn must be destroyed before this store.
// - Threads: the same as the inner store; the flags may be set from any thread.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "store/store.h"

namespace qayd::testing {

class FaultyStore : public Store {
 public:
  explicit FaultyStore(Store* inner) : inner_(inner) {}

  Result<std::unique_ptr<Txn>> Begin(Mode mode = Mode::kWrite) override;
  Status ScanVictims(const VictimVisitor& visit) override;
  const char* backend() const override;
  Result<std::string> IntegrityCheck() override;
  Result<bool> TryAcquireMatcherLock() override;
  void ReleaseMatcherLock() override;

  std::atomic<bool> fail_next_commit{false};
  std::atomic<bool> fail_next_attach{false};
  std::atomic<bool> fail_next_mark_replayed{false};
  std::atomic<int64_t> events_read{0};

 private:
  Store* inner_;
};

}  // namespace qayd::testing
