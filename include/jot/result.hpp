#pragma once

// result<T>: a value or a jot error code, returned by every fallible jot call.
// value() throws jot::error on an error (or aborts in a JOT_NO_EXCEPTIONS build); operator*
// and operator-> are unchecked, for callers that tested the result first.
// A result<T> always holds exactly one of the two. Made from a code that means success
// (std::error_code{}, errc{}), which would hold neither, it holds errc::invalid_argument: the
// caller passed "no error" where an error was required. result<void> made from a success
// std::error_code is a success; made from errc{} (not a jot code) it is invalid_argument too.

#include <cstdio>
#include <cstdlib>
#include <new>
#include <system_error>
#include <type_traits>
#include <utility>
#include <variant>

#include "jot/error.hpp"

JOT_BEGIN_NAMESPACE

namespace detail {
[[noreturn]] inline void throw_error(std::error_code code) {
#ifdef JOT_NO_EXCEPTIONS
  std::fprintf(stderr, "jot: value() called on an error result: %s\n", code.message().c_str());
  std::abort();
#else
  throw error(code);
#endif
}
// Inside a catch-all handler: what to report for the exception in flight. Allocation failure is
// out_of_memory; anything else is `otherwise`: thrown through jot by an application-defined
// signer or verifier, it means the signature operation could not run; by an application's
// to_json, that its value could not be made into claims (invalid_argument).
inline errc errc_of_current_exception(errc otherwise = errc::crypto_failure) noexcept {
#ifndef JOT_NO_EXCEPTIONS
  try {
    throw;
  } catch (const std::bad_alloc&) {
    return errc::out_of_memory;
  } catch (...) {
    return otherwise;
  }
#else
  (void)otherwise;  // nothing can be in flight without exceptions
  return errc::out_of_memory;
#endif
}
// The code an error result holds: never one that tests as success.
inline std::error_code failure_code(std::error_code code) noexcept {
  return code ? code : make_error_code(errc::invalid_argument);
}
inline std::error_code failure_code(errc code) noexcept {
  return failure_code(make_error_code(code));
}
}  // namespace detail

// A T or the error_code of why there is none: what every fallible jot call returns. Ignoring
// one does not compile quietly ([[nodiscard]]); see the top of this file.
template <typename T>
class [[nodiscard]] result {
  static_assert(!std::is_reference_v<T>, "result<T&> is not supported");

 public:
  // The type of the value.
  using value_type = T;

  // Implicit, so that `return value;` and `return errc::x;` both read naturally.
  result(T value) : storage_(std::in_place_index<0>, std::move(value)) {}
  result(errc code) : storage_(std::in_place_index<1>, detail::failure_code(code)) {}
  result(std::error_code code) : storage_(std::in_place_index<1>, detail::failure_code(code)) {}

  // True when the result holds a value; `if (result)` asks the same.
  bool has_value() const noexcept { return storage_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  // The error; a default (success) error_code when there is a value.
  std::error_code error() const noexcept {
    return has_value() ? std::error_code{} : *std::get_if<1>(&storage_);
  }

  // The value; on an error, throws jot::error with the code (aborts in a JOT_NO_EXCEPTIONS build).
  T& value() & {
    if (!has_value()) detail::throw_error(error());
    return *std::get_if<0>(&storage_);
  }
  const T& value() const& {
    if (!has_value()) detail::throw_error(error());
    return *std::get_if<0>(&storage_);
  }
  T&& value() && {
    if (!has_value()) detail::throw_error(error());
    return std::move(*std::get_if<0>(&storage_));
  }

  // A copy of the value, or `fallback` converted to T on an error.
  template <typename U>
  T value_or(U&& fallback) const& {
    return has_value() ? **this : static_cast<T>(std::forward<U>(fallback));
  }

  // The value, unchecked: only after has_value() said true.
  T& operator*() & noexcept { return *std::get_if<0>(&storage_); }
  const T& operator*() const& noexcept { return *std::get_if<0>(&storage_); }
  T&& operator*() && noexcept { return std::move(*std::get_if<0>(&storage_)); }
  T* operator->() & noexcept { return std::get_if<0>(&storage_); }
  const T* operator->() const& noexcept { return std::get_if<0>(&storage_); }
  // Not on a temporary: `verify(token)->claims().subject()` would be a view into a destroyed
  // object (and a null dereference on an error). Name the result, or use value().
  T* operator->() && = delete;
  const T* operator->() const&& = delete;

 private:
  std::variant<T, std::error_code> storage_;
};

// The result of a call that has no value to return: success or the error's code.
template <>
class [[nodiscard]] result<void> {
 public:
  // No value.
  using value_type = void;

  result() noexcept = default;
  // An error; from errc{}, which names no error, errc::invalid_argument. A success
  // std::error_code{} makes a success.
  result(errc code) noexcept : code_(detail::failure_code(code)) {}
  result(std::error_code code) noexcept : code_(code) {}

  // True on success, as `if (result)`; error() is the code otherwise. value() throws jot::error on
  // an error (aborts without exceptions), to make a failure fatal in one call.
  bool has_value() const noexcept { return !code_; }
  explicit operator bool() const noexcept { return has_value(); }
  std::error_code error() const noexcept { return code_; }
  void value() const {
    if (code_) detail::throw_error(code_);
  }

 private:
  std::error_code code_;
};

JOT_END_NAMESPACE
