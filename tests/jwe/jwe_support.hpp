#pragma once

// Helpers shared by the JWE tests: fixed keys of every supported key management algorithm, the
// (alg, enc) pairs, and a signer and verifier for the inner JWS of nested tokens.

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include <jot/jot.hpp>
#include <jot/jwe.hpp>

#include "fixed_keys.hpp"

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

inline constexpr key_management supported_algs[] = {
    key_management::dir, key_management::a128kw, key_management::a256kw, key_management::rsa_oaep,
    key_management::rsa_oaep_256};

// The decryption key for `alg` (a `dir` key fits `enc`), under `kid` when one is given.
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
          default:
            return jot::jwe::decryption_key::from_pem(alg, jot_test::pem::rsa_2048_pem);
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

}  // namespace jot_jwe_test
