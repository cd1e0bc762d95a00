// The example keys of RFC 7517 Appendices A and B and RFC 7520 §3.5–3.6: which of them jot
// accepts for JWS signatures, what it refuses with which code, and that export gives the same
// members back. (RFC 7520 §3.1–3.4 keys are exercised with their signatures in rfc7520_test.cpp,
// RFC 8037 A.1–A.3 in rfc8037_test.cpp.)

#include <string>

#include "catch.hpp"
#include "vector_support.hpp"
#include "verifier_setup.hpp"

#include <jot/jot.hpp>

namespace {

const char* const rfc7638_thumbprint = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";

// The key-type members of `jwk` (what export must reproduce; metadata like kid/use/alg aside).
nlohmann::json key_members(const nlohmann::json& jwk) {
  nlohmann::json out = nlohmann::json::object();
  for (const char* name :
       {"kty", "crv", "x", "y", "n", "e", "d", "p", "q", "dp", "dq", "qi", "k"}) {
    if (jwk.contains(name)) out[name] = jwk[name];
  }
  return out;
}

}  // namespace

TEST_CASE("RFC 7517 A.1: the RSA key verifies, the EC encryption key is refused",
          "[vectors][jwk][rfc7517]") {
  const auto doc = jot_vectors::load("rfc/rfc7517_jwk_examples.json");
  const auto& keys = doc.at("A.1_public_keys").at("keys");
  REQUIRE(keys.size() == 2);
  // use "enc" (RFC 7517 §4.2): not a key for signatures, whatever algorithm is asked for.
  CHECK(jot::verification_key::from_jwk(keys[0], jot::algorithm::es256).error() ==
        jot::errc::key_use_mismatch);
  auto rsa = jot::verification_key::from_jwk(keys[1]);
  REQUIRE(rsa);
  CHECK(rsa->alg() == jot::algorithm::rs256);
  CHECK(*rsa->key_id() == "2011-04-29");
  // The set keeps the signature key and skips the encryption key.
  auto set = jot::key_set::from_jwks(doc.at("A.1_public_keys"));
  REQUIRE(set);
  CHECK(set->size() == 1);
  CHECK(set->skipped() == 1);
  CHECK(set->find("2011-04-29") != nullptr);
  // Export gives the same key members back, and RFC 7638 §3.1's thumbprint.
  auto exported = jot::to_public_jwk(*rsa);
  REQUIRE(exported);
  CHECK(key_members(*exported) == key_members(keys[1]));
  CHECK(jot::jwk_thumbprint(*rsa).value() == rfc7638_thumbprint);
}

TEST_CASE("RFC 7517 A.2: the RSA private key signs what its A.1 public key verifies",
          "[vectors][jwk][rfc7517]") {
  const auto doc = jot_vectors::load("rfc/rfc7517_jwk_examples.json");
  const auto& keys = doc.at("A.2_private_keys").at("keys");
  REQUIRE(keys.size() == 2);
  CHECK(jot::signing_key::from_jwk(keys[0], jot::algorithm::es256).error() ==
        jot::errc::key_use_mismatch);
  auto rsa = jot::signing_key::from_jwk(keys[1]);
  REQUIRE(rsa);
  CHECK(rsa->alg() == jot::algorithm::rs256);
  auto token = jot::encoder{*rsa}.sign(
      jot::claims::builder{}.subject("a2").expires_in(std::chrono::minutes(1)).build().value());
  REQUIRE(token);
  auto public_key =
      jot::verification_key::from_jwk(doc.at("A.1_public_keys").at("keys")[1]).value();
  CHECK(jot_test::verifier_setup{}.add_key(public_key).build().value().verify(*token));
  // The private export reproduces every member, CRT parameters included.
  CHECK(key_members(jot::unsafe_to_private_jwk(*rsa).value()) == key_members(keys[1]));
  // The public half exported from the private key is A.1's key.
  CHECK(key_members(jot::to_public_jwk(*rsa).value()) ==
        key_members(doc.at("A.1_public_keys").at("keys")[1]));
}

TEST_CASE("RFC 7517 A.3: the HMAC key is RFC 7515's; the AES key-wrap key is refused",
          "[vectors][jwk][rfc7517]") {
  const auto doc = jot_vectors::load("rfc/rfc7517_jwk_examples.json");
  const auto& keys = doc.at("A.3_symmetric_keys").at("keys");
  REQUIRE(keys.size() == 2);
  // A128KW is a key-management algorithm (RFC 7518 §4.4), not a signature algorithm.
  CHECK(jot::verification_key::from_jwk(keys[0], jot::algorithm::hs256).error() ==
        jot::errc::key_use_mismatch);
  // Without alg the caller must choose.
  CHECK(jot::verification_key::from_jwk(keys[1]).error() == jot::errc::missing_algorithm);
  auto hmac = jot::verification_key::from_jwk(keys[1], jot::algorithm::hs256);
  REQUIRE(hmac);
  // It verifies RFC 7515 A.1's token (its exp is 2011: pin the clock).
  const auto rfc7515 = jot_vectors::load("rfc/rfc7515_appendix_a.json");
  for (const auto& vector : rfc7515.at("vectors")) {
    if (vector.at("id") != "rfc7515-A.1") continue;
    auto verifier = jot_test::verifier_setup{}
                        .add_key(*hmac)
                        .allow_custom_clock([] { return jot_test::at(1300819000); })
                        .build()
                        .value();
    CHECK(verifier.verify(vector.at("token").get<std::string>()));
  }
}

TEST_CASE("RFC 7517 B: a key with x5c imports as its n and e; the chain is never used",
          "[vectors][jwk][rfc7517]") {
  const auto doc = jot_vectors::load("rfc/rfc7517_jwk_examples.json");
  const auto& jwk = doc.at("B_x5c_example");
  CHECK(jot::verification_key::from_jwk(jwk).error() == jot::errc::missing_algorithm);
  auto key = jot::verification_key::from_jwk(jwk, jot::algorithm::rs256);
  REQUIRE(key);
  CHECK(*key->key_id() == "1b94c");
  auto exported = jot::to_public_jwk(*key).value();
  CHECK(key_members(exported) == key_members(jwk));
  CHECK_FALSE(exported.contains("x5c"));
}

TEST_CASE("RFC 7520 §3.5 HMAC key round-trips; §3.6 encryption key is refused",
          "[vectors][jwk][rfc7520]") {
  const auto mac = jot_vectors::load("jose-cookbook/jwk/3_5.symmetric_key_mac_computation.json");
  auto key = jot::signing_key::from_jwk(mac);
  REQUIRE(key);
  CHECK(key->alg() == jot::algorithm::hs256);
  CHECK(*key->key_id() == "018c0ae5-4d9b-471b-bfd6-eef314bc7037");
  CHECK(key_members(jot::unsafe_to_private_jwk(*key).value()) == key_members(mac));
  // An HMAC key has no public JWK.
  CHECK(jot::to_public_jwk(*key).error() == jot::errc::invalid_key);

  const auto enc = jot_vectors::load("jose-cookbook/jwk/3_6.symmetric_key_encryption.json");
  CHECK(jot::verification_key::from_jwk(enc).error() == jot::errc::key_use_mismatch);
  CHECK(jot::verification_key::from_jwk(enc, jot::algorithm::hs256).error() ==
        jot::errc::key_use_mismatch);
}

TEST_CASE("RFC 7520 §3.1–3.4 keys export to the same members they were imported from",
          "[vectors][jwk][rfc7520]") {
  struct row {
    const char* file;
    jot::algorithm alg;
    bool is_private;
  };
  const row rows[] = {{"3_1.ec_public_key.json", jot::algorithm::es512, false},
                      {"3_2.ec_private_key.json", jot::algorithm::es512, true},
                      {"3_3.rsa_public_key.json", jot::algorithm::rs256, false},
                      {"3_4.rsa_private_key.json", jot::algorithm::rs256, true}};
  for (const auto& r : rows) {
    INFO(r.file);
    const auto jwk = jot_vectors::load(std::string("jose-cookbook/jwk/") + r.file);
    if (r.is_private) {
      auto key = jot::signing_key::from_jwk(jwk, r.alg);
      REQUIRE(key);
      CHECK(key_members(jot::unsafe_to_private_jwk(*key).value()) == key_members(jwk));
    } else {
      auto key = jot::verification_key::from_jwk(jwk, r.alg);
      REQUIRE(key);
      CHECK(key_members(jot::to_public_jwk(*key).value()) == key_members(jwk));
      CHECK(*key->key_id() == jwk.at("kid").get<std::string>());
    }
  }
}
