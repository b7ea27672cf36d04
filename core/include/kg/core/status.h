#pragma once
// Status and Result<T>: how kg reports failures across layer boundaries.
//
// A Status is a code plus a one-line message (as leveldb's Status). Result<T> holds either a T or
// a non-OK Status; its accessors follow std::expected (has_value, value, error) so a later move to
// C++23 is mechanical. Both are cheap to move and safe to use from any thread (they are values).
// "Not found" is an answer, not a failure: functions that look things up return std::optional.

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace kg {

class [[nodiscard]] Status {
 public:
  // Persisted nowhere, but printed by tools and mapped to HTTP codes: keep the names stable.
  enum class Code : unsigned char {
    kOk = 0,
    kNotFound,
    kInvalidArgument,  // the user gave something wrong (a flag, a file, a query)
    kParseError,       // the user's text does not parse; the message names line:column
    kCorruption,       // stored data is inconsistent
    kIOError,          // the file system or RocksDB failed
    kBusy,             // locked by another process, or a limit was reached
    kTimeout,
    kInternal,         // a bug in kg
  };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status InvalidArgument(std::string msg) {
    return Status(Code::kInvalidArgument, std::move(msg));
  }
  static Status ParseError(std::string msg) { return Status(Code::kParseError, std::move(msg)); }
  static Status Corruption(std::string msg) { return Status(Code::kCorruption, std::move(msg)); }
  static Status IOError(std::string msg) { return Status(Code::kIOError, std::move(msg)); }
  static Status Busy(std::string msg) { return Status(Code::kBusy, std::move(msg)); }
  static Status Timeout(std::string msg) { return Status(Code::kTimeout, std::move(msg)); }
  static Status Internal(std::string msg) { return Status(Code::kInternal, std::move(msg)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "IOError: cannot open x" or "OK".
  std::string ToString() const;

  // True for errors caused by what the user supplied (exit code 1 in the command lines).
  bool IsUserError() const {
    return code_ == Code::kNotFound || code_ == Code::kInvalidArgument ||
           code_ == Code::kParseError || code_ == Code::kBusy || code_ == Code::kTimeout;
  }

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

std::string_view CodeName(Status::Code code);

// Either a T or a non-OK Status. REQUIRES: a Status given to the constructor is not OK.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit, like std::expected
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(v_).ok() && "Result built from an OK Status");
  }

  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }
  // REQUIRES: has_value().
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  // REQUIRES: !has_value().
  const Status& error() const { return std::get<1>(v_); }
  // OK when a value is held.
  Status status() const { return has_value() ? Status::Ok() : error(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace kg

// Returns early with the Status of `expr` when it is not OK.
#define KG_RETURN_IF_ERROR(expr)              \
  do {                                        \
    ::kg::Status kg_status_ = (expr);         \
    if (!kg_status_.ok()) return kg_status_;  \
  } while (0)
