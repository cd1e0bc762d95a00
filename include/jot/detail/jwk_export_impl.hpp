#pragma once

// The definitions of what detail/jwk_export.hpp declares with JOT_INLINE (config.hpp).

#include <cstddef>
#include <string>
#include <utility>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <nlohmann/json.hpp>

#include "jot/algorithm.hpp"
#include "jot/base64url.hpp"
#include "jot/detail/evp_signature.hpp"
#include "jot/detail/hmac.hpp"
#include "jot/detail/openssl.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE
namespace detail {

JOT_INLINE bool bn_member(EVP_PKEY* key, const char* param, std::size_t width, std::string& out) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, param, &raw) != 1) {
    clear_openssl_errors();
    return false;
  }
  const bn_ptr n(raw);
  const std::size_t size = width != 0 ? width : static_cast<std::size_t>(BN_num_bytes(n.get()));
  std::string bytes(size, '\0');
  const bool ok = BN_bn2binpad(n.get(), reinterpret_cast<unsigned char*>(bytes.data()),
                               static_cast<int>(size)) >= 0;
  if (ok) out = base64url_encode(bytes);
  OPENSSL_cleanse(bytes.data(), bytes.size());
  return ok;
}

JOT_INLINE bool raw_member(EVP_PKEY* key, bool private_part, std::string& out) {
  unsigned char bytes[64];
  std::size_t size = sizeof bytes;
  const int ok = private_part ? EVP_PKEY_get_raw_private_key(key, bytes, &size)
                              : EVP_PKEY_get_raw_public_key(key, bytes, &size);
  if (ok == 1) out = base64url_encode(std::string(reinterpret_cast<char*>(bytes), size));
  OPENSSL_cleanse(bytes, sizeof bytes);
  clear_openssl_errors();
  return ok == 1;
}

JOT_INLINE nlohmann::json oct_members(const hmac_key& key) {
  return {{"kty", "oct"}, {"k", base64url_encode(key.secret().unsafe_bytes())}};
}

JOT_INLINE result<nlohmann::json> rsa_members(EVP_PKEY* key, bool include_private) {
  std::string n, e;
  if (!bn_member(key, OSSL_PKEY_PARAM_RSA_N, 0, n) ||
      !bn_member(key, OSSL_PKEY_PARAM_RSA_E, 0, e)) {
    return errc::crypto_failure;
  }
  nlohmann::json jwk = {{"kty", "RSA"}, {"n", n}, {"e", e}};
  if (include_private) {
    const std::pair<const char*, const char*> members[] = {
        {"d", OSSL_PKEY_PARAM_RSA_D},          {"p", OSSL_PKEY_PARAM_RSA_FACTOR1},
        {"q", OSSL_PKEY_PARAM_RSA_FACTOR2},    {"dp", OSSL_PKEY_PARAM_RSA_EXPONENT1},
        {"dq", OSSL_PKEY_PARAM_RSA_EXPONENT2}, {"qi", OSSL_PKEY_PARAM_RSA_COEFFICIENT1}};
    // d, then the CRT members: all five or none, never some (RFC 7518 §6.3.2). A key imported
    // from d alone has none; a failure to read p is taken for that.
    std::size_t written = 0;
    std::string value;
    for (const auto& [name, param] : members) {
      if (!bn_member(key, param, 0, value)) break;
      jwk[name] = value;
      ++written;
    }
    if (written != 1 && written != 6) return errc::crypto_failure;
  }
  return jwk;
}

JOT_INLINE result<nlohmann::json> pkey_members(const evp_signature_key& impl,
                                               bool include_private) {
  EVP_PKEY* key = impl.pkey();
  const algorithm alg = impl.alg();
  if (is_rsa(alg)) return rsa_members(key, include_private);
  nlohmann::json jwk;
  std::string a, b;
  if (is_ecdsa(alg)) {
    const std::size_t width = impl.coordinate_size();
    if (!bn_member(key, OSSL_PKEY_PARAM_EC_PUB_X, width, a) ||
        !bn_member(key, OSSL_PKEY_PARAM_EC_PUB_Y, width, b)) {
      return errc::crypto_failure;
    }
    jwk = {{"kty", "EC"}, {"crv", info(alg).crv}, {"x", a}, {"y", b}};
    if (include_private) {
      if (!bn_member(key, OSSL_PKEY_PARAM_PRIV_KEY, width, a)) return errc::crypto_failure;
      jwk["d"] = a;
    }
    return jwk;
  }
  if (!raw_member(key, false, a)) return errc::crypto_failure;
  jwk = {{"kty", "OKP"}, {"crv", info(alg).crv}, {"x", a}};
  if (include_private) {
    if (!raw_member(key, true, b)) return errc::crypto_failure;
    jwk["d"] = b;
  }
  return jwk;
}

}  // namespace detail
JOT_END_NAMESPACE
