#pragma once

// Loading asymmetric keys (PEM, DER, X.509 certificates) into EVP_PKEY, and the checks that bind
// a key to exactly one algorithm: key type, curve, RSA size and exponent, point validity. This
// runs once per key, never per token.

#include <cstddef>
#include <string_view>

#include <openssl/evp.h>

#include "jot/algorithm.hpp"
#include "jot/config.hpp"
#include "jot/detail/openssl.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE
namespace detail {

inline constexpr int min_rsa_bits = 2048;   // RFC 7518 §3.3, §3.5
inline constexpr int max_rsa_bits = 16384;  // bounds the cost of one verification

// Loading distinguishes OpenSSL's verdict on the bytes ("not a key of this kind":
// errc::invalid_key) from OpenSSL failing to run at all (errc::crypto_failure), so that an
// allocation failure is never mistaken for bad input.

// Decodes a key from PEM or DER text. `selection` is EVP_PKEY_PUBLIC_KEY or EVP_PKEY_KEYPAIR.
// An encrypted private key needs `password`; jot never prompts on a terminal.
JOT_INLINE result<evp_pkey_ptr> decode_key(std::string_view data, const char* input_type,
                                           int selection, std::string_view password = {});

// The public key of an X.509 certificate in PEM or DER. The certificate itself is not validated:
// trust comes from configuring it, exactly as for a bare public key.
JOT_INLINE result<evp_pkey_ptr> certificate_key(std::string_view data, bool pem);

// A verification key never holds private material: re-import the public half only. The key
// was loaded already, so any failure here is OpenSSL's.
JOT_INLINE result<evp_pkey_ptr> public_half(EVP_PKEY* key);

// An RSA key jot accepts: 2048 to 16384 bits, an odd exponent above 1, no ROCA fingerprint, and
// with `has_private`, a private exponent (and CRT members) that fit the public key.
JOT_INLINE result<void> check_rsa(EVP_PKEY* key, bool has_private);

// An EC key's point on its curve (OpenSSL's public check), and with `has_private` its pair.
JOT_INLINE result<void> check_point(EVP_PKEY* key, bool has_private);

// Does `key` fit `alg` exactly? Each kind of misfit has its own code.
JOT_INLINE result<void> check_key_fits(algorithm alg, EVP_PKEY* key, bool has_private);

// A fresh key pair for `alg`.
JOT_INLINE evp_pkey_ptr generate_key(algorithm alg, std::size_t rsa_bits);

}  // namespace detail
JOT_END_NAMESPACE

// The definitions, unless <jot/compile_once.hpp> compiles them once (JOT_INLINE, config.hpp).
#ifndef JOT_SEPARATE_COMPILATION
#include "jot/detail/pkey_impl.hpp"
#endif
