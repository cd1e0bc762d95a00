#pragma once

// Key material -> JWK members (RFC 7518 §6, RFC 8037 §2). Integers are minimal big-endian
// (RSA, §6.3.1.1) or full coordinate width (EC, §6.2.1.2), then base64url.

#include <string>

#include <openssl/bn.h>
#include <nlohmann/json.hpp>

#include "jot/algorithm.hpp"
#include "jot/base64url.hpp"
#include "jot/detail/evp_signature.hpp"
#include "jot/detail/hmac.hpp"
#include "jot/detail/openssl.hpp"
#include "jot/result.hpp"
#include "jot/signer.hpp"

JOT_BEGIN_NAMESPACE
namespace detail {

// A BIGNUM parameter as base64url; `width` pads (EC) or 0 keeps it minimal (RSA).
inline bool bn_member(EVP_PKEY* key, const char* param, std::size_t width, std::string& out) {
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

inline bool raw_member(EVP_PKEY* key, bool private_part, std::string& out) {
  unsigned char bytes[64];
  std::size_t size = sizeof bytes;
  const int ok = private_part ? EVP_PKEY_get_raw_private_key(key, bytes, &size)
                              : EVP_PKEY_get_raw_public_key(key, bytes, &size);
  if (ok == 1) out = base64url_encode(std::string(reinterpret_cast<char*>(bytes), size));
  OPENSSL_cleanse(bytes, sizeof bytes);
  clear_openssl_errors();
  return ok == 1;
}

// The members of a JWK for an HMAC key: kty and k (RFC 7518 §6.4).
inline nlohmann::json oct_members(const hmac_key& key) {
  return {{"kty", "oct"}, {"k", base64url_encode(key.secret().unsafe_bytes())}};
}

// The members of an RSA JWK (RFC 7518 §6.3); with `include_private`, d and the CRT members too.
inline result<nlohmann::json> rsa_members(EVP_PKEY* key, bool include_private) {
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

// The key-type members of a JWK for an asymmetric key; with `include_private`, d and the RSA
// CRT members too.
inline result<nlohmann::json> pkey_members(const evp_signature_key& impl, bool include_private) {
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
