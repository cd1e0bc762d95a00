// RFC 8037 Appendix A (Ed25519 in JOSE), read from data/rfc/rfc8037_ed25519.json and the
// cookbook's copy (data/jose-cookbook/curve25519/jws.json): the private (A.1) and public (A.2)
// OKP keys import, the RFC 7638 thumbprint of A.3 is reproduced, the Ed25519 signature of A.4 is
// re-created byte for byte (Ed25519 is deterministic, RFC 8032 §5.1.6), and A.5's verification
// succeeds. The A.4 payload is prose, not a JSON object, so the token is a JWS and not a JWT:
// the verifier stops at errc::invalid_json.

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <jot/jot.hpp>

#include "catch.hpp"
#include "vector_support.hpp"

namespace {

constexpr std::string_view rfc8037_file = "rfc/rfc8037_ed25519.json";
constexpr std::string_view cookbook_file = "jose-cookbook/curve25519/jws.json";

}  // namespace

TEST_CASE("RFC 8037 A.1 and A.2: the Ed25519 private and public keys import as OKP JWKs",
          "[vectors][rfc8037]") {
  const auto doc = jot_vectors::load(rfc8037_file);
  const auto& private_jwk = doc.at("keys").at("A.1_private");
  const auto& public_jwk = doc.at("keys").at("A.2_public");
  REQUIRE(private_jwk.at("x") == public_jwk.at("x"));

  // Neither JWK has `alg`; the application names the algorithm (RFC 8725 §3.1).
  CHECK(jot::signing_key::from_jwk(private_jwk).error() == jot::errc::missing_algorithm);
  CHECK(jot::verification_key::from_jwk(public_jwk).error() == jot::errc::missing_algorithm);

  const auto signing = jot::signing_key::from_jwk(private_jwk, jot::algorithm::ed25519);
  INFO("A.1: " << jot_vectors::outcome(signing));
  REQUIRE(signing.has_value());
  CHECK(signing->alg() == jot::algorithm::ed25519);
  const auto verification = jot::verification_key::from_jwk(public_jwk, jot::algorithm::ed25519);
  INFO("A.2: " << jot_vectors::outcome(verification));
  REQUIRE(verification.has_value());
  CHECK(verification->alg() == jot::algorithm::ed25519);
  // The private JWK also yields a verification key: its public half, x (RFC 8037 §2).
  CHECK(jot::verification_key::from_jwk(private_jwk, jot::algorithm::ed25519).has_value());
  // A.2 has no d: it cannot sign.
  CHECK(jot::signing_key::from_jwk(public_jwk, jot::algorithm::ed25519).error() ==
        jot::errc::invalid_key);

  // "Ed25519" is an Edwards curve for signing; the key does not fit Ed448, nor any other kty's
  // algorithm.
  CHECK(jot::verification_key::from_jwk(public_jwk, jot::algorithm::ed448).error() ==
        jot::errc::curve_mismatch);
  CHECK(jot::verification_key::from_jwk(public_jwk, jot::algorithm::es256).error() ==
        jot::errc::key_type_mismatch);

  // RFC 8037 §2: x is the public key derived from d. A private JWK whose x is another key's
  // (here: the A.1 x with its last character changed, still canonical base64url) is refused.
  auto x = private_jwk.at("x").get<std::string>();
  x.back() = x.back() == 'o' ? 'w' : 'o';
  const auto inconsistent = jot_test::json_with(private_jwk, {{"x", x}});
  CHECK(jot::signing_key::from_jwk(inconsistent, jot::algorithm::ed25519).error() ==
        jot::errc::invalid_key);
}

TEST_CASE("RFC 8037 A.3: the thumbprint of the Ed25519 key is the published one",
          "[vectors][rfc8037]") {
  const auto doc = jot_vectors::load(rfc8037_file);
  const auto& a3 = doc.at("thumbprint");
  const auto expected = a3.at("thumbprint_b64u").get<std::string>();
  // The RFC prints the SHA-256 in hex too; both spellings must name the same 32 octets.
  CHECK(jot_vectors::b64u(expected) ==
        jot_vectors::hex_decode(a3.at("sha256_hex").get<std::string>()));
  REQUIRE(a3.at("jwk") == doc.at("keys").at("A.2_public"));

  // RFC 8037 §2: for OKP the required members are crv, kty and x, in that order (RFC 7638 §3.2).
  CHECK(jot::jwk_thumbprint(a3.at("jwk")).value_or("") == expected);
  // The private JWK hashes the same members: d is not one of them.
  CHECK(jot::jwk_thumbprint(doc.at("keys").at("A.1_private")).value_or("") == expected);
  // And a key imported from the JWK, exported again, gives it as well.
  const auto key = jot::verification_key::from_jwk(a3.at("jwk"), jot::algorithm::ed25519);
  REQUIRE(key.has_value());
  CHECK(jot::jwk_thumbprint(*key).value_or("") == expected);
  CHECK(jot::jwk_thumbprint_uri(expected) ==
        "urn:ietf:params:oauth:jwk-thumbprint:sha-256:" + expected);  // RFC 9278 §3
}

TEST_CASE("RFC 8037 A.4: Ed25519 over the published signing input gives the published signature",
          "[vectors][rfc8037]") {
  const auto doc = jot_vectors::load(rfc8037_file);
  REQUIRE(doc.at("vectors").size() == 1);
  const auto& a4 = doc.at("vectors").at(0);
  REQUIRE(a4.at("id").get<std::string>() == "rfc8037-A.4");
  const auto token = a4.at("token").get<std::string>();
  const auto signing_input = jot_vectors::signing_input_of(token);

  // A.4: protected header {"alg":"EdDSA"}, payload "Example of Ed25519 signing".
  CHECK(std::string(signing_input) ==
        jot_test::signing_input(R"({"alg":"EdDSA"})", a4.at("payload_utf8").get<std::string>()));

  const auto key = jot::signing_key::from_jwk(a4.at("private_key"), jot::algorithm::ed25519);
  REQUIRE(key.has_value());
  const auto signature = key->implementation().sign(signing_input);
  REQUIRE(signature.has_value());
  // The RFC prints the signature in hex as well as in the token; both must be what jot signs.
  const auto printed = jot_vectors::hex_decode(a4.at("signature_hex").get<std::string>());
  CHECK(printed.size() == 64);
  CHECK(*signature == printed);
  CHECK(jot::base64url_encode(*signature) == std::string(jot_vectors::signature_segment_of(token)));
}

TEST_CASE("RFC 8037 A.5: the A.4 token verifies with the A.2 public key", "[vectors][rfc8037]") {
  const auto doc = jot_vectors::load(rfc8037_file);
  const auto& a4 = doc.at("vectors").at(0);
  const auto token = a4.at("token").get<std::string>();
  const auto key =
      jot::verification_key::from_jwk(doc.at("keys").at("A.2_public"), jot::algorithm::ed25519);
  REQUIRE(key.has_value());
  jot_vectors::check_authentic_non_jwt(token, jot_vectors::verifier_for(*key), *key);

  // One changed bit of the signature and it no longer verifies (RFC 8032 §5.1.7).
  auto signature = jot_vectors::b64u(jot_vectors::signature_segment_of(token));
  signature.front() = static_cast<char>(signature.front() ^ 0x01);
  CHECK(key->implementation().verify(jot_vectors::signing_input_of(token), signature).error() ==
        jot::errc::invalid_signature);
}

TEST_CASE("RFC 8037 A.4 in the JOSE cookbook: same key, same token, same verdict",
          "[vectors][rfc8037]") {
  const auto doc = jot_vectors::load(cookbook_file);
  const auto rfc = jot_vectors::load(rfc8037_file);
  const auto& a4 = rfc.at("vectors").at(0);

  // The cookbook's key adds "use":"sig" to the A.1 key, which a signing key accepts.
  const auto& jwk = doc.at("input").at("key");
  CHECK(jwk.at("use").get<std::string>() == "sig");
  CHECK(jwk.at("d") == a4.at("private_key").at("d"));
  CHECK(jwk.at("x") == a4.at("private_key").at("x"));
  const auto token = doc.at("output").at("compact").get<std::string>();
  CHECK(token == a4.at("token").get<std::string>());

  // The cookbook's alg is the polymorphic "EdDSA"; with the OKP curve it means Ed25519.
  const auto alg = jot_vectors::algorithm_named(doc.at("input").at("alg").get<std::string>(),
                                                jwk.at("crv").get<std::string>());
  REQUIRE(alg == jot::algorithm::ed25519);
  const auto key = jot::signing_key::from_jwk(jwk, *alg);
  REQUIRE(key.has_value());
  const auto signature =
      key->implementation().sign(doc.at("signing").at("sig-input").get<std::string>());
  REQUIRE(signature.has_value());
  CHECK(jot::base64url_encode(*signature) == doc.at("signing").at("sig").get<std::string>());

  const auto verification = key->verification_key();
  REQUIRE(verification.has_value());
  jot_vectors::check_authentic_non_jwt(token, jot_vectors::verifier_for(*verification),
                                       *verification);
}
