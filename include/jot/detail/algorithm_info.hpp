#pragma once

// What jot knows about each algorithm, one row per algorithm; the name functions of
// jot/algorithm.hpp, the key checks, JWK import and export, the signature sizes and the CLI
// derive from it. Included by jot/algorithm.hpp after the enum, whose enumerators it needs.

#include <cstddef>
#include <string_view>

JOT_BEGIN_NAMESPACE
namespace detail {

enum class algorithm_family { hmac, rsa_pkcs1, rsa_pss, ecdsa, eddsa };

struct algorithm_info {
  algorithm alg;
  std::string_view name;                  // the `alg` jot writes (RFC 7518 §3.1, RFC 8037 §3.1)
  std::string_view fully_specified_name;  // RFC 9864 §2
  algorithm_family family;
  const char* digest;  // OpenSSL's name of the hash; none for EdDSA, which hashes inside (RFC 8032)
  const char* group;   // OpenSSL's name of the EC group, or the key type for EdDSA
  std::string_view crv;         // JOSE `crv` (RFC 7518 §6.2.1.1, RFC 8037 §2, RFC 8812 §3.1)
  std::size_t key_size;         // EC coordinate size, or EdDSA public key size, in bytes
  std::size_t signature_size;   // the JWS signature size; 0 for RSA (the modulus length)
  std::size_t min_secret_size;  // HMAC: the hash output size (RFC 7518 §3.2); 0 otherwise
};

constexpr algorithm_info hmac_row(algorithm alg, std::string_view name, const char* digest,
                                  std::size_t hash_size) {
  return {alg, name, name, algorithm_family::hmac, digest, nullptr, {}, 0, hash_size, hash_size};
}
constexpr algorithm_info rsa_row(algorithm alg, std::string_view name, algorithm_family family,
                                 const char* digest) {
  return {alg, name, name, family, digest, nullptr, {}, 0, 0, 0};
}
// R || S, each the coordinate size (RFC 7518 §3.4).
constexpr algorithm_info ecdsa_row(algorithm alg, std::string_view name, const char* digest,
                                   const char* group, std::string_view crv, std::size_t width) {
  return {alg, name, name, algorithm_family::ecdsa, digest, group, crv, width, 2 * width, 0};
}
// Both curves write the polymorphic "EdDSA" (RFC 8037 §3.1) and are named by RFC 9864.
constexpr algorithm_info eddsa_row(algorithm alg, std::string_view crv, const char* key_type,
                                   std::size_t key_size, std::size_t signature_size) {
  return {alg,      "EdDSA", crv,      algorithm_family::eddsa, nullptr,
          key_type, crv,     key_size, signature_size,          0};
}

inline constexpr algorithm_info algorithm_table[] = {
    hmac_row(algorithm::hs256, "HS256", "SHA256", 32),  // RFC 7518 §3.2
    hmac_row(algorithm::hs384, "HS384", "SHA384", 48),
    hmac_row(algorithm::hs512, "HS512", "SHA512", 64),
    rsa_row(algorithm::rs256, "RS256", algorithm_family::rsa_pkcs1, "SHA256"),  // RFC 7518 §3.3
    rsa_row(algorithm::rs384, "RS384", algorithm_family::rsa_pkcs1, "SHA384"),
    rsa_row(algorithm::rs512, "RS512", algorithm_family::rsa_pkcs1, "SHA512"),
    rsa_row(algorithm::ps256, "PS256", algorithm_family::rsa_pss, "SHA256"),  // RFC 7518 §3.5
    rsa_row(algorithm::ps384, "PS384", algorithm_family::rsa_pss, "SHA384"),
    rsa_row(algorithm::ps512, "PS512", algorithm_family::rsa_pss, "SHA512"),
    ecdsa_row(algorithm::es256, "ES256", "SHA256", "prime256v1", "P-256", 32),  // RFC 7518 §3.4
    ecdsa_row(algorithm::es384, "ES384", "SHA384", "secp384r1", "P-384", 48),
    ecdsa_row(algorithm::es512, "ES512", "SHA512", "secp521r1", "P-521", 66),
    ecdsa_row(algorithm::es256k, "ES256K", "SHA256", "secp256k1", "secp256k1", 32),  // RFC 8812
    eddsa_row(algorithm::ed25519, "Ed25519", "ED25519", 32, 64),  // RFC 8032 §5.1.5, §5.1.6
    eddsa_row(algorithm::ed448, "Ed448", "ED448", 57, 114),       // RFC 8032 §5.2.5, §5.2.6
};

constexpr bool table_follows_enum() noexcept {
  std::size_t i = 0;
  for (const auto& row : algorithm_table) {
    if (row.alg != all_algorithms[i++]) return false;
  }
  return i == sizeof all_algorithms / sizeof all_algorithms[0];
}
static_assert(table_follows_enum(), "one row per algorithm, in the order of the enum");

constexpr const algorithm_info& info(algorithm alg) noexcept {
  return algorithm_table[static_cast<std::size_t>(alg)];
}

// The row of `family` whose JOSE `crv` is `crv`, or none.
constexpr const algorithm_info* with_curve(algorithm_family family, std::string_view crv) noexcept {
  for (const auto& row : algorithm_table) {
    if (row.family == family && row.crv == crv) return &row;
  }
  return nullptr;
}

// The largest EdDSA public key, for buffers.
inline constexpr std::size_t max_eddsa_key_size = [] {
  std::size_t largest = 0;
  for (const auto& row : algorithm_table) {
    if (row.family == algorithm_family::eddsa && row.key_size > largest) largest = row.key_size;
  }
  return largest;
}();

}  // namespace detail
JOT_END_NAMESPACE
