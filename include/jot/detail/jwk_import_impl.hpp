#pragma once

// The definitions of what detail/jwk_import.hpp declares with JOT_INLINE (config.hpp).

#include <algorithm>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <openssl/bn.h>
#include <openssl/param_build.h>
#include <nlohmann/json.hpp>

#include "jot/algorithm.hpp"
#include "jot/base64url.hpp"
#include "jot/detail/openssl.hpp"
#include "jot/detail/pkey.hpp"
#include "jot/json.hpp"
#include "jot/result.hpp"
#include "jot/secret.hpp"

JOT_BEGIN_NAMESPACE
namespace detail {

// Collects OSSL_PARAMs and builds a key from them. Failures of OpenSSL's own machinery are
// errc::crypto_failure; only EVP_PKEY_fromdata's "no" is a verdict on the JWK (errc::invalid_key).
// The builder keeps the BIGNUMs it was given (by reference) until the parameters are made.
struct param_builder {
  param_bld_ptr bld{OSSL_PARAM_BLD_new()};  // null when out of memory: see ok()
  std::vector<bn_ptr> numbers;
  bool ok() const noexcept { return bld != nullptr; }
  bool push_bn(const char* key, const std::string& big_endian) {
    bn_ptr n(BN_bin2bn(reinterpret_cast<const unsigned char*>(big_endian.data()),
                       static_cast<int>(big_endian.size()), nullptr));
    if (!n) return false;
    numbers.push_back(std::move(n));
    return OSSL_PARAM_BLD_push_BN(bld.get(), key, numbers.back().get()) == 1;
  }
  result<evp_pkey_ptr> build(const char* type, int selection) {
    const params_ptr params(OSSL_PARAM_BLD_to_param(bld.get()));
    const evp_pkey_ctx_ptr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
    EVP_PKEY* key = nullptr;
    const bool ready = params && ctx && EVP_PKEY_fromdata_init(ctx.get()) == 1;
    const bool built = ready && EVP_PKEY_fromdata(ctx.get(), &key, selection, params.get()) == 1;
    evp_pkey_ptr owned(key);
    clear_openssl_errors();
    if (!ready) return errc::crypto_failure;
    if (!built) return errc::invalid_key;
    return owned;
  }
};

JOT_INLINE result<std::optional<std::string>> jwk_bytes(const nlohmann::json& jwk,
                                                        const char* name) {
  const auto it = jwk.find(name);
  if (it == jwk.end()) return std::optional<std::string>();
  std::string out;
  if (!it->is_string() || !base64url_decode_append(it->get_ref<const std::string&>(), out)) {
    return errc::invalid_key;
  }
  return std::optional<std::string>(std::move(out));
}

JOT_INLINE result<algorithm> jwk_algorithm(const nlohmann::json& jwk,
                                           std::optional<algorithm> wanted) {
  const auto it = jwk.find("alg");
  if (it == jwk.end()) {
    if (!wanted) return errc::missing_algorithm;
    return *wanted;
  }
  if (!it->is_string()) return errc::invalid_key;
  const std::string& name = it->get_ref<const std::string&>();
  const bool signature_algorithm =
      std::any_of(std::begin(algorithm_table), std::end(algorithm_table),
                  [&name](const algorithm_info& row) { return row.name == name; }) ||
      algorithm_from_name(name).has_value();
  if (!signature_algorithm) return errc::key_use_mismatch;  // RSA1_5, A256KW, none ...
  if (wanted) {
    if (!algorithm_accepts_name(*wanted, name)) return errc::jwk_algorithm_mismatch;
    return *wanted;
  }
  if (const auto alg = algorithm_from_name(name)) return *alg;
  // The polymorphic "EdDSA": the curve decides (RFC 8037 §3.1); without one, the curve check of
  // the Ed25519 import speaks.
  const auto crv = jwk.find("crv");
  const algorithm_info* row =
      crv != jwk.end() && crv->is_string()
          ? with_curve(algorithm_family::eddsa, crv->get_ref<const std::string&>())
          : nullptr;
  return row != nullptr ? row->alg : algorithm::ed25519;
}

JOT_INLINE result<void> jwk_allows(const nlohmann::json& jwk, std::string_view operation) {
  if (const auto use = jwk.find("use"); use != jwk.end() && !is_json_string(*use, "sig")) {
    return use->is_string() ? errc::key_use_mismatch : errc::invalid_key;
  }
  const auto ops = jwk.find("key_ops");
  if (ops == jwk.end()) return {};
  if (!ops->is_array()) return errc::invalid_key;
  std::vector<std::string> seen;
  for (const auto& op : *ops) {
    if (!op.is_string()) return errc::invalid_key;
    if (std::find(seen.begin(), seen.end(), op.get<std::string>()) != seen.end()) {
      return errc::invalid_key;  // duplicates are not allowed (RFC 7517 §4.3)
    }
    seen.push_back(op.get<std::string>());
  }
  if (std::find(seen.begin(), seen.end(), operation) == seen.end()) return errc::key_use_mismatch;
  return {};
}

JOT_INLINE result<evp_pkey_ptr> rsa_from_jwk(const nlohmann::json& jwk, bool& has_private) {
  const char* names[] = {"n", "e", "d", "p", "q", "dp", "dq", "qi"};
  const char* params[] = {OSSL_PKEY_PARAM_RSA_N,         OSSL_PKEY_PARAM_RSA_E,
                          OSSL_PKEY_PARAM_RSA_D,         OSSL_PKEY_PARAM_RSA_FACTOR1,
                          OSSL_PKEY_PARAM_RSA_FACTOR2,   OSSL_PKEY_PARAM_RSA_EXPONENT1,
                          OSSL_PKEY_PARAM_RSA_EXPONENT2, OSSL_PKEY_PARAM_RSA_COEFFICIENT1};
  if (jwk.contains("oth")) return errc::invalid_key;  // multi-prime keys are not supported
  if (!jwk.contains("n") || !jwk.contains("e")) return errc::invalid_key;
  param_builder builder;
  if (!builder.ok()) return errc::crypto_failure;
  int present = 0;
  for (int i = 0; i < 8; ++i) {
    auto value = jwk_bytes(jwk, names[i]);
    if (!value) return value.error();
    if (!*value) continue;
    // Minimum-length big-endian integers (RFC 7518 §6.3.1.1): no leading zero octet.
    if ((*value)->empty() || (*value)->front() == '\0') return errc::invalid_key;
    if (i >= 2) ++present;
    if (!builder.push_bn(params[i], **value)) return errc::crypto_failure;
  }
  // d alone, or d with all five CRT members (RFC 7518 §6.3.2).
  if (present != 0 && present != 1 && present != 6) return errc::invalid_key;
  if (present == 1 && !jwk.contains("d")) return errc::invalid_key;
  has_private = present != 0;
  return builder.build("RSA", has_private ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY);
}

JOT_INLINE result<evp_pkey_ptr> ec_key_from_members(const nlohmann::json& jwk, const char* group,
                                                    std::size_t width, bool& has_private) {
  auto x = jwk_bytes(jwk, "x"), y = jwk_bytes(jwk, "y"), d = jwk_bytes(jwk, "d");
  if (!x || !y || !d) return errc::invalid_key;
  // Coordinates and d are full-width (RFC 7518 §6.2.1.2, §6.2.2.1).
  if (!*x || !*y || (*x)->size() != width || (*y)->size() != width) return errc::invalid_key;
  if (*d && (*d)->size() != width) return errc::invalid_key;
  param_builder builder;
  if (!builder.ok()) return errc::crypto_failure;
  const std::string point = "\x04" + **x + **y;  // uncompressed SEC 1 point
  has_private = d->has_value();
  if (OSSL_PARAM_BLD_push_utf8_string(builder.bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) !=
          1 ||
      OSSL_PARAM_BLD_push_octet_string(builder.bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1 ||
      (has_private && !builder.push_bn(OSSL_PKEY_PARAM_PRIV_KEY, **d))) {
    return errc::crypto_failure;
  }
  return builder.build("EC", has_private ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY);
}

JOT_INLINE result<evp_pkey_ptr> ec_from_jwk(const nlohmann::json& jwk, algorithm alg,
                                            bool& has_private) {
  const auto crv = jwk.find("crv");
  if (crv == jwk.end() || !crv->is_string()) return errc::invalid_key;
  const algorithm_info* curve =
      with_curve(algorithm_family::ecdsa, crv->get_ref<const std::string&>());
  if (curve == nullptr) return errc::invalid_key;
  if (curve->alg != alg) return errc::curve_mismatch;
  return ec_key_from_members(jwk, curve->group, curve->key_size, has_private);
}

JOT_INLINE result<evp_pkey_ptr> okp_key_from_members(const nlohmann::json& jwk, const char* type,
                                                     std::size_t size, bool& has_private) {
  auto x = jwk_bytes(jwk, "x"), d = jwk_bytes(jwk, "d");
  if (!x || !d || !*x || (*x)->size() != size || (*d && (*d)->size() != size)) {
    return errc::invalid_key;
  }
  has_private = d->has_value();
  const auto* bytes =
      reinterpret_cast<const unsigned char*>(has_private ? (*d)->data() : (*x)->data());
  evp_pkey_ptr key(has_private
                       ? EVP_PKEY_new_raw_private_key_ex(nullptr, type, nullptr, bytes, size)
                       : EVP_PKEY_new_raw_public_key_ex(nullptr, type, nullptr, bytes, size));
  clear_openssl_errors();
  if (!key) return errc::invalid_key;
  if (has_private) {  // the public value must be the one derived from d
    std::string derived(size, '\0');
    std::size_t length = size;
    if (EVP_PKEY_get_raw_public_key(key.get(), reinterpret_cast<unsigned char*>(derived.data()),
                                    &length) != 1) {
      clear_openssl_errors();
      return errc::crypto_failure;
    }
    if (derived != **x) return errc::invalid_key;
  }
  return key;
}

JOT_INLINE result<evp_pkey_ptr> okp_from_jwk(const nlohmann::json& jwk, algorithm alg,
                                             bool& has_private) {
  const auto crv = jwk.find("crv");
  if (crv == jwk.end() || !crv->is_string()) return errc::invalid_key;
  const algorithm_info* curve =
      with_curve(algorithm_family::eddsa, crv->get_ref<const std::string&>());
  if (curve == nullptr) return errc::key_type_mismatch;  // X25519/X448 are not signing keys
  if (curve->alg != alg) return errc::curve_mismatch;
  return okp_key_from_members(jwk, curve->group, curve->key_size, has_private);
}

JOT_INLINE result<imported_jwk> import_jwk(const nlohmann::json& jwk,
                                           std::optional<algorithm> wanted,
                                           std::string_view operation) {
  if (!jwk.is_object()) return errc::invalid_key;
  const auto kty = jwk.find("kty");
  if (kty == jwk.end() || !kty->is_string()) return errc::invalid_key;
  auto alg = jwk_algorithm(jwk, wanted);
  if (!alg) return alg.error();
  if (auto allowed = jwk_allows(jwk, operation); !allowed) return allowed.error();
  imported_jwk out{*alg, nullptr, std::nullopt, false, std::nullopt};
  if (const auto kid = jwk.find("kid"); kid != jwk.end()) {
    if (!kid->is_string() || kid->get_ref<const std::string&>().empty()) return errc::invalid_key;
    out.kid = kid->get<std::string>();
  }
  const std::string& type = kty->get_ref<const std::string&>();
  const bool fits = (type == "oct" && is_hmac(*alg)) || (type == "RSA" && is_rsa(*alg)) ||
                    (type == "EC" && is_ecdsa(*alg)) || (type == "OKP" && is_eddsa(*alg));
  if (!fits) {
    const bool known = type == "oct" || type == "RSA" || type == "EC" || type == "OKP";
    return known ? errc::key_type_mismatch : errc::invalid_key;
  }
  if (type == "oct") {
    auto k = jwk_bytes(jwk, "k");
    if (!k) return k.error();
    if (!*k) return errc::invalid_key;
    out.secret = secret_bytes(**k);
    OPENSSL_cleanse((*k)->data(), (*k)->size());
    out.has_private = true;
    return out;
  }
  auto key = type == "RSA"  ? rsa_from_jwk(jwk, out.has_private)
             : type == "EC" ? ec_from_jwk(jwk, *alg, out.has_private)
                            : okp_from_jwk(jwk, *alg, out.has_private);
  if (!key) return key.error();
  out.key = std::move(*key);
  return out;
}

}  // namespace detail
JOT_END_NAMESPACE
