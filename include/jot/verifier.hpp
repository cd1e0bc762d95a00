#pragma once

// basic_verifier<Json>: compact JWS -> basic_verified_token<Json>, or the errc that says why not.
// A verifier is a key set (the allowlist: each key admits exactly its own algorithm) plus a
// validator (the claim policy, validator.hpp). Built by jot::verifier::builder
// (verifier_builder.hpp), immutable afterwards, cheap to copy and safe to share between threads.
//
// The check order. It is the security argument, so it is written out once, here; verify() follows
// it step by step, and the rest of jot and its documentation refer to it by this name. Attacker
// bytes are touched as late as possible, the payload is parsed only after the signature holds, and
// the token never chooses the algorithm or the key material. The first failing step is the
// rejection.
//  - size: at most the validator's cap (default_max_token_size, 8 KiB), before any byte is read;
//  - segments: exactly three, two dots (RFC 7515 §7.1; no JSON serialization; five segments, a
//    JWE, is errc::encrypted_token);
//  - base64url: strict, canonical, unpadded, for all three segments;
//  - header: strict JSON; `crit` names only extensions the validator allows, no `b64: false`, no
//    JWE or nested-token header; then `typ` (RFC 8725 §3.11), so a token of another kind is
//    type_mismatch whichever key signed it;
//  - algorithm: one jot implements (never `none`), then one a key of this verifier holds;
//  - key: by `kid` (an unknown kid is an error, never a fallback; with several keys a kid is
//    required unless allow_missing_kid), and the token's `alg` names exactly the key's algorithm;
//  - signature: over the original bytes;
//  - claims: the payload as strict JSON, registered claim types (RFC 7519 §4.1), `exp` (required
//    unless allowed missing; now >= exp is expired), `nbf`, `iat` not in the future, max age,
//    `iss`, `aud` (any-of; present with no expectation is audience_not_expected unless ignored),
//    `sub`, then expected claims and claim predicates, in that order (validator.hpp);
//  - token checks: the validator's expect_that() checks, in the order added; the session layer's
//    revocation, token-version and active-session checks are among them (token_check.hpp).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "jot/algorithm.hpp"
#include "jot/base64url.hpp"
#include "jot/claims.hpp"
#include "jot/detail/compact.hpp"
#include "jot/detail/header_checks.hpp"
#include "jot/json.hpp"
#include "jot/key_set.hpp"
#include "jot/keys.hpp"
#include "jot/result.hpp"
#include "jot/validator.hpp"
#include "jot/verified_token.hpp"
#include "jot/verifier_builder.hpp"

JOT_BEGIN_NAMESPACE

// Verifies tokens with its keys and its validator, in the check order (the top of this file).
// Most code uses jot::verifier.
template <typename Json>
class basic_verifier {
  static_assert(is_basic_json_v<Json>, "Json must be an nlohmann::basic_json specialisation");

 public:
  // jot::verifier::builder{} makes one (verifier_builder.hpp); what verify() returns, and the
  // validator it applies.
  using builder = basic_verifier_builder<Json>;
  using token_type = basic_verified_token<Json>;
  using validator_type = basic_validator<Json>;

  // Never throws; every rejection is a specific errc.
  result<token_type> verify(std::string_view token) const noexcept {
    JOT_TRY { return verify_unguarded(token); }
    JOT_CATCH_ALL { return detail::errc_of_current_exception(); }
  }

  // The keys it accepts, and the claim policy it applies, as built.
  const key_set& keys() const noexcept { return state_->keys; }
  const validator_type& validator() const noexcept { return state_->validator; }

 private:
  friend class basic_verifier_builder<Json>;
  struct state {
    key_set keys;
    validator_type validator;
    bool allow_missing_kid = false;
  };

  explicit basic_verifier(std::shared_ptr<const state> s) : state_(std::move(s)) {}

  result<token_type> verify_unguarded(std::string_view token) const {
    const key_set& keys = state_->keys;
    const validator_type& validator = state_->validator;
    // size: before looking at a single byte (bounded time and memory).
    if (token.size() > validator.max_token_size()) return errc::token_too_large;

    // segments: two dots, no JSON form; a JWE (five segments) has its own code, so a service
    //    that receives an encrypted token where it expects a signed one says so.
    const auto segments = detail::split_compact(token);
    if (!segments) {
      return detail::is_compact_jwe(token) ? errc::encrypted_token : errc::malformed_token;
    }

    // base64url: all three segments, decoded one after the other into one buffer, the claim
    //    set's (claim_set.hpp), which the header and claims are then read from in place
    //    (decoding shrinks, so the token's size is enough and the views below stay valid).
    auto set = std::make_shared<detail::claim_set<Json>>(
        typename detail::claim_set<Json>::verified_form());
    std::string& decoded = set->bytes();
    decoded.reserve(token.size());
    std::size_t ends[3] = {};
    const std::string_view encoded[3] = {segments->header, segments->payload, segments->signature};
    for (std::size_t i = 0; i < 3; ++i) {
      if (!detail::base64url_decode_append(encoded[i], decoded)) return errc::invalid_base64;
      ends[i] = decoded.size();
    }
    const std::string_view all(decoded);
    const std::string_view header_bytes = all.substr(0, ends[0]);
    const std::string_view payload_bytes = all.substr(ends[0], ends[1] - ends[0]);
    const std::string_view signature = all.substr(ends[1]);

    // header: strict JSON, then the members that change how a JWS must be processed, then its
    //    `typ`.
    if (auto read = read_object(header_bytes, set->header()); !read) return read.error();
    auto header_fields = detail::read_header(set->header(), validator.allowed_critical_headers());
    if (!header_fields) return header_fields.error();
    const auto& fields = *header_fields;
    if (auto type = validator.check_header_type(fields.typ); !type) return type.error();

    // algorithm: one jot implements (`none` never is), then one this verifier
    //    holds a key for. A kid it does not hold is unknown_key_id before the second test, so
    //    that a JWKS cache refetches when the issuer rotates to a key of a new algorithm.
    //    `named` holds only algorithms of the key set: the others cannot verify anything.
    const std::uint32_t named = detail::algorithms_named(fields.alg, keys.algorithms());
    if (named == 0 && detail::algorithms_named(fields.alg) == 0) {
      return errc::algorithm_not_allowed;
    }
    const bool by_kid = fields.kid && keys.has_key_ids();
    if (by_kid && !keys.find(*fields.kid)) return errc::unknown_key_id;
    if (named == 0) return errc::algorithm_not_allowed;

    // key, then signature: choose the key by kid, then require the token's alg to name exactly
    //    the key's.
    const std::string_view signing_input = segments->signing_input;
    if (by_kid || keys.size() == 1 || !state_->allow_missing_kid) {
      auto key = select_key(by_kid ? fields.kid : std::nullopt, named);
      if (!key) return key.error();
      if ((named & detail::algorithm_bit((*key)->alg())) == 0) {
        return errc::key_algorithm_mismatch;
      }
      if (auto verified = (*key)->implementation().verify(signing_input, signature); !verified) {
        return verified.error();
      }
      return check_claims(**key, std::move(set), payload_bytes);
    }
    // No kid, several keys, and the application allowed it: try the keys of this algorithm.
    // A key that could not check the signature (crypto_failure, or a custom verifier's error)
    // is not a "no": if no key says yes, that error is the outcome, since a retry may succeed.
    std::error_code outcome = errc::invalid_signature;
    for (const verification_key& key : keys.keys()) {
      if ((named & detail::algorithm_bit(key.alg())) == 0) continue;
      const auto verified = key.implementation().verify(signing_input, signature);
      if (verified) return check_claims(key, std::move(set), payload_bytes);
      if (verified.error() != errc::invalid_signature) outcome = verified.error();
    }
    return outcome;
  }

  // The key for the token. With a kid: among keys published under it for several algorithms,
  // the one the token's `alg` names (the caller still checks that the alg fits the key); an
  // unknown kid is an error, never a fallback to some other key. Without one (or when no key
  // has a kid, so a token's kid names nothing), the only key.
  result<const verification_key*> select_key(const std::optional<std::string_view>& kid,
                                             std::uint32_t named) const {
    const key_set& keys = state_->keys;
    if (kid) {
      if (const verification_key* key = keys.find(*kid, named)) return key;
      if (const verification_key* key = keys.find(*kid)) return key;
      return errc::unknown_key_id;
    }
    if (keys.size() == 1) return &keys.keys().front();
    return errc::missing_key_id;
  }

  // Strict JSON (json.hpp): scanned in place when the scan takes the text, which it does for
  // exactly the texts the fast path reads, otherwise parsed; the verdict is parse_json_object's.
  result<void> read_object(std::string_view text, detail::lazy_object<Json>& object) const {
    const std::size_t max_depth = state_->validator.max_json_depth();
    if (object.scan(text, max_depth)) return {};
    auto parsed = parse_json_object<Json>(text, max_depth);
    if (!parsed) return parsed.error();
    object.take_parsed(std::move(*parsed));
    return {};
  }

  // claims and token checks, after the signature holds: read the payload, then the validator.
  result<token_type> check_claims(const verification_key& key,
                                  std::shared_ptr<detail::claim_set<Json>> set,
                                  std::string_view payload_bytes) const {
    if (auto read = read_object(payload_bytes, set->payload()); !read) return read.error();
    auto claims = detail::claims_access::make<Json>(std::move(set));
    if (auto checked = state_->validator.check_after_type(claims); !checked) {
      return checked.error();
    }
    return token_type(key.alg(), key.key_id(), std::move(claims));
  }

  std::shared_ptr<const state> state_;
};

// The verifier of nlohmann::json tokens.
using verifier = basic_verifier<nlohmann::json>;

JOT_END_NAMESPACE
