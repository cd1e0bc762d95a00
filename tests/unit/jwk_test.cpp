#include <string>

#include "catch.hpp"
#include "rfc7638_example.hpp"
#include "unit_support.hpp"

#include <jot/jot.hpp>

using jot::algorithm;
using jot_test::json_with;
using nlohmann::json;

namespace {
// RFC 7515 A.3 / RFC 7517 A.1 P-256 key (public members).
const json p256 = {{"kty", "EC"},
                   {"crv", "P-256"},
                   {"x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"},
                   {"y", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}};
// RFC 8037 A.2 Ed25519 public key.
const json ed25519 = {
    {"kty", "OKP"}, {"crv", "Ed25519"}, {"x", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}};

}  // namespace

TEST_CASE("every key type round-trips through JWK export and import", "[jwk]") {
  for (algorithm alg : jot::all_algorithms) {
    INFO(jot::fully_specified_name(alg));
    auto key = jot::signing_key::generate(alg).value().with_key_id("k-1").value();
    auto token =
        jot::encoder{key}
            .sign(jot::claims::builder{}.expires_in(std::chrono::minutes(1)).build().value())
            .value();
    auto private_jwk = jot::unsafe_to_private_jwk(key);
    REQUIRE(private_jwk);
    CHECK((*private_jwk)["kid"] == "k-1");
    CHECK((*private_jwk)["use"] == "sig");
    CHECK((*private_jwk)["alg"] == std::string(jot::algorithm_name(alg)));
    auto reloaded = jot::signing_key::from_jwk(*private_jwk);
    REQUIRE(reloaded);
    CHECK(reloaded->alg() == alg);
    CHECK(*reloaded->key_id() == "k-1");
    if (jot::is_hmac(alg)) {
      // An HMAC key has no public form.
      CHECK(jot::to_public_jwk(key).error() == jot::errc::invalid_key);
      continue;
    }
    auto public_jwk = jot::to_public_jwk(key);
    REQUIRE(public_jwk);
    for (const char* secret_member : {"d", "p", "q", "dp", "dq", "qi", "k"}) {
      CHECK_FALSE(public_jwk->contains(secret_member));
    }
    auto verification = jot::verification_key::from_jwk(*public_jwk);
    REQUIRE(verification);
    CHECK(verification->alg() == alg);
    auto verifier = jot::verifier::builder{}.add_key(*verification).build().value();
    CHECK(verifier.verify(token));
    // A key reloaded from the private JWK signs tokens the original verifies.
    auto again =
        jot::encoder{*reloaded}
            .sign(jot::claims::builder{}.expires_in(std::chrono::minutes(1)).build().value())
            .value();
    CHECK(verifier.verify(again));
  }
}

TEST_CASE("JWK import validates every member", "[jwk]") {
  struct row {
    const char* name;
    json jwk;
    std::optional<algorithm> alg;
    jot::errc expected;
  };
  const row rows[] = {
      {"not an object", json::array(), algorithm::es256, jot::errc::invalid_key},
      {"no kty", json_with(p256, {{"kty", nullptr}}), algorithm::es256, jot::errc::invalid_key},
      {"unknown kty", json_with(p256, {{"kty", "XYZ"}}), algorithm::es256, jot::errc::invalid_key},
      {"no alg and none given", p256, std::nullopt, jot::errc::missing_algorithm},
      {"alg differs from the caller's", json_with(p256, {{"alg", "ES384"}}), algorithm::es256,
       jot::errc::jwk_algorithm_mismatch},
      {"alg none", json_with(p256, {{"alg", "none"}}), std::nullopt, jot::errc::key_use_mismatch},
      {"alg of an encryption key", json_with(p256, {{"alg", "ECDH-ES"}}), algorithm::es256,
       jot::errc::key_use_mismatch},
      {"alg not a string", json_with(p256, {{"alg", 256}}), std::nullopt, jot::errc::invalid_key},
      {"use enc", json_with(p256, {{"use", "enc"}}), algorithm::es256, jot::errc::key_use_mismatch},
      {"key_ops without verify", json_with(p256, {{"key_ops", {"sign"}}}), algorithm::es256,
       jot::errc::key_use_mismatch},
      {"key_ops duplicated", json_with(p256, {{"key_ops", {"verify", "verify"}}}), algorithm::es256,
       jot::errc::invalid_key},
      {"EC key for RS256", p256, algorithm::rs256, jot::errc::key_type_mismatch},
      {"P-256 key for ES384", p256, algorithm::es384, jot::errc::curve_mismatch},
      {"unknown curve", json_with(p256, {{"crv", "P-192"}}), algorithm::es256,
       jot::errc::invalid_key},
      {"missing y", json_with(p256, {{"y", nullptr}}), algorithm::es256, jot::errc::invalid_key},
      {"short x", json_with(p256, {{"x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVA"}}),
       algorithm::es256, jot::errc::invalid_key},
      {"padded x", json_with(p256, {{"x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU="}}),
       algorithm::es256, jot::errc::invalid_key},
      {"point not on the curve",
       json_with(p256, {{"y", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a1"}}), algorithm::es256,
       jot::errc::invalid_key},
      {"kid empty", json_with(p256, {{"kid", ""}}), algorithm::es256, jot::errc::invalid_key},
      {"kid a number", json_with(p256, {{"kid", 1}}), algorithm::es256, jot::errc::invalid_key},
      {"Ed25519 key for Ed448", ed25519, algorithm::ed448, jot::errc::curve_mismatch},
      {"X25519 is not a signing key", json_with(ed25519, {{"crv", "X25519"}}), algorithm::ed25519,
       jot::errc::key_type_mismatch},
      {"OKP x too short", json_with(ed25519, {{"x", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHUR"}}),
       algorithm::ed25519, jot::errc::invalid_key},
      {"short HMAC secret", json{{"kty", "oct"}, {"k", "c2hvcnQ"}}, algorithm::hs256,
       jot::errc::weak_key},
      {"oct key for ES256", json{{"kty", "oct"}, {"k", std::string(43, 'A')}}, algorithm::es256,
       jot::errc::key_type_mismatch},
      {"RSA without e", json{{"kty", "RSA"}, {"n", std::string(342, 'A')}}, algorithm::rs256,
       jot::errc::invalid_key},
      {"RSA n with a leading zero", json{{"kty", "RSA"}, {"n", "AAEC"}, {"e", "AQAB"}},
       algorithm::rs256, jot::errc::invalid_key},
      {"RSA too small", json{{"kty", "RSA"}, {"n", "wQ"}, {"e", "AQAB"}}, algorithm::rs256,
       jot::errc::weak_key},
  };
  for (const auto& r : rows) {
    INFO(r.name);
    CHECK(jot::verification_key::from_jwk(r.jwk, r.alg).error() == r.expected);
  }
  CHECK(jot::verification_key::from_jwk(p256, algorithm::es256));
  CHECK(jot::verification_key::from_jwk(json_with(p256, {{"alg", "ES256"}, {"use", "sig"}})));
  CHECK(jot::verification_key::from_jwk(json_with(ed25519, {{"alg", "EdDSA"}})).value().alg() ==
        algorithm::ed25519);
  CHECK(jot::verification_key::from_jwk(json_with(ed25519, {{"alg", "Ed25519"}})).value().alg() ==
        algorithm::ed25519);
  // A public JWK cannot sign.
  CHECK(jot::signing_key::from_jwk(p256, algorithm::es256).error() == jot::errc::invalid_key);
}

TEST_CASE("an RSA key with exponent 1 or an even exponent is refused", "[jwk]") {
  auto key = jot::signing_key::generate(algorithm::rs256).value();
  auto jwk = jot::to_public_jwk(key).value();
  CHECK(jot::verification_key::from_jwk(json_with(jwk, {{"e", "AQ"}})).error() ==
        jot::errc::invalid_key);
  CHECK(jot::verification_key::from_jwk(json_with(jwk, {{"e", "AQAC"}})).error() ==
        jot::errc::invalid_key);
}

TEST_CASE("a private JWK with a mismatched public part is refused", "[jwk]") {
  auto a = jot::unsafe_to_private_jwk(jot::signing_key::generate(algorithm::es256).value()).value();
  auto b = jot::unsafe_to_private_jwk(jot::signing_key::generate(algorithm::es256).value()).value();
  CHECK(jot::signing_key::from_jwk(json_with(a, {{"d", b["d"]}})).error() ==
        jot::errc::invalid_key);
  auto c =
      jot::unsafe_to_private_jwk(jot::signing_key::generate(algorithm::ed25519).value()).value();
  auto d =
      jot::unsafe_to_private_jwk(jot::signing_key::generate(algorithm::ed25519).value()).value();
  CHECK(jot::signing_key::from_jwk(json_with(c, {{"d", d["d"]}})).error() ==
        jot::errc::invalid_key);
}

TEST_CASE("an RSA private JWK whose members do not belong together is refused", "[jwk]") {
  const auto a =
      jot::unsafe_to_private_jwk(jot::signing_key::generate(algorithm::rs256).value()).value();
  const auto b =
      jot::unsafe_to_private_jwk(jot::signing_key::generate(algorithm::rs256).value()).value();
  const json no_crt = {
      {"p", nullptr}, {"q", nullptr}, {"dp", nullptr}, {"dq", nullptr}, {"qi", nullptr}};
  struct row {
    const char* name;
    json jwk;
  };
  const row rows[] = {
      {"d of another key", json_with(a, {{"d", b["d"]}})},
      {"d alone, of another key", json_with(json_with(a, no_crt), {{"d", b["d"]}})},
      {"p and q of another key", json_with(a, {{"p", b["p"]}, {"q", b["q"]}})},
      {"dp and dq swapped", json_with(a, {{"dp", a["dq"]}, {"dq", a["dp"]}})},
      {"qi of another key", json_with(a, {{"qi", b["qi"]}})},
      {"p is 1", json_with(a, {{"p", "AQ"}})},
  };
  for (const auto& r : rows) {
    INFO(r.name);
    CHECK(jot::signing_key::from_jwk(r.jwk).error() == jot::errc::invalid_key);
    // The public half alone is a fine verification key: only the private members disagree.
    CHECK(jot::verification_key::from_jwk(r.jwk));
  }

  // d alone, without the CRT members, is a complete private key (RFC 7518 §6.3.2).
  const auto d_only = jot::signing_key::from_jwk(json_with(a, no_crt));
  REQUIRE(d_only);
  const auto token =
      jot::encoder{*d_only}
          .sign(jot::claims::builder{}.expires_in(std::chrono::minutes(1)).build().value())
          .value();
  CHECK(jot::verifier::builder{}
            .add_key(jot::verification_key::from_jwk(a).value())
            .build()
            .value()
            .verify(token));
  CHECK(jot::unsafe_to_private_jwk(*d_only).value() == json_with(a, no_crt));
}

TEST_CASE("an RSA modulus that is even is refused", "[jwk]") {
  const auto jwk = jot::to_public_jwk(jot::signing_key::generate(algorithm::rs256).value()).value();
  std::string n = jot::base64url_decode(jwk["n"].get<std::string>()).value();
  n.back() = static_cast<char>(n.back() & ~1);
  CHECK(
      jot::verification_key::from_jwk(json_with(jwk, {{"n", jot::base64url_encode(n)}})).error() ==
      jot::errc::invalid_key);
}

TEST_CASE("RFC 7638 thumbprints are computed over the required members only", "[jwk]") {
  const json& rsa = jot_test::rfc7638_example_key();  // RFC 7638 §3.1
  CHECK(jot::jwk_thumbprint(rsa).value() == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
  // RFC 8037 A.3.
  CHECK(jot::jwk_thumbprint(ed25519).value() == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
  CHECK(jot::jwk_thumbprint_uri("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs") ==
        "urn:ietf:params:oauth:jwk-thumbprint:sha-256:NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
  auto key = jot::verification_key::from_jwk(rsa).value();
  CHECK(jot::jwk_thumbprint(key).value() == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
  CHECK(jot::jwk_thumbprint(json_with(rsa, {{"e", nullptr}})).error() == jot::errc::invalid_key);
  CHECK(jot::jwk_thumbprint(json{{"kty", "XYZ"}}).error() == jot::errc::invalid_key);
}
