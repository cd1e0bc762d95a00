#pragma once

// Key material -> JWK members (RFC 7518 §6, RFC 8037 §2). Integers are minimal big-endian
// (RSA, §6.3.1.1) or full coordinate width (EC, §6.2.1.2), then base64url.

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

#include "jot/config.hpp"
#include "jot/detail/evp_signature.hpp"
#include "jot/detail/hmac.hpp"
#include "jot/detail/openssl.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE
namespace detail {

// A BIGNUM parameter as base64url; `width` pads (EC) or 0 keeps it minimal (RSA).
JOT_INLINE bool bn_member(EVP_PKEY* key, const char* param, std::size_t width, std::string& out);

// The raw public (or, with `private_part`, private) key of an Edwards key as base64url.
JOT_INLINE bool raw_member(EVP_PKEY* key, bool private_part, std::string& out);

// The members of a JWK for an HMAC key: kty and k (RFC 7518 §6.4).
JOT_INLINE nlohmann::json oct_members(const hmac_key& key);

// The members of an RSA JWK (RFC 7518 §6.3); with `include_private`, d and the CRT members too.
JOT_INLINE result<nlohmann::json> rsa_members(EVP_PKEY* key, bool include_private);

// The key-type members of a JWK for an asymmetric key; with `include_private`, d and the RSA
// CRT members too.
JOT_INLINE result<nlohmann::json> pkey_members(const evp_signature_key& impl, bool include_private);

}  // namespace detail
JOT_END_NAMESPACE

// The definitions, unless <jot/compile_once.hpp> compiles them once (JOT_INLINE, config.hpp).
#ifndef JOT_SEPARATE_COMPILATION
#include "jot/detail/jwk_export_impl.hpp"
#endif
