#pragma once

// The JWS algorithms jot implements (RFC 7518 §3, RFC 8037, RFC 8812 §3.2, RFC 9864). There is
// deliberately no `none`: an unsecured JWS can be neither produced nor accepted, in any spelling.

#include <cstdint>
#include <optional>
#include <string_view>

#include "jot/config.hpp"

JOT_BEGIN_NAMESPACE

// The hash, curve and sizes of each algorithm are in one table (detail/algorithm_info.hpp).
enum class algorithm {
  hs256,  // HMAC (RFC 7518 §3.2)
  hs384,
  hs512,
  rs256,  // RSASSA-PKCS1-v1_5 (RFC 7518 §3.3)
  rs384,
  rs512,
  ps256,  // RSASSA-PSS, MGF1 with the same hash, salt as long as the hash (RFC 7518 §3.5)
  ps384,
  ps512,
  es256,  // ECDSA (RFC 7518 §3.4)
  es384,
  es512,
  es256k,   // ECDSA on secp256k1 (RFC 8812 §3.2)
  ed25519,  // EdDSA (RFC 8037 §3.1; "Ed25519" in RFC 9864)
  ed448,    // EdDSA (RFC 8037 §3.1; "Ed448" in RFC 9864)
};

// Every algorithm jot implements, in the enum's order.
inline constexpr algorithm all_algorithms[] = {
    algorithm::hs256, algorithm::hs384, algorithm::hs512,  algorithm::rs256,   algorithm::rs384,
    algorithm::rs512, algorithm::ps256, algorithm::ps384,  algorithm::ps512,   algorithm::es256,
    algorithm::es384, algorithm::es512, algorithm::es256k, algorithm::ed25519, algorithm::ed448};

JOT_END_NAMESPACE
#include "jot/detail/algorithm_info.hpp"  // needs the enum above
JOT_BEGIN_NAMESPACE

// The `alg` header value jot writes. Both Edwards curves write the polymorphic "EdDSA" of
// RFC 8037, which every EdDSA-capable JOSE library reads; the key still fixes the curve.
constexpr std::string_view algorithm_name(algorithm alg) noexcept { return detail::info(alg).name; }

// The fully-specified name (RFC 9864): "Ed25519" and "Ed448" for the Edwards curves, otherwise
// the same as algorithm_name().
constexpr std::string_view fully_specified_name(algorithm alg) noexcept {
  return detail::info(alg).fully_specified_name;
}

// Exact, case-sensitive lookup (RFC 7515 §4.1.1). "none", "None", "hs256" and unknown names give
// nullopt, and so does the polymorphic "EdDSA", which names no single algorithm: use "Ed25519"
// or "Ed448".
constexpr std::optional<algorithm> algorithm_from_name(std::string_view name) noexcept {
  for (algorithm alg : all_algorithms) {
    if (fully_specified_name(alg) == name) return alg;
  }
  return std::nullopt;
}

// True when a token whose header says `alg: name` may be checked by a key of algorithm `alg`.
constexpr bool algorithm_accepts_name(algorithm alg, std::string_view name) noexcept {
  return name == algorithm_name(alg) || name == fully_specified_name(alg);
}

// The algorithm's family, which decides the kind of key that serves it: an HMAC secret, an RSA
// key (is_rsa() is true for PKCS #1 v1.5 and for PSS, is_rsa_pss() for PSS alone), an EC key, or
// an Edwards-curve key.
constexpr bool is_hmac(algorithm alg) noexcept {
  return detail::info(alg).family == detail::algorithm_family::hmac;
}
constexpr bool is_rsa_pss(algorithm alg) noexcept {
  return detail::info(alg).family == detail::algorithm_family::rsa_pss;
}
constexpr bool is_rsa(algorithm alg) noexcept {
  return is_rsa_pss(alg) || detail::info(alg).family == detail::algorithm_family::rsa_pkcs1;
}
constexpr bool is_ecdsa(algorithm alg) noexcept {
  return detail::info(alg).family == detail::algorithm_family::ecdsa;
}
constexpr bool is_eddsa(algorithm alg) noexcept {
  return detail::info(alg).family == detail::algorithm_family::eddsa;
}

JOT_END_NAMESPACE
