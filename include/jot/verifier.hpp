#pragma once

// basic_verifier<Json>: compact JWS -> basic_verified_token<Json>, or the errc that says why not.
// Built by basic_verifier_builder (verifier_builder.hpp), immutable afterwards and safe to share
// between threads. The order of the checks is the security argument, so it is written out once,
// in verify(): attacker bytes are touched as late as possible, the payload is parsed only after
// the signature holds, and the token never chooses the algorithm or the key material.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "jot/algorithm.hpp"
#include "jot/base64url.hpp"
#include "jot/claims.hpp"
#include "jot/detail/header_checks.hpp"
#include "jot/json.hpp"
#include "jot/key_set.hpp"
#include "jot/keys.hpp"
#include "jot/result.hpp"
#include "jot/verified_token.hpp"

JOT_BEGIN_NAMESPACE

template <typename Json>
class basic_verifier_builder;

namespace detail {

// Everything a verifier decides with, collected by the builder.
template <typename Json>
struct verification_policy {
  key_set keys;

  std::size_t max_token_size = 8 * 1024;
  std::size_t max_json_depth = default_max_json_depth;
  bool allow_missing_kid = false;
  std::vector<std::string> allowed_critical_headers;

  std::function<std::chrono::system_clock::time_point()> clock;
  std::chrono::seconds leeway{0};
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
};

// The algorithms a header `alg` value may stand for: one, none, or both Edwards curves for the
// polymorphic "EdDSA".
inline constexpr std::uint32_t algorithms_named(std::string_view name) noexcept {
  std::uint32_t mask = 0;
  for (algorithm alg : all_algorithms) {
    if (algorithm_accepts_name(alg, name)) mask |= algorithm_bit(alg);
  }
  return mask;
}

}  // namespace detail

template <typename Json>
class basic_verifier {
 public:
  using token_type = basic_verified_token<Json>;

  // Never throws; every rejection is a specific errc.
  result<token_type> verify(std::string_view token) const noexcept {
    JOT_TRY { return verify_unguarded(token); }
    JOT_CATCH_ALL { return detail::errc_of_current_exception(); }
  }

 private:
  friend class basic_verifier_builder<Json>;
  using policy_type = detail::verification_policy<Json>;
  using string_t = typename Json::string_t;

  explicit basic_verifier(std::shared_ptr<const policy_type> policy) : policy_(std::move(policy)) {}

  result<token_type> verify_unguarded(std::string_view token) const {
    const policy_type& policy = *policy_;
    // 1. Size first, before looking at a single byte (bounded time and memory).
    if (token.size() > policy.max_token_size) return errc::token_too_large;

    // 2. Exactly three segments (RFC 7515 §7.1): two dots, no JWE (five segments), no JSON form.
    const std::size_t first_dot = token.find('.');
    if (first_dot == std::string_view::npos) return errc::malformed_token;
    const std::size_t second_dot = token.find('.', first_dot + 1);
    if (second_dot == std::string_view::npos) return errc::malformed_token;
    if (token.find('.', second_dot + 1) != std::string_view::npos) return errc::malformed_token;
    const std::string_view signing_input = token.substr(0, second_dot);

    // 3. Strict base64url for all three segments.
    std::string header_bytes, payload_bytes, signature;
    if (!detail::base64url_decode_append(token.substr(0, first_dot), header_bytes) ||
        !detail::base64url_decode_append(token.substr(first_dot + 1, second_dot - first_dot - 1),
                                         payload_bytes) ||
        !detail::base64url_decode_append(token.substr(second_dot + 1), signature)) {
      return errc::invalid_base64;
    }

    // 4. The header: strict JSON, then the members that change how a JWS must be processed.
    auto header = parse_json_object<Json>(header_bytes, policy.max_json_depth);
    if (!header) return header.error();
    auto header_fields = detail::read_header(*header, policy.allowed_critical_headers);
    if (!header_fields) return header_fields.error();
    const auto& fields = *header_fields;

    // 5. The algorithm must be one this verifier holds a key for; `none` never is.
    const std::uint32_t named = detail::algorithms_named(fields.alg);
    if ((named & policy.keys.algorithms()) == 0) return errc::algorithm_not_allowed;

    // 6. Choose the key by kid, then require the token's alg to name exactly the key's.
    if (fields.kid || policy.keys.size() == 1 || !policy.allow_missing_kid) {
      auto key = select_key(fields.kid);
      if (!key) return key.error();
      if ((named & detail::algorithm_bit((*key)->alg())) == 0) {
        return errc::key_algorithm_mismatch;
      }
      if (auto verified = (*key)->implementation().verify(signing_input, signature); !verified) {
        return verified.error();
      }
      return check_claims(**key, std::move(*header), payload_bytes);
    }
    // No kid, several keys, and the application allowed it: try the keys of this algorithm.
    // A key that could not check the signature (crypto_failure, or a custom verifier's error)
    // is not a "no": if no key says yes, that error is the outcome, since a retry may succeed.
    std::error_code outcome = errc::invalid_signature;
    for (const verification_key& key : policy.keys.keys()) {
      if ((named & detail::algorithm_bit(key.alg())) == 0) continue;
      const auto verified = key.implementation().verify(signing_input, signature);
      if (verified) return check_claims(key, std::move(*header), payload_bytes);
      if (verified.error() != errc::invalid_signature) outcome = verified.error();
    }
    return outcome;
  }

  result<const verification_key*> select_key(const std::optional<std::string_view>& kid) const {
    const key_set& keys = policy_->keys;
    if (kid) {
      if (const verification_key* key = keys.find(*kid)) return key;
      // A single key published without a kid accepts any kid; otherwise an unknown kid is an
      // error, never a fallback to some other key.
      if (keys.size() == 1 && !keys.keys().front().key_id()) return &keys.keys().front();
      return errc::unknown_key_id;
    }
    if (keys.size() == 1) return &keys.keys().front();
    return errc::missing_key_id;
  }

  // Steps after the signature holds: parse the payload, then the claim policy (RFC 7519 §7.2).
  result<token_type> check_claims(const verification_key& key, Json header,
                                  std::string_view payload_bytes) const {
    const policy_type& policy = *policy_;
    auto payload = parse_json_object<Json>(payload_bytes, policy.max_json_depth);
    if (!payload) return payload.error();
    const Json& claims = *payload;
    if (auto types = detail::check_registered_claim_types(claims); !types) return types.error();

    using namespace std::chrono;
    const auto clock_now = policy.clock ? policy.clock() : system_clock::now();
    const std::int64_t now = duration_cast<seconds>(clock_now.time_since_epoch()).count();
    const std::int64_t leeway = policy.leeway.count();

    // exp: the token is expired when now >= exp (RFC 7519 §4.1.4), with leeway for clock skew.
    if (const auto it = claims.find("exp"); it != claims.end()) {
      if (now - leeway >= *detail::numeric_date_seconds(*it, detail::rounding::down)) {
        return errc::token_expired;
      }
    } else if (policy.require_expiration) {
      return errc::missing_claim;
    }
    if (const auto it = claims.find("nbf"); it != claims.end()) {
      if (now + leeway < *detail::numeric_date_seconds(*it, detail::rounding::up)) {
        return errc::token_not_yet_valid;
      }
    }
    const auto iat = claims.find("iat");
    if (iat != claims.end()) {
      const std::int64_t issued = *detail::numeric_date_seconds(*iat, detail::rounding::up);
      if (issued > now + leeway) return errc::issued_in_future;
      if (policy.max_age && now - leeway >= issued + policy.max_age->count()) {
        return errc::token_too_old;
      }
    } else if (policy.max_age) {
      return errc::missing_claim;
    }

    if (policy.issuer) {
      const auto it = claims.find("iss");
      if (it == claims.end()) return errc::missing_claim;
      if (it->template get_ref<const string_t&>() != *policy.issuer) return errc::issuer_mismatch;
    }
    if (auto audience = check_audience(claims); !audience) return audience.error();
    if (policy.subject) {
      const auto it = claims.find("sub");
      if (it == claims.end()) return errc::missing_claim;
      if (it->template get_ref<const string_t&>() != *policy.subject) return errc::subject_mismatch;
    }
    if (!detail::type_accepted(detail::header_type(header), policy.type, policy.ignore_type)) {
      return errc::type_mismatch;
    }
    for (const auto& name : policy.required_claims) {
      if (!claims.contains(name)) return errc::missing_claim;
    }
    for (const auto& [name, expected] : policy.expected_claims) {
      const auto it = claims.find(name);
      if (it == claims.end()) return errc::missing_claim;
      if (*it != expected) return errc::claim_mismatch;
    }
    for (const auto& [name, predicate] : policy.claim_predicates) {
      const auto it = claims.find(name);
      if (it == claims.end()) return errc::missing_claim;
      bool accepted = false;
      JOT_TRY { accepted = predicate(*it); }
      JOT_CATCH_ALL { accepted = false; }  // a throwing check is a failed check
      if (!accepted) return errc::claim_mismatch;
    }
    return token_type(key.alg(), key.key_id(), std::move(header),
                      basic_claims<Json>(std::move(*payload)));
  }

  // aud (RFC 7519 §4.1.3): any-of. A token that names an audience is rejected by a verifier that
  // expects none, unless the application said ignore_audience(): the token was meant for someone.
  result<void> check_audience(const Json& claims) const {
    const policy_type& policy = *policy_;
    const auto it = claims.find("aud");
    if (policy.audiences.empty()) {
      if (it != claims.end() && !policy.ignore_audience) return errc::audience_mismatch;
      return {};
    }
    if (it == claims.end()) return errc::missing_claim;
    const auto matches = [&policy](const Json& value) {
      const auto& text = value.template get_ref<const string_t&>();
      for (const auto& expected : policy.audiences) {
        if (text == expected) return true;
      }
      return false;
    };
    if (it->is_string()) {
      if (matches(*it)) return {};
    } else {
      for (const auto& value : *it) {
        if (matches(value)) return {};
      }
    }
    return errc::audience_mismatch;
  }

  std::shared_ptr<const policy_type> policy_;
};

using verifier = basic_verifier<nlohmann::json>;

JOT_END_NAMESPACE
