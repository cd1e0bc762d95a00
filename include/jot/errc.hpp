#pragma once

// errc: the stable code of every rejection in jot, with its identifier and its fixed message.
// The messages never contain token bytes, claim values or key material, so they are safe to log.
// docs/errors.md lists them all (a unit test keeps it in sync).

#include "jot/config.hpp"

JOT_BEGIN_NAMESPACE

// The numeric values are stable: they may be logged, stored and compared across versions.
// Each failure group owns a range of values in every block of 100 (failure_of, error.hpp):
// malformed 1-19, unauthenticated 20-39, claims_rejected 40-59, misconfigured 60-79, unavailable
// 80-89, forbidden 90-99; then 101-119, 120-139 and so on for the same groups. A new code takes
// the next unused value of its group's range, in the first block with room (appended to the
// group, not renumbering the codes after it); no value is ever changed or reused.
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
  malformed_credentials = 10,
  malformed_cookie = 11,
  malformed_dpop_proof = 12,
  dpop_proof_too_large = 13,
  multiple_dpop_proofs = 14,
  dpop_type_mismatch = 15,
  invalid_dpop_claim = 16,
  encrypted_token = 17,
  unencrypted_token = 18,
  malformed_jwe = 19,
  compressed_token = 101,
  invalid_jwe_segment = 102,
  missing_nested_token = 103,
  // The token is not authentic for any key of the verifier (failure::unauthenticated).
  algorithm_not_allowed = 20,
  key_algorithm_mismatch = 21,
  unknown_key_id = 22,
  missing_key_id = 23,
  invalid_signature = 24,
  missing_credentials = 25,
  unsupported_auth_scheme = 26,
  missing_dpop_proof = 27,
  dpop_algorithm_not_allowed = 28,
  invalid_dpop_key = 29,
  dpop_private_key = 30,
  invalid_dpop_signature = 31,
  dpop_proof_replayed = 32,
  dpop_ath_mismatch = 33,
  dpop_nonce_required = 34,
  dpop_nonce_invalid = 35,
  dpop_key_mismatch = 36,
  decryption_failed = 37,
  encryption_not_allowed = 38,
  invalid_ephemeral_key = 120,
  dpop_proof_required = 130,
  dpop_session_key_mismatch = 131,
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
  refresh_token_reused = 53,
  session_expired = 54,
  audience_not_expected = 55,
  dpop_method_mismatch = 56,
  dpop_uri_mismatch = 57,
  dpop_proof_too_old = 58,
  dpop_proof_in_future = 59,
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
  symmetric_key_in_jwks = 74,
  content_key_size_mismatch = 75,
  key_not_for_encryption = 76,
  // Something jot depends on failed (failure::unavailable).
  store_unavailable = 80,
  crypto_failure = 81,
  out_of_memory = 82,
  keys_unavailable = 83,
  store_full = 84,
  store_evicts = 85,
  token_unavailable = 86,
  // The request is authentic but may not do this (failure::forbidden).
  insufficient_scope = 90,
  cross_site_request = 91,
};

namespace detail {
// One row per code: its identifier and its fixed sentence (never formatted with runtime data).
struct errc_description {
  errc code;
  const char* name;
  const char* message;
};

inline constexpr errc_description errc_descriptions[] = {
    {errc::malformed_token, "malformed_token", "token is not a compact JWS of three segments"},
    {errc::token_too_large, "token_too_large", "token exceeds the size limit"},
    {errc::invalid_base64, "invalid_base64", "segment is not canonical unpadded base64url"},
    {errc::invalid_json, "invalid_json", "header or payload is not a strict JSON object"},
    {errc::duplicate_member, "duplicate_member", "JSON object has a duplicate member name"},
    {errc::json_too_deep, "json_too_deep", "JSON nesting exceeds the depth limit"},
    {errc::invalid_header, "invalid_header", "header member is missing or has the wrong type"},
    {errc::unsupported_critical_header, "unsupported_critical_header",
     "header has a critical extension jot does not understand"},
    {errc::nested_token, "nested_token", "nested tokens (cty: JWT) are not processed"},
    {errc::malformed_credentials, "malformed_credentials",
     "Authorization header is not the Bearer scheme followed by one token, or comes twice"},
    {errc::malformed_cookie, "malformed_cookie",
     "cookie is malformed or the Cookie header names it more than once"},
    {errc::malformed_dpop_proof, "malformed_dpop_proof",
     "DPoP proof is not a compact JWS with a strict JSON header and payload"},
    {errc::dpop_proof_too_large, "dpop_proof_too_large", "DPoP proof exceeds the size limit"},
    {errc::multiple_dpop_proofs, "multiple_dpop_proofs",
     "the request carries more than one DPoP proof"},
    {errc::dpop_type_mismatch, "dpop_type_mismatch", "DPoP proof's typ is not dpop+jwt"},
    {errc::invalid_dpop_claim, "invalid_dpop_claim",
     "a DPoP proof claim is missing or has the wrong type"},
    {errc::encrypted_token, "encrypted_token",
     "token is a compact JWE (five segments): decrypt it with a jwe::decrypter"},
    {errc::unencrypted_token, "unencrypted_token",
     "token is a compact JWS (three segments), not an encrypted token"},
    {errc::malformed_jwe, "malformed_jwe", "token is not a compact JWE of five segments"},
    {errc::algorithm_not_allowed, "algorithm_not_allowed",
     "token algorithm is not allowed by this verifier"},
    {errc::key_algorithm_mismatch, "key_algorithm_mismatch",
     "token algorithm differs from the selected key's algorithm"},
    {errc::unknown_key_id, "unknown_key_id", "token key id names no key of this verifier"},
    {errc::missing_key_id, "missing_key_id",
     "token has no key id but the verifier needs one to choose a key"},
    {errc::invalid_signature, "invalid_signature", "signature does not verify"},
    {errc::missing_credentials, "missing_credentials", "the request carries no credentials"},
    {errc::unsupported_auth_scheme, "unsupported_auth_scheme",
     "the request's credentials use another scheme than Bearer"},
    {errc::missing_dpop_proof, "missing_dpop_proof", "the request carries no DPoP proof"},
    {errc::dpop_algorithm_not_allowed, "dpop_algorithm_not_allowed",
     "DPoP proof algorithm is not one of the allowed asymmetric algorithms"},
    {errc::invalid_dpop_key, "invalid_dpop_key",
     "DPoP proof's jwk is missing, malformed, weak or not a key of its alg"},
    {errc::dpop_private_key, "dpop_private_key", "DPoP proof's jwk contains private key material"},
    {errc::invalid_dpop_signature, "invalid_dpop_signature",
     "DPoP proof signature does not verify with its jwk"},
    {errc::dpop_proof_replayed, "dpop_proof_replayed",
     "DPoP proof was used before (its jti was seen)"},
    {errc::dpop_ath_mismatch, "dpop_ath_mismatch",
     "DPoP proof's ath is not the hash of the access token presented with it"},
    {errc::dpop_nonce_required, "dpop_nonce_required",
     "DPoP proof carries no nonce but the server requires one"},
    {errc::dpop_nonce_invalid, "dpop_nonce_invalid",
     "DPoP proof's nonce is not one the server issued recently"},
    {errc::dpop_key_mismatch, "dpop_key_mismatch",
     "the access token is not bound to the DPoP proof's key"},
    {errc::decryption_failed, "decryption_failed",
     "token does not decrypt and authenticate with the decrypter's key"},
    {errc::encryption_not_allowed, "encryption_not_allowed",
     "token's alg and enc are not a pair the decrypter holds a key for"},
    {errc::invalid_ephemeral_key, "invalid_ephemeral_key",
     "the ephemeral public key (epk) is not a valid key on the recipient key's curve"},
    {errc::token_expired, "token_expired", "token has expired"},
    {errc::token_not_yet_valid, "token_not_yet_valid", "token is not valid yet"},
    {errc::issued_in_future, "issued_in_future", "token was issued in the future"},
    {errc::token_too_old, "token_too_old", "token was issued too long ago"},
    {errc::issuer_mismatch, "issuer_mismatch", "token issuer is not the expected one"},
    {errc::audience_mismatch, "audience_mismatch",
     "token audience does not include the expected one"},
    {errc::subject_mismatch, "subject_mismatch", "token subject is not the expected one"},
    {errc::type_mismatch, "type_mismatch", "token type is not the expected one"},
    {errc::missing_claim, "missing_claim", "a required claim is missing"},
    {errc::invalid_claim_type, "invalid_claim_type", "a claim has the wrong type or range"},
    {errc::claim_mismatch, "claim_mismatch", "a claim does not have the expected value"},
    {errc::token_revoked, "token_revoked", "token has been revoked"},
    {errc::token_version_mismatch, "token_version_mismatch", "token version is no longer current"},
    {errc::refresh_token_reused, "refresh_token_reused",
     "refresh token was already used; its session is revoked"},
    {errc::session_expired, "session_expired",
     "the session has passed its lifetime or idle timeout"},
    {errc::audience_not_expected, "audience_not_expected",
     "token names an audience but the validator expects none: add expect_audience() "
     "(or ignore_audience())"},
    {errc::dpop_method_mismatch, "dpop_method_mismatch",
     "DPoP proof's htm is not the request method"},
    {errc::dpop_uri_mismatch, "dpop_uri_mismatch", "DPoP proof's htu is not the request URI"},
    {errc::dpop_proof_too_old, "dpop_proof_too_old", "DPoP proof was issued too long ago"},
    {errc::dpop_proof_in_future, "dpop_proof_in_future", "DPoP proof was issued in the future"},
    {errc::weak_key, "weak_key",
     "key is too weak for its algorithm: an HMAC secret needs at least the hash length "
     "(32/48/64 bytes for HS256/384/512), an RSA modulus at least 2048 bits and no ROCA "
     "fingerprint"},
    {errc::invalid_key, "invalid_key", "key material is invalid for its algorithm"},
    {errc::public_key_as_secret, "public_key_as_secret",
     "a public key was given where an HMAC secret is expected"},
    {errc::sensitive_claim, "sensitive_claim",
     "claim name suggests sensitive data; allow it explicitly"},
    {errc::reserved_claim, "reserved_claim",
     "claim name is registered or a header name; use its setter"},
    {errc::missing_expiration, "missing_expiration",
     "no expiry decision: call expires_in, expires_at or allow_missing_expiration"},
    {errc::invalid_argument, "invalid_argument", "argument is out of the allowed range"},
    {errc::duplicate_key_id, "duplicate_key_id", "two keys share one key id"},
    {errc::no_keys, "no_keys", "verifier has no keys"},
    {errc::key_type_mismatch, "key_type_mismatch",
     "key type does not fit the algorithm (e.g. an RSA key for ES256)"},
    {errc::curve_mismatch, "curve_mismatch",
     "key curve does not fit the algorithm (e.g. a P-384 key for ES256)"},
    {errc::key_use_mismatch, "key_use_mismatch",
     "key's use, key_ops or alg does not allow JWS signatures"},
    {errc::missing_algorithm, "missing_algorithm",
     "key does not name its algorithm and none was given"},
    {errc::jwk_algorithm_mismatch, "jwk_algorithm_mismatch",
     "the JWK's alg contradicts the algorithm asked for"},
    {errc::symmetric_key_in_jwks, "symmetric_key_in_jwks",
     "the JWKS holds an HMAC secret (kty oct); allow symmetric keys explicitly if it is private"},
    {errc::content_key_size_mismatch, "content_key_size_mismatch",
     "a dir key's length is not the key length of the content encryption algorithm"},
    {errc::key_not_for_encryption, "key_not_for_encryption",
     "key's use, key_ops or alg does not allow JWE encryption"},
    {errc::store_unavailable, "store_unavailable",
     "a session store (revocation, version, refresh) is unavailable"},
    {errc::crypto_failure, "crypto_failure", "the cryptographic library failed"},
    {errc::out_of_memory, "out_of_memory", "memory allocation failed"},
    {errc::keys_unavailable, "keys_unavailable",
     "the key set could not be fetched and none is cached"},
    {errc::store_full, "store_full", "a session store is full"},
    {errc::store_evicts, "store_evicts",
     "the Redis server may evict keys (maxmemory-policy is not noeviction): session data could "
     "vanish"},
    {errc::token_unavailable, "token_unavailable", "the token source could not provide a token"},
    {errc::insufficient_scope, "insufficient_scope", "the token lacks a scope the request needs"},
    {errc::cross_site_request, "cross_site_request",
     "the request comes from another origin than the server's own"},
    {errc::dpop_proof_required, "dpop_proof_required",
     "the access token is bound to a DPoP key but came without a proof of it"},
    {errc::dpop_session_key_mismatch, "dpop_session_key_mismatch",
     "the refresh was not made with the DPoP key of its session; the session is revoked"},
    {errc::compressed_token, "compressed_token",
     "encrypted token is compressed (zip): jot never decompresses"},
    {errc::invalid_jwe_segment, "invalid_jwe_segment",
     "JWE encrypted key, IV or tag does not have the length its algorithms fix"},
    {errc::missing_nested_token, "missing_nested_token",
     "encrypted token does not carry a signed JWT (cty: JWT)"},
};

constexpr const errc_description* describe(errc code) noexcept {
  for (const auto& row : errc_descriptions) {
    if (row.code == code) return &row;
  }
  return nullptr;
}
}  // namespace detail

// The stable identifier of a code ("token_expired"), for logs, metrics and the CLI.
constexpr const char* errc_name(errc code) noexcept {
  const auto* row = detail::describe(code);
  return row ? row->name : "unknown_error";
}

// A fixed, human-readable sentence per code.
constexpr const char* errc_message(errc code) noexcept {
  const auto* row = detail::describe(code);
  return row ? row->message : "unknown jot error";
}

JOT_END_NAMESPACE
