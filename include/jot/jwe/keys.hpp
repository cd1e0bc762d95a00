#pragma once

// Keys for encrypted tokens, each bound to exactly one key management algorithm (RFC 7518 §4),
// as signing keys are bound to one signature algorithm (keys.hpp): an encryption_key encrypts
// (a shared secret, or an RSA, EC or X25519 public key), a decryption_key decrypts (the same
// secret, or the private key). A key is made from a JWK (`use: enc`, `key_ops` allowing it), PEM,
// raw bytes for `dir` and A*KW, or generated; every misfit has its own errc. Cheap to copy (one
// shared, immutable implementation) and safe to use from many threads at once.
//
// ECDH-ES keys (RFC 7518 §4.6, RFC 8037 §3.2) are P-256, P-384, P-521 or X25519 keys: another
// curve is errc::curve_mismatch, another key type key_type_mismatch, a point off its curve or an
// X25519 public key of small order invalid_key.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "jot/detail/pkey.hpp"
#include "jot/jwe/algorithms.hpp"
#include "jot/jwe/detail/key_material.hpp"
#include "jot/result.hpp"
#include "jot/secret.hpp"

JOT_BEGIN_NAMESPACE
namespace jwe {

// The key a sender encrypts with: a `dir` or A*KW secret, or the recipient's public key.
class encryption_key {
 public:
  // A shared secret: exactly 16 bytes for A128KW and 32 for A256KW; for `dir`, the key length of
  // a content encryption algorithm (16, 32 or 64 bytes), which then fixes the `enc` it serves.
  // errc::invalid_key for another length, key_type_mismatch for an RSA algorithm.
  static result<encryption_key> from_secret(key_management alg, secret_bytes secret) {
    return wrap(detail::secret_key(alg, std::move(secret)));
  }

  // A public key from PEM ("PUBLIC KEY", "RSA PUBLIC KEY", or a private key whose public half is
  // kept): RSA of at least 2048 bits (errc::weak_key) for RSA-OAEP*, EC or X25519 for ECDH-ES*.
  static result<encryption_key> from_pem(key_management alg, std::string_view pem) {
    auto key = jot::detail::decode_key(pem, "PEM", EVP_PKEY_PUBLIC_KEY);
    if (key.error() == errc::invalid_key)
      key = jot::detail::decode_key(pem, "PEM", EVP_PKEY_KEYPAIR);
    if (!key) return key.error();
    return wrap(detail::pkey_key(alg, jot::detail::public_half(key->get()), false));
  }

  // A key from a JWK. Its `alg`, when present, must name `alg` (errc::jwk_algorithm_mismatch);
  // without one the caller must say (errc::missing_algorithm). `use` must be "enc" and `key_ops`
  // must allow "encrypt" or "wrapKey" (errc::key_not_for_encryption). Private members are
  // ignored. The JWK's `kid` becomes the key id.
  static result<encryption_key> from_jwk(const nlohmann::json& jwk,
                                         std::optional<key_management> alg = std::nullopt) {
    auto imported = detail::import_jwk(jwk, alg, false);
    if (!imported) return imported.error();
    return encryption_key(std::move(imported->material), std::move(imported->kid));
  }

  // The one key management algorithm this key serves, and its kid (nullopt: none).
  key_management alg() const noexcept { return material_->alg; }
  const std::optional<std::string>& key_id() const noexcept { return key_id_; }

  // The same key under `kid`, which every token it encrypts names (RFC 7516 §4.1.6). An empty kid
  // is refused.
  result<encryption_key> with_key_id(std::string kid) const {
    if (kid.empty()) return errc::invalid_argument;
    encryption_key copy = *this;
    copy.key_id_ = std::move(kid);
    return copy;
  }

  // The key material, for jot's own use (encrypter, JWK export).
  const detail::key_material& material() const noexcept { return *material_; }

 private:
  friend class decryption_key;
  encryption_key(detail::key_material_ptr material, std::optional<std::string> kid)
      : material_(std::move(material)), key_id_(std::move(kid)) {}
  static result<encryption_key> wrap(result<detail::key_material_ptr> material) {
    if (!material) return material.error();
    return encryption_key(std::move(*material), std::nullopt);
  }

  detail::key_material_ptr material_;
  std::optional<std::string> key_id_;
};

// The key a recipient decrypts with: a `dir` or A*KW secret, or a private key.
class decryption_key {
 public:
  // A shared secret, with the checks of encryption_key::from_secret.
  static result<decryption_key> from_secret(key_management alg, secret_bytes secret) {
    return wrap(detail::secret_key(alg, std::move(secret)));
  }

  // A private key from PEM: PKCS#8 ("PRIVATE KEY", or "ENCRYPTED PRIVATE KEY" with `password`),
  // "RSA PRIVATE KEY" or "EC PRIVATE KEY"; RSA of at least 2048 bits, d consistent with n and e;
  // EC or X25519 for ECDH-ES*, d consistent with the public point.
  static result<decryption_key> from_pem(key_management alg, std::string_view pem,
                                         std::string_view password = {}) {
    return wrap(detail::pkey_key(
        alg, jot::detail::decode_key(pem, "PEM", EVP_PKEY_KEYPAIR, password), true));
  }

  // A key from a JWK, with the checks of encryption_key::from_jwk; `key_ops` must allow
  // "decrypt" or "unwrapKey", and an RSA, EC or OKP JWK needs its private members
  // (errc::invalid_key).
  static result<decryption_key> from_jwk(const nlohmann::json& jwk,
                                         std::optional<key_management> alg = std::nullopt) {
    auto imported = detail::import_jwk(jwk, alg, true);
    if (!imported) return imported.error();
    return decryption_key(std::move(imported->material), std::move(imported->kid));
  }

  // A fresh random key for A128KW or A256KW (a secret of the AES key length), or an RSA key of
  // `rsa_bits` (2048 to 16384) for RSA-OAEP*. For `dir`, use generate_direct; for ECDH-ES*,
  // generate_agreement (errc::invalid_argument here).
  static result<decryption_key> generate(key_management alg, std::size_t rsa_bits = 2048) {
    const auto& row = detail::info(alg);
    if (row.family == detail::key_management_family::direct ||
        detail::is_key_agreement(row.family)) {
      return errc::invalid_argument;
    }
    if (row.family == detail::key_management_family::aes_kw)
      return random_secret(alg, row.key_size);
    if (rsa_bits < static_cast<std::size_t>(jot::detail::min_rsa_bits) ||
        rsa_bits > static_cast<std::size_t>(jot::detail::max_rsa_bits)) {
      return errc::invalid_argument;
    }
    jot::detail::evp_pkey_ptr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", rsa_bits));
    jot::detail::clear_openssl_errors();
    if (!key) return errc::crypto_failure;
    return wrap(detail::pkey_key(alg, std::move(key), true));
  }

  // A fresh key pair on `curve` for ECDH-ES or ECDH-ES+A*KW (errc::invalid_argument for another
  // `alg`).
  static result<decryption_key> generate_agreement(key_management alg, ecdh_curve curve) {
    if (!detail::is_key_agreement(detail::info(alg).family)) return errc::invalid_argument;
    auto key = detail::generate_on(detail::agreement_curves[static_cast<std::size_t>(curve)]);
    if (!key) return errc::crypto_failure;
    return wrap(detail::pkey_key(alg, std::move(key), true));
  }

  // A fresh random `dir` key of the key length `enc` uses.
  static result<decryption_key> generate_direct(content_encryption enc) {
    return random_secret(key_management::dir, content_key_size(enc));
  }

  // The one key management algorithm this key serves, and its kid (nullopt: none).
  key_management alg() const noexcept { return material_->alg; }
  const std::optional<std::string>& key_id() const noexcept { return key_id_; }

  // The same key under `kid`; tokens are matched to it by their `kid`. An empty kid is refused.
  result<decryption_key> with_key_id(std::string kid) const {
    if (kid.empty()) return errc::invalid_argument;
    decryption_key copy = *this;
    copy.key_id_ = std::move(kid);
    return copy;
  }

  // The key that encrypts for this one, with the same kid: the same secret, or the public half
  // (holding no private material).
  result<jwe::encryption_key> encryption_key() const {
    auto material = detail::public_material(material_);
    if (!material) return material.error();
    return jwe::encryption_key(std::move(*material), key_id_);
  }

  // The key material, for jot's own use (decrypter, JWK export).
  const detail::key_material& material() const noexcept { return *material_; }

 private:
  decryption_key(detail::key_material_ptr material, std::optional<std::string> kid)
      : material_(std::move(material)), key_id_(std::move(kid)) {}
  static result<decryption_key> wrap(result<detail::key_material_ptr> material) {
    if (!material) return material.error();
    return decryption_key(std::move(*material), std::nullopt);
  }
  static result<decryption_key> random_secret(key_management alg, std::size_t size) {
    auto secret = generate_secret(size);
    if (!secret) return secret.error();
    return wrap(detail::secret_key(alg, std::move(*secret)));
  }

  detail::key_material_ptr material_;
  std::optional<std::string> key_id_;
};

}  // namespace jwe
JOT_END_NAMESPACE
