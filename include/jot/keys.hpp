#pragma once

// Keys bound to exactly one algorithm (RFC 8725 §3.1). A key is chosen for a token by `kid`, and
// the token's `alg` must then name the key's algorithm before any cryptography runs, so the token
// can never pick the code path. There is no door that takes "key bytes plus an alg string"
// without checking that the material fits: the key type, the curve, the RSA size and exponent,
// the HMAC secret length; each misfit has its own errc.
//
// Both key types are cheap to copy (they share one immutable implementation) and safe to use
// from many threads at once. Key material is parsed once, here, never per token.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "jot/algorithm.hpp"
#include "jot/detail/evp_signature.hpp"
#include "jot/detail/hmac.hpp"
#include "jot/detail/jwk_import.hpp"
#include "jot/detail/pkey.hpp"
#include "jot/result.hpp"
#include "jot/secret.hpp"
#include "jot/signer.hpp"

JOT_BEGIN_NAMESPACE

namespace detail {
// Binds a loaded key to `alg` after checking that it fits.
inline result<std::shared_ptr<const evp_signature_key>> bind_key(algorithm alg,
                                                                 result<evp_pkey_ptr> key,
                                                                 bool has_private) {
  if (!key) return key.error();
  if (auto fits = check_key_fits(alg, key->get(), has_private); !fits) return fits.error();
  return evp_signature_key::create(alg, std::move(*key), has_private);
}
}  // namespace detail

// A key that checks signatures of exactly one algorithm: an HMAC secret or a public key.
class verification_key {
 public:
  // An HMAC key for HS256/384/512. The secret must be at least the hash length (RFC 7518 §3.2:
  // errc::weak_key) and must not be a public key in disguise (errc::public_key_as_secret).
  static result<verification_key> hmac(algorithm alg, secret_bytes secret) {
    return wrap(detail::hmac_key::create(alg, std::move(secret)));
  }
  static result<verification_key> hs256(secret_bytes s) {
    return hmac(algorithm::hs256, std::move(s));
  }
  static result<verification_key> hs384(secret_bytes s) {
    return hmac(algorithm::hs384, std::move(s));
  }
  static result<verification_key> hs512(secret_bytes s) {
    return hmac(algorithm::hs512, std::move(s));
  }

  // A public key for an asymmetric algorithm, from PEM: "PUBLIC KEY" (SPKI), "RSA PUBLIC KEY"
  // (PKCS#1) or "CERTIFICATE" (its subject key; the certificate is trusted because you configured
  // it, not validated). A private key PEM is accepted and only its public half kept. An RSASSA-PSS
  // key (RFC 4055) fits PS* only, and only when its parameter restrictions allow the algorithm's
  // hash, MGF1 hash and salt length; an Edwards key of small order is errc::invalid_key.
  static result<verification_key> from_pem(algorithm alg, std::string_view pem) {
    return from_encoded(alg, pem, "PEM");
  }
  // The same from DER: SubjectPublicKeyInfo, PKCS#1 RSAPublicKey or an X.509 certificate.
  static result<verification_key> from_der(algorithm alg, std::string_view der) {
    return from_encoded(alg, der, "DER");
  }

  // A key from a JWK (RFC 7517). The JWK's `alg`, when present, must name `alg`; without one the
  // caller must say which algorithm the key is for (errc::missing_algorithm). `use` must be
  // "sig" and `key_ops` must allow "verify". Private members are ignored: only the public half
  // (or, for "oct", the secret) is kept. The JWK's `kid` becomes the key id.
  static result<verification_key> from_jwk(const nlohmann::json& jwk,
                                           std::optional<algorithm> alg = std::nullopt) {
    auto imported = detail::import_jwk(jwk, alg, "verify");
    if (!imported) return imported.error();
    auto key = imported->secret
                   ? wrap(detail::hmac_key::create(imported->alg, std::move(*imported->secret)))
                   : wrap(detail::bind_key(imported->alg, detail::public_half(imported->key.get()),
                                           false));
    if (!key || !imported->kid) return key;
    key->key_id_ = std::move(imported->kid);
    return key;
  }

  // A verifier implemented by the application (for example a remote verification service).
  static result<verification_key> from_verifier(std::shared_ptr<const signature_verifier> impl) {
    if (!impl) return errc::invalid_argument;
    return verification_key(std::move(impl));
  }

  // The one algorithm this key verifies, and the kid it is published under (nullopt: none).
  algorithm alg() const noexcept { return impl_->alg(); }
  const std::optional<std::string>& key_id() const noexcept { return key_id_; }

  // The same key, published under `kid` (RFC 7515 §4.1.4). An empty kid is refused.
  result<verification_key> with_key_id(std::string kid) const {
    if (kid.empty()) return errc::invalid_argument;
    verification_key copy = *this;
    copy.key_id_ = std::move(kid);
    return copy;
  }

  // The object that checks the signatures: jot's own, or the application's (from_verifier).
  const signature_verifier& implementation() const noexcept { return *impl_; }

 private:
  friend class signing_key;
  explicit verification_key(std::shared_ptr<const signature_verifier> impl)
      : impl_(std::move(impl)) {}

  template <typename Impl>
  static result<verification_key> wrap(result<std::shared_ptr<const Impl>> impl) {
    if (!impl) return impl.error();
    return verification_key(std::move(*impl));
  }

  static result<verification_key> from_encoded(algorithm alg, std::string_view data,
                                               const char* type) {
    if (is_hmac(alg)) return errc::key_type_mismatch;
    // A public key, else a certificate, else a private key; stop at the first that decodes, or
    // at a failure of OpenSSL itself.
    auto key = detail::decode_key(data, type, EVP_PKEY_PUBLIC_KEY);
    if (key.error() == errc::invalid_key) key = detail::certificate_key(data, type[0] == 'P');
    if (key.error() == errc::invalid_key) key = detail::decode_key(data, type, EVP_PKEY_KEYPAIR);
    if (!key) return key.error();
    return wrap(detail::bind_key(alg, detail::public_half(key->get()), false));
  }

  std::shared_ptr<const signature_verifier> impl_;
  std::optional<std::string> key_id_;
};

// A key that signs with exactly one algorithm: an HMAC secret, a private key, or an
// application's signer. Its verification_key() checks what it signs.
class signing_key {
 public:
  // An HMAC key, with the checks of verification_key::hmac (weak_key, public_key_as_secret).
  static result<signing_key> hmac(algorithm alg, secret_bytes secret) {
    return wrap(detail::hmac_key::create(alg, std::move(secret)));
  }
  static result<signing_key> hs256(secret_bytes s) { return hmac(algorithm::hs256, std::move(s)); }
  static result<signing_key> hs384(secret_bytes s) { return hmac(algorithm::hs384, std::move(s)); }
  static result<signing_key> hs512(secret_bytes s) { return hmac(algorithm::hs512, std::move(s)); }

  // A private key from PEM: PKCS#8 ("PRIVATE KEY", or "ENCRYPTED PRIVATE KEY" with `password`)
  // or the traditional "RSA PRIVATE KEY" / "EC PRIVATE KEY" forms.
  static result<signing_key> from_pem(algorithm alg, std::string_view pem,
                                      std::string_view password = {}) {
    return from_encoded(alg, pem, "PEM", password);
  }
  static result<signing_key> from_der(algorithm alg, std::string_view der,
                                      std::string_view password = {}) {
    return from_encoded(alg, der, "DER", password);
  }

  // A private key from a JWK; as verification_key::from_jwk, with `key_ops` allowing "sign".
  // A JWK without private members is errc::invalid_key.
  static result<signing_key> from_jwk(const nlohmann::json& jwk,
                                      std::optional<algorithm> alg = std::nullopt) {
    auto imported = detail::import_jwk(jwk, alg, "sign");
    if (!imported) return imported.error();
    if (!imported->has_private) return errc::invalid_key;
    auto key = imported->secret
                   ? wrap(detail::hmac_key::create(imported->alg, std::move(*imported->secret)))
                   : wrap(detail::bind_key(imported->alg, std::move(imported->key), true));
    if (!key || !imported->kid) return key;
    key->key_id_ = std::move(imported->kid);
    return key;
  }

  // A fresh random key for `alg`: a hash-length HMAC secret, an RSA key of `rsa_bits` (at least
  // 2048), or an EC / Edwards key on the algorithm's curve.
  static result<signing_key> generate(algorithm alg, std::size_t rsa_bits = 2048) {
    if (is_hmac(alg)) {
      auto secret = generate_secret(alg);
      if (!secret) return secret.error();
      return wrap(detail::hmac_key::create(alg, std::move(*secret), /*screen=*/false));
    }
    if (is_rsa(alg) && (rsa_bits < static_cast<std::size_t>(detail::min_rsa_bits) ||
                        rsa_bits > static_cast<std::size_t>(detail::max_rsa_bits))) {
      return errc::invalid_argument;
    }
    auto key = detail::generate_key(alg, rsa_bits);
    if (!key) return errc::crypto_failure;
    return wrap(detail::bind_key(alg, std::move(key), true));
  }

  // A signer implemented by the application (an HSM, a remote KMS). `verifier`, when given,
  // must check the same algorithm; it becomes this key's verification_key().
  static result<signing_key> from_signer(std::shared_ptr<const signer> impl,
                                         std::shared_ptr<const signature_verifier> verifier = {}) {
    if (!impl || (verifier && verifier->alg() != impl->alg())) return errc::invalid_argument;
    return signing_key(std::move(impl), std::move(verifier));
  }

  // The one algorithm this key signs with, and the kid it writes into each header (nullopt: none).
  algorithm alg() const noexcept { return impl_->alg(); }
  const std::optional<std::string>& key_id() const noexcept { return key_id_; }

  // The same key, stamping `kid` into the header of every token it signs.
  result<signing_key> with_key_id(std::string kid) const {
    if (kid.empty()) return errc::invalid_argument;
    signing_key copy = *this;
    copy.key_id_ = std::move(kid);
    return copy;
  }

  // The key that verifies this key's signatures, with the same kid: the same secret for HMAC, the
  // public half (holding no private material) for asymmetric keys. errc::invalid_key for a
  // custom signer created without a verifier.
  result<jot::verification_key> verification_key() const {
    if (!verifier_) return errc::invalid_key;
    jot::verification_key key(verifier_);
    key.key_id_ = key_id_;
    return key;
  }

  // The object that makes the signatures: jot's own, or the application's (from_signer).
  const signer& implementation() const noexcept { return *impl_; }

 private:
  signing_key(std::shared_ptr<const signer> impl,
              std::shared_ptr<const signature_verifier> verifier)
      : impl_(std::move(impl)), verifier_(std::move(verifier)) {}

  static result<signing_key> wrap(result<std::shared_ptr<const detail::hmac_key>> key) {
    if (!key) return key.error();
    std::shared_ptr<const signature_verifier> verifier = *key;
    return signing_key(std::move(*key), std::move(verifier));
  }

  static result<signing_key> wrap(result<std::shared_ptr<const detail::evp_signature_key>> key) {
    if (!key) return key.error();
    auto public_key = detail::bind_key((*key)->alg(), detail::public_half((*key)->pkey()), false);
    if (!public_key) return public_key.error();
    return signing_key(std::move(*key), std::move(*public_key));
  }

  static result<signing_key> from_encoded(algorithm alg, std::string_view data, const char* type,
                                          std::string_view password) {
    if (is_hmac(alg)) return errc::key_type_mismatch;
    return wrap(
        detail::bind_key(alg, detail::decode_key(data, type, EVP_PKEY_KEYPAIR, password), true));
  }

  std::shared_ptr<const signer> impl_;
  std::shared_ptr<const signature_verifier> verifier_;
  std::optional<std::string> key_id_;
};

JOT_END_NAMESPACE
