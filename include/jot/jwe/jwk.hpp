#pragma once

// JWK export of encryption keys (RFC 7517, RFC 7518 §6): the JWK to publish or hand to a sender,
// with `alg` (the key management algorithm), `use: enc` and the kid. Public-only by default; a
// shared secret has no public form, so its JWK comes only from unsafe_to_private_jwk().

#include <optional>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "jot/base64url.hpp"
#include "jot/detail/jwk_export.hpp"
#include "jot/jwe/keys.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE
namespace jwe {
namespace detail {
// The members of an EC or X25519 JWK: those of the `epk` a sender writes, and d.
inline result<nlohmann::json> agreement_members(EVP_PKEY* key, bool include_private) {
  auto curve = agreement_curve_of(key);
  if (!curve) return curve.error();
  auto jwk = public_jwk(**curve, key);
  if (!jwk || !include_private) return jwk;
  std::string d;
  const bool ok = is_x25519(**curve)
                      ? jot::detail::raw_member(key, true, d)
                      : jot::detail::bn_member(key, OSSL_PKEY_PARAM_PRIV_KEY, (*curve)->size, d);
  if (!ok) return errc::crypto_failure;
  (*jwk)["d"] = std::move(d);
  return jwk;
}

inline result<nlohmann::json> key_jwk(const key_material& key,
                                      const std::optional<std::string>& kid, bool include_private) {
  JOT_TRY {
    nlohmann::json jwk;
    if (key.secret) {
      if (!include_private) return errc::invalid_key;
      jwk = {{"kty", "oct"}, {"k", base64url_encode(key.secret->unsafe_bytes())}};
    } else {
      auto members = is_key_agreement(info(key.alg).family)
                         ? agreement_members(key.pkey.get(), include_private)
                         : jot::detail::rsa_members(key.pkey.get(), include_private);
      if (!members) return members.error();
      jwk = std::move(*members);
    }
    jwk["alg"] = std::string(key_management_name(key.alg));
    jwk["use"] = "enc";
    if (kid) jwk["kid"] = *kid;
    return jwk;
  }
  JOT_CATCH_ALL { return errc::out_of_memory; }  // building the JSON allocates
}
}  // namespace detail

// The public JWK of an encryption key (an RSA, EC or X25519 public key): kty and the public
// members, alg, use "enc", kid when set. errc::invalid_key for a shared secret, which has no public
// form.
inline result<nlohmann::json> to_public_jwk(const encryption_key& key) {
  return detail::key_jwk(key.material(), key.key_id(), false);
}

// The JWK with its private members (d, the RSA CRT members, or k for a secret). Whoever holds it
// can decrypt.
inline result<nlohmann::json> unsafe_to_private_jwk(const decryption_key& key) {
  return detail::key_jwk(key.material(), key.key_id(), true);
}

}  // namespace jwe
JOT_END_NAMESPACE
