#include <algorithm>
#include <string>

#include "catch.hpp"
#include "jwe_support.hpp"

using namespace jot_jwe_test;

TEST_CASE("every supported (alg, enc) pair round-trips a nested token", "[jwe]") {
  for (const key_management alg : supported_algs) {
    for (const content_encryption enc : all_encs) {
      INFO(jot::jwe::key_management_name(alg) << " " << jot::jwe::content_encryption_name(enc));
      const auto key = decryption_key_for(alg, enc);
      const std::string token = nested_token(key, enc);
      CHECK(std::count(token.begin(), token.end(), '.') == 4);
      const auto verified = decrypter_for(key, enc).decrypt_and_verify(token, inner_verifier());
      REQUIRE(verified);
      CHECK(verified->claims().subject() == "alice");
      CHECK(verified->alg() == jot::algorithm::hs256);
    }
  }
}

TEST_CASE("the protected header says alg, enc, kid and cty JWT, nothing else", "[jwe]") {
  const auto key = decryption_key_for(key_management::a256kw, content_encryption::a256gcm, "k1");
  const std::string token = nested_token(key, content_encryption::a256gcm);
  const auto header =
      nlohmann::json::parse(jot::base64url_decode(token.substr(0, token.find('.'))).value());
  CHECK(header ==
        nlohmann::json{{"alg", "A256KW"}, {"enc", "A256GCM"}, {"kid", "k1"}, {"cty", "JWT"}});
}

TEST_CASE("two tokens of the same claims differ: fresh CEK and IV each time", "[jwe]") {
  const auto key = decryption_key_for(key_management::dir, content_encryption::a256gcm);
  const auto claims = inner_claims();
  CHECK(nested_token(key, content_encryption::a256gcm, claims) !=
        nested_token(key, content_encryption::a256gcm, claims));
}

TEST_CASE("an unsigned claim set is encrypted and decrypted only on the explicit path", "[jwe]") {
  const auto key = decryption_key_for(key_management::rsa_oaep_256, content_encryption::a256gcm);
  const auto encrypter =
      jot::jwe::encrypter::create(key.encryption_key().value(), content_encryption::a256gcm)
          .value();
  const std::string bare = encrypter.encrypt_unsigned_claims(inner_claims()).value();
  const auto decrypter =
      jot::jwe::decrypter::builder{}
          .add_key(key, {content_encryption::a256gcm})
          .validator(jot::validator::builder{}.expect_issuer("https://issuer.example").build())
          .build()
          .value();
  const auto decrypted = decrypter.decrypt_unsigned_claims(bare);
  REQUIRE(decrypted);
  CHECK(decrypted->claims().subject() == "alice");
  CHECK(decrypted->alg() == key_management::rsa_oaep_256);
  // The main path refuses it: there is no signature to verify.
  CHECK(decrypter.decrypt_and_verify(bare, inner_verifier()).error() ==
        jot::errc::missing_nested_token);
  // And the explicit path refuses a nested token, whose signature it would not check.
  const std::string nested = nested_token(key, content_encryption::a256gcm);
  CHECK(decrypter.decrypt_unsigned_claims(nested).error() == jot::errc::nested_token);
  // The decrypter's validator checks the unsigned claims.
  const std::string other = encrypter.encrypt_unsigned_claims(inner_claims("https://evil")).value();
  CHECK(decrypter.decrypt_unsigned_claims(other).error() == jot::errc::issuer_mismatch);
}

TEST_CASE("decrypt_and_verify returns the inner verifier's verdict", "[jwe]") {
  const auto key = decryption_key_for(key_management::a128kw, content_encryption::a128gcm);
  const auto decrypter = decrypter_for(key, content_encryption::a128gcm);
  // Claims the inner verifier's validator refuses.
  CHECK(decrypter
            .decrypt_and_verify(
                nested_token(key, content_encryption::a128gcm, inner_claims("https://evil")),
                inner_verifier())
            .error() == jot::errc::issuer_mismatch);
  // An inner JWS signed by a key the verifier does not hold.
  const auto stranger = jot::signing_key::hs256(fixed_bytes(32, 'x')).value();
  const auto encrypter =
      jot::jwe::encrypter::create(key.encryption_key().value(), content_encryption::a128gcm)
          .value();
  const std::string forged =
      encrypter.sign_and_encrypt(jot::encoder{stranger}, inner_claims()).value();
  CHECK(decrypter.decrypt_and_verify(forged, inner_verifier()).error() ==
        jot::errc::invalid_signature);
}

TEST_CASE("members a key management adds (ECDH-ES epk) join the protected header", "[jwe]") {
  const std::string segment = jot::base64url_encode(R"({"alg":"ECDH-ES","enc":"A128GCM"})");
  const auto extended =
      jot::jwe::detail::with_members(segment, {{"epk", {{"kty", "OKP"}, {"crv", "X25519"}}}});
  REQUIRE(extended);
  CHECK(jot::base64url_decode(*extended).value() ==
        R"({"alg":"ECDH-ES","enc":"A128GCM","epk":{"crv":"X25519","kty":"OKP"}})");
}

TEST_CASE("ECDH-ES* round-trips on every curve with every enc; the header carries the epk",
          "[jwe][ecdh]") {
  for (const key_management alg : agreement_algs) {
    for (const jot::jwe::ecdh_curve curve : all_curves) {
      const auto key = agreement_key(alg, curve);
      for (const content_encryption enc : all_encs) {
        INFO(jot::jwe::key_management_name(alg) << " curve " << static_cast<int>(curve) << " "
                                                << jot::jwe::content_encryption_name(enc));
        const std::string token = nested_token(key, enc);
        const auto verified = decrypter_for(key, enc).decrypt_and_verify(token, inner_verifier());
        REQUIRE(verified);
        CHECK(verified->claims().subject() == "alice");
        const auto header =
            nlohmann::json::parse(jot::base64url_decode(token.substr(0, token.find('.'))).value());
        const auto& epk = header.at("epk");
        CHECK(epk.at("kty") == (curve == jot::jwe::ecdh_curve::x25519 ? "OKP" : "EC"));
        CHECK_FALSE(epk.contains("d"));
        // ECDH-ES delivers no encrypted key; ECDH-ES+A*KW wraps the CEK (8 bytes of AES-KW).
        const auto dots = token.find('.');
        const std::string encrypted_key =
            token.substr(dots + 1, token.find('.', dots + 1) - dots - 1);
        CHECK(jot::base64url_decode(encrypted_key).value().size() ==
              (alg == key_management::ecdh_es ? 0 : jot::jwe::content_key_size(enc) + 8));
      }
    }
  }
}

TEST_CASE("apu and apv: written base64url into the header, bound into the derived key",
          "[jwe][ecdh]") {
  const auto key = agreement_key(key_management::ecdh_es_a256kw, jot::jwe::ecdh_curve::x25519);
  const auto plain =
      jot::jwe::encrypter::create(key.encryption_key().value(), content_encryption::a256gcm)
          .value();
  const auto encrypter = plain.with_party_info("Alice", "Bob").value();
  const std::string token =
      encrypter.sign_and_encrypt(jot::encoder{inner_signing_key()}, inner_claims()).value();
  const std::string segment = token.substr(0, token.find('.'));
  const auto header = nlohmann::json::parse(jot::base64url_decode(segment).value());
  CHECK(header.at("alg") == "ECDH-ES+A256KW");
  CHECK(header.at("apu") == "QWxpY2U");
  CHECK(header.at("apv") == "Qm9i");
  const auto decrypter = decrypter_for(key, content_encryption::a256gcm);
  CHECK(decrypter.decrypt_and_verify(token, inner_verifier()));

  // Only ECDH-ES* keys take party information, and at most 512 bytes of each.
  const auto kw = decryption_key_for(key_management::a256kw, content_encryption::a256gcm);
  CHECK(jot::jwe::encrypter::create(kw.encryption_key().value(), content_encryption::a256gcm)
            .value()
            .with_party_info("Alice", "Bob")
            .error() == jot::errc::invalid_argument);
  CHECK(plain.with_party_info(std::string(512, 'u'), "").has_value());
  CHECK(plain.with_party_info(std::string(513, 'u'), "").error() == jot::errc::invalid_argument);
  CHECK(plain.with_party_info("", std::string(513, 'v')).error() == jot::errc::invalid_argument);
}

TEST_CASE("apu and apv enter the Concat KDF: another apv derives another key", "[jwe][ecdh]") {
  const auto key = agreement_key(key_management::ecdh_es, jot::jwe::ecdh_curve::p256);
  const auto enc = content_encryption::a128gcm;
  const auto delivered =
      jot::jwe::detail::deliver_key(key.encryption_key().value().material(), enc, {"Alice", "Bob"})
          .value();
  auto header = delivered.header_members;
  const auto recovered = jot::jwe::detail::recover_key(key.material(), enc, header, "").value();
  CHECK(recovered.unsafe_bytes() == delivered.cek.unsafe_bytes());
  header["apv"] = jot::base64url_encode("Eve");
  const auto other = jot::jwe::detail::recover_key(key.material(), enc, header, "").value();
  CHECK(other.unsafe_bytes() != delivered.cek.unsafe_bytes());
}
