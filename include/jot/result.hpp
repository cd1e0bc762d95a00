#pragma once

// result<T>: a value or a jot error code, returned by every fallible jot call.
// value() throws jot::error on an error (or aborts in a JOT_NO_EXCEPTIONS build); operator*
// and operator-> are unchecked, for callers that tested the result first.
// A result<T> always holds exactly one of the two. Made from a code that means success
// (std::error_code{}, errc{}), which would hold neither, it holds errc::invalid_argument: the
// caller passed "no error" where an error was required. result<void> made from a success
// std::error_code is a success; made from errc{} (not a jot code) it is invalid_argument too.
//
// The claim an error concerns. Besides its code, an error result holds the name of the claim the
// rejection is about, when it is about one (error_info, error.hpp): error_claim() returns it.
//  - missing_claim: the required claim that is absent: a registered one the policy requires
//    (exp; iat under expect_max_age; iss, aud, sub when expected), a name given to expect_claim or
//    expect_claim_that, or the session layer's sid, ver, jti or sub.
//  - invalid_claim_type: the claim of the wrong type (registered claims, the session claims).
//  - claim_mismatch: the expect_claim / expect_claim_that claim whose value was refused.
//  - any other error (and a success): empty. An expect_that check may name a claim itself by
//    returning error_info(code, name).
// Names come from the validator's policy or jot's own claim names, never from the token, and never
// a value: they are as safe to log as the code. A name longer than error_info::claim_capacity
// (23 bytes) is cut and ends in "...". error() returns the code together with the name, so
// `return r.error();` passes both on: the name reaches the caller of verifier::verify(),
// jwks_cache::verify() and session_manager::authenticate() as the validator set it. value() on an
// error throws jot::error, whose claim() is the name and whose what() ends in ": <name>"
// ("a required claim is missing: exp"). The name costs no allocation: it is a fixed-size buffer
// beside the code, written only when an error names a claim and never initialised on success.
// result<T> for a T of 40 bytes or more (a verified token) is no larger for it; result<void> is
// 40 bytes instead of 16.

#include <cstdio>
#include <cstdlib>
#include <new>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <variant>

#include "jot/error.hpp"

JOT_BEGIN_NAMESPACE

namespace detail {
[[noreturn]] inline void throw_error(const error_info& info) {
#ifdef JOT_NO_EXCEPTIONS
  std::fprintf(stderr, "jot: value() called on an error result: %s\n",
               describe_error(info).c_str());
  std::abort();
#else
  throw error(info);
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
inline error_info failure_code(const error_info& info) noexcept {
  return info ? info : error_info(errc::invalid_argument);
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
  JOT_COLD result(errc code) : storage_(std::in_place_index<1>, detail::failure_code(code)) {}
  JOT_COLD result(std::error_code code)
      : storage_(std::in_place_index<1>, detail::failure_code(code)) {}
  // An error with the claim it concerns: `return r.error();` keeps the name.
  JOT_COLD result(const error_info& info)
      : storage_(std::in_place_index<1>, detail::failure_code(info)) {}

  // True when the result holds a value; `if (result)` asks the same.
  bool has_value() const noexcept { return storage_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  // The error, with the claim it concerns; a default (success) error_info when there is a value.
  error_info error() const noexcept {
    return has_value() ? error_info{} : *std::get_if<1>(&storage_);
  }
  // The name of the claim the error concerns (see the top of this file); empty when there is a
  // value or the error concerns no claim. A view into this result.
  std::string_view error_claim() const& noexcept {
    return has_value() ? std::string_view() : std::get_if<1>(&storage_)->claim();
  }
  std::string_view error_claim() const&& = delete;

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
  std::variant<T, error_info> storage_;
};

// The result of a call that has no value to return: success or the error's code.
template <>
class [[nodiscard]] result<void> {
 public:
  // No value.
  using value_type = void;

  // A success. User-provided, so that `return {};` does not zero the error's claim buffer first.
  result() noexcept {}  // NOLINT(modernize-use-equals-default)
  // An error; from errc{}, which names no error, errc::invalid_argument. A success
  // std::error_code{} (or error_info{}) makes a success.
  result(errc code) noexcept : code_(detail::failure_code(code)) {}
  result(std::error_code code) noexcept : code_(code) {}
  result(const error_info& info) noexcept : code_(info) {}

  // True on success, as `if (result)`; error() is the code otherwise. value() throws jot::error on
  // an error (aborts without exceptions), to make a failure fatal in one call.
  bool has_value() const noexcept { return !code_; }
  explicit operator bool() const noexcept { return has_value(); }
  error_info error() const noexcept { return code_; }
  std::string_view error_claim() const& noexcept { return code_.claim(); }
  std::string_view error_claim() const&& = delete;
  void value() const {
    if (code_) detail::throw_error(code_);
  }

 private:
  error_info code_;
};

JOT_END_NAMESPACE
