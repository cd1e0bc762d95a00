#pragma once

// JWK export (RFC 7517, RFC 7518 §6, RFC 8037 §2) and JWK thumbprints (RFC 7638, RFC 9278).
// Import lives on the key types: verification_key::from_jwk, signing_key::from_jwk.
//
// Export is public-only by default. An HMAC key has no public form, so asking for one is
// errc::invalid_key; private members (and HMAC secrets) come only from unsafe_to_private_jwk().

#include <string>
#include <string_view>
#include <vector>

#include <openssl/evp.h>
#include <nlohmann/json.hpp>

#include "jot/base64url.hpp"
#include "jot/detail/jwk_export.hpp"
#include "jot/json.hpp"
#include "jot/keys.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE

namespace detail {
inline nlohmann::json with_metadata(nlohmann::json jwk, algorithm alg,
                                    const std::optional<std::string>& kid) {
  jwk["alg"] = std::string(algorithm_name(alg));
  jwk["use"] = "sig";
  if (kid) jwk["kid"] = *kid;
  return jwk;
}
}  // namespace detail

// The public JWK of a verification key: kty, key members, alg, use "sig", and kid when set.
inline result<nlohmann::json> to_public_jwk(const verification_key& key) {
  const auto* impl = dynamic_cast<const detail::evp_signature_key*>(&key.implementation());
  if (impl == nullptr) return errc::invalid_key;  // HMAC or an application-defined verifier
  JOT_TRY {
    auto members = detail::pkey_members(*impl, false);
    if (!members) return members.error();
    return detail::with_metadata(std::move(*members), key.alg(), key.key_id());
  }
  JOT_CATCH_ALL { return errc::out_of_memory; }  // building the JSON allocates
}

// The public JWK of a signing key's verification key, as above: errc::invalid_key for an HMAC
// key, which has no public form.
inline result<nlohmann::json> to_public_jwk(const signing_key& key) {
  auto verification = key.verification_key();
  if (!verification) return verification.error();
  return to_public_jwk(*verification);
}

// The JWK with its private members (d, p, q, ...; or k for HMAC). Whoever holds it can sign.
inline result<nlohmann::json> unsafe_to_private_jwk(const signing_key& key) {
  JOT_TRY {
    if (const auto* hmac = dynamic_cast<const detail::hmac_key*>(&key.implementation())) {
      return detail::with_metadata(detail::oct_members(*hmac), key.alg(), key.key_id());
    }
    const auto* impl = dynamic_cast<const detail::evp_signature_key*>(&key.implementation());
    if (impl == nullptr || !impl->can_sign()) return errc::invalid_key;
    auto members = detail::pkey_members(*impl, true);
    if (!members) return members.error();
    return detail::with_metadata(std::move(*members), key.alg(), key.key_id());
  }
  JOT_CATCH_ALL { return errc::out_of_memory; }  // building the JSON allocates
}

namespace detail {
inline result<std::string> jwk_thumbprint_of(const nlohmann::json& jwk) {
  const auto kty_member = jwk.is_object() ? jwk.find("kty") : jwk.end();
  if (!jwk.is_object() || kty_member == jwk.end() || !kty_member->is_string()) {
    return errc::invalid_key;
  }
  const std::string& kty = kty_member->get_ref<const std::string&>();
  std::vector<const char*> required;
  if (kty == "RSA") {
    required = {"e", "kty", "n"};  // §3.2
  } else if (kty == "EC") {
    required = {"crv", "kty", "x", "y"};
  } else if (kty == "OKP") {
    required = {"crv", "kty", "x"};  // RFC 8037 §2
  } else if (kty == "oct") {
    required = {"k", "kty"};
  } else {
    return errc::invalid_key;
  }
  nlohmann::json members = nlohmann::json::object();  // std::map: lexicographic member order
  for (const char* name : required) {
    const auto it = jwk.find(name);
    if (it == jwk.end() || !it->is_string() || !is_valid_utf8(it->get_ref<const std::string&>())) {
      return errc::invalid_key;
    }
    members[name] = *it;
  }
  const std::string text = members.dump();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  // RFC 7638 §3.1 hashes with SHA-256: the digest of HS256, fetched once (a failed fetch is
  // tried again next time).
  EVP_MD* const sha256 = detail::digest_of(algorithm::hs256);
  if (sha256 == nullptr ||
      EVP_Digest(text.data(), text.size(), digest, &size, sha256, nullptr) != 1) {
    detail::clear_openssl_errors();
    return errc::crypto_failure;
  }
  return base64url_encode(std::string(reinterpret_cast<char*>(digest), size));
}
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
