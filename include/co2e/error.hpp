// Errors as values: every parser and lookup in co2e_core returns Result<T>; the CLI turns the
// ErrorKind into an exit code in exactly one place (src/cli/app.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace co2e {

enum class Field : std::uint8_t;  // an estimate input (estimate.hpp)

/// What went wrong, which decides the exit code (see exit_codes.hpp).
enum class ErrorKind {
  usage,     ///< bad flag, bad value, unknown model or region: exit 2
  data,      ///< unreadable or invalid file, I/O failure: exit 3
  internal,  ///< a bug: exit 4
  /// The reader of standard output went away (EPIPE, e.g. `co2e ... | head -1`): co2e stops at
  /// once, prints nothing and ends by SIGPIPE, as any pipe writer does (status 141 in the shell).
  broken_pipe,
};

/// A failure with a message meant for a person; callers prefix it with the flag, file or column.
struct Error {
  ErrorKind kind = ErrorKind::usage;
  std::string message;
  /// Closest matches for an unknown name ("did you mean ...").
  std::vector<std::string> suggestions;
  /// The estimate input the error is about, when it is about one: front ends name it the way the
  /// user gave it (a flag, an environment variable, a batch column, a cluster key).
  std::optional<Field> field;

  static Error usage(std::string msg) { return {ErrorKind::usage, std::move(msg), {}, {}}; }
  static Error data(std::string msg) { return {ErrorKind::data, std::move(msg), {}, {}}; }
  static Error internal(std::string msg) { return {ErrorKind::internal, std::move(msg), {}, {}}; }

  /// The same error with `prefix: ` in front of its message.
  [[nodiscard]] Error with_context(const std::string& prefix) const {
    Error e = *this;
    e.message = prefix + ": " + message;
    return e;
  }
};

/// A value or an Error; a tiny std::expected for C++20.
template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  [[nodiscard]] const T& value() const& { return std::get<0>(v_); }
  [[nodiscard]] T& value() & { return std::get<0>(v_); }
  [[nodiscard]] T&& value() && { return std::get<0>(std::move(v_)); }
  [[nodiscard]] const Error& error() const { return std::get<1>(v_); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::variant<T, Error> v_;
};

/// Success or an Error, for operations without a value.
using Status = std::optional<Error>;

}  // namespace co2e
