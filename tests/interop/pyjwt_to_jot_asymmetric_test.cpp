// PyJWT signs with keys that Python's `cryptography` generated; jot verifies with the public key
// as PyJWT's side hands it out, a SubjectPublicKeyInfo PEM or PyJWT's own JWK (Algorithm.to_jwk).
// jot must accept every asymmetric algorithm PyJWT speaks, refuse every mismatch between token,
// key and algorithm with the exact errc, and refuse the classic key-confusion forgery.
//
// PyJWT 2.6 writes EC JWK coordinates without their leading zero bytes (1 key in 128; 1 in 2 on
// P-521), a JWK that RFC 7518 §6.2.1.2, PyJWT's own import and jot all refuse. The peer therefore
// draws EC keys until the JWK is well-formed, except in the test about exactly that case.
//
// Every time claim is written relative to a fixed instant that jot's verifiers read from an
// injected clock, so these tests do not depend on the real time.

#include <chrono>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "asymmetric_support.hpp"
#include "catch.hpp"
#include "pyjwt_peer.hpp"
#include "verifier_setup.hpp"

namespace {

using jot_interop::audience;
using jot_interop::edwards_curve;
using jot_interop::encode_with_key;
using jot_interop::fixed_clock;
using jot_interop::header_alg;
using jot_interop::issuer;
using jot_interop::label;
using jot_interop::member;
using jot_interop::now;
using jot_interop::text;
using jot_interop::token_of;
using jot_interop::verdict;
using nlohmann::json;

// The claims PyJWT signs in this file: the registered ones and custom ones, among them a nested,
// non-ASCII profile.
json pyjwt_custom_claims() {
  return {{"iss", issuer},
          {"sub", "user-7"},
          {"aud", audience},
          {"iat", now - 30},
          {"exp", now + 600},
          {"jti", "pyjwt-asymmetric"},
          {"roles", {"reader", "writer"}},
          {"profile", {{"name", "Zoë Ñúñez 日本語 😀"}, {"address", {{"city", "Zürich"}}}}}};
}

std::string kid_for(jot::algorithm alg) { return "py-" + label(alg); }

// A "generate" request for a key of `alg` (named `name`) published under `kid`.
json generate(const std::string& name, jot::algorithm alg, const json& kid) {
  return {{"op", "generate"},
          {"name", name},
          {"algorithm", header_alg(alg)},
          {"curve", edwards_curve(alg)},
          {"kid", kid}};
}

// The public key of a successful generate reply.
struct pyjwt_public_key {
  std::string pem;
  json jwk;
};

pyjwt_public_key public_key_of(const json& reply) {
  REQUIRE(member(reply, "ok") == true);
  REQUIRE(member(reply, "public_pem").is_string());
  REQUIRE(member(reply, "public_jwk").is_object());
  return {reply.at("public_pem").get<std::string>(), reply.at("public_jwk")};
}

jot::verifier verifier_for(jot::verification_key key) {
  return jot_test::verifier_setup()
      .add_key(std::move(key))
      .expect_issuer(issuer)
      .expect_audience(audience)
      .allow_custom_clock(fixed_clock)
      .build()
      .value();
}

}  // namespace

TEST_CASE("jot verifies PyJWT tokens of every asymmetric algorithm with PyJWT's PEM and JWK",
          "[interop][pyjwt-to-jot][asymmetric]") {
  const auto index = GENERATE(range(std::size_t{0}, std::size(jot_interop::asymmetric_algorithms)));
  const jot::algorithm alg = jot_interop::asymmetric_algorithms[index];
  INFO(label(alg));

  const std::vector<json> replies = jot_interop::call_peer_batch(
      {generate("k", alg, kid_for(alg)),
       encode_with_key("k", header_alg(alg), kid_for(alg), pyjwt_custom_claims())});
  const pyjwt_public_key public_key = public_key_of(replies[0]);
  const std::string token = token_of(replies[1]);

  struct key_form {
    const char* name;
    jot::result<jot::verification_key> key;
  };
  key_form forms[] = {
      {"from_pem(alg, PyJWT's SubjectPublicKeyInfo PEM), kid added",
       jot::verification_key::from_pem(alg, public_key.pem)},
      {"from_jwk(PyJWT's JWK, alg)", jot::verification_key::from_jwk(public_key.jwk, alg)},
      // The JWK's own `alg` decides; for "EdDSA" jot takes the curve from `crv`.
      {"from_jwk(PyJWT's JWK) with the algorithm read from the JWK",
       jot::verification_key::from_jwk(public_key.jwk)},
  };
  for (auto& form : forms) {
    INFO("jot key " << form.name << " (PyJWT's JWK: " << public_key.jwk.dump() << ")");
    INFO("import: " << verdict(form.key));
    REQUIRE(form.key);
    CHECK(form.key->alg() == alg);
    jot::verification_key key = *form.key;
    if (!key.key_id()) key = key.with_key_id(kid_for(alg)).value();  // a PEM carries no kid
    CHECK(key.key_id().value_or("<absent>") == kid_for(alg));

    const auto verified = verifier_for(key).verify(token);
    INFO("jot: " << verdict(verified));
    REQUIRE(verified);
    CHECK(verified->alg() == alg);
    CHECK(verified->key_id().value_or("<absent>") == kid_for(alg));
    // PyJWT 2.6 writes typ "JWT" and sorts the header members; jot must not care about order.
    CHECK(verified->header() ==
          json({{"alg", header_alg(alg)}, {"kid", kid_for(alg)}, {"typ", "JWT"}}));
    CHECK(verified->claims().json() == pyjwt_custom_claims());
  }
}

namespace {

// A PyJWT-made token and the jot key a verifier holds, plus (where one exists) a control token
// that the same verifier accepts, proving the rejection is caused by what the case changes.
struct token_and_key {
  std::string token;
  jot::verification_key key;
  std::optional<std::string> control;
};

struct jot_asymmetric_rejection {
  const char* name;
  token_and_key (*make)();
  jot::errc expected;
};

const jot_asymmetric_rejection jot_asymmetric_rejections[] = {
    {"a PyJWT ES256 token, checked by a verifier holding only a jot ES384 key",
     [] {
       const auto replies = jot_interop::call_peer_batch(
           {generate("k", jot::algorithm::es256, nullptr),
            encode_with_key("k", "ES256", nullptr, pyjwt_custom_claims())});
       return token_and_key{token_of(replies[1]),
                            jot_interop::jot_key(jot::algorithm::es384).verification_key().value(),
                            std::nullopt};
     },
     jot::errc::algorithm_not_allowed},
    {"a PyJWT RS256 token signed by another RSA key than the one published under its kid",
     [] {
       const auto replies = jot_interop::call_peer_batch(
           {generate("published", jot::algorithm::rs256, "py-RS256"),
            generate("other", jot::algorithm::rs256, nullptr),
            encode_with_key("other", "RS256", "py-RS256", pyjwt_custom_claims()),
            encode_with_key("published", "RS256", "py-RS256", pyjwt_custom_claims())});
       auto key =
           jot::verification_key::from_pem(jot::algorithm::rs256, public_key_of(replies[0]).pem)
               .value()
               .with_key_id("py-RS256")
               .value();
       return token_and_key{token_of(replies[2]), key, token_of(replies[3])};
     },
     jot::errc::invalid_signature},
    {"a PyJWT PS256 token, checked by an RS256 key of the same RSA key pair",
     [] {
       const auto replies = jot_interop::call_peer_batch(
           {generate("k", jot::algorithm::rs256, nullptr),
            encode_with_key("k", "PS256", nullptr, pyjwt_custom_claims()),
            encode_with_key("k", "RS256", nullptr, pyjwt_custom_claims())});
       auto key =
           jot::verification_key::from_pem(jot::algorithm::rs256, public_key_of(replies[0]).pem)
               .value();
       return token_and_key{token_of(replies[1]), key, token_of(replies[2])};
     },
     jot::errc::algorithm_not_allowed},
    {"a PyJWT EdDSA token signed by an Ed448 key, checked by the Ed25519 key its kid names",
     [] {
       const auto replies = jot_interop::call_peer_batch(
           {generate("ed25519", jot::algorithm::ed25519, "py-Ed25519"),
            generate("ed448", jot::algorithm::ed448, nullptr),
            encode_with_key("ed448", "EdDSA", "py-Ed25519", pyjwt_custom_claims()),
            encode_with_key("ed25519", "EdDSA", "py-Ed25519", pyjwt_custom_claims())});
       // "EdDSA" names both curves, so only the signature itself (114 bytes, not 64) can fail.
       auto key =
           jot::verification_key::from_jwk(public_key_of(replies[0]).jwk, jot::algorithm::ed25519)
               .value();
       return token_and_key{token_of(replies[2]), key, token_of(replies[3])};
     },
     jot::errc::invalid_signature},
    {"a PyJWT ES512 token with one signature byte flipped",
     [] {
       const auto replies = jot_interop::call_peer_batch(
           {generate("k", jot::algorithm::es512, "py-ES512"),
            encode_with_key("k", "ES512", "py-ES512", pyjwt_custom_claims())});
       auto key = jot::verification_key::from_jwk(public_key_of(replies[0]).jwk).value();
       const std::string token = token_of(replies[1]);
       return token_and_key{jot_test::flip_signature_byte(token), key, token};
     },
     jot::errc::invalid_signature},
    {"an Ed25519 signature under the fully-specified alg Ed448 (RFC 9864), for an Ed25519 key",
     [] {
       const json header = {{"alg", "Ed448"}, {"typ", "JWT"}};
       const auto replies = jot_interop::call_peer_batch(
           {generate("k", jot::algorithm::ed25519, nullptr),
            {{"op", "sign_raw"},
             {"key", "k"},
             {"header", header},
             {"payload", pyjwt_custom_claims()}},
            encode_with_key("k", "EdDSA", nullptr, pyjwt_custom_claims())});
       auto key = jot::verification_key::from_jwk(public_key_of(replies[0]).jwk).value();
       return token_and_key{token_of(replies[1]), key, token_of(replies[2])};
     },
     jot::errc::algorithm_not_allowed},
};

}  // namespace

TEST_CASE("jot rejects a PyJWT token whose algorithm, key or signature does not match, exactly",
          "[interop][pyjwt-to-jot][asymmetric]") {
  const auto row = GENERATE(range(std::size_t{0}, std::size(jot_asymmetric_rejections)));
  const jot_asymmetric_rejection& rejection = jot_asymmetric_rejections[row];
  INFO(rejection.name);

  const token_and_key made = rejection.make();
  const jot::verifier verifier = verifier_for(made.key);
  if (made.control) {
    const auto control = verifier.verify(*made.control);
    INFO("control token, jot: " << verdict(control));
    REQUIRE(control);
  }
  const auto verified = verifier.verify(made.token);
  INFO("jot: " << verdict(verified));
  REQUIRE_FALSE(verified);
  CHECK(verified.error() == rejection.expected);
}

TEST_CASE("jot refuses an HS256 token MACed with its RS256 public key PEM (key confusion)",
          "[interop][pyjwt-to-jot][asymmetric]") {
  // The attack (RFC 8725 §2.1): take the server's published RSA public key, use its PEM text as
  // an HMAC secret, and hope the verifier lets the token's alg pick HMAC with "the key".
  const jot::signing_key& server_key = jot_interop::jot_key(jot::algorithm::rs256);
  const std::string pem = jot_interop::public_pem_from_jwk(jot_interop::public_jwk(server_key));
  const json header = {{"alg", "HS256"}, {"typ", "JWT"}, {"kid", "jot-RS256"}};

  const std::vector<json> replies = jot_interop::call_peer_batch({
      {{"op", "encode"},
       {"algorithm", "HS256"},
       {"secret", jot_interop::b64url(pem)},
       {"headers", {{"kid", "jot-RS256"}}},
       {"payload", pyjwt_custom_claims()}},
      {{"op", "sign_raw"},
       {"hmac_sha256_key", pem},
       {"header", header},
       {"payload", pyjwt_custom_claims()}},
  });
  // PyJWT 2.6 itself refuses to use a PEM as an HMAC secret; the forgery is made with hmac.
  CHECK(member(replies[0], "ok") == false);
  CHECK(text(replies[0], "error") == "InvalidKeyError");
  const std::string forged = token_of(replies[1]);

  // The verifier holds the server's key as an RS256 key read from that same PEM. Control: a
  // genuine token from the server verifies.
  const jot::verifier verifier =
      verifier_for(jot::verification_key::from_pem(jot::algorithm::rs256, pem)
                       .value()
                       .with_key_id("jot-RS256")
                       .value());
  const jot::claims claims = jot::claims::builder(fixed_clock())
                                 .issuer(issuer)
                                 .audience(audience)
                                 .expires_in(std::chrono::minutes(10))
                                 .build()
                                 .value();
  const auto genuine = verifier.verify(jot::encoder(server_key).sign(claims).value());
  INFO("genuine RS256 token, jot: " << verdict(genuine));
  REQUIRE(genuine);

  const auto verified = verifier.verify(forged);
  INFO("forged HS256 token, jot: " << verdict(verified));
  REQUIRE_FALSE(verified);
  CHECK(verified.error() == jot::errc::algorithm_not_allowed);
}

TEST_CASE("jot accepts the fully-specified Ed25519 and Ed448 alg names on tokens made in Python",
          "[interop][pyjwt-to-jot][asymmetric]") {
  // PyJWT 2.6 knows only "EdDSA"; RFC 9864's names are written here with cryptography directly.
  const jot::algorithm alg = GENERATE(jot::algorithm::ed25519, jot::algorithm::ed448);
  INFO(label(alg));
  const json header = {{"alg", label(alg)}, {"typ", "JWT"}, {"kid", kid_for(alg)}};
  const std::vector<json> replies = jot_interop::call_peer_batch(
      {generate("k", alg, kid_for(alg)),
       {{"op", "sign_raw"}, {"key", "k"}, {"header", header}, {"payload", pyjwt_custom_claims()}}});

  const auto key = jot::verification_key::from_jwk(public_key_of(replies[0]).jwk);
  INFO("import: " << verdict(key));
  REQUIRE(key);
  const auto verified = verifier_for(*key).verify(token_of(replies[1]));
  INFO("jot: " << verdict(verified));
  REQUIRE(verified);
  CHECK(verified->alg() == alg);
  CHECK(verified->header() == header);
  CHECK(verified->claims().json() == pyjwt_custom_claims());
}

TEST_CASE("jot refuses a PyJWT public key imported for an algorithm it does not fit, exactly",
          "[interop][pyjwt-to-jot][asymmetric]") {
  // All keys come from one PyJWT process; each row imports one of them for the wrong algorithm.
  const std::vector<json> replies = jot_interop::call_peer_batch({
      generate("rsa", jot::algorithm::rs256, nullptr),
      generate("p256", jot::algorithm::es256, nullptr),
      generate("p384", jot::algorithm::es384, nullptr),
      generate("secp256k1", jot::algorithm::es256k, nullptr),
      generate("ed448", jot::algorithm::ed448, nullptr),
  });
  const pyjwt_public_key rsa = public_key_of(replies[0]), p256 = public_key_of(replies[1]),
                         p384 = public_key_of(replies[2]), secp256k1 = public_key_of(replies[3]),
                         ed448 = public_key_of(replies[4]);

  struct import_case {
    const char* name;
    jot::result<jot::verification_key> key;
    jot::errc expected;
  };
  using jot::verification_key;
  const import_case cases[] = {
      {"a P-384 PEM as an ES256 key", verification_key::from_pem(jot::algorithm::es256, p384.pem),
       jot::errc::curve_mismatch},
      {"a secp256k1 PEM as an ES256 key (same size, other curve)",
       verification_key::from_pem(jot::algorithm::es256, secp256k1.pem), jot::errc::curve_mismatch},
      {"a P-256 PEM as an ES256K key", verification_key::from_pem(jot::algorithm::es256k, p256.pem),
       jot::errc::curve_mismatch},
      {"an Ed448 PEM as an Ed25519 key",
       verification_key::from_pem(jot::algorithm::ed25519, ed448.pem), jot::errc::curve_mismatch},
      {"an Ed448 JWK (alg EdDSA) as an Ed25519 key",
       verification_key::from_jwk(ed448.jwk, jot::algorithm::ed25519), jot::errc::curve_mismatch},
      {"an RSA PEM as an ES256 key", verification_key::from_pem(jot::algorithm::es256, rsa.pem),
       jot::errc::key_type_mismatch},
      {"an RSA PEM as an HS256 secret", verification_key::from_pem(jot::algorithm::hs256, rsa.pem),
       jot::errc::key_type_mismatch},
      {"an RSA JWK with alg RS256 as a PS256 key",
       verification_key::from_jwk(rsa.jwk, jot::algorithm::ps256),
       jot::errc::jwk_algorithm_mismatch},
      {"a P-256 JWK with alg ES256 as an ES256K key",
       verification_key::from_jwk(p256.jwk, jot::algorithm::es256k),
       jot::errc::jwk_algorithm_mismatch},
  };
  for (const import_case& c : cases) {
    INFO(c.name << ", jot: " << verdict(c.key));
    REQUIRE_FALSE(c.key);
    CHECK(c.key.error() == c.expected);
  }
}

TEST_CASE("jot, like PyJWT's own import, refuses a PyJWT 2.6 EC JWK with a short coordinate",
          "[interop][pyjwt-to-jot][asymmetric]") {
  // PyJWT 2.6's to_jwk() writes x and y as minimal integers; RFC 7518 §6.2.1.2 requires the full
  // coordinate width, and PyJWT's from_jwk() insists on it. The peer draws keys until one has a
  // short coordinate (about 1 in 128; 1 in 2 on P-521). The same key as PEM verifies, so it is the
  // JWK encoding that is refused, not the key.
  const jot::algorithm alg = GENERATE(jot::algorithm::es256, jot::algorithm::es384,
                                      jot::algorithm::es512, jot::algorithm::es256k);
  INFO(label(alg));
  json request = generate("k", alg, kid_for(alg));
  request["coordinates"] = "short";
  const std::vector<json> replies = jot_interop::call_peer_batch(
      {request, encode_with_key("k", header_alg(alg), kid_for(alg), pyjwt_custom_claims()),
       json{{"op", "import_jwk"}, {"key", "k"}}});
  const pyjwt_public_key public_key = public_key_of(replies[0]);
  INFO("PyJWT's JWK " << public_key.jwk.dump() << ", drawn in "
                      << member(replies[0], "attempts").dump() << " attempts");

  INFO("PyJWT's own jwt.PyJWK(): " << replies[2].dump());
  CHECK(member(replies[2], "ok") == false);
  CHECK(text(replies[2], "error") == "InvalidKeyError");

  const auto from_jwk = jot::verification_key::from_jwk(public_key.jwk, alg);
  INFO("jot from_jwk: " << verdict(from_jwk));
  REQUIRE_FALSE(from_jwk);
  CHECK(from_jwk.error() == jot::errc::invalid_key);

  const auto from_pem = jot::verification_key::from_pem(alg, public_key.pem);
  REQUIRE(from_pem);
  const auto verified = verifier_for(*from_pem).verify(token_of(replies[1]));
  INFO("jot with the PEM: " << verdict(verified));
  CHECK(verified);
}
