// RFC 7520 §5 and §6, the JWE examples of the JOSE cookbook (data/jose-cookbook/jwe/ and
// 6.nesting_signatures_and_encryption.json). Within jot's set (§5.2 RSA-OAEP + A256GCM, §5.4
// ECDH-ES+A128KW P-384 + A128GCM, §5.5 ECDH-ES P-256 + A128CBC-HS256, §5.6 dir + A128GCM, §5.8
// A128KW + A128GCM, §6 RSA-OAEP + A128GCM around a PS256 JWS): the published compact token
// decrypts to the published plaintext byte for byte, and sealing the published plaintext with the
// published CEK, IV, ephemeral key (ECDH-ES) and, for RSA-OAEP, whose padding is random, the
// published encrypted key gives the published token byte for byte. Every other example is refused
// with the error its algorithm or serialization earns (docs/security.md).

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <jot/jot.hpp>
#include <jot/jwe.hpp>

#include "catch.hpp"
#include "vector_support.hpp"

namespace {

using jot::jwe::content_encryption;

nlohmann::json cookbook_jwe(const std::string& file) {
  return jot_vectors::load("jose-cookbook/jwe/" + file);
}

// The plaintext of `token` opened with `key` alone for `enc`, through the decrypter's own steps.
jot::result<std::string> open_with(const jot::jwe::decryption_key& key, content_encryption enc,
                                   const std::string& token) {
  const std::vector<jot::jwe::detail::decrypter_entry> entries{
      {key, jot::jwe::detail::enc_bit(enc)}};
  auto opened = jot::jwe::detail::open_token(entries, jot::jwe::default_max_encrypted_token_size,
                                             jot::default_max_json_depth, token);
  if (!opened) return opened.error();
  return opened->plaintext;
}

// The compact token sealed from the example's published inputs.
std::string reseal(const nlohmann::json& example, const jot::jwe::decryption_key& key,
                   content_encryption enc) {
  const auto& generated = example.at("generated");
  const std::string header = example.at("encrypting_content").at("protected_b64u");
  const std::string iv = jot_vectors::b64u(generated.at("iv").get<std::string>());
  const std::string plaintext = example.at("input").at("plaintext");
  const auto public_key = key.encryption_key().value();
  const nlohmann::json encrypting_key = example.value("encrypting_key", nlohmann::json::object());
  jot::jwe::detail::injected_inputs injected;
  if (generated.contains("cek")) {
    injected.cek = jot::secret_bytes(jot_vectors::b64u(generated.at("cek").get<std::string>()));
  }
  jot::detail::evp_pkey_ptr ephemeral;
  if (encrypting_key.contains("epk")) {
    const auto& epk = encrypting_key.at("epk");
    bool has_private = false;
    ephemeral =
        jot::jwe::detail::agreement_key_from_jwk(epk, epk.at("kty").get<std::string>(), has_private)
            .value();
    injected.ephemeral = ephemeral.get();
  }
  auto delivered =
      jot::jwe::detail::deliver_key(public_key.material(), enc, {}, std::move(injected));
  REQUIRE(delivered);
  if (encrypting_key.contains("epk")) {
    auto epk = encrypting_key.at("epk");
    epk.erase("d");
    CHECK(delivered->header_members.at("epk") == epk);
  }
  if (encrypting_key.contains("cek")) {  // ECDH-ES: the CEK is the derived key
    CHECK(delivered->cek.unsafe_bytes() ==
          jot_vectors::b64u(encrypting_key.at("cek").get<std::string>()));
  }
  if (encrypting_key.contains("encrypted_key")) {
    const std::string published =
        jot_vectors::b64u(encrypting_key.at("encrypted_key").get<std::string>());
    if (jot::jwe::detail::info(key.alg()).family !=
        jot::jwe::detail::key_management_family::rsa_oaep) {
      CHECK(delivered->encrypted_key == published);  // AES-KW is deterministic (RFC 3394)
    }
    delivered->encrypted_key = published;
  }
  return jot::jwe::detail::seal(enc, header, *delivered, iv, plaintext).value();
}

}  // namespace

TEST_CASE(
    "RFC 7520 §5.2, §5.4, §5.5, §5.6, §5.8: published JWEs decrypt and re-encrypt byte for byte",
    "[vectors][rfc7520][jwe]") {
  const struct {
    const char* file;
    content_encryption enc;
  } examples[] = {
      {"5_2.key_encryption_using_rsa-oaep_with_aes-gcm.json", content_encryption::a256gcm},
      {"5_4.key_agreement_with_key_wrapping_using_ecdh-es_and_aes-keywrap_with_aes-gcm.json",
       content_encryption::a128gcm},
      {"5_5.key_agreement_using_ecdh-es_with_aes-cbc-hmac-sha2.json",
       content_encryption::a128cbc_hs256},
      {"5_6.direct_encryption_using_aes-gcm.json", content_encryption::a128gcm},
      {"5_8.key_wrap_using_aes-keywrap_with_aes-gcm.json", content_encryption::a128gcm},
  };
  for (const auto& example : examples) {
    INFO(example.file);
    const auto doc = cookbook_jwe(example.file);
    // The JWK as published: its alg (RSA-OAEP, A128KW, or A128GCM for the dir key) binds it; the
    // EC keys of §5.4 and §5.5 have none, and are bound to the example's alg.
    const auto& jwk = doc.at("input").at("key");
    const auto key = jot::jwe::decryption_key::from_jwk(
        jwk, jwk.contains("alg") ? std::nullopt
                                 : jot::jwe::key_management_from_name(
                                       doc.at("input").at("alg").get<std::string>()));
    REQUIRE(key);
    const std::string token = doc.at("output").at("compact");
    const auto plaintext = open_with(*key, example.enc, token);
    REQUIRE(plaintext);
    CHECK(*plaintext == doc.at("input").at("plaintext").get<std::string>());
    CHECK(reseal(doc, *key, example.enc) == token);
  }
}

TEST_CASE("RFC 7520 §6: the nested token decrypts and its PS256 JWS verifies",
          "[vectors][rfc7520][jwe]") {
  const auto doc = jot_vectors::load("jose-cookbook/6.nesting_signatures_and_encryption.json");
  const auto& encrypt = doc.at("encrypt");
  const auto key = jot::jwe::decryption_key::from_jwk(encrypt.at("input").at("key")).value();
  const std::string token = encrypt.at("output").at("compact");
  const auto plaintext = open_with(key, content_encryption::a128gcm, token);
  REQUIRE(plaintext);
  CHECK(*plaintext == encrypt.at("input").at("plaintext").get<std::string>());
  CHECK(reseal(encrypt, key, content_encryption::a128gcm) == token);

  // The main path: decrypt, then verify the inner JWS, at a time before its exp (1300819380).
  const auto signer =
      jot::verification_key::from_jwk(doc.at("sign").at("input").at("key"), jot::algorithm::ps256)
          .value();
  const auto verifier = jot_vectors::verifier_for(signer, [] {
    return std::chrono::system_clock::time_point(std::chrono::seconds(1300819000));
  });
  const auto decrypter =
      jot::jwe::decrypter::builder{}.add_key(key, {content_encryption::a128gcm}).build().value();
  const auto verified = decrypter.decrypt_and_verify(token, verifier);
  REQUIRE(verified);
  CHECK(verified->claims().issuer() == "hobbiton.example");
  CHECK(verified->alg() == jot::algorithm::ps256);
}

TEST_CASE("RFC 7520 examples outside jot's set are refused with their reason",
          "[vectors][rfc7520][jwe]") {
  // Every one is offered to a decrypter holding the §5.2 RSA-OAEP key and the §5.8 A128KW key for
  // every enc: the refusal comes from the token, not from a missing key.
  const auto rsa =
      jot::jwe::decryption_key::from_jwk(
          cookbook_jwe("5_2.key_encryption_using_rsa-oaep_with_aes-gcm.json").at("input").at("key"))
          .value();
  const auto kw =
      jot::jwe::decryption_key::from_jwk(
          cookbook_jwe("5_8.key_wrap_using_aes-keywrap_with_aes-gcm.json").at("input").at("key"))
          .value();
  const std::vector<content_encryption> all = {
      content_encryption::a128gcm, content_encryption::a256gcm, content_encryption::a128cbc_hs256,
      content_encryption::a256cbc_hs512};
  const auto decrypter =
      jot::jwe::decrypter::builder{}.add_key(rsa, all).add_key(kw, all).build().value();
  const auto verifier = jot_vectors::jws_layer_verifier(
      {jot::verification_key::hs256(jot::secret_bytes(std::string(32, 'k'))).value()});
  const struct {
    const char* file;
    jot::errc expected;
    const char* why;
  } refused[] = {
      {"5_1.key_encryption_using_rsa_v15_and_aes-hmac-sha2.json", jot::errc::encryption_not_allowed,
       "RSA1_5: Bleichenbacher's padding oracle"},
      {"5_3.key_wrap_using_pbes2-aes-keywrap_with-aes-cbc-hmac-sha2.json",
       jot::errc::invalid_header, "PBES2: p2c is refused in every header"},
      {"5_7.key_wrap_using_aes-gcm_keywrap_with_aes-cbc-hmac-sha2.json",
       jot::errc::encryption_not_allowed, "A256GCMKW is not implemented"},
      {"5_9.compressed_content.json", jot::errc::compressed_token, "zip"},
  };
  for (const auto& example : refused) {
    INFO(example.file << ": " << example.why);
    const std::string token = cookbook_jwe(example.file).at("output").at("compact");
    CHECK(decrypter.decrypt_and_verify(token, verifier).error() == example.expected);
  }
  // §5.10 to §5.13 exist only in the JSON serialization (AAD, unprotected headers, several
  // recipients), which jot never reads. Split at its dots like any token, the JSON text is five
  // "segments" when it holds four dots (5.13's kids and URLs do), and then no base64url.
  for (const char* file :
       {"5_10.including_additional_authentication_data.json",
        "5_11.protecting_specific_header_fields.json", "5_12.protecting_content_only.json",
        "5_13.encrypting_to_multiple_recipients.json"}) {
    INFO(file);
    const auto output = cookbook_jwe(file).at("output");
    CHECK_FALSE(output.contains("compact"));
    const std::string json = output.at("json").dump();
    const bool five = std::count(json.begin(), json.end(), '.') == 4;
    CHECK(decrypter.decrypt_and_verify(json, verifier).error() ==
          (five ? jot::errc::invalid_base64 : jot::errc::malformed_jwe));
  }
}
