#pragma once

// JWK -> key material (RFC 7517 §4, RFC 7518 §6, RFC 8037 §2, RFC 8812 §3.1). Everything is
// validated: required members per key type, canonical base64url, exact coordinate sizes, the
// point on the curve, the RSA floors, `use` / `key_ops`, and `alg` against the key.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "jot/algorithm.hpp"
#include "jot/config.hpp"
#include "jot/detail/openssl.hpp"
#include "jot/result.hpp"
#include "jot/secret.hpp"

JOT_BEGIN_NAMESPACE
namespace detail {

struct imported_jwk {
  algorithm alg;
  evp_pkey_ptr key;                    // asymmetric keys
  std::optional<secret_bytes> secret;  // "oct" keys
  bool has_private = false;
  std::optional<std::string> kid;
};

// A base64url member decoded; nullopt when absent, errc::invalid_key when not canonical.
JOT_INLINE result<std::optional<std::string>> jwk_bytes(const nlohmann::json& jwk,
                                                        const char* name);

// The algorithm the key is for: the JWK's `alg` and the caller's must agree; one must be given.
JOT_INLINE result<algorithm> jwk_algorithm(const nlohmann::json& jwk,
                                           std::optional<algorithm> wanted);

// `use` must be "sig" (RFC 7517 §4.2) and `key_ops` must allow the operation (§4.3).
JOT_INLINE result<void> jwk_allows(const nlohmann::json& jwk, std::string_view operation);

// The members of an RSA JWK: n and e, and d alone or d with all five CRT members.
JOT_INLINE result<evp_pkey_ptr> rsa_from_jwk(const nlohmann::json& jwk, bool& has_private);

// The members of an EC JWK on `group` (OpenSSL's name), `width` bytes per coordinate: x and y,
// and d when present. The point must be on the curve (EVP_PKEY_fromdata checks it).
JOT_INLINE result<evp_pkey_ptr> ec_key_from_members(const nlohmann::json& jwk, const char* group,
                                                    std::size_t width, bool& has_private);

// An EC JWK for `alg`: its `crv` must be the algorithm's curve.
JOT_INLINE result<evp_pkey_ptr> ec_from_jwk(const nlohmann::json& jwk, algorithm alg,
                                            bool& has_private);

// The members of an OKP JWK of key type `type` (OpenSSL's name), keys of `size` bytes: x, and d
// when present, whose public value must be x (RFC 8037 §2).
JOT_INLINE result<evp_pkey_ptr> okp_key_from_members(const nlohmann::json& jwk, const char* type,
                                                     std::size_t size, bool& has_private);

// An OKP JWK for `alg`: its `crv` must be the algorithm's Edwards curve.
JOT_INLINE result<evp_pkey_ptr> okp_from_jwk(const nlohmann::json& jwk, algorithm alg,
                                             bool& has_private);

// Imports one JWK for `operation` ("verify" or "sign").
JOT_INLINE result<imported_jwk> import_jwk(const nlohmann::json& jwk,
                                           std::optional<algorithm> wanted,
                                           std::string_view operation);

}  // namespace detail
JOT_END_NAMESPACE

// The definitions, unless <jot/compile_once.hpp> compiles them once (JOT_INLINE, config.hpp).
#ifndef JOT_SEPARATE_COMPILATION
#include "jot/detail/jwk_import_impl.hpp"
#endif
