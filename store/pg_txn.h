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
#pragma once

#include <memory>

#include "store/sql_txn.h"

namespace qayd::store {

class PgTxn : public SqlTxn {
 public:
  using SqlTxn::SqlTxn;

  Result<std::vector<AcceptOutcome>> AcceptReports(const std::vector<const Report*>& reports,
                                                   const AcceptedFn& on_accepted) override;
  std::unique_ptr<DecisionWriter> Decisions() override;
};

}  // namespace qayd::store
