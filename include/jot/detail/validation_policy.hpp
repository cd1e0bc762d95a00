#pragma once

// The claim policy a validator holds, and the checks that apply it to a header and claim set
// whose signature already holds (RFC 7519 §7.2 step 10 onwards, RFC 8725 §3). The order here is
// the order of basic_validator::check; the public contract is documented in validator.hpp.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "jot/claims.hpp"
#include "jot/detail/compact.hpp"
#include "jot/detail/header_checks.hpp"
#include "jot/json.hpp"
#include "jot/result.hpp"
#include "jot/token_check.hpp"

JOT_BEGIN_NAMESPACE
namespace detail {

template <typename Json>
struct validation_policy {
  std::size_t max_token_size = default_max_token_size;
  std::size_t max_json_depth = default_max_json_depth;
  std::vector<std::string> allowed_critical_headers;

  std::function<std::chrono::system_clock::time_point()> clock;
  std::chrono::seconds clock_skew{0};
  std::optional<std::chrono::seconds> max_age;
  bool require_expiration = true;

  std::optional<std::string> issuer;
  std::vector<std::string> audiences;
  bool ignore_audience = false;
  std::optional<std::string> subject;
  std::optional<std::string> type;
  bool ignore_type = false;
  std::vector<std::string> required_claims;
  std::vector<std::pair<std::string, Json>> expected_claims;
  std::vector<std::pair<std::string, std::function<bool(const Json&)>>> claim_predicates;

  // expect_that(): run after every other check has passed, in this order.
  std::vector<basic_token_check<Json>> checks;
};

template <typename Json>
sys_seconds now_of(const validation_policy<Json>& policy) {
  using namespace std::chrono;
  return time_point_cast<seconds>(policy.clock ? policy.clock() : system_clock::now());
}

// Time claims (RFC 7519 §4.1.4-4.1.6). A fractional NumericDate is rounded toward the stricter
// verdict separately for each comparison, so rounding never extends a token's validity.
template <typename Json>
result<void> check_times(const validation_policy<Json>& policy, const claim_members<Json>& claims,
                         sys_seconds at) {
  const std::int64_t now = at.time_since_epoch().count();
  const std::int64_t skew = policy.clock_skew.count();

  // exp: expired when now >= exp; exp rounded down.
  if (claims.exp) {
    if (now - skew >= *claims.exp.date(rounding::down)) {
      return errc::token_expired;
    }
  } else if (policy.require_expiration) {
    return error_info(errc::missing_claim, "exp");
  }
  // nbf: not yet valid when now < nbf; nbf rounded up.
  if (claims.nbf && now + skew < *claims.nbf.date(rounding::up)) {
    return errc::token_not_yet_valid;
  }
  const member_ref<Json>& iat = claims.iat;
  if (!iat) {
    if (policy.max_age) return error_info(errc::missing_claim, "iat");
    return {};
  }
  // iat in the future: iat rounded up. Too old: iat rounded down (a token 10.8 s old is older
  // than 10 s).
  if (*iat.date(rounding::up) > now + skew) return errc::issued_in_future;
  if (policy.max_age && now - skew >= *iat.date(rounding::down) + policy.max_age->count()) {
    return errc::token_too_old;
  }
  return {};
}

// aud (RFC 7519 §4.1.3): any-of. A token that names an audience is rejected by a policy that
// expects none, unless the application said ignore_audience(): the token was meant for someone.
// That rejection is audience_not_expected, apart from audience_mismatch, because the fix is on
// the verifying side: expect the audience this service is (or ignore audiences).
template <typename Json>
result<void> check_audience(const validation_policy<Json>& policy,
                            const claim_members<Json>& claims) {
  const member_ref<Json>& aud = claims.aud;
  if (policy.audiences.empty()) {
    if (aud && !policy.ignore_audience) return errc::audience_not_expected;
    return {};
  }
  if (!aud) return error_info(errc::missing_claim, "aud");
  bool matched = false;
  const auto match = [&policy, &matched](const member_ref<Json>& value) {
    const std::string_view text = value.string();
    for (const auto& expected : policy.audiences) matched = matched || text == expected;
  };
  if (aud.is_string()) {
    match(aud);
  } else {
    aud.for_each_item(match);
  }
  if (matched) return {};
  return errc::audience_mismatch;
}

template <typename Json>
result<void> check_string_claim(const member_ref<Json>& claim, std::string_view name,
                                const std::optional<std::string>& expected, errc mismatch) {
  if (!expected) return {};
  if (!claim) return error_info(errc::missing_claim, name);
  if (claim.string() != *expected) return mismatch;
  return {};
}

// Whether the claim equals `expected` as Json values compare (nlohmann's operator==: strings by
// their text, numbers by value whatever their type). Scalars are compared in place; a string or
// a container is made into its Json value only when the other side is a container.
template <typename Json>
bool claim_equals(const lazy_object<Json>& claims, std::string_view name,
                  const member_ref<Json>& claim, const Json& expected) {
  const bool structured = claim.type() == Json::value_t::object || claim.is_array();
  if (structured || expected.is_structured()) return *claims.find(name) == expected;
  if (claim.is_string() || expected.is_string()) {
    return claim.is_string() && expected.is_string() &&
           claim.string() == expected.template get_ref<const typename Json::string_t&>();
  }
  return claim.scalar() == expected;
}

// Expected claims compare in place (claim_equals); a predicate sees a Json value: made once for
// a string or a container, on the stack for another scalar.
template <typename Json>
result<void> check_custom_claims(const validation_policy<Json>& policy,
                                 const lazy_object<Json>& claims) {
  // The names are the policy's own (never read from the token), so the error may carry them.
  for (const auto& name : policy.required_claims) {
    if (!claims.contains(name)) return error_info(errc::missing_claim, name);
  }
  for (const auto& [name, expected] : policy.expected_claims) {
    const auto claim = claims.member(name);
    if (!claim) return error_info(errc::missing_claim, name);
    if (!claim_equals(claims, name, claim, expected)) return error_info(errc::claim_mismatch, name);
  }
  for (const auto& [name, predicate] : policy.claim_predicates) {
    const auto claim = claims.member(name);
    if (!claim) return error_info(errc::missing_claim, name);
    const auto type = claim.type();
    const bool made = type == Json::value_t::string || type == Json::value_t::object ||
                      type == Json::value_t::array;
    const Json scalar = made ? Json() : claim.scalar();
    bool accepted = false;
    JOT_TRY { accepted = predicate(made ? *claims.find(name) : scalar); }
    JOT_CATCH_ALL { accepted = false; }  // a throwing check is a failed check
    if (!accepted) return error_info(errc::claim_mismatch, name);
  }
  return {};
}

// `typ` (RFC 8725 §3.11), the header's value or none: see type_accepted.
template <typename Json>
result<void> check_type(const validation_policy<Json>& policy,
                        std::optional<std::string_view> type) noexcept {
  if (!type_accepted(type, policy.type, policy.ignore_type)) return errc::type_mismatch;
  return {};
}

// The checks added with expect_that(), in order. A check that throws rejects the token: it
// could not say yes (fail closed).
template <typename Json>
result<void> run_token_checks(const validation_policy<Json>& policy,
                              const basic_claims<Json>& claims, sys_seconds now) {
  if (policy.checks.empty()) return {};
  const basic_check_context<Json> context(claims, now);
  for (const auto& check : policy.checks) {
    result<void> outcome = errc::claim_mismatch;
    JOT_TRY { outcome = check(context); }
    JOT_CATCH_ALL { outcome = errc_of_current_exception(errc::claim_mismatch); }
    if (!outcome) return outcome;
  }
  return {};
}

// The claim steps on a verifier's claim set (claim_set.hpp: the header and payload in place).
// `type_checked`: the caller has run check_type on this header already (a verifier does so
// before the signature), so it is not run twice on the hot path.
template <typename Json>
result<void> check_policy(const validation_policy<Json>& policy, const basic_claims<Json>& claims,
                          bool type_checked = false) {
  const claim_set<Json>& set = *claims_access::set(claims);
  const lazy_object<Json>& payload = set.payload();
  const claim_members<Json> members(
      [&payload](std::string_view name) { return payload.member(name); });
  if (auto types = check_registered_claim_types(members); !types) return types;
  // One reading of the clock for the time claims and the checks alike.
  const sys_seconds now = now_of(policy);
  if (auto times = check_times(policy, members, now); !times) return times;
  if (auto r = check_string_claim(members.iss, "iss", policy.issuer, errc::issuer_mismatch); !r) {
    return r;
  }
  if (auto audience = check_audience(policy, members); !audience) return audience;
  if (auto r = check_string_claim(members.sub, "sub", policy.subject, errc::subject_mismatch); !r) {
    return r;
  }
  if (!type_checked) {
    if (auto type = check_type(policy, header_type(set.header())); !type) return type;
  }
  if (auto custom = check_custom_claims(policy, payload); !custom) return custom;
  return run_token_checks(policy, claims, now);
}

}  // namespace detail
JOT_END_NAMESPACE
