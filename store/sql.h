// The small SQL layer the store's logic is written against, so the register's
// semantics exist once and each backend only supplies a driver (sqlite_conn.cc,
// pg_conn.cc). Internal to store/.
//
// SQL is written with `?` placeholders; the PostgreSQL driver rewrites them to
// $1..$n. Values are bound as int64, double, text or null. Bound text is not
// copied by the SQLite driver: keep it alive until the statement is done.
// A single-column RETURNING on a one-row INSERT (the new rowid) or UPDATE
// (a row iff something changed) is emulated on SQLite; use it only that way.
//
// Threads: a Conn and its statements are used by one thread at a time.
// Errors: every call that touches the database returns Status/Result.
// Ownership: statements are owned and cached by their Conn (keyed by SQL text);
// a statement must be fully stepped or Reset() before the Conn runs another
// (PostgreSQL streams one result at a time per connection).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "base/result.h"

namespace qayd::sql {

class Stmt {
 public:
  virtual ~Stmt() = default;
  // Binding, 1-based. Binding after Step() requires Reset() first.
  virtual void Bind(int i, int64_t v) = 0;
  virtual void Bind(int i, double v) = 0;
  virtual void Bind(int i, const std::string& v) = 0;
  virtual void BindNull(int i) = 0;
  void Bind(int i, int v) { Bind(i, static_cast<int64_t>(v)); }
  void Bind(int i, const char* v) { Bind(i, std::string(v)); }
  // Runs the statement (first call) and moves to the next row: true while a
  // row is available, false when done.
  virtual Result<bool> Step() = 0;
  // Column accessors, 0-based, valid after Step() returned true.
  virtual bool IsNull(int col) = 0;
  virtual int64_t Int(int col) = 0;
  virtual double Real(int col) = 0;
  virtual std::string Text(int col) = 0;
  // Finishes the current execution and clears bindings.
  virtual void Reset() = 0;
};

class Conn {
 public:
  virtual ~Conn() = default;
  // A prepared statement for `sql`, cached on the connection and Reset().
  virtual Result<Stmt*> Prepare(const std::string& sql) = 0;
  // Runs one or more statements without parameters (DDL, BEGIN, COMMIT).
  virtual Status Exec(const std::string& sql) = 0;
  // "sqlite" or "postgres".
  virtual const char* dialect() const = 0;
};

}  // namespace qayd::sql
