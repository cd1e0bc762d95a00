#pragma once

// basic_validator<Json>: the claim policy (RFC 7519 §7.2, RFC 8725 §3), apart from the keys.
// Built once at start-up by basic_validator_builder, which refuses a contradictory policy, and
// immutable afterwards: cheap to copy (the policy is shared), safe to use from many threads.
// A verifier is a key set plus a validator (verifier_builder.hpp); a jwks_cache takes one too.
//
// Defaults are the strict ones: `exp` required, no clock skew, a token with `aud` or a non-JWT
// `typ` rejected unless expected, 8 KiB size cap, JSON depth 32, crit extensions rejected.
// Every setter that adds or tightens a check is `expect_*`; every setter that can weaken one is
// `allow_*` or `ignore_*`, so one grep finds every relaxation (docs/security.md).

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "jot/claims.hpp"
#include "jot/detail/compact.hpp"
#include "jot/detail/validation_policy.hpp"
#include "jot/json.hpp"
#include "jot/result.hpp"
#include "jot/token_check.hpp"

JOT_BEGIN_NAMESPACE

template <typename Json>
class basic_validator_builder;

namespace detail {
// Whether a check can say it is empty (std::function, the session checks): a lambda cannot.
template <typename Check, typename = void>
struct has_explicit_bool : std::false_type {};
template <typename Check>
struct has_explicit_bool<Check, std::void_t<decltype(&Check::operator bool)>> : std::true_type {};
}  // namespace detail
template <typename Json>
class basic_verifier_builder;

// A claim policy, made by its builder and immutable; see the top of this file. Most code uses
// jot::validator.
template <typename Json>
class basic_validator {
  static_assert(is_basic_json_v<Json>, "Json must be an nlohmann::basic_json specialisation");

 public:
  // jot::validator::builder{} makes one; json_type is the JSON type of the tokens it checks.
  using builder = basic_validator_builder<Json>;
  using json_type = Json;

  // Checks a header and claim set whose signature already holds: the claim steps of the verifier's
  // check order ("the check order" in verifier.hpp), then the checks added with
  // expect_that(). Returns the first failure's errc; never throws.
  result<void> check(const Json& header, const Json& claims) const noexcept {
    if (!header.is_object() || !claims.is_object()) return errc::invalid_argument;
    JOT_TRY {
      // The checks read a verifier's claim set (claim_set.hpp); this one holds copies.
      auto set = std::make_shared<detail::claim_set<Json>>(claims);
      set->header().take_parsed(header);
      return detail::check_policy(*policy_, detail::claims_access::make<Json>(std::move(set)));
    }
    JOT_CATCH_ALL { return detail::errc_of_current_exception(); }
  }

  // The `typ` check alone, which a verifier runs on the header before the signature: a token of
  // another kind (an access token presented as a refresh token) is type_mismatch whichever key
  // signed it. Deciding on the unauthenticated header here can only reject, never accept.
  result<void> check_type(const Json& header) const noexcept {
    JOT_TRY { return detail::check_type(*policy_, detail::header_type(header)); }
    JOT_CATCH_ALL { return detail::errc_of_current_exception(); }
  }

  // Limits applied before the payload is parsed (the verifier reads them first).
  std::size_t max_token_size() const noexcept { return policy_->max_token_size; }
  std::size_t max_json_depth() const noexcept { return policy_->max_json_depth; }
  // Extension names the application processes itself, so a token may list them in `crit`.
  const std::vector<std::string>& allowed_critical_headers() const noexcept {
    return policy_->allowed_critical_headers;
  }

 private:
  // The check_type() of a verifier, which has read the header's `typ` already.
  result<void> check_header_type(std::optional<std::string_view> type) const noexcept {
    return detail::check_type(*policy_, type);
  }
  // check() for a verifier, which ran check_type() on the header before the signature.
  result<void> check_after_type(const basic_claims<Json>& claims) const noexcept {
    JOT_TRY { return detail::check_policy(*policy_, claims, /*type_checked=*/true); }
    JOT_CATCH_ALL { return detail::errc_of_current_exception(); }
  }

  friend class basic_validator_builder<Json>;
  friend class basic_verifier_builder<Json>;
  friend class basic_verifier<Json>;
  using policy_type = detail::validation_policy<Json>;

  // The strict defaults: what a verifier_builder uses when given no validator.
  basic_validator() : policy_(std::make_shared<const policy_type>()) {}
  explicit basic_validator(std::shared_ptr<const policy_type> policy)
      : policy_(std::move(policy)) {}

  std::shared_ptr<const policy_type> policy_;
};

// Collects a claim policy and checks it in build(); see the top of this file. Reached as
// jot::validator::builder.
template <typename Json>
class basic_validator_builder {
  static_assert(is_basic_json_v<Json>, "Json must be an nlohmann::basic_json specialisation");

 public:
  // The most that allow_clock_skew(), allow_token_size() and allow_json_depth() accept.
  static constexpr std::chrono::seconds max_clock_skew{600};
  static constexpr std::size_t max_token_size_limit = 16 * 1024 * 1024;
  static constexpr std::size_t max_json_depth_limit = 256;

  // Requirements.
  // The token's `iss` must be exactly `issuer`: missing_claim without one, issuer_mismatch for
  // another.
  basic_validator_builder& expect_issuer(std::string issuer) {
    policy_.issuer = std::move(issuer);
    return *this;
  }
  // May be called several times: the token must name at least one of the audiences.
  basic_validator_builder& expect_audience(std::string audience) {
    policy_.audiences.push_back(std::move(audience));
    return *this;
  }
  // The token's `sub` must be exactly `subject`: missing_claim without one, subject_mismatch for
  // another.
  basic_validator_builder& expect_subject(std::string subject) {
    policy_.subject = std::move(subject);
    return *this;
  }
  // The `typ` header, e.g. "at+jwt" (RFC 9068 §4); compared case-insensitively, "application/"
  // optional (RFC 7515 §4.1.9).
  basic_validator_builder& expect_type(std::string type) {
    policy_.type = std::move(type);
    return *this;
  }
  // The claim must be present and equal to `value` (e.g. expect_claim("type", "access")).
  basic_validator_builder& expect_claim(std::string name, Json value) {
    policy_.expected_claims.emplace_back(std::move(name), std::move(value));
    return *this;
  }
  // The claim must be present and `check` must return true (a throwing check fails).
  basic_validator_builder& expect_claim_that(std::string name,
                                             std::function<bool(const Json&)> check) {
    if (!check) return fail();
    policy_.claim_predicates.emplace_back(std::move(name), std::move(check));
    return *this;
  }
  // The claim must be present, whatever its value.
  basic_validator_builder& expect_claim(std::string name) {
    policy_.required_claims.push_back(std::move(name));
    return *this;
  }
  // Reject tokens whose `iat` is `age` or more in the past, and tokens without `iat`.
  basic_validator_builder& expect_max_age(std::chrono::seconds age) {
    // Larger than the NumericDate range could overflow iat + max_age.
    if (age <= std::chrono::seconds::zero() || age.count() > max_numeric_date) return fail();
    policy_.max_age = age;
    return *this;
  }

  // The extension point: `check` runs after the signature and every claim check above has passed
  // (the last step of the verifier's check order, verifier.hpp), in the order the checks were
  // added, and the first failure is the token's rejection. It sees the header, the claims and the
  // validator's clock. Fail closed: a check that throws rejects the token (std::bad_alloc as
  // out_of_memory, anything else as claim_mismatch); a check that consults a store returns
  // store_unavailable when the store cannot answer. The session layer installs its revocation,
  // token-version and active-session checks here (jot/session/session_checks.hpp).
  // A check that tests false (an empty std::function, a session check without its store) makes
  // build() fail with invalid_argument: a missing check is a configuration error, found at
  // start-up.
  template <typename Check>
  basic_validator_builder& expect_that(Check check) {
    if constexpr (detail::has_explicit_bool<Check>::value) {
      if (!static_cast<bool>(check)) return fail();
    }
    policy_.checks.emplace_back(std::move(check));
    return *this;
  }

  // A smaller token size cap than default_max_token_size: 1 byte up to the default.
  basic_validator_builder& expect_max_token_size(std::size_t bytes) {
    if (bytes == 0 || bytes > default_max_token_size) return fail();
    policy_.max_token_size = bytes;
    return *this;
  }
  // A shallower JSON nesting cap than default_max_json_depth: 1 up to the default.
  basic_validator_builder& expect_max_json_depth(std::size_t depth) {
    if (depth == 0 || depth > default_max_json_depth) return fail();
    policy_.max_json_depth = depth;
    return *this;
  }

  // Relaxations.
  // Clock skew tolerated for exp, nbf and iat (RFC 7519 §4.1.4 "some small leeway"): 0 to 600 s.
  basic_validator_builder& allow_clock_skew(std::chrono::seconds skew) {
    if (skew < std::chrono::seconds::zero() || skew > max_clock_skew) return fail();
    policy_.clock_skew = skew;
    return *this;
  }
  // The time source instead of system_clock (tests, replaying an incident). A wrong clock makes
  // expired tokens valid. Must be safe to call from many threads.
  basic_validator_builder& allow_custom_clock(
      std::function<std::chrono::system_clock::time_point()> now) {
    if (!now) return fail();
    policy_.clock = std::move(now);
    return *this;
  }
  // A larger token size cap than default_max_token_size (8 KiB), checked before any byte is read:
  // up to 16 MiB. A smaller cap is a requirement, expect_max_token_size().
  basic_validator_builder& allow_token_size(std::size_t bytes) {
    if (bytes < default_max_token_size || bytes > max_token_size_limit) return fail();
    policy_.max_token_size = bytes;
    return *this;
  }
  // A deeper JSON nesting cap of header and claims than default_max_json_depth (32; the object
  // itself is level 1): up to 256. A shallower one is expect_max_json_depth().
  basic_validator_builder& allow_json_depth(std::size_t depth) {
    if (depth < default_max_json_depth || depth > max_json_depth_limit) return fail();
    policy_.max_json_depth = depth;
    return *this;
  }
  // Accepts a token without `exp` (otherwise missing_claim); one that has an `exp` is still held
  // to it.
  basic_validator_builder& allow_missing_expiration() {
    policy_.require_expiration = false;
    return *this;
  }
  // Declares that the application itself processes the header extension `name`, so a token may
  // list it in `crit` (RFC 7515 §4.1.11).
  basic_validator_builder& allow_critical_header(std::string name) {
    policy_.allowed_critical_headers.push_back(std::move(name));
    return *this;
  }
  // Accepts a token whatever its `aud` says, even when it names another service.
  basic_validator_builder& ignore_audience() {
    policy_.ignore_audience = true;
    return *this;
  }
  // Accepts a token whatever its `typ` says; without this, a token with an unexpected `typ` (an
  // access or refresh token where a plain JWT is expected) is type_mismatch.
  basic_validator_builder& ignore_type() {
    policy_.ignore_type = true;
    return *this;
  }

  // The policy, or errc::invalid_argument for an out-of-range setting or a contradiction
  // (expect_audience with ignore_audience, expect_type with ignore_type).
  result<basic_validator<Json>> build() const {
    if (invalid_) return errc::invalid_argument;
    if ((policy_.ignore_audience && !policy_.audiences.empty()) ||
        (policy_.ignore_type && policy_.type)) {
      return errc::invalid_argument;
    }
    JOT_TRY {
      return basic_validator<Json>(
          std::make_shared<const detail::validation_policy<Json>>(policy_));
    }
    JOT_CATCH_ALL { return errc::out_of_memory; }
  }

 private:
  basic_validator_builder& fail() {
    invalid_ = true;
    return *this;
  }

  detail::validation_policy<Json> policy_;
  bool invalid_ = false;
};

// The validator of nlohmann::json tokens, what its checks see, and a check added with
// expect_that().
using validator = basic_validator<nlohmann::json>;
using check_context = basic_check_context<nlohmann::json>;
using token_check = basic_token_check<nlohmann::json>;

JOT_END_NAMESPACE
