#include <string>

#include "catch.hpp"
#include "jwe_support.hpp"

using namespace jot_jwe_test;
using jot::errc;
using jot::jwe::decryption_key;
using jot::jwe::encryption_key;

TEST_CASE("a secret key must have the length its algorithm fixes", "[jwe][keys]") {
  CHECK(decryption_key::from_secret(key_management::a128kw, fixed_bytes(16)));
  CHECK(decryption_key::from_secret(key_management::a128kw, fixed_bytes(32)).error() ==
        errc::invalid_key);
  CHECK(decryption_key::from_secret(key_management::a256kw, fixed_bytes(16)).error() ==
        errc::invalid_key);
  for (const std::size_t size : {16, 32, 64}) {
    CHECK(encryption_key::from_secret(key_management::dir, fixed_bytes(size)));
  }
  for (const std::size_t size : {0, 8, 24, 48, 65}) {
    CHECK(encryption_key::from_secret(key_management::dir, fixed_bytes(size)).error() ==
          errc::invalid_key);
  }
  CHECK(decryption_key::from_secret(key_management::rsa_oaep_256, fixed_bytes(32)).error() ==
        errc::key_type_mismatch);
}

TEST_CASE("RSA keys for RSA-OAEP pass the checks of signing keys", "[jwe][keys]") {
  CHECK(decryption_key::from_pem(key_management::rsa_oaep_256, jot_test::pem::rsa_2048_pem));
  // The public half alone encrypts, and cannot decrypt.
  const auto key =
      decryption_key::from_pem(key_management::rsa_oaep_256, jot_test::pem::rsa_2048_pem).value();
  CHECK(key.encryption_key().value().alg() == key_management::rsa_oaep_256);
  CHECK(decryption_key::from_pem(key_management::rsa_oaep, jot_test::pem::p256_pem).error() ==
        errc::key_type_mismatch);
  CHECK(decryption_key::from_pem(key_management::a128kw, jot_test::pem::rsa_2048_pem).error() ==
        errc::key_type_mismatch);
  CHECK(decryption_key::from_pem(key_management::rsa_oaep, "not a key").error() ==
        errc::invalid_key);
  CHECK(decryption_key::generate(key_management::rsa_oaep_256, 1024).error() ==
        errc::invalid_argument);
}

TEST_CASE("ECDH-ES keys are P-256, P-384, P-521 or X25519 keys, refused otherwise",
          "[jwe][keys][ecdh]") {
  for (const key_management alg : agreement_algs) {
    for (const jot::jwe::ecdh_curve curve : all_curves) {
      const auto key = decryption_key::from_pem(alg, agreement_pem(curve));
      REQUIRE(key);
      CHECK(key->alg() == alg);
      CHECK(key->material().has_private);
      CHECK_FALSE(key->encryption_key().value().material().has_private);
      // The public key alone, from its PEM, encrypts.
      CHECK(encryption_key::from_pem(alg, agreement_pem(curve)));
      CHECK(decryption_key::generate_agreement(alg, curve));
    }
    // Another curve, another key type.
    CHECK(decryption_key::from_pem(alg, jot_test::pem::secp256k1_pem).error() ==
          errc::curve_mismatch);
    CHECK(decryption_key::from_pem(alg, jot_test::pem::ed25519_pem).error() ==
          errc::key_type_mismatch);
    CHECK(decryption_key::from_pem(alg, jot_test::pem::rsa_2048_pem).error() ==
          errc::key_type_mismatch);
    CHECK(decryption_key::from_secret(alg, fixed_bytes(32)).error() == errc::key_type_mismatch);
    CHECK(decryption_key::generate(alg).error() == errc::invalid_argument);
  }
  CHECK(decryption_key::from_pem(key_management::rsa_oaep, jot_test::pem::x25519_pem).error() ==
        errc::key_type_mismatch);
  CHECK(decryption_key::generate_agreement(key_management::a128kw, jot::jwe::ecdh_curve::p256)
            .error() == errc::invalid_argument);
}

TEST_CASE("an X25519 recipient key of small order is refused on import", "[jwe][keys][ecdh]") {
  for (const auto& point : jot::jwe::detail::x25519_small_order_points) {
    const nlohmann::json jwk = {
        {"kty", "OKP"},
        {"crv", "X25519"},
        {"x", jot::base64url_encode(std::string(reinterpret_cast<const char*>(point), 32))}};
    CHECK(encryption_key::from_jwk(jwk, key_management::ecdh_es).error() == errc::invalid_key);
  }
}

TEST_CASE("EC and OKP JWKs for ECDH-ES: curve, members and private part checked",
          "[jwe][keys][ecdh]") {
  for (const jot::jwe::ecdh_curve curve : all_curves) {
    const auto key = agreement_key(key_management::ecdh_es_a256kw, curve).with_key_id("e").value();
    const auto private_jwk = jot::jwe::unsafe_to_private_jwk(key).value();
    const auto public_jwk = jot::jwe::to_public_jwk(key.encryption_key().value()).value();
    CHECK(public_jwk.at("alg") == "ECDH-ES+A256KW");
    CHECK(public_jwk.at("use") == "enc");
    CHECK_FALSE(public_jwk.contains("d"));
    CHECK(private_jwk.contains("d"));
    const auto again = decryption_key::from_jwk(private_jwk);
    REQUIRE(again);
    CHECK(
        decrypter_for(*again, content_encryption::a128gcm)
            .decrypt_and_verify(nested_token(key, content_encryption::a128gcm), inner_verifier()));
    CHECK(decryption_key::from_jwk(public_jwk).error() == errc::invalid_key);  // no d
    CHECK(encryption_key::from_jwk(private_jwk));                              // d ignored
    auto other_curve = public_jwk;
    other_curve["crv"] = public_jwk.at("kty") == "EC" ? "secp256k1" : "X448";
    CHECK(encryption_key::from_jwk(other_curve).error() == errc::curve_mismatch);
    // A d that is not the private key of x (and y).
    auto wrong_d = private_jwk;
    wrong_d["d"] = jot::jwe::unsafe_to_private_jwk(
                       decryption_key::generate_agreement(key.alg(), curve).value())
                       .value()
                       .at("d");
    CHECK(decryption_key::from_jwk(wrong_d).error() == errc::invalid_key);
  }
}

TEST_CASE("JWKs must be for encryption and agree with the algorithm asked for", "[jwe][keys]") {
  const nlohmann::json kw = {{"kty", "oct"}, {"k", jot::base64url_encode(std::string(16, 'k'))}};
  CHECK(decryption_key::from_jwk(kw).error() == errc::missing_algorithm);
  CHECK(decryption_key::from_jwk(kw, key_management::a128kw));
  auto with = [&](const char* name, nlohmann::json value) {
    auto jwk = kw;
    jwk[name] = std::move(value);
    return jwk;
  };
  CHECK(decryption_key::from_jwk(with("alg", "A128KW")).value().alg() == key_management::a128kw);
  CHECK(decryption_key::from_jwk(with("alg", "A128KW"), key_management::dir).error() ==
        errc::jwk_algorithm_mismatch);
  CHECK(decryption_key::from_jwk(with("alg", "HS256")).error() == errc::key_not_for_encryption);
  CHECK(decryption_key::from_jwk(with("alg", "RSA1_5")).error() == errc::key_not_for_encryption);
  CHECK(decryption_key::from_jwk(with("use", "sig"), key_management::a128kw).error() ==
        errc::key_not_for_encryption);
  CHECK(decryption_key::from_jwk(with("use", "enc"), key_management::a128kw));
  CHECK(decryption_key::from_jwk(with("key_ops", {"unwrapKey"}), key_management::a128kw));
  CHECK(decryption_key::from_jwk(with("key_ops", {"wrapKey"}), key_management::a128kw).error() ==
        errc::key_not_for_encryption);
  CHECK(encryption_key::from_jwk(with("key_ops", {"wrapKey"}), key_management::a128kw));
  CHECK(decryption_key::from_jwk(with("key_ops", {"decrypt", "decrypt"}), key_management::a128kw)
            .error() == errc::invalid_key);
  CHECK(decryption_key::from_jwk(with("kid", "k-1"), key_management::a128kw).value().key_id() ==
        "k-1");
  // An RSA JWK without private members encrypts but does not decrypt.
  const auto rsa =
      decryption_key::from_pem(key_management::rsa_oaep_256, jot_test::pem::rsa_2048_pem).value();
  const auto public_jwk = jot::jwe::to_public_jwk(rsa.encryption_key().value()).value();
  CHECK(public_jwk.at("use") == "enc");
  CHECK(public_jwk.at("alg") == "RSA-OAEP-256");
  CHECK_FALSE(public_jwk.contains("d"));
  CHECK(encryption_key::from_jwk(public_jwk));
  CHECK(decryption_key::from_jwk(public_jwk).error() == errc::invalid_key);
  const auto private_jwk = jot::jwe::unsafe_to_private_jwk(rsa).value();
  CHECK(decryption_key::from_jwk(private_jwk));
  // A secret has no public JWK.
  const auto secret = decryption_key::from_jwk(kw, key_management::a128kw).value();
  CHECK(jot::jwe::to_public_jwk(secret.encryption_key().value()).error() == errc::invalid_key);
}

TEST_CASE("exported private JWKs import again and decrypt what their public half encrypts",
          "[jwe][keys]") {
  for (const key_management alg :
       {key_management::a128kw, key_management::a256kw, key_management::rsa_oaep_256}) {
    const auto key = decryption_key::generate(alg).value().with_key_id("gen").value();
    const auto again = decryption_key::from_jwk(jot::jwe::unsafe_to_private_jwk(key).value());
    REQUIRE(again);
    const std::string token = nested_token(key, content_encryption::a256gcm);
    CHECK(decrypter_for(*again, content_encryption::a256gcm)
              .decrypt_and_verify(token, inner_verifier()));
  }
  const auto dir = decryption_key::generate_direct(content_encryption::a256cbc_hs512).value();
  CHECK(dir.material().secret->size() == 64);
  CHECK(decryption_key::generate(key_management::dir).error() == errc::invalid_argument);
}

TEST_CASE("the decrypter builder refuses a contradictory allowlist", "[jwe][keys]") {
  const auto a = decryption_key_for(key_management::a128kw, content_encryption::a128gcm);
  CHECK(jot::jwe::decrypter::builder{}.build().error() == errc::no_keys);
  CHECK(jot::jwe::decrypter::builder{}.add_key(a, {}).build().error() == errc::invalid_argument);
  CHECK(jot::jwe::decrypter::builder{}
            .add_key(a, {content_encryption::a128gcm})
            .add_key(a, {content_encryption::a256gcm})
            .build()
            .error() == errc::missing_key_id);
  const auto named = a.with_key_id("k").value();
  CHECK(jot::jwe::decrypter::builder{}
            .add_key(named, {content_encryption::a128gcm})
            .add_key(named, {content_encryption::a256gcm})
            .build()
            .error() == errc::duplicate_key_id);
  CHECK(jot::jwe::decrypter::builder{}
            .add_key(a, {content_encryption::a128gcm})
            .max_token_size(0)
            .build()
            .error() == errc::invalid_argument);
  CHECK(jot::jwe::decrypter::builder{}
            .add_key(a, {content_encryption::a128gcm})
            .validator(jot::validator::builder{}.allow_clock_skew(std::chrono::hours(2)).build())
            .build()
            .error() == errc::invalid_argument);
}
