// The PostgreSQL Txn: SqlTxn with the batch methods (AcceptReports,
// Decisions) written as a few statements over array parameters per batch
// (INSERT ... SELECT FROM unnest(...)) instead of several round trips per
// report. Internal to store/.
//
// Ids (reports, victims, review items, history seq) are taken from the
// tables' sequences client-side: a block of exactly the ids a statement needs
// is reserved with one setval(nextval + n - 1), so they are the ids the
// per-report calls would have drawn. That relies on the writer advisory lock
// every write transaction holds (pg_store.cc): no other transaction draws
// from these sequences meanwhile. Everything stays in the caller's
// transaction; an error leaves it to be rolled back whole.
//
// Reports written once: AcceptReports keeps the batch's new rows (reports,
// contacts, acceptance events; ids already drawn) in the Txn. The decision
// writer's Flush inserts them with their resolution, so a matched batch's
// reports are never inserted pending and then updated (an UPDATE that
// rewrites the row and every index entry: issue 24). Any other statement of
// the Txn (it runs on a connection wrapper, DeferredConn) first inserts them
// pending, exactly as before; ROLLBACK drops them.
#pragma once

#include <functional>
#include <memory>

#include "store/sql_txn.h"

namespace qayd::store {

class DeferredConn;

// Base-from-member: the wrapper SqlTxn runs its statements on is built first.
struct PgDeferredHolder {
  explicit PgDeferredHolder(sql::Conn& raw);
  ~PgDeferredHolder();
  std::unique_ptr<DeferredConn> deferred;
};

class PgTxn : private PgDeferredHolder, public SqlTxn {
 public:
  PgTxn(sql::Conn& conn, std::function<void()> release);

  Result<std::vector<AcceptOutcome>> AcceptReports(const std::vector<const Report*>& reports,
                                                   const AcceptedFn& on_accepted) override;
  std::unique_ptr<DecisionWriter> Decisions() override;
};

}  // namespace qayd::store
