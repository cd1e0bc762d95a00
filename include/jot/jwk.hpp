#pragma once

// JWK export (RFC 7517, RFC 7518 §6, RFC 8037 §2) and JWK thumbprints (RFC 7638, RFC 9278).
// Import lives on the key types: verification_key::from_jwk, signing_key::from_jwk.
//
// Export is public-only by default. An HMAC key has no public form, so asking for one is
// errc::invalid_key; private members (and HMAC secrets) come only from unsafe_to_private_jwk().

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "jot/detail/jwk_export.hpp"
#include "jot/json.hpp"
#include "jot/keys.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE

namespace detail {
// The JWK members with alg, use "sig" and, when set, kid added.
JOT_INLINE nlohmann::json with_metadata(nlohmann::json jwk, algorithm alg,
                                        const std::optional<std::string>& kid);
}  // namespace detail

// The public JWK of a verification key: kty, key members, alg, use "sig", and kid when set.
JOT_INLINE result<nlohmann::json> to_public_jwk(const verification_key& key);

// The public JWK of a signing key's verification key, as above: errc::invalid_key for an HMAC
// key, which has no public form.
inline result<nlohmann::json> to_public_jwk(const signing_key& key) {
  auto verification = key.verification_key();
  if (!verification) return verification.error();
  return to_public_jwk(*verification);
}

// The JWK with its private members (d, p, q, ...; or k for HMAC). Whoever holds it can sign.
JOT_INLINE result<nlohmann::json> unsafe_to_private_jwk(const signing_key& key);

namespace detail {
// jwk_thumbprint(const nlohmann::json&) without its catch.
JOT_INLINE result<std::string> jwk_thumbprint_of(const nlohmann::json& jwk);
}  // namespace detail

// RFC 7638 §3: SHA-256 over the required members in lexicographic order, no whitespace,
// base64url-encoded. Works on public and private JWKs alike (private members are not hashed).
// A required member that is missing, not a string or not UTF-8 (RFC 7638 §3.1 hashes the UTF-8
// of the JSON text) is errc::invalid_key; nothing is thrown.
inline result<std::string> jwk_thumbprint(const nlohmann::json& jwk) {
  JOT_TRY { return detail::jwk_thumbprint_of(jwk); }
  JOT_CATCH_ALL { return errc::out_of_memory; }
}

// The thumbprint of a key's public JWK, as above.
inline result<std::string> jwk_thumbprint(const verification_key& key) {
  auto jwk = to_public_jwk(key);
  if (!jwk) return jwk.error();
  return jwk_thumbprint(*jwk);
}

// RFC 9278 §3: the thumbprint as a URI, usable as a `kid` or a `sub`.
inline std::string jwk_thumbprint_uri(std::string_view thumbprint) {
  return "urn:ietf:params:oauth:jwk-thumbprint:sha-256:" + std::string(thumbprint);
}

JOT_END_NAMESPACE

// The definitions, unless <jot/compile_once.hpp> compiles them once (JOT_INLINE, config.hpp).
#ifndef JOT_SEPARATE_COMPILATION
#include "jot/detail/jwk_impl.hpp"
#endif
