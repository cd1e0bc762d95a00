// Two services, one token the client in between may carry but not read: the identity service
// signs the claims with its own key, then encrypts the signed token to the orders service's
// ECDH-ES+A256KW key on P-256 (a nested JWT, RFC 7519 §5.2). The orders service decrypts with its
// private key and verifies the inner signature with the identity service's public key, in one call.

#include <algorithm>
#include <chrono>
#include <iostream>
#include <string>

#include <jot/jot.hpp>
#include <jot/jwe.hpp>

int main() {
  using jot::jwe::content_encryption;
  using jot::jwe::key_management;

  // The orders service owns a decryption key and publishes its public half (a JWK, use "enc").
  const auto orders_key = jot::jwe::decryption_key::generate_agreement(
                              key_management::ecdh_es_a256kw, jot::jwe::ecdh_curve::p256)
                              .value()
                              .with_key_id("orders-enc-1")
                              .value();
  const auto orders_public_jwk =
      jot::jwe::to_public_jwk(orders_key.encryption_key().value()).value();

  // The identity service signs with its own key, and encrypts to the key the orders service
  // published. It holds nothing that could decrypt.
  const auto identity_key = jot::signing_key::generate(jot::algorithm::es256).value();
  const auto recipient = jot::jwe::encryption_key::from_jwk(orders_public_jwk).value();
  const auto encrypter =
      jot::jwe::encrypter::create(recipient, content_encryption::a256gcm).value();
  const auto claims = jot::claims::builder{}
                          .issuer("https://id.example")
                          .subject("user-42")
                          .audience("https://orders.example")
                          .claim("email", "alice@example.com")  // what the client must not read
                          .expires_in(std::chrono::minutes(5))
                          .build()
                          .value();
  const std::string token = encrypter.sign_and_encrypt(jot::encoder{identity_key}, claims).value();

  // The client sees five segments and a header; the claims are ciphertext.
  std::cout << "segments: " << std::count(token.begin(), token.end(), '.') + 1 << "\n";

  // The orders service: its decryption key, and the verifier of the identity service's tokens.
  const auto decrypter = jot::jwe::decrypter::builder{}
                             .add_key(orders_key, {content_encryption::a256gcm})
                             .build()
                             .value();
  const auto verifier = jot::verifier::builder{}
                            .add_key(identity_key.verification_key().value())
                            .validator(jot::validator::builder{}
                                           .expect_issuer("https://id.example")
                                           .expect_audience("https://orders.example")
                                           .build())
                            .build()
                            .value();
  const auto verified = decrypter.decrypt_and_verify(token, verifier);
  if (!verified) {
    std::cout << "rejected: " << jot::errc_name(verified.error()) << "\n";
    return 1;
  }
  std::cout << "verified: sub=" << verified->claims().subject().value_or("")
            << " email=" << verified->claims().json().at("email").get<std::string>() << "\n";

  // The signed token alone is not accepted where an encrypted one is expected, and the encrypted
  // token is not mistaken for a signed one.
  const std::string signed_only = jot::encoder{identity_key}.sign(claims).value();
  std::cout << "signed token to the decrypter: "
            << jot::errc_name(decrypter.decrypt_and_verify(signed_only, verifier).error()) << "\n";
  std::cout << "encrypted token to the verifier: " << jot::errc_name(verifier.verify(token).error())
            << "\n";
  return 0;
}
