#pragma once

// The key material behind jwe::encryption_key and jwe::decryption_key, bound to one key
// management algorithm after the checks that it fits (RFC 7518 §4): the exact AES key length for
// A*KW, a content key length for `dir`, an RSA key of at least 2048 bits for RSA-OAEP*, a valid
// P-256, P-384, P-521 or X25519 key for ECDH-ES* (an X25519 public key of small order would make
// every shared secret zero: refused). Parsed once, here, never per token; immutable and shared
// between copies of a key.

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "jot/detail/jwk_import.hpp"
#include "jot/detail/openssl.hpp"
#include "jot/detail/pkey.hpp"
#include "jot/jwe/algorithms.hpp"
#include "jot/jwe/detail/ecdh_es.hpp"
#include "jot/result.hpp"
#include "jot/secret.hpp"

JOT_BEGIN_NAMESPACE
namespace jwe {
namespace detail {

struct key_material {
  key_management alg;
  std::optional<secret_bytes> secret;  // dir, A*KW
  jot::detail::evp_pkey_ptr pkey;      // RSA-OAEP*, ECDH-ES*
  bool has_private = false;
};
using key_material_ptr = std::shared_ptr<const key_material>;

// True for ECDH-ES and ECDH-ES+A*KW, whose keys are EC or X25519 keys.
constexpr bool is_key_agreement(key_management_family family) noexcept {
  return family == key_management_family::ecdh_es || family == key_management_family::ecdh_es_kw;
}

// True when `size` is the CEK length of some content encryption algorithm (a `dir` key).
constexpr bool is_content_key_size(std::size_t size) noexcept {
  for (const auto& row : content_encryption_table) {
    if (row.key_size == size) return true;
  }
  return false;
}

// A secret bound to `alg`: the exact key length of A*KW, a content key length for `dir`.
inline result<key_material_ptr> secret_key(key_management alg, secret_bytes secret) {
  const key_management_info& row = info(alg);
  if (row.family == key_management_family::aes_kw) {
    if (secret.size() != row.key_size) return errc::invalid_key;
  } else if (row.family == key_management_family::direct) {
    if (!is_content_key_size(secret.size())) return errc::invalid_key;
  } else {
    return errc::key_type_mismatch;
  }
  JOT_TRY {
    return std::make_shared<const key_material>(
        key_material{alg, std::move(secret), nullptr, true});
  }
  JOT_CATCH_ALL { return errc::out_of_memory; }
}

// An ECDH-ES key: on a curve agreement_curves lists (key_type_mismatch, curve_mismatch), a valid
// point (and d matching it), and for X25519 not of small order (invalid_key: a configured key,
// refused on import rather than at each token).
inline result<void> check_agreement_key(EVP_PKEY* key, bool has_private) {
  const auto curve = agreement_curve_of(key);
  if (!curve) return curve.error();
  if (!is_x25519(**curve)) return jot::detail::check_point(key, has_private);
  const auto small = is_small_order_x25519(key);
  if (!small) return small.error();
  if (*small) return errc::invalid_key;
  return {};
}

// An asymmetric key bound to `alg`: for RSA-OAEP*, an RSA key (not RSA-PSS) passing the RSA
// checks of signing keys (size, exponent, ROCA, a consistent private key); for ECDH-ES*,
// check_agreement_key.
inline result<key_material_ptr> pkey_key(key_management alg, result<jot::detail::evp_pkey_ptr> key,
                                         bool has_private) {
  if (!key) return key.error();
  const key_management_family family = info(alg).family;
  if (is_key_agreement(family)) {
    if (auto fits = check_agreement_key(key->get(), has_private); !fits) return fits.error();
  } else if (family != key_management_family::rsa_oaep || !EVP_PKEY_is_a(key->get(), "RSA")) {
    return errc::key_type_mismatch;
  } else if (auto fits = jot::detail::check_rsa(key->get(), has_private); !fits) {
    return fits.error();
  }
  JOT_TRY {
    return std::make_shared<const key_material>(
        key_material{alg, std::nullopt, std::move(*key), has_private});
  }
  JOT_CATCH_ALL { return errc::out_of_memory; }
}

// An EC (RFC 7518 §6.2) or X25519 (RFC 8037 §2) JWK as a key ECDH-ES runs on: its `kty` and
// `crv` must name one of agreement_curves (curve_mismatch otherwise).
inline result<jot::detail::evp_pkey_ptr> agreement_key_from_jwk(const nlohmann::json& jwk,
                                                                std::string_view kty,
                                                                bool& has_private) {
  const auto crv = jwk.find("crv");
  if (crv == jwk.end() || !crv->is_string()) return errc::invalid_key;
  for (const auto& curve : agreement_curves) {
    if (kty != curve.kty || *crv != curve.crv) continue;
    return is_x25519(curve)
               ? jot::detail::okp_key_from_members(jwk, curve.group, curve.size, has_private)
               : jot::detail::ec_key_from_members(jwk, curve.group, curve.size, has_private);
  }
  return errc::curve_mismatch;
}

// The public half of an asymmetric key; the same material for a secret.
inline result<key_material_ptr> public_material(const key_material_ptr& key) {
  if (!key->pkey) return key;
  return pkey_key(key->alg, jot::detail::public_half(key->pkey.get()), false);
}

// The algorithm of a JWK: its `alg` and the caller's must agree; one must be given. A `dir` key
// may instead name the content encryption algorithm it is for ("A128GCM", as RFC 7520 §5.6 does);
// `enc` is then set, and the key must have that algorithm's key length. A JWK whose `alg` is
// neither (a JWS algorithm, RSA1_5) is not for encryption.
struct jwk_algorithms {
  key_management alg;
  std::optional<content_encryption> enc;
};
inline result<jwk_algorithms> jwk_key_management(const nlohmann::json& jwk,
                                                 std::optional<key_management> wanted) {
  const auto it = jwk.find("alg");
  if (it == jwk.end()) {
    if (!wanted) return errc::missing_algorithm;
    return jwk_algorithms{*wanted, std::nullopt};
  }
  if (!it->is_string()) return errc::invalid_key;
  const std::string& name = it->get_ref<const std::string&>();
  const auto enc = content_encryption_from_name(name);
  const auto named =
      enc ? std::optional<key_management>(key_management::dir) : key_management_from_name(name);
  if (!named) return errc::key_not_for_encryption;
  if (wanted && *wanted != *named) return errc::jwk_algorithm_mismatch;
  return jwk_algorithms{*named, enc};
}

// `use` must be "enc" (RFC 7517 §4.2) and `key_ops` (§4.3), when present, must name one of
// `operations`: encrypt or wrapKey for an encryption key, decrypt or unwrapKey for a decryption
// key (libraries write either for a key management key).
inline result<void> jwk_allows_encryption(const nlohmann::json& jwk,
                                          const std::string_view (&operations)[2]) {
  if (const auto use = jwk.find("use"); use != jwk.end() && *use != "enc") {
    return use->is_string() ? errc::key_not_for_encryption : errc::invalid_key;
  }
  const auto ops = jwk.find("key_ops");
  if (ops == jwk.end()) return {};
  if (!ops->is_array()) return errc::invalid_key;
  std::vector<std::string> seen;
  bool allowed = false;
  for (const auto& op : *ops) {
    if (!op.is_string()) return errc::invalid_key;
    const std::string& name = op.get_ref<const std::string&>();
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) return errc::invalid_key;
    seen.push_back(name);
    allowed = allowed || name == operations[0] || name == operations[1];
  }
  if (!allowed) return errc::key_not_for_encryption;
  return {};
}

// A JWK imported as key material, with its kid.
struct imported_key {
  key_material_ptr material;
  std::optional<std::string> kid;
};

// Imports a JWK (RFC 7517, RFC 7518 §6, RFC 8037 §2) for encryption (`decrypt` false: only the
// public half of an RSA, EC or X25519 key is kept) or decryption (`decrypt` true: private members
// required).
inline result<imported_key> import_jwk(const nlohmann::json& jwk,
                                       std::optional<key_management> wanted, bool decrypt) {
  if (!jwk.is_object()) return errc::invalid_key;
  const auto kty = jwk.find("kty");
  if (kty == jwk.end() || !kty->is_string()) return errc::invalid_key;
  const auto algorithms = jwk_key_management(jwk, wanted);
  if (!algorithms) return algorithms.error();
  const key_management alg = algorithms->alg;
  static constexpr std::string_view encrypt_ops[2] = {"encrypt", "wrapKey"};
  static constexpr std::string_view decrypt_ops[2] = {"decrypt", "unwrapKey"};
  if (auto allowed = jwk_allows_encryption(jwk, decrypt ? decrypt_ops : encrypt_ops); !allowed) {
    return allowed.error();
  }
  imported_key out;
  if (const auto kid = jwk.find("kid"); kid != jwk.end()) {
    if (!kid->is_string() || kid->get_ref<const std::string&>().empty()) return errc::invalid_key;
    out.kid = kid->get<std::string>();
  }
  const std::string& type = kty->get_ref<const std::string&>();
  const key_management_family family = info(alg).family;
  const bool symmetric =
      family == key_management_family::direct || family == key_management_family::aes_kw;
  if (type == "oct" && symmetric) {
    auto k = jot::detail::jwk_bytes(jwk, "k");
    if (!k) return k.error();
    if (!*k) return errc::invalid_key;
    if (algorithms->enc && (*k)->size() != content_key_size(*algorithms->enc)) {
      return errc::content_key_size_mismatch;
    }
    secret_bytes secret(**k);
    OPENSSL_cleanse((*k)->data(), (*k)->size());
    auto material = secret_key(alg, std::move(secret));
    if (!material) return material.error();
    out.material = std::move(*material);
    return out;
  }
  const bool rsa = type == "RSA" && family == key_management_family::rsa_oaep;
  if (rsa || ((type == "EC" || type == "OKP") && is_key_agreement(family))) {
    bool has_private = false;
    auto key = rsa ? jot::detail::rsa_from_jwk(jwk, has_private)
                   : agreement_key_from_jwk(jwk, type, has_private);
    if (!key) return key.error();
    if (decrypt && !has_private) return errc::invalid_key;
    auto material = decrypt ? pkey_key(alg, std::move(*key), true)
                            : pkey_key(alg, jot::detail::public_half(key->get()), false);
    if (!material) return material.error();
    out.material = std::move(*material);
    return out;
  }
  const bool known = type == "oct" || type == "RSA" || type == "EC" || type == "OKP";
  return known ? errc::key_type_mismatch : errc::invalid_key;
}

}  // namespace detail
}  // namespace jwe
JOT_END_NAMESPACE
