#pragma once

// Loading asymmetric keys (PEM, DER, X.509 certificates) into EVP_PKEY, and the checks that bind
// a key to exactly one algorithm: key type, curve, RSA size and exponent, point validity. This
// runs once per key, never per token.

#include <cstddef>
#include <string>
#include <string_view>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/decoder.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "jot/algorithm.hpp"
#include "jot/detail/openssl.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE
namespace detail {

inline constexpr int min_rsa_bits = 2048;   // RFC 7518 §3.3, §3.5
inline constexpr int max_rsa_bits = 16384;  // bounds the cost of one verification

// The OpenSSL group name an ECDSA algorithm requires (RFC 7518 §3.4, RFC 8812 §3.2).
inline const char* required_curve(algorithm alg) noexcept {
  switch (alg) {
    case algorithm::es256:
      return "prime256v1";
    case algorithm::es384:
      return "secp384r1";
    case algorithm::es512:
      return "secp521r1";
    case algorithm::es256k:
      return "secp256k1";
    default:
      return nullptr;
  }
}

// Decodes a key from PEM or DER text. `selection` is EVP_PKEY_PUBLIC_KEY or EVP_PKEY_KEYPAIR.
// An encrypted private key needs `password`; jot never prompts on a terminal.
inline evp_pkey_ptr decode_key(std::string_view data, const char* input_type, int selection,
                               std::string_view password = {}) {
  EVP_PKEY* key = nullptr;
  OSSL_DECODER_CTX* ctx = OSSL_DECODER_CTX_new_for_pkey(&key, input_type, nullptr, nullptr,
                                                        selection, nullptr, nullptr);
  if (ctx == nullptr) return nullptr;
  if (!password.empty()) {
    OSSL_DECODER_CTX_set_passphrase(ctx, reinterpret_cast<const unsigned char*>(password.data()),
                                    password.size());
  }
  const auto* cursor = reinterpret_cast<const unsigned char*>(data.data());
  std::size_t remaining = data.size();
  const bool ok = OSSL_DECODER_from_data(ctx, &cursor, &remaining) == 1;
  OSSL_DECODER_CTX_free(ctx);
  clear_openssl_errors();
  evp_pkey_ptr owned(key);
  return ok ? std::move(owned) : nullptr;
}

// The public key of an X.509 certificate in PEM or DER. The certificate itself is not validated:
// trust comes from configuring it, exactly as for a bare public key.
inline evp_pkey_ptr certificate_key(std::string_view data, bool pem) {
  X509* certificate = nullptr;
  if (pem) {
    BIO* bio = BIO_new_mem_buf(data.data(), static_cast<int>(data.size()));
    if (bio != nullptr) certificate = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
  } else {
    const auto* cursor = reinterpret_cast<const unsigned char*>(data.data());
    certificate = d2i_X509(nullptr, &cursor, static_cast<long>(data.size()));
  }
  evp_pkey_ptr key(certificate != nullptr ? X509_get_pubkey(certificate) : nullptr);
  X509_free(certificate);
  clear_openssl_errors();
  return key;
}

// A verification key never holds private material: re-import the public half only.
inline evp_pkey_ptr public_half(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  const int size = i2d_PUBKEY(key, &der);
  if (size <= 0) return nullptr;
  const unsigned char* cursor = der;
  evp_pkey_ptr out(d2i_PUBKEY(nullptr, &cursor, size));
  OPENSSL_free(der);
  clear_openssl_errors();
  return out;
}

inline result<void> check_rsa(EVP_PKEY* key) {
  const int bits = EVP_PKEY_get_bits(key);
  if (bits < min_rsa_bits) return errc::weak_key;
  if (bits > max_rsa_bits) return errc::invalid_key;
  BIGNUM* e = nullptr;
  if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &e) != 1) return errc::invalid_key;
  // An exponent of 1 makes the "signature" equal to the padded digest; even exponents are not
  // RSA. Anything above 2^256 is not a key any library generates.
  const bool sane = BN_is_odd(e) && !BN_is_one(e) && BN_num_bits(e) <= 256;
  BN_free(e);
  return sane ? result<void>{} : result<void>{errc::invalid_key};
}

inline result<void> check_point(EVP_PKEY* key, bool has_private) {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr);
  if (ctx == nullptr) return errc::crypto_failure;
  const int ok = has_private ? EVP_PKEY_pairwise_check(ctx) : EVP_PKEY_public_check(ctx);
  EVP_PKEY_CTX_free(ctx);
  clear_openssl_errors();
  return ok == 1 ? result<void>{} : result<void>{errc::invalid_key};
}

// Does `key` fit `alg` exactly? Each kind of misfit has its own code.
inline result<void> check_key_fits(algorithm alg, EVP_PKEY* key, bool has_private) {
  if (is_hmac(alg)) return errc::key_type_mismatch;  // an asymmetric key is never an HMAC secret
  if (is_rsa(alg)) {
    if (!EVP_PKEY_is_a(key, "RSA")) return errc::key_type_mismatch;
    return check_rsa(key);
  }
  if (is_ecdsa(alg)) {
    if (!EVP_PKEY_is_a(key, "EC")) return errc::key_type_mismatch;
    char group[64] = {};
    std::size_t length = 0;
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                       &length) != 1) {
      return errc::invalid_key;  // explicit curve parameters: refused (RFC 5480 §2.1.1)
    }
    if (std::string_view(group, length) != required_curve(alg)) return errc::curve_mismatch;
    return check_point(key, has_private);
  }
  const char* wanted = alg == algorithm::ed25519 ? "ED25519" : "ED448";
  const char* other = alg == algorithm::ed25519 ? "ED448" : "ED25519";
  if (EVP_PKEY_is_a(key, wanted)) return {};
  return EVP_PKEY_is_a(key, other) ? errc::curve_mismatch : errc::key_type_mismatch;
}

// A fresh key pair for `alg`.
inline evp_pkey_ptr generate_key(algorithm alg, std::size_t rsa_bits) {
  EVP_PKEY* key = nullptr;
  if (is_rsa(alg)) {
    key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", rsa_bits);
  } else if (is_ecdsa(alg)) {
    key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", required_curve(alg));
  } else if (is_eddsa(alg)) {
    key = EVP_PKEY_Q_keygen(nullptr, nullptr, alg == algorithm::ed25519 ? "ED25519" : "ED448");
  }
  clear_openssl_errors();
  return evp_pkey_ptr(key);
}

}  // namespace detail
JOT_END_NAMESPACE
