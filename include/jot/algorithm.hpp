#pragma once

// The JWS algorithms jot implements (RFC 7518 §3, RFC 8037, RFC 8812 §3.2, RFC 9864). There is
// deliberately no `none`: an unsecured JWS can be neither produced nor accepted, in any spelling.

#include <cstdint>
#include <optional>
#include <string_view>

#include "jot/config.hpp"

JOT_BEGIN_NAMESPACE

enum class algorithm {
  hs256,    // HMAC with SHA-256 (RFC 7518 §3.2)
  hs384,    // HMAC with SHA-384
  hs512,    // HMAC with SHA-512
  rs256,    // RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 §3.3)
  rs384,    // RSASSA-PKCS1-v1_5 with SHA-384
  rs512,    // RSASSA-PKCS1-v1_5 with SHA-512
  ps256,    // RSASSA-PSS, SHA-256, MGF1 with SHA-256, 32-byte salt (RFC 7518 §3.5)
  ps384,    // RSASSA-PSS, SHA-384, MGF1 with SHA-384, 48-byte salt
  ps512,    // RSASSA-PSS, SHA-512, MGF1 with SHA-512, 64-byte salt
  es256,    // ECDSA on P-256 with SHA-256 (RFC 7518 §3.4)
  es384,    // ECDSA on P-384 with SHA-384
  es512,    // ECDSA on P-521 with SHA-512
  es256k,   // ECDSA on secp256k1 with SHA-256 (RFC 8812 §3.2)
  ed25519,  // EdDSA on Ed25519 (RFC 8037 §3.1; "Ed25519" in RFC 9864)
  ed448,    // EdDSA on Ed448 (RFC 8037 §3.1; "Ed448" in RFC 9864)
};

inline constexpr algorithm all_algorithms[] = {
    algorithm::hs256, algorithm::hs384, algorithm::hs512,  algorithm::rs256,   algorithm::rs384,
    algorithm::rs512, algorithm::ps256, algorithm::ps384,  algorithm::ps512,   algorithm::es256,
    algorithm::es384, algorithm::es512, algorithm::es256k, algorithm::ed25519, algorithm::ed448};

// The `alg` header value jot writes. Both Edwards curves write the polymorphic "EdDSA" of
// RFC 8037, which every EdDSA-capable JOSE library reads; the key still fixes the curve.
constexpr std::string_view algorithm_name(algorithm alg) noexcept {
  switch (alg) {
    case algorithm::hs256:
      return "HS256";
    case algorithm::hs384:
      return "HS384";
    case algorithm::hs512:
      return "HS512";
    case algorithm::rs256:
      return "RS256";
    case algorithm::rs384:
      return "RS384";
    case algorithm::rs512:
      return "RS512";
    case algorithm::ps256:
      return "PS256";
    case algorithm::ps384:
      return "PS384";
    case algorithm::ps512:
      return "PS512";
    case algorithm::es256:
      return "ES256";
    case algorithm::es384:
      return "ES384";
    case algorithm::es512:
      return "ES512";
    case algorithm::es256k:
      return "ES256K";
    case algorithm::ed25519:
      return "EdDSA";
    case algorithm::ed448:
      return "EdDSA";
  }
  return {};
}

// The fully-specified name (RFC 9864): "Ed25519" and "Ed448" for the Edwards curves, otherwise
// the same as algorithm_name().
constexpr std::string_view fully_specified_name(algorithm alg) noexcept {
  if (alg == algorithm::ed25519) return "Ed25519";
  if (alg == algorithm::ed448) return "Ed448";
  return algorithm_name(alg);
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

constexpr bool is_hmac(algorithm alg) noexcept {
  return alg == algorithm::hs256 || alg == algorithm::hs384 || alg == algorithm::hs512;
}
constexpr bool is_rsa(algorithm alg) noexcept {
  return alg >= algorithm::rs256 && alg <= algorithm::ps512;
}
constexpr bool is_rsa_pss(algorithm alg) noexcept {
  return alg >= algorithm::ps256 && alg <= algorithm::ps512;
}
constexpr bool is_ecdsa(algorithm alg) noexcept {
  return alg >= algorithm::es256 && alg <= algorithm::es256k;
}
constexpr bool is_eddsa(algorithm alg) noexcept {
  return alg == algorithm::ed25519 || alg == algorithm::ed448;
}

JOT_END_NAMESPACE
