#pragma once

// The JWS algorithms jot implements (RFC 7518 §3). There is deliberately no `none`: an
// unsecured JWS can be neither produced nor accepted, in any spelling.

#include <optional>
#include <string_view>

#include "jot/config.hpp"

JOT_BEGIN_NAMESPACE

enum class algorithm {
  hs256,  // HMAC with SHA-256 (RFC 7518 §3.2)
  hs384,  // HMAC with SHA-384
  hs512,  // HMAC with SHA-512
};

// The registered `alg` header value ("HS256").
constexpr std::string_view algorithm_name(algorithm alg) noexcept {
  switch (alg) {
    case algorithm::hs256:
      return "HS256";
    case algorithm::hs384:
      return "HS384";
    case algorithm::hs512:
      return "HS512";
  }
  return {};
}

// Exact, case-sensitive lookup of an `alg` value (RFC 7515 §4.1.1: the value is case-sensitive).
// "none", "None", "hs256" and unknown names all give nullopt.
constexpr std::optional<algorithm> algorithm_from_name(std::string_view name) noexcept {
  for (algorithm alg : {algorithm::hs256, algorithm::hs384, algorithm::hs512}) {
    if (algorithm_name(alg) == name) return alg;
  }
  return std::nullopt;
}

constexpr bool is_hmac(algorithm alg) noexcept {
  return alg == algorithm::hs256 || alg == algorithm::hs384 || alg == algorithm::hs512;
}

JOT_END_NAMESPACE
