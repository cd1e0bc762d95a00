#pragma once

// basic_claims_builder<Json>: the only way to make the claims of a new token. It refuses the
// usual mistakes instead of signing them:
//  - no expiry decision: build() fails with errc::missing_expiration until expires_in(),
//    expires_at() or an explicit without_expiration() was called (RFC 8725 §3.10, short-lived
//    tokens);
//  - registered claims (RFC 7519 §4.1) only through their typed setters, and no custom claim may
//    use a registered or JOSE header name (errc::reserved_claim);
//  - claim names that plainly carry secrets or personal data (password, ssn, credit_card, ...)
//    are errc::sensitive_claim unless allowed by name: JWS payloads are only base64url, anyone
//    holding the token can read them (RFC 7519 §12);
//  - NaN and infinities, anywhere in a value, are errc::invalid_argument: JSON has no such numbers
//    (RFC 8259 §6), and writing them as null would sign a claim other than the one built.
// `iat` is set from the builder's clock. The first error is kept and reported by build(), so a
// fluent chain needs one check at the end.

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "jot/claims.hpp"
#include "jot/detail/header_checks.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE

namespace detail {

// Walks the value with an explicit stack, so that a deeply nested value cannot exhaust the
// call stack.
template <typename Json>
bool has_non_finite_number(const Json& value) {
  std::vector<const Json*> pending{&value};
  while (!pending.empty()) {
    const Json* next = pending.back();
    pending.pop_back();
    if (next->is_number_float() &&
        !std::isfinite(next->template get<typename Json::number_float_t>())) {
      return true;
    }
    if (next->is_structured()) {
      for (const auto& child : *next) pending.push_back(&child);
    }
  }
  return false;
}

inline constexpr std::string_view registered_claim_names[] = {"iss", "sub", "aud", "exp",
                                                              "nbf", "iat", "jti"};

// Lower-case letters and digits only: "Credit-Card", "credit_card" and "creditCard" compare equal.
inline std::string normalize_claim_name(std::string_view name) {
  std::string out;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) out.push_back(static_cast<char>(std::tolower(u)));
  }
  return out;
}

// Names that are sensitive wherever they appear inside a claim name ("new_password").
inline constexpr std::string_view sensitive_name_parts[] = {
    "password",   "passwd",         "passphrase", "secret", "privatekey", "creditcard",
    "cardnumber", "socialsecurity", "cvv",        "apikey", "accesskey"};
// Short names that are sensitive only on their own ("ssn", not "lessons").
inline constexpr std::string_view sensitive_names[] = {
    "pwd", "ssn", "pin", "cvc", "pan", "iban", "dob", "dateofbirth", "taxid", "passport"};

inline bool is_sensitive_claim_name(std::string_view name) {
  const std::string normalized = normalize_claim_name(name);
  for (auto part : sensitive_name_parts) {
    if (normalized.find(part) != std::string::npos) return true;
  }
  return std::find(std::begin(sensitive_names), std::end(sensitive_names), normalized) !=
         std::end(sensitive_names);
}

inline bool is_reserved_claim_name(std::string_view name) {
  const auto in = [name](const auto& list) {
    return std::find(std::begin(list), std::end(list), name) != std::end(list);
  };
  return in(registered_claim_names) || in(header_parameter_names);
}

}  // namespace detail

template <typename Json>
class basic_claims_builder {
 public:
  using clock_type = std::chrono::system_clock;

  // `now` is the issue time (`iat`) and the base of expires_in(); inject it in tests.
  explicit basic_claims_builder(clock_type::time_point now = clock_type::now())
      : now_(std::chrono::time_point_cast<std::chrono::seconds>(now)) {
    set("iat", now_.time_since_epoch().count());
  }

  basic_claims_builder& issuer(std::string value) { return set("iss", std::move(value)); }
  basic_claims_builder& subject(std::string value) { return set("sub", std::move(value)); }
  basic_claims_builder& jwt_id(std::string value) { return set("jti", std::move(value)); }
  basic_claims_builder& audience(std::string value) { return set("aud", std::move(value)); }
  basic_claims_builder& audience(std::vector<std::string> values) {
    if (values.empty()) return fail(errc::invalid_argument);
    Json array = Json::array();
    for (auto& value : values) array.push_back(std::move(value));
    return set("aud", std::move(array));
  }

  basic_claims_builder& expires_in(std::chrono::seconds lifetime) {
    // Compared before adding, so that no lifetime can overflow (NumericDate ends in 9999).
    if (lifetime <= std::chrono::seconds::zero() ||
        lifetime.count() > max_numeric_date - now_.time_since_epoch().count()) {
      return fail(errc::invalid_argument);
    }
    return expires_at(now_ + lifetime);
  }
  // Times are whole seconds (RFC 7519 §2 NumericDate); a system_clock::time_point is truncated.
  // sys_seconds reaches the year 9999, system_clock::time_point only 2262 (nanoseconds).
  basic_claims_builder& expires_at(sys_seconds when) {
    expiry_decided_ = true;
    return set_date("exp", when);
  }
  basic_claims_builder& expires_at(clock_type::time_point when) {
    return expires_at(seconds_of(when));
  }
  // A token that never expires. Only for cases that are revoked some other way; greppable.
  basic_claims_builder& without_expiration() {
    expiry_decided_ = true;
    payload_.erase("exp");
    return *this;
  }
  basic_claims_builder& not_before(sys_seconds when) { return set_date("nbf", when); }
  basic_claims_builder& not_before(clock_type::time_point when) {
    return not_before(seconds_of(when));
  }
  basic_claims_builder& issued_at(sys_seconds when) { return set_date("iat", when); }
  basic_claims_builder& issued_at(clock_type::time_point when) {
    return issued_at(seconds_of(when));
  }
  basic_claims_builder& without_issued_at() {
    payload_.erase("iat");
    return *this;
  }

  // A private or public claim (RFC 7519 §4.2, §4.3).
  basic_claims_builder& claim(std::string name, Json value) {
    if (name.empty()) return fail(errc::invalid_argument);
    if (detail::is_reserved_claim_name(name)) return fail(errc::reserved_claim);
    JOT_TRY {
      if (detail::has_non_finite_number(value)) return fail(errc::invalid_argument);
    }
    JOT_CATCH_ALL { return fail(errc::out_of_memory); }
    return set(std::move(name), std::move(value));
  }

  // Lets one claim through the sensitive-name check, for a name that only looks sensitive
  // ("secret_santa_group"). The exact name is allowed, nothing else.
  basic_claims_builder& allow_sensitive_claim(std::string name) {
    allowed_sensitive_.push_back(std::move(name));
    return *this;
  }

  result<basic_claims<Json>> build() const {
    if (error_) return *error_;
    if (!expiry_decided_) return errc::missing_expiration;
    if (const auto nbf = payload_.find("nbf"), exp = payload_.find("exp");
        nbf != payload_.end() && exp != payload_.end() && *exp <= *nbf) {
      return errc::invalid_argument;  // a token that is never valid
    }
    for (const auto& member : payload_.items()) {
      const auto& name = member.key();
      if (detail::is_sensitive_claim_name(name) &&
          std::find(allowed_sensitive_.begin(), allowed_sensitive_.end(), name) ==
              allowed_sensitive_.end()) {
        return errc::sensitive_claim;
      }
    }
    return basic_claims<Json>(payload_);
  }

 private:
  static sys_seconds seconds_of(clock_type::time_point when) {
    return std::chrono::time_point_cast<std::chrono::seconds>(when);
  }

  template <typename Value>
  basic_claims_builder& set(std::string name, Value&& value) {
    JOT_TRY { payload_[std::move(name)] = Json(std::forward<Value>(value)); }
    JOT_CATCH_ALL { return fail(errc::out_of_memory); }
    return *this;
  }

  basic_claims_builder& set_date(const char* name, sys_seconds when) {
    const std::int64_t seconds = when.time_since_epoch().count();
    if (seconds < 0 || seconds > max_numeric_date) return fail(errc::invalid_argument);
    return set(name, seconds);
  }

  basic_claims_builder& fail(errc code) {
    if (!error_) error_ = code;
    return *this;
  }

  sys_seconds now_;
  Json payload_ = Json::object();
  std::vector<std::string> allowed_sensitive_;
  std::optional<errc> error_;
  bool expiry_decided_ = false;
};

using claims_builder = basic_claims_builder<nlohmann::json>;

JOT_END_NAMESPACE
