#pragma once

// Error reporting. Every rejection in jot is one specific `errc` (errc.hpp); `failure` groups the
// codes into the few outcomes a server acts on (400 / 401 / 403 / 500 / 503); jot::error is what
// result<T>::value() throws. All of it plugs into std::error_code / std::error_condition.

#include <string>
#include <system_error>

#include "jot/config.hpp"
#include "jot/errc.hpp"

JOT_BEGIN_NAMESPACE

// Coarse conditions for `if (ec == jot::failure::unauthenticated)`.
enum class failure {
  malformed = 1,        // bad request: the bytes are not a token
  unauthenticated = 2,  // no key of ours vouches for it
  claims_rejected = 3,  // authentic, but expired, for someone else, revoked ...
  misconfigured = 4,    // a programming or deployment error on our side
  unavailable = 5,      // a dependency (crypto library, store) failed; retrying may help
  forbidden = 6,        // authentic, but not allowed to do this (scope, origin)
};

JOT_END_NAMESPACE

namespace std {
template <>
struct is_error_code_enum<jot::errc> : true_type {};
template <>
struct is_error_condition_enum<jot::failure> : true_type {};
}  // namespace std

JOT_BEGIN_NAMESPACE

// The failure group of a code, by its number range (docs/errors.md); what `code == failure::x`
// compares.
constexpr failure failure_of(errc code) noexcept {
  const int value = static_cast<int>(code);
  if (value < 20) return failure::malformed;
  if (value < 40) return failure::unauthenticated;
  if (value < 60) return failure::claims_rejected;
  if (value < 80) return failure::misconfigured;
  if (value < 90) return failure::unavailable;
  return failure::forbidden;
}

namespace detail {

class error_category_impl final : public std::error_category {
 public:
  const char* name() const noexcept override { return "jot"; }
  std::string message(int value) const override { return errc_message(static_cast<errc>(value)); }
  std::error_condition default_error_condition(int value) const noexcept override;
};

class failure_category_impl final : public std::error_category {
 public:
  const char* name() const noexcept override { return "jot.failure"; }
  std::string message(int value) const override {
    switch (static_cast<failure>(value)) {
      case failure::malformed:
        return "malformed token";
      case failure::unauthenticated:
        return "token not authenticated";
      case failure::claims_rejected:
        return "token claims rejected";
      case failure::misconfigured:
        return "jot misconfigured";
      case failure::unavailable:
        return "dependency unavailable";
      case failure::forbidden:
        return "request forbidden";
    }
    return "unknown jot failure";
  }
};

}  // namespace detail

// The category of jot's std::error_code values (errc): one object for the whole program.
inline const std::error_category& error_category() noexcept {
  static const detail::error_category_impl category;
  return category;
}

// The category of the failure conditions, which every jot code is equivalent to one of.
inline const std::error_category& failure_category() noexcept {
  static const detail::failure_category_impl category;
  return category;
}

// What makes an errc convert to std::error_code.
inline std::error_code make_error_code(errc code) noexcept {
  return {static_cast<int>(code), error_category()};
}

// What makes a failure convert to std::error_condition, so `code == failure::x` compiles.
inline std::error_condition make_error_condition(failure condition) noexcept {
  return {static_cast<int>(condition), failure_category()};
}

inline std::error_condition detail::error_category_impl::default_error_condition(
    int value) const noexcept {
  return make_error_condition(failure_of(static_cast<errc>(value)));
}

// The name of a jot error code; "success" for no error, "not_a_jot_error" for another category.
inline const char* errc_name(const std::error_code& code) noexcept {
  if (!code) return "success";
  if (code.category() != error_category()) return "not_a_jot_error";
  return errc_name(static_cast<errc>(code.value()));
}

// Thrown by result<T>::value() on an error. what() is the fixed message of the code.
class error : public std::system_error {
 public:
  // From the code of the failed result.
  explicit error(std::error_code code) : std::system_error(code) {}
  explicit error(errc code) : std::system_error(make_error_code(code)) {}
};

JOT_END_NAMESPACE
