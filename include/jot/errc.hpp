#pragma once

// errc: the stable code of every rejection in jot, with its identifier and its fixed message.
// The messages never contain token bytes, claim values or key material, so they are safe to log.
// docs/errors.md lists them all (a unit test keeps it in sync).

#include "jot/config.hpp"

JOT_BEGIN_NAMESPACE

// The numeric values are stable: they may be logged, stored and compared across versions.
// New codes are appended; no value is ever reused.
enum class errc {
  // The token is not a well-formed compact JWS (failure::malformed).
  malformed_token = 1,
  token_too_large = 2,
  invalid_base64 = 3,
  invalid_json = 4,
  duplicate_member = 5,
  json_too_deep = 6,
  invalid_header = 7,
  unsupported_critical_header = 8,
  nested_token = 9,
  // The token is not authentic for any key of the verifier (failure::unauthenticated).
  algorithm_not_allowed = 20,
  key_algorithm_mismatch = 21,
  unknown_key_id = 22,
  missing_key_id = 23,
  invalid_signature = 24,
  // The token is authentic but its claims are not acceptable (failure::claims_rejected).
  token_expired = 40,
  token_not_yet_valid = 41,
  issued_in_future = 42,
  token_too_old = 43,
  issuer_mismatch = 44,
  audience_mismatch = 45,
  subject_mismatch = 46,
  type_mismatch = 47,
  missing_claim = 48,
  invalid_claim_type = 49,
  claim_mismatch = 50,
  token_revoked = 51,
  token_version_mismatch = 52,
  // The program asked for something unsafe or inconsistent (failure::misconfigured).
  weak_key = 60,
  invalid_key = 61,
  public_key_as_secret = 62,
  sensitive_claim = 63,
  reserved_claim = 64,
  missing_expiration = 65,
  invalid_argument = 66,
  duplicate_key_id = 67,
  no_keys = 68,
  key_type_mismatch = 69,
  curve_mismatch = 70,
  key_use_mismatch = 71,
  missing_algorithm = 72,
  jwk_algorithm_mismatch = 73,
  // Something jot depends on failed (failure::unavailable).
  store_unavailable = 80,
  crypto_failure = 81,
  out_of_memory = 82,
  keys_unavailable = 83,
};

// The stable identifier of a code ("token_expired"), for logs, metrics and the CLI.
constexpr const char* errc_name(errc code) noexcept {
  switch (code) {
    case errc::malformed_token:
      return "malformed_token";
    case errc::token_too_large:
      return "token_too_large";
    case errc::invalid_base64:
      return "invalid_base64";
    case errc::invalid_json:
      return "invalid_json";
    case errc::duplicate_member:
      return "duplicate_member";
    case errc::json_too_deep:
      return "json_too_deep";
    case errc::invalid_header:
      return "invalid_header";
    case errc::unsupported_critical_header:
      return "unsupported_critical_header";
    case errc::nested_token:
      return "nested_token";
    case errc::algorithm_not_allowed:
      return "algorithm_not_allowed";
    case errc::key_algorithm_mismatch:
      return "key_algorithm_mismatch";
    case errc::unknown_key_id:
      return "unknown_key_id";
    case errc::missing_key_id:
      return "missing_key_id";
    case errc::invalid_signature:
      return "invalid_signature";
    case errc::token_expired:
      return "token_expired";
    case errc::token_not_yet_valid:
      return "token_not_yet_valid";
    case errc::issued_in_future:
      return "issued_in_future";
    case errc::token_too_old:
      return "token_too_old";
    case errc::issuer_mismatch:
      return "issuer_mismatch";
    case errc::audience_mismatch:
      return "audience_mismatch";
    case errc::subject_mismatch:
      return "subject_mismatch";
    case errc::type_mismatch:
      return "type_mismatch";
    case errc::missing_claim:
      return "missing_claim";
    case errc::invalid_claim_type:
      return "invalid_claim_type";
    case errc::claim_mismatch:
      return "claim_mismatch";
    case errc::token_revoked:
      return "token_revoked";
    case errc::token_version_mismatch:
      return "token_version_mismatch";
    case errc::weak_key:
      return "weak_key";
    case errc::invalid_key:
      return "invalid_key";
    case errc::public_key_as_secret:
      return "public_key_as_secret";
    case errc::sensitive_claim:
      return "sensitive_claim";
    case errc::reserved_claim:
      return "reserved_claim";
    case errc::missing_expiration:
      return "missing_expiration";
    case errc::invalid_argument:
      return "invalid_argument";
    case errc::duplicate_key_id:
      return "duplicate_key_id";
    case errc::no_keys:
      return "no_keys";
    case errc::key_type_mismatch:
      return "key_type_mismatch";
    case errc::curve_mismatch:
      return "curve_mismatch";
    case errc::key_use_mismatch:
      return "key_use_mismatch";
    case errc::missing_algorithm:
      return "missing_algorithm";
    case errc::jwk_algorithm_mismatch:
      return "jwk_algorithm_mismatch";
    case errc::store_unavailable:
      return "store_unavailable";
    case errc::crypto_failure:
      return "crypto_failure";
    case errc::out_of_memory:
      return "out_of_memory";
    case errc::keys_unavailable:
      return "keys_unavailable";
  }
  return "unknown_error";
}

// A fixed, human-readable sentence per code. Never formatted with runtime data.
constexpr const char* errc_message(errc code) noexcept {
  switch (code) {
    case errc::malformed_token:
      return "token is not a compact JWS of three segments";
    case errc::token_too_large:
      return "token exceeds the size limit";
    case errc::invalid_base64:
      return "segment is not canonical unpadded base64url";
    case errc::invalid_json:
      return "header or payload is not a strict JSON object";
    case errc::duplicate_member:
      return "JSON object has a duplicate member name";
    case errc::json_too_deep:
      return "JSON nesting exceeds the depth limit";
    case errc::invalid_header:
      return "header member is missing or has the wrong type";
    case errc::unsupported_critical_header:
      return "header has a critical extension jot does not understand";
    case errc::nested_token:
      return "nested tokens (cty: JWT) are not processed";
    case errc::algorithm_not_allowed:
      return "token algorithm is not allowed by this verifier";
    case errc::key_algorithm_mismatch:
      return "token algorithm differs from the selected key's algorithm";
    case errc::unknown_key_id:
      return "token key id names no key of this verifier";
    case errc::missing_key_id:
      return "token has no key id but the verifier needs one to choose a key";
    case errc::invalid_signature:
      return "signature does not verify";
    case errc::token_expired:
      return "token has expired";
    case errc::token_not_yet_valid:
      return "token is not valid yet";
    case errc::issued_in_future:
      return "token was issued in the future";
    case errc::token_too_old:
      return "token was issued too long ago";
    case errc::issuer_mismatch:
      return "token issuer is not the expected one";
    case errc::audience_mismatch:
      return "token audience does not include the expected one";
    case errc::subject_mismatch:
      return "token subject is not the expected one";
    case errc::type_mismatch:
      return "token type is not the expected one";
    case errc::missing_claim:
      return "a required claim is missing";
    case errc::invalid_claim_type:
      return "a registered claim has the wrong type or range";
    case errc::claim_mismatch:
      return "a claim does not have the expected value";
    case errc::token_revoked:
      return "token has been revoked";
    case errc::token_version_mismatch:
      return "token version is no longer current";
    case errc::weak_key:
      return "key is too weak for its algorithm";
    case errc::invalid_key:
      return "key material is invalid for its algorithm";
    case errc::public_key_as_secret:
      return "a public key was given where an HMAC secret is expected";
    case errc::sensitive_claim:
      return "claim name suggests sensitive data; allow it explicitly";
    case errc::reserved_claim:
      return "claim name is registered or a header name; use its setter";
    case errc::missing_expiration:
      return "no expiry decision: call expires_in, expires_at or without_expiration";
    case errc::invalid_argument:
      return "argument is out of the allowed range";
    case errc::duplicate_key_id:
      return "two keys share one key id";
    case errc::no_keys:
      return "verifier has no keys";
    case errc::key_type_mismatch:
      return "key type does not fit the algorithm (e.g. an RSA key for ES256)";
    case errc::curve_mismatch:
      return "key curve does not fit the algorithm (e.g. a P-384 key for ES256)";
    case errc::key_use_mismatch:
      return "key's use, key_ops or alg does not allow JWS signatures";
    case errc::missing_algorithm:
      return "key does not name its algorithm and none was given";
    case errc::jwk_algorithm_mismatch:
      return "the JWK's alg contradicts the algorithm asked for";
    case errc::store_unavailable:
      return "revocation or version store is unavailable";
    case errc::crypto_failure:
      return "the cryptographic library failed";
    case errc::out_of_memory:
      return "memory allocation failed";
    case errc::keys_unavailable:
      return "the key set could not be fetched and none is cached";
  }
  return "unknown jot error";
}

JOT_END_NAMESPACE
