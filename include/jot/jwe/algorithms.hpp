#pragma once

// The JWE algorithms jot implements (RFC 7516, RFC 7518 §4 and §5), in one table each: the key
// management algorithms (`alg`) and the content encryption algorithms (`enc`). Every size a
// token's segments must have is read from these rows, never repeated in code.
//
// Refused by design (docs/security.md): RSA1_5 (Bleichenbacher's padding oracle), PBES2-* (a
// password-derived key whose iteration count `p2c` the token chooses: a CPU bomb), A192* (no
// reason to prefer them over the 128- and 256-bit variants), A*GCMKW (AES-KW serves the same
// role without two more header members), `zip` (compression oracles and bombs) and the JSON
// serialization (compact only). Their names are simply not in the tables, so a token naming one
// is refused like any unknown name.

#include <cstddef>
#include <optional>
#include <string_view>

#include "jot/config.hpp"

JOT_BEGIN_NAMESPACE
namespace jwe {

// A key management algorithm (RFC 7518 §4): how the content encryption key reaches the
// recipient. Each key is bound to exactly one.
enum class key_management {
  dir,             // the shared key is the content encryption key (§4.5)
  a128kw,          // AES Key Wrap, RFC 3394 (§4.4)
  a256kw,          //
  rsa_oaep,        // RSAES-OAEP, SHA-1 and MGF1-SHA-1 (§4.3): for interoperability only
  rsa_oaep_256,    // RSAES-OAEP, SHA-256 and MGF1-SHA-256 (§4.3)
  ecdh_es,         // ECDH-ES direct key agreement (§4.6), Concat KDF
  ecdh_es_a128kw,  // ECDH-ES, then AES Key Wrap with the derived key (§4.6)
  ecdh_es_a256kw,  //
};

// A content encryption algorithm (RFC 7518 §5): the authenticated encryption of the payload.
enum class content_encryption {
  a128gcm,        // AES-GCM (§5.3)
  a256gcm,        //
  a128cbc_hs256,  // AES-CBC with HMAC-SHA-2, encrypt then MAC (§5.2)
  a256cbc_hs512,  //
};

// The curve of an ECDH-ES key (RFC 7518 §4.6, RFC 8037 §3.2), for generating one.
enum class ecdh_curve { p256, p384, p521, x25519 };

namespace detail {

// How a key management algorithm works; decides the kind of key that serves it.
enum class key_management_family { direct, aes_kw, rsa_oaep, ecdh_es, ecdh_es_kw };

struct key_management_info {
  key_management alg;
  std::string_view name;  // the `alg` header value
  key_management_family family;
  std::size_t key_size;  // bytes of the AES key (A*KW, ECDH-ES+A*KW); 0 otherwise
  const char* cipher;    // OpenSSL name of the key wrap cipher, or of the OAEP digest
};

inline constexpr key_management_info key_management_table[] = {
    {key_management::dir, "dir", key_management_family::direct, 0, nullptr},
    {key_management::a128kw, "A128KW", key_management_family::aes_kw, 16, "AES-128-WRAP"},
    {key_management::a256kw, "A256KW", key_management_family::aes_kw, 32, "AES-256-WRAP"},
    {key_management::rsa_oaep, "RSA-OAEP", key_management_family::rsa_oaep, 0, "SHA1"},
    {key_management::rsa_oaep_256, "RSA-OAEP-256", key_management_family::rsa_oaep, 0, "SHA256"},
    {key_management::ecdh_es, "ECDH-ES", key_management_family::ecdh_es, 0, nullptr},
    {key_management::ecdh_es_a128kw, "ECDH-ES+A128KW", key_management_family::ecdh_es_kw, 16,
     "AES-128-WRAP"},
    {key_management::ecdh_es_a256kw, "ECDH-ES+A256KW", key_management_family::ecdh_es_kw, 32,
     "AES-256-WRAP"},
};

// How a content encryption algorithm works.
enum class content_family { gcm, cbc_hmac };

struct content_encryption_info {
  content_encryption enc;
  std::string_view name;  // the `enc` header value
  content_family family;
  std::size_t key_size;  // bytes of the CEK: for CBC-HMAC the MAC key then the AES key (§5.2.2.1)
  std::size_t iv_size;   // bytes of the Initialization Vector segment
  std::size_t tag_size;  // bytes of the Authentication Tag segment
  const char* cipher;    // OpenSSL cipher name
  const char* digest;    // the HMAC's hash (CBC-HMAC), nullptr for GCM
};

inline constexpr content_encryption_info content_encryption_table[] = {
    {content_encryption::a128gcm, "A128GCM", content_family::gcm, 16, 12, 16, "AES-128-GCM",
     nullptr},
    {content_encryption::a256gcm, "A256GCM", content_family::gcm, 32, 12, 16, "AES-256-GCM",
     nullptr},
    {content_encryption::a128cbc_hs256, "A128CBC-HS256", content_family::cbc_hmac, 32, 16, 16,
     "AES-128-CBC", "SHA256"},
    {content_encryption::a256cbc_hs512, "A256CBC-HS512", content_family::cbc_hmac, 64, 16, 32,
     "AES-256-CBC", "SHA512"},
};

constexpr const key_management_info& info(key_management alg) noexcept {
  return key_management_table[static_cast<std::size_t>(alg)];
}
constexpr const content_encryption_info& info(content_encryption enc) noexcept {
  return content_encryption_table[static_cast<std::size_t>(enc)];
}

}  // namespace detail

// The `alg` header value of a key management algorithm ("RSA-OAEP-256").
constexpr std::string_view key_management_name(key_management alg) noexcept {
  return detail::info(alg).name;
}
// The `enc` header value of a content encryption algorithm ("A256GCM").
constexpr std::string_view content_encryption_name(content_encryption enc) noexcept {
  return detail::info(enc).name;
}

// Exact, case-sensitive lookup of an `alg` value; nullopt for every name jot does not implement
// (RSA1_5, PBES2-*, A192KW, A128GCMKW ...).
constexpr std::optional<key_management> key_management_from_name(std::string_view name) noexcept {
  for (const auto& row : detail::key_management_table) {
    if (row.name == name) return row.alg;
  }
  return std::nullopt;
}
// Exact, case-sensitive lookup of an `enc` value; nullopt for A192GCM, A192CBC-HS384 and unknown
// names.
constexpr std::optional<content_encryption> content_encryption_from_name(
    std::string_view name) noexcept {
  for (const auto& row : detail::content_encryption_table) {
    if (row.name == name) return row.enc;
  }
  return std::nullopt;
}

// The length in bytes of the content encryption key `enc` uses: the size of a `dir` key for it.
constexpr std::size_t content_key_size(content_encryption enc) noexcept {
  return detail::info(enc).key_size;
}

}  // namespace jwe
JOT_END_NAMESPACE
