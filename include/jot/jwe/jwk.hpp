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
inline result<nlohmann::json> key_jwk(const key_material& key,
                                      const std::optional<std::string>& kid, bool include_private) {
  JOT_TRY {
    nlohmann::json jwk;
    if (key.secret) {
      if (!include_private) return errc::invalid_key;
      jwk = {{"kty", "oct"}, {"k", base64url_encode(key.secret->unsafe_bytes())}};
    } else {
      auto members = jot::detail::rsa_members(key.pkey.get(), include_private);
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

// The public JWK of an encryption key (an RSA public key): kty, n, e, alg, use "enc", kid when
// set. errc::invalid_key for a shared secret, which has no public form.
inline result<nlohmann::json> to_public_jwk(const encryption_key& key) {
  return detail::key_jwk(key.material(), key.key_id(), false);
}

// The JWK with its private members (d and the CRT members, or k for a secret). Whoever holds it
// can decrypt.
inline result<nlohmann::json> unsafe_to_private_jwk(const decryption_key& key) {
  return detail::key_jwk(key.material(), key.key_id(), true);
}

}  // namespace jwe
JOT_END_NAMESPACE
