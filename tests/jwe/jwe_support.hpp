#pragma once

// Helpers shared by the JWE tests: fixed keys of every supported key management algorithm, the
// (alg, enc) pairs, a signer and verifier for the inner JWS of nested tokens; for the ECDH-ES
// primitives, keys from JWKs and raw bytes, hex output, the field primes of the NIST curves, AES
// key unwrap, and an independent Concat KDF to check jot's against.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <openssl/evp.h>
#include <nlohmann/json.hpp>

#include <jot/jot.hpp>
#include <jot/jwe.hpp>
#include <jot/jwe/detail/ecdh_es.hpp>

#include "catch.hpp"
#include "fixed_keys.hpp"
#include "vectors/vector_support.hpp"

namespace jot_jwe_test {

using jot::jwe::content_encryption;
using jot::jwe::key_management;

// `size` bytes that are the same in every run, so a failure reproduces.
inline jot::secret_bytes fixed_bytes(std::size_t size, char fill = 'e') {
  std::string bytes(size, fill);
  for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>(fill + i % 11);
  return jot::secret_bytes(bytes);
}

inline constexpr content_encryption all_encs[] = {
    content_encryption::a128gcm, content_encryption::a256gcm, content_encryption::a128cbc_hs256,
    content_encryption::a256cbc_hs512};

inline constexpr key_management supported_algs[] = {key_management::dir,
                                                    key_management::a128kw,
                                                    key_management::a256kw,
                                                    key_management::rsa_oaep,
                                                    key_management::rsa_oaep_256,
                                                    key_management::ecdh_es,
                                                    key_management::ecdh_es_a128kw,
                                                    key_management::ecdh_es_a256kw};

inline constexpr key_management agreement_algs[] = {
    key_management::ecdh_es, key_management::ecdh_es_a128kw, key_management::ecdh_es_a256kw};

inline constexpr jot::jwe::ecdh_curve all_curves[] = {
    jot::jwe::ecdh_curve::p256, jot::jwe::ecdh_curve::p384, jot::jwe::ecdh_curve::p521,
    jot::jwe::ecdh_curve::x25519};

// The fixed private key on `curve`, PEM.
inline const char* agreement_pem(jot::jwe::ecdh_curve curve) {
  switch (curve) {
    case jot::jwe::ecdh_curve::p256:
      return jot_test::pem::p256_pem;
    case jot::jwe::ecdh_curve::p384:
      return jot_test::pem::p384_pem;
    case jot::jwe::ecdh_curve::p521:
      return jot_test::pem::p521_pem;
    default:
      return jot_test::pem::x25519_pem;
  }
}

// The fixed ECDH-ES* decryption key on `curve`.
inline jot::jwe::decryption_key agreement_key(key_management alg, jot::jwe::ecdh_curve curve) {
  return jot::jwe::decryption_key::from_pem(alg, agreement_pem(curve)).value();
}

// The decryption key for `alg` (a `dir` key fits `enc`; ECDH-ES* on P-256), under `kid` when one
// is given.
inline jot::jwe::decryption_key decryption_key_for(key_management alg, content_encryption enc,
                                                   const std::string& kid = {}) {
  auto key =
      [&] {
        switch (jot::jwe::detail::info(alg).family) {
          case jot::jwe::detail::key_management_family::direct:
            return jot::jwe::decryption_key::from_secret(
                alg, fixed_bytes(jot::jwe::content_key_size(enc)));
          case jot::jwe::detail::key_management_family::aes_kw:
            return jot::jwe::decryption_key::from_secret(
                alg, fixed_bytes(jot::jwe::detail::info(alg).key_size));
          case jot::jwe::detail::key_management_family::rsa_oaep:
            return jot::jwe::decryption_key::from_pem(alg, jot_test::pem::rsa_2048_pem);
          default:
            return jot::jwe::decryption_key::from_pem(alg, jot_test::pem::p256_pem);
        }
      }()
          .value();
  return kid.empty() ? key : key.with_key_id(kid).value();
}

// The HS256 key of the inner JWS, and the verifier that checks it.
inline jot::signing_key inner_signing_key() {
  return jot::signing_key::hs256(fixed_bytes(32, 's')).value();
}
inline jot::verifier inner_verifier() {
  return jot::verifier::builder{}
      .add_key(inner_signing_key().verification_key().value())
      .validator(jot::validator::builder{}.expect_issuer("https://issuer.example").build())
      .build()
      .value();
}
inline jot::claims inner_claims(std::string issuer = "https://issuer.example") {
  return jot::claims::builder{}
      .issuer(std::move(issuer))
      .subject("alice")
      .expires_in(std::chrono::minutes(5))
      .build()
      .value();
}

// A decrypter holding `key` for `enc` alone.
inline jot::jwe::decrypter decrypter_for(const jot::jwe::decryption_key& key,
                                         content_encryption enc) {
  return jot::jwe::decrypter::builder{}.add_key(key, {enc}).build().value();
}

// A nested token (HS256 inside) for `key` and `enc`.
inline std::string nested_token(const jot::jwe::decryption_key& key, content_encryption enc,
                                const jot::claims& claims = inner_claims()) {
  const auto encrypter = jot::jwe::encrypter::create(key.encryption_key().value(), enc).value();
  return encrypter.sign_and_encrypt(jot::encoder{inner_signing_key()}, claims).value();
}

using jot::detail::evp_pkey_ptr;
// Vector files (below JOT_VECTORS_DIR), hex and base64url fields: as in the vector suite.
using jot_vectors::b64u;
using jot_vectors::hex_decode;
using jot_vectors::load;

inline std::string hex_encode(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (const char c : bytes) {
    out.push_back(digits[static_cast<unsigned char>(c) >> 4]);
    out.push_back(digits[static_cast<unsigned char>(c) & 0xf]);
  }
  return out;
}

inline const jot::jwe::detail::agreement_curve& curve_named(std::string_view crv) {
  for (const auto& curve : jot::jwe::detail::agreement_curves) {
    if (curve.crv == crv) return curve;
  }
  FAIL("no agreement curve " << crv);
  return jot::jwe::detail::agreement_curves[0];
}

// An EC or X25519 key (public, or a key pair when the JWK has d) through jot's JWK members.
inline evp_pkey_ptr key_from_jwk(const nlohmann::json& jwk) {
  const auto& curve = curve_named(jwk.at("crv").get<std::string>());
  bool has_private = false;
  auto key = curve.kty == "EC"
                 ? jot::detail::ec_key_from_members(jwk, curve.group, curve.size, has_private)
                 : jot::detail::okp_key_from_members(jwk, curve.group, curve.size, has_private);
  REQUIRE(key.has_value());
  return std::move(*key);
}

inline evp_pkey_ptr raw_x25519_private(std::string_view bytes) {
  evp_pkey_ptr key(EVP_PKEY_new_raw_private_key_ex(
      nullptr, "X25519", nullptr, reinterpret_cast<const unsigned char*>(bytes.data()),
      bytes.size()));
  REQUIRE(key);
  return key;
}

inline evp_pkey_ptr raw_x25519_public(std::string_view bytes) {
  evp_pkey_ptr key(EVP_PKEY_new_raw_public_key_ex(
      nullptr, "X25519", nullptr, reinterpret_cast<const unsigned char*>(bytes.data()),
      bytes.size()));
  REQUIRE(key);
  return key;
}

inline std::string raw_private(EVP_PKEY* key) {
  unsigned char bytes[64];
  std::size_t size = sizeof bytes;
  REQUIRE(EVP_PKEY_get_raw_private_key(key, bytes, &size) == 1);
  return std::string(reinterpret_cast<const char*>(bytes), size);
}

inline nlohmann::json public_jwk_of(EVP_PKEY* key, std::string_view crv) {
  auto jwk = jot::jwe::detail::public_jwk(curve_named(crv), key);
  REQUIRE(jwk.has_value());
  return *jwk;
}

inline evp_pkey_ptr generate(const jot::jwe::detail::agreement_curve& curve) {
  evp_pkey_ptr key(curve.kty == "EC" ? EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve.group)
                                     : EVP_PKEY_Q_keygen(nullptr, nullptr, curve.group));
  REQUIRE(key);
  return key;
}

// The field prime p of a NIST curve (FIPS 186-4 §D.1.2), big-endian at the coordinate width.
inline std::string field_prime(const jot::jwe::detail::agreement_curve& curve) {
  if (curve.crv == "P-256") {
    return hex_decode("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff");
  }
  if (curve.crv == "P-384") {
    return hex_decode(
        "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000"
        "ffffffff");
  }
  REQUIRE(curve.crv == "P-521");
  return "\x01" + std::string(65, '\xff');  // 2^521 - 1
}

// a - b for big-endian numbers of one width, a >= b.
inline std::string subtract(const std::string& a, const std::string& b) {
  REQUIRE(a.size() == b.size());
  std::string out(a.size(), '\0');
  int borrow = 0;
  for (std::size_t i = a.size(); i-- > 0;) {
    int digit = static_cast<unsigned char>(a[i]) - static_cast<unsigned char>(b[i]) - borrow;
    borrow = digit < 0 ? 1 : 0;
    out[i] = static_cast<char>(digit + 256 * borrow);
  }
  REQUIRE(borrow == 0);
  return out;
}

// AES key unwrap (RFC 3394) with OpenSSL's AES-*-WRAP ciphers, to check a derived KEK.
inline std::string aes_key_unwrap(std::string_view kek, std::string_view wrapped) {
  const jot::detail::openssl_ptr<EVP_CIPHER, &EVP_CIPHER_free> cipher(
      EVP_CIPHER_fetch(nullptr, kek.size() == 16 ? "AES-128-WRAP" : "AES-256-WRAP", nullptr));
  const jot::detail::openssl_ptr<EVP_CIPHER_CTX, &EVP_CIPHER_CTX_free> ctx(EVP_CIPHER_CTX_new());
  REQUIRE((cipher && ctx));
  std::string out(wrapped.size(), '\0');
  auto* bytes = reinterpret_cast<unsigned char*>(out.data());
  int length = 0, final_length = 0;
  REQUIRE(EVP_DecryptInit_ex2(ctx.get(), cipher.get(),
                              reinterpret_cast<const unsigned char*>(kek.data()), nullptr,
                              nullptr) == 1);
  REQUIRE(EVP_DecryptUpdate(ctx.get(), bytes, &length,
                            reinterpret_cast<const unsigned char*>(wrapped.data()),
                            static_cast<int>(wrapped.size())) == 1);
  REQUIRE(EVP_DecryptFinal_ex(ctx.get(), bytes + length, &final_length) == 1);
  out.resize(static_cast<std::size_t>(length + final_length));
  return out;
}

inline void put_uint32(std::string& out, std::uint32_t value) {
  out.push_back(static_cast<char>(value >> 24));
  out.push_back(static_cast<char>(value >> 16));
  out.push_back(static_cast<char>(value >> 8));
  out.push_back(static_cast<char>(value));
}

// RFC 7518 §4.6.2 written out without OpenSSL's KDF: round i hashes the 32-bit counter i, Z and
// the OtherInfo with SHA-256; the key is the first `bytes` bytes of the rounds concatenated.
inline std::string reference_concat_kdf(std::string_view z, std::string_view algorithm_id,
                                        std::size_t bytes, std::string_view apu,
                                        std::string_view apv) {
  std::string other_info;
  for (const std::string_view field : {algorithm_id, apu, apv}) {
    put_uint32(other_info, static_cast<std::uint32_t>(field.size()));
    other_info.append(field);
  }
  put_uint32(other_info, static_cast<std::uint32_t>(bytes * 8));
  std::string out;
  for (std::uint32_t counter = 1; out.size() < bytes; ++counter) {
    std::string input;
    put_uint32(input, counter);
    input.append(z);
    input.append(other_info);
    unsigned char digest[32];
    unsigned int size = 0;
    REQUIRE(EVP_Digest(input.data(), input.size(), digest, &size, EVP_sha256(), nullptr) == 1);
    out.append(reinterpret_cast<const char*>(digest), size);
  }
  out.resize(bytes);
  return out;
}

}  // namespace jot_jwe_test
