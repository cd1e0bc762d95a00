// RFC 7520 §4.1 to §4.3, the asymmetric JWS examples of the JOSE cookbook, read from
// data/jose-cookbook/jws/ with the keys of data/jose-cookbook/jwk/ (RFC 7520 §3.1 to §3.4):
// RS256 (§4.1, deterministic: re-created byte for byte), PS384 (§4.2) and ES512 (§4.3), both
// randomized: verified, and re-signed only to check that the private key makes signatures the
// public key accepts (data/README.md: "verify, don't compare bytes").
//
// The payload of every example is a line of prose, not a JSON object, so these are JWS but not
// JWTs: the signature layer is checked with the key's own verify(), and the verifier must get
// past the signature and stop at the payload with errc::invalid_json.

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <jot/jot.hpp>

#include "catch.hpp"
#include "vector_support.hpp"

namespace {

struct cookbook_example {
  const char* section;
  const char* file;  // below data/jose-cookbook/jws/
  jot::algorithm alg;
  const char* public_jwk;   // below data/jose-cookbook/jwk/
  const char* private_jwk;  // idem
  bool deterministic;       // RSASSA-PKCS1-v1_5 (RFC 8017 §8.2.1) is; PSS and ECDSA are not
  std::size_t signature_size;
};

const cookbook_example examples[] = {
    {"4.1", "4_1.rsa_v15_signature.json", jot::algorithm::rs256, "3_3.rsa_public_key.json",
     "3_4.rsa_private_key.json", true, 256},
    {"4.2", "4_2.rsa-pss_signature.json", jot::algorithm::ps384, "3_3.rsa_public_key.json",
     "3_4.rsa_private_key.json", false, 256},
    // RFC 7518 §3.4: ES512 signatures are 2 x 66 octets (P-521 coordinates).
    {"4.3", "4_3.ecdsa_signature.json", jot::algorithm::es512, "3_1.ec_public_key.json",
     "3_2.ec_private_key.json", false, 132},
};

std::string cookbook_path(const char* folder, const char* file) {
  return std::string("jose-cookbook/") + folder + "/" + file;
}

}  // namespace

TEST_CASE("RFC 7520 §3: the cookbook keys import, bound to the algorithm the application names",
          "[vectors][rfc7520]") {
  int checked = 0;
  for (const auto& example : examples) {
    INFO("RFC 7520 §" << example.section << " with " << example.public_jwk);
    const auto public_jwk = jot_vectors::load(cookbook_path("jwk", example.public_jwk));
    const auto private_jwk = jot_vectors::load(cookbook_path("jwk", example.private_jwk));

    // §3.1 to §3.4 give no `alg`: one RSA key serves both RS256 (§4.1) and PS384 (§4.2), so
    // the algorithm must come from the application (RFC 7517 §4.4, RFC 8725 §3.1).
    REQUIRE_FALSE(public_jwk.contains("alg"));
    CHECK(jot::verification_key::from_jwk(public_jwk).error() == jot::errc::missing_algorithm);
    CHECK(jot::signing_key::from_jwk(private_jwk).error() == jot::errc::missing_algorithm);

    const auto verification = jot::verification_key::from_jwk(public_jwk, example.alg);
    INFO("public JWK: " << jot_vectors::outcome(verification));
    REQUIRE(verification.has_value());
    CHECK(verification->alg() == example.alg);
    CHECK(verification->key_id() == std::string("bilbo.baggins@hobbiton.example"));
    const auto signing = jot::signing_key::from_jwk(private_jwk, example.alg);
    INFO("private JWK: " << jot_vectors::outcome(signing));
    REQUIRE(signing.has_value());
    CHECK(signing->key_id() == verification->key_id());
    // The public JWK lacks d: it can verify, never sign (RFC 7517 §9.2 keeps the two apart).
    CHECK(jot::signing_key::from_jwk(public_jwk, example.alg).error() == jot::errc::invalid_key);
    ++checked;
  }
  CHECK(checked == 3);
}

TEST_CASE("RFC 7520 §4.1 to §4.3: the cookbook signatures are authentic for the cookbook keys",
          "[vectors][rfc7520]") {
  int checked = 0, reproduced = 0;
  for (const auto& example : examples) {
    INFO("RFC 7520 §" << example.section << " (" << jot::algorithm_name(example.alg) << ")");
    const auto doc = jot_vectors::load(cookbook_path("jws", example.file));
    const auto public_jwk = jot_vectors::load(cookbook_path("jwk", example.public_jwk));
    const auto private_jwk = jot_vectors::load(cookbook_path("jwk", example.private_jwk));

    const auto& input = doc.at("input");
    const auto& signing = doc.at("signing");
    REQUIRE(input.at("alg").get<std::string>() == jot::algorithm_name(example.alg));
    // The example's embedded key is the §3 private key, with the same kid.
    CHECK(input.at("key") == private_jwk);
    CHECK(signing.at("protected").at("alg").get<std::string>() == jot::algorithm_name(example.alg));
    CHECK(signing.at("protected").at("kid") == public_jwk.at("kid"));

    // The signing input is BASE64URL(UTF8(protected)) '.' BASE64URL(payload) (RFC 7515 §5.1);
    // the payload is the UTF-8 text with its two U+2019 apostrophes.
    const auto payload = input.at("payload").get<std::string>();
    const auto signing_input = signing.at("sig-input").get<std::string>();
    CHECK(signing_input ==
          signing.at("protected_b64u").get<std::string>() + "." + jot::base64url_encode(payload));
    const auto token = doc.at("output").at("compact").get<std::string>();
    CHECK(token == signing_input + "." + signing.at("sig").get<std::string>());
    const auto signature = jot_vectors::b64u(signing.at("sig").get<std::string>());
    CHECK(signature.size() == example.signature_size);

    const auto key = jot::verification_key::from_jwk(public_jwk, example.alg);
    REQUIRE(key.has_value());
    CHECK(key->implementation().verify(signing_input, signature).has_value());
    jot_vectors::check_authentic_non_jwt(token, jot_vectors::verifier_for(*key), *key);

    // Signing the same input again: equal bytes where the scheme is deterministic, otherwise a
    // different signature of the same size that the public key accepts all the same.
    const auto private_key = jot::signing_key::from_jwk(private_jwk, example.alg);
    REQUIRE(private_key.has_value());
    const auto again = private_key->implementation().sign(signing_input);
    REQUIRE(again.has_value());
    CHECK(again->size() == example.signature_size);
    CHECK(key->implementation().verify(signing_input, *again).has_value());
    if (example.deterministic) {
      CHECK(*again == signature);
      ++reproduced;
    } else {
      CHECK(*again != signature);
    }

    // The same signature over a one-character change of the payload no longer verifies.
    auto altered = std::string(signing_input);
    altered.back() = altered.back() == 'A' ? 'B' : 'A';
    CHECK(key->implementation().verify(altered, signature).error() == jot::errc::invalid_signature);
    ++checked;
  }
  CHECK(checked == 3);
  CHECK(reproduced == 1);  // §4.1
}

TEST_CASE("RFC 7520 §4.1 to §4.3: each cookbook token is refused under the other algorithms",
          "[vectors][rfc7520]") {
  // The §4.1 and §4.2 tokens come from one RSA key; a verifier of that key bound to RS256 must
  // not accept a PS384 token, nor the reverse (RFC 8725 §3.1): the alg is checked against the
  // key's before any signature arithmetic.
  int checked = 0;
  for (const auto& token_example : examples) {
    const auto doc = jot_vectors::load(cookbook_path("jws", token_example.file));
    const auto token = doc.at("output").at("compact").get<std::string>();
    for (const auto& key_example : examples) {
      if (key_example.alg == token_example.alg) continue;
      INFO("§" << token_example.section << " token against the §" << key_example.section
               << " key as " << jot::algorithm_name(key_example.alg));
      const auto jwk = jot_vectors::load(cookbook_path("jwk", key_example.public_jwk));
      const auto key = jot::verification_key::from_jwk(jwk, key_example.alg);
      REQUIRE(key.has_value());
      CHECK(jot_vectors::verifier_for(*key).verify(token).error() ==
            jot::errc::algorithm_not_allowed);
      ++checked;
    }
  }
  CHECK(checked == 6);
}
