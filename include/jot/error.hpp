#pragma once

// Error reporting. Every rejection in jot is one specific `errc` (errc.hpp); `failure` groups the
// codes into the few outcomes a server acts on (400 / 401 / 403 / 500 / 503); jot::error is what
// result<T>::value() throws. All of it plugs into std::error_code / std::error_condition.

#include <algorithm>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
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
// compares. Each block of 100 values repeats the same ranges (101-119 malformed, 120-139
// unauthenticated, ...), so a group whose first range is full grows without renumbering.
constexpr failure failure_of(errc code) noexcept {
  const int value = static_cast<int>(code) % 100;
  if (value < 20) return failure::malformed;
  if (value < 40) return failure::unauthenticated;
  if (value < 60) return failure::claims_rejected;
  if (value < 80) return failure::misconfigured;
  if (value < 90) return failure::unavailable;
  return failure::forbidden;  // 90-99
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

// error_info: a std::error_code and, when the error concerns one claim, that claim's name. It is
// what result<T>::error() returns, so `return r.error();` passes the name on with the code, and
// everything that takes a std::error_code takes it (comparison with an errc or a failure,
// message(), http_status...). Copying it into a plain std::error_code keeps the code and drops the
// name.
//
// The name is never a claim's value and never read from a token: jot records only names its
// policy or the registered claim set chose (exp, aud, the name given to expect_claim...), so it is
// as safe to log as the code. It is held in place, without allocation: a name longer than
// claim_capacity bytes keeps its first bytes (whole UTF-8 characters) followed by "...".
class error_info : public std::error_code {
 public:
  // The longest name kept whole, in bytes; a longer one is cut and ends in "...".
  static constexpr std::size_t claim_capacity = 23;

  // User-provided, so that `error_info{}` does not zero the name's buffer first.
  error_info() noexcept {}  // NOLINT(modernize-use-equals-default)
  error_info(std::error_code code) noexcept : std::error_code(code) {}  // no claim
  error_info(errc code) noexcept : std::error_code(make_error_code(code)) {}
  error_info(std::error_code code, std::string_view claim) noexcept : std::error_code(code) {
    set_claim(claim);
  }
  error_info(errc code, std::string_view claim) noexcept
      : error_info(make_error_code(code), claim) {}

  // The name of the claim the error concerns; empty when it concerns none (or is no error).
  // A view into this object, so not on a temporary (result<T>::error_claim() is the shorthand).
  std::string_view claim() const& noexcept {
    if (!*this) return {};
    return std::string_view(reinterpret_cast<const char*>(claim_), claim_size_);
  }
  std::string_view claim() const&& = delete;

 private:
  // Out of line: only error paths name a claim.
  JOT_COLD void set_claim(std::string_view claim) noexcept {
    std::size_t kept = claim.size();
    std::string_view cut;
    if (kept > claim_capacity) {
      cut = "...";
      kept = claim_capacity - cut.size();
      // Never split a UTF-8 character: back off over continuation bytes (10xxxxxx).
      while (kept > 0 && (static_cast<unsigned char>(claim[kept]) & 0xC0) == 0x80) --kept;
    }
    unsigned char* out = std::copy_n(claim.begin(), kept, claim_);
    std::copy_n(cut.begin(), cut.size(), out);
    claim_size_ = static_cast<unsigned char>(kept + cut.size());
  }

  unsigned char claim_size_ = 0;
  // Only the first claim_size_ bytes are ever written or read. Left uninitialised, so that a
  // success costs no more than the code it holds; unsigned char, so copying the rest is defined.
  unsigned char claim_[claim_capacity];
};

namespace detail {
// "<message>: <claim>", or the message alone when the error names no claim.
inline std::string describe_error(const error_info& info) {
  std::string text = info.message();
  if (const std::string_view claim = info.claim(); !claim.empty()) {
    text.append(": ").append(claim.data(), claim.size());
  }
  return text;
}
}  // namespace detail

// Thrown by result<T>::value() on an error. code() is the error code, claim() the name of the claim
// it concerns (empty when none) and what() the code's fixed message, followed by ": <claim>" when
// there is a claim ("a required claim is missing: exp").
class error : public std::system_error {
 public:
  // From the error of the failed result, with the claim it names.
  explicit error(const error_info& info)
      : std::system_error(info), info_(info), what_(detail::describe_error(info)) {}
  // From a code alone: no claim.
  explicit error(std::error_code code) : error(error_info(code)) {}
  explicit error(errc code) : error(error_info(code)) {}

  // The name of the claim the error concerns; empty when none. A view into this exception.
  std::string_view claim() const noexcept { return info_.claim(); }
  // The code's fixed message, then ": <claim>" when the error names a claim.
  const char* what() const noexcept override { return what_.what(); }

 private:
  error_info info_;
  std::runtime_error what_;  // the text, in a holder whose copies cannot throw
};

JOT_END_NAMESPACE
