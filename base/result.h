// Expected failures as values: the one error policy of qayd.
//
// Functions that can fail for reasons outside the program's control (bad input,
// network, disk, a constraint in the store) return Status or Result<T>.
// Exceptions are used only at startup/configuration and for broken invariants.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace qayd {

enum class ErrorCode {
  kOk = 0,
  kInvalidInput,    // a record, request or file is malformed
  kNotFound,        // the thing asked for does not exist
  kConflict,        // a constraint forbids it (e.g. "different people")
  kUnavailable,     // a dependency is down (database, feed); retry later
  kIo,              // disk or network I/O failed
  kPermission,      // not allowed for this caller
  kInternal,        // a bug or an unexpected state
};

const char* ErrorCodeName(ErrorCode code);

// Status: ok, or an error code with a human-readable message.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}
  static Status Ok() { return {}; }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "invalid_input: message"
  std::string ToString() const;

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
};

inline Status Error(ErrorCode code, std::string message) { return {code, std::move(message)}; }

// Result<T>: a value or a non-ok Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}   // NOLINT: must not be ok
  bool ok() const { return std::holds_alternative<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T& value() & { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }
  Status status() const { return ok() ? Status() : std::get<Status>(v_); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace qayd
