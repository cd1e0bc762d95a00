// Wycheproof's ECDH vectors through the recipient side of ECDH-ES: each test's private key is the
// recipient's, its public key the "epk". For P-256, P-384 and P-521 the public keys are already
// JWKs (the webcrypto files); for X25519 the raw public value becomes {"kty":"OKP","crv":
// "X25519","x":...}. The files are selections of upstream's (tests/vectors/data/README.md).
//
// Verdicts, and what jot does with each (the one place they are explained):
//
// | Wycheproof verdict and flags                 | jot                                          |
// |----------------------------------------------|----------------------------------------------|
// | valid                                        | Z equals `shared`                            |
// | valid, EdgeCaseSharedSecret, Z all zero (EC) | Z equals `shared`: x = 0 is a point of the   |
// |                                              | curve that only the key's holder can aim at  |
// | invalid: InvalidCurveAttack, ModifiedPublic- | invalid_ephemeral_key: off the curve, (0, 0) |
// | Point, ModifiedGroup, WrongCurve             | or a crv that is not the recipient's         |
// | acceptable, Twist (X25519)                   | Z equals `shared`: X25519 is defined on the  |
// |                                              | twist and safe there (RFC 7748 §5, §7)       |
// | acceptable, LowOrderPublic, ZeroSharedSecret | invalid_ephemeral_key: RFC 7748 §6.1's check |
// | (X25519)                                     | of an all-zero output, made before deriving  |

#include <algorithm>
#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

#include <jot/jwe/detail/ecdh_es.hpp>

#include "catch.hpp"
#include "jwe_support.hpp"

namespace {

nlohmann::json load_excerpt(const std::string& name) {
  return jot_jwe_test::load("wycheproof/ecdh_excerpts/" + name);
}

bool has_flag(const nlohmann::json& test, const char* flag) {
  const auto& flags = test.at("flags");
  return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

}  // namespace

TEST_CASE("Wycheproof ECDH (webcrypto JWKs): P-256, P-384 and P-521", "[jwe][ecdh][wycheproof]") {
  for (const char* file :
       {"ecdh_secp256r1_webcrypto_test.json", "ecdh_secp384r1_webcrypto_test.json",
        "ecdh_secp521r1_webcrypto_test.json"}) {
    const auto doc = load_excerpt(file);
    std::size_t valid = 0, invalid = 0;
    for (const auto& group : doc.at("testGroups")) {
      for (const auto& test : group.at("tests")) {
        INFO(file << " tcId " << test.at("tcId") << ": " << test.at("comment"));
        const auto recipient = jot_jwe_test::key_from_jwk(test.at("private"));
        const auto z = jot::jwe::detail::agree_as_recipient(recipient.get(), test.at("public"));
        const std::string verdict = test.at("result");
        if (verdict == "valid") {
          REQUIRE(z.has_value());
          CHECK(jot_jwe_test::hex_encode(z->unsafe_bytes()) == test.at("shared"));
          ++valid;
        } else {
          REQUIRE(verdict == "invalid");  // these files have no "acceptable" case
          CHECK(z.error() == jot::errc::invalid_ephemeral_key);
          ++invalid;
        }
      }
    }
    CHECK(valid + invalid == doc.at("numberOfTests"));
    CHECK(valid > 0);
    CHECK(invalid > 0);
  }
}

TEST_CASE("Wycheproof X25519", "[jwe][ecdh][wycheproof]") {
  const auto doc = load_excerpt("x25519_test.json");
  std::size_t count = 0;
  for (const auto& group : doc.at("testGroups")) {
    for (const auto& test : group.at("tests")) {
      INFO("tcId " << test.at("tcId") << ": " << test.at("comment"));
      const auto recipient = jot_jwe_test::raw_x25519_private(
          jot_jwe_test::hex_decode(test.at("private").get<std::string>()));
      const nlohmann::json epk = {
          {"kty", "OKP"},
          {"crv", "X25519"},
          {"x",
           jot::base64url_encode(jot_jwe_test::hex_decode(test.at("public").get<std::string>()))}};
      const auto z = jot::jwe::detail::agree_as_recipient(recipient.get(), epk);
      const std::string verdict = test.at("result");
      if (has_flag(test, "ZeroSharedSecret")) {
        CHECK(verdict == "acceptable");
        CHECK(z.error() == jot::errc::invalid_ephemeral_key);
      } else {
        REQUIRE((verdict == "valid" || (verdict == "acceptable" && has_flag(test, "Twist"))));
        REQUIRE(z.has_value());
        CHECK(jot_jwe_test::hex_encode(z->unsafe_bytes()) == test.at("shared"));
      }
      ++count;
    }
  }
  CHECK(count == doc.at("numberOfTests"));
}
