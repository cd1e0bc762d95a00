// RFC 7515 Appendix A, read from data/rfc/rfc7515_appendix_a.json: the HS256 example (A.1,
// also RFC 7519 §3.1) and the RS256 example (A.2) reproduced byte for byte, the ECDSA examples
// (A.3 ES256, A.4 ES512; randomized signatures) verified, and the unsecured example (A.5) refused.
// The signatures of the JSON serializations (A.6, A.7) are checked with the keys alone: jot
// parses compact JWS only.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <jot/jot.hpp>

#include "catch.hpp"
#include "test_support.hpp"
#include "vector_support.hpp"
#include "verifier_setup.hpp"

namespace {

constexpr std::string_view appendix_a_file = "rfc/rfc7515_appendix_a.json";

// The A.1 payload has exp = 1300819380 (2011-03-22T18:43:00Z); see data/README.md.
constexpr std::int64_t a1_expiry = 1300819380;
constexpr std::int64_t before_a1_expiry = 1300819000;

// The HMAC value RFC 7515 A.1.1 prints as an octet array. It is the third segment of the
// published token; keeping the printed form too means the test does not only trust the file.
constexpr unsigned char rfc7515_a1_hmac[] = {116, 24,  223, 180, 151, 153, 224, 37,  79,  250, 96,
                                             125, 216, 173, 187, 186, 22,  212, 37,  77,  105, 214,
                                             191, 240, 91,  88,  5,   88,  83,  132, 141, 121};

const nlohmann::json& vector_with_id(const nlohmann::json& doc, std::string_view id) {
  for (const auto& vector : doc.at("vectors")) {
    if (vector.at("id").get<std::string>() == id) return vector;
  }
  FAIL("no vector " << id << " in " << appendix_a_file);
  throw std::logic_error("unreachable");
}

// The asymmetric examples' JWKs carry no `alg` (RFC 7515 A.2.1, A.3.1, A.4.1), so the
// application names the algorithm, as RFC 8725 §3.1 asks of it anyway.
jot::verification_key public_key_of(const nlohmann::json& vector, jot::algorithm alg) {
  REQUIRE(vector.at("alg").get<std::string>() == jot::algorithm_name(alg));
  REQUIRE_FALSE(vector.at("key").contains("alg"));
  auto key = jot::verification_key::from_jwk(vector.at("key"), alg);
  INFO("public JWK: " << jot_vectors::outcome(key));
  REQUIRE(key.has_value());
  return *key;
}

jot::signing_key private_key_of(const nlohmann::json& vector, jot::algorithm alg) {
  auto key = jot::signing_key::from_jwk(vector.at("private_key"), alg);
  INFO("private JWK: " << jot_vectors::outcome(key));
  REQUIRE(key.has_value());
  return *key;
}

jot::signing_key a1_key(const nlohmann::json& a1) {
  REQUIRE(a1.at("alg").get<std::string>() == "HS256");
  REQUIRE(a1.at("key").at("kty").get<std::string>() == "oct");
  auto secret = jot::secret_bytes::from_base64url(a1.at("key").at("k").get<std::string>());
  REQUIRE(secret.has_value());
  auto key = jot::signing_key::hs256(std::move(*secret));
  REQUIRE(key.has_value());
  return *key;
}

jot::verifier a1_verifier(const jot::signing_key& key,
                          std::function<std::chrono::system_clock::time_point()> clock) {
  return jot_vectors::verifier_for(key.verification_key().value(), std::move(clock));
}

}  // namespace

TEST_CASE("RFC 7515 A.1: HS256 over the published signing input gives the published MAC",
          "[vectors][rfc7515]") {
  const auto doc = jot_vectors::load(appendix_a_file);
  const auto& a1 = vector_with_id(doc, "rfc7515-A.1");
  const auto token = a1.at("token").get<std::string>();
  const auto signing_input = jot_vectors::signing_input_of(token);

  // The signing input is the encoded segments exactly as published, CRLF and leading space
  // included (RFC 7515 §5.1): a library that re-serializes the JSON would MAC other bytes.
  const auto header_json = a1.at("protected_header_utf8").get<std::string>();
  const auto payload_json = a1.at("payload_utf8").get<std::string>();
  CHECK(header_json.find("\r\n ") != std::string::npos);
  CHECK(std::string(signing_input) == jot_test::signing_input(header_json, payload_json));

  const auto key = a1_key(a1);
  const auto signature = key.implementation().sign(signing_input);
  REQUIRE(signature.has_value());

  const std::string published = jot_vectors::b64u(jot_vectors::signature_segment_of(token));
  const std::string printed(reinterpret_cast<const char*>(rfc7515_a1_hmac), sizeof rfc7515_a1_hmac);
  CHECK(published == printed);
  CHECK(*signature == published);
  CHECK(jot::base64url_encode(*signature) == std::string(jot_vectors::signature_segment_of(token)));
}

TEST_CASE("RFC 7515 A.1: the published token verifies while the clock is before its exp",
          "[vectors][rfc7515]") {
  const auto doc = jot_vectors::load(appendix_a_file);
  const auto& a1 = vector_with_id(doc, "rfc7515-A.1");
  const auto token = a1.at("token").get<std::string>();
  const auto key = a1_key(a1);

  const auto verifier = a1_verifier(key, [] { return jot_test::at(before_a1_expiry); });
  const auto verified = verifier.verify(token);
  INFO("jot: " << jot_vectors::outcome(verified));
  REQUIRE(verified.has_value());
  CHECK(verified->alg() == jot::algorithm::hs256);
  CHECK(verified->header().at("typ").get<std::string>() == "JWT");
  const auto& claims = verified->claims();
  REQUIRE(claims.issuer().has_value());
  CHECK(std::string(*claims.issuer()) == "joe");
  CHECK(claims.expires_at() == jot::sys_seconds(std::chrono::seconds(a1_expiry)));
  const auto* is_root = claims.find("http://example.com/is_root");
  REQUIRE(is_root != nullptr);
  REQUIRE(is_root->is_boolean());
  CHECK(is_root->get<bool>());
}

TEST_CASE("RFC 7515 A.1: the token is expired from the second named by exp onwards",
          "[vectors][rfc7515]") {
  const auto doc = jot_vectors::load(appendix_a_file);
  const auto& a1 = vector_with_id(doc, "rfc7515-A.1");
  const auto token = a1.at("token").get<std::string>();
  const auto key = a1_key(a1);

  // RFC 7519 §4.1.4: the token MUST NOT be accepted "on or after" the exp time.
  CHECK(a1_verifier(key, [] { return jot_test::at(a1_expiry - 1); }).verify(token).has_value());
  CHECK(a1_verifier(key, [] { return jot_test::at(a1_expiry); }).verify(token).error() ==
        jot::errc::token_expired);

  // With the real clock (no clock set), 2011 is long past.
  const auto verified = a1_verifier(key, nullptr).verify(token);
  CHECK(verified.error() == jot::errc::token_expired);
}

TEST_CASE("RFC 7515 A.5: an unsecured JWS is refused as an algorithm the verifier does not allow",
          "[vectors][rfc7515]") {
  const auto doc = jot_vectors::load(appendix_a_file);
  const auto& a1 = vector_with_id(doc, "rfc7515-A.1");
  const auto& a5 = vector_with_id(doc, "rfc7515-A.5");
  REQUIRE(a5.at("alg").get<std::string>() == "none");
  const auto key = a1_key(a1);

  // Pinned before exp, so expiry cannot be the reason (RFC 7518 §3.6, RFC 8725 §3.1).
  const auto verifier = a1_verifier(key, [] { return jot_test::at(before_a1_expiry); });
  CHECK(verifier.verify(a5.at("token").get<std::string>()).error() ==
        jot::errc::algorithm_not_allowed);
}

TEST_CASE("RFC 7515 A.2: RS256 over the published signing input gives the published signature",
          "[vectors][rfc7515]") {
  const auto doc = jot_vectors::load(appendix_a_file);
  const auto& a2 = vector_with_id(doc, "rfc7515-A.2");
  const auto token = a2.at("token").get<std::string>();
  const auto signing_input = jot_vectors::signing_input_of(token);
  CHECK(std::string(signing_input) ==
        jot_test::signing_input(a2.at("protected_header_utf8").get<std::string>(),
                                a2.at("payload_utf8").get<std::string>()));

  // RSASSA-PKCS1-v1_5 is deterministic (RFC 8017 §8.2.1), so signing again with the private
  // key of A.2.1 must give the very bytes of A.2.1, 256 of them for this 2048-bit modulus.
  const auto signature =
      private_key_of(a2, jot::algorithm::rs256).implementation().sign(signing_input);
  REQUIRE(signature.has_value());
  const auto published = jot_vectors::b64u(jot_vectors::signature_segment_of(token));
  CHECK(published.size() == 256);
  CHECK(*signature == published);
  CHECK(public_key_of(a2, jot::algorithm::rs256)
            .implementation()
            .verify(signing_input, published)
            .has_value());
}

TEST_CASE("RFC 7515 A.2 and A.3: the published tokens verify while the clock is before their exp",
          "[vectors][rfc7515]") {
  const auto doc = jot_vectors::load(appendix_a_file);
  const std::pair<const char*, jot::algorithm> examples[] = {
      {"rfc7515-A.2", jot::algorithm::rs256},
      {"rfc7515-A.3", jot::algorithm::es256},
  };
  int checked = 0;
  for (const auto& [id, alg] : examples) {
    INFO(id);
    const auto& vector = vector_with_id(doc, id);
    const auto token = vector.at("token").get<std::string>();
    const auto key = public_key_of(vector, alg);

    // Same claims as A.1 (exp = 1300819380): pinned before exp the token verifies; from exp on,
    // and on the real clock, it is expired (RFC 7519 §4.1.4). Only an authentic token gets as
    // far as its claims, so token_expired also says that the signature held.
    const auto verified =
        jot_vectors::verifier_for(key, [] { return jot_test::at(before_a1_expiry); }).verify(token);
    INFO("jot: " << jot_vectors::outcome(verified));
    REQUIRE(verified.has_value());
    CHECK(verified->alg() == alg);
    CHECK_FALSE(verified->header().contains("typ"));
    REQUIRE(verified->claims().issuer().has_value());
    CHECK(std::string(*verified->claims().issuer()) == "joe");
    CHECK(verified->claims().expires_at() == jot::sys_seconds(std::chrono::seconds(a1_expiry)));
    CHECK(jot_vectors::verifier_for(key, [] { return jot_test::at(a1_expiry); })
              .verify(token)
              .error() == jot::errc::token_expired);
    CHECK(jot_vectors::verifier_for(key, nullptr).verify(token).error() ==
          jot::errc::token_expired);
    ++checked;
  }
  CHECK(checked == 2);
}

TEST_CASE("RFC 7515 A.3 and A.4: the private keys sign ECDSA signatures the public keys accept",
          "[vectors][rfc7515]") {
  const auto doc = jot_vectors::load(appendix_a_file);
  // ECDSA is randomized, so the published R || S cannot be reproduced; instead the private JWK
  // of A.3.1 / A.4.1 must sign the same signing input in the fixed-width JWS form (RFC 7518
  // §3.4: 64 octets for P-256, 132 for P-521) that the published public key accepts.
  const std::tuple<const char*, jot::algorithm, std::size_t> examples[] = {
      {"rfc7515-A.3", jot::algorithm::es256, 64},
      {"rfc7515-A.4", jot::algorithm::es512, 132},
  };
  int checked = 0;
  for (const auto& [id, alg, size] : examples) {
    INFO(id);
    const auto& vector = vector_with_id(doc, id);
    const auto token = vector.at("token").get<std::string>();
    const auto signing_input = jot_vectors::signing_input_of(token);
    const auto published = jot_vectors::b64u(jot_vectors::signature_segment_of(token));
    CHECK(published.size() == size);

    const auto public_key = public_key_of(vector, alg);
    CHECK(public_key.implementation().verify(signing_input, published).has_value());
    const auto signature = private_key_of(vector, alg).implementation().sign(signing_input);
    REQUIRE(signature.has_value());
    CHECK(signature->size() == size);
    CHECK(public_key.implementation().verify(signing_input, *signature).has_value());
    // A flipped bit in S is no longer a signature.
    auto altered = published;
    altered.back() = static_cast<char>(altered.back() ^ 0x01);
    CHECK(public_key.implementation().verify(signing_input, altered).error() ==
          jot::errc::invalid_signature);
    ++checked;
  }
  CHECK(checked == 2);
}

TEST_CASE("RFC 7515 A.4: the ES512 example is authentic but its payload is not a JWT",
          "[vectors][rfc7515]") {
  const auto doc = jot_vectors::load(appendix_a_file);
  const auto& a4 = vector_with_id(doc, "rfc7515-A.4");
  const auto token = a4.at("token").get<std::string>();
  // A.4.1 signs the octets of "Payload": a JWS, not a JWT (RFC 7519 §7.2 step 10). There is no
  // exp to pin the clock for.
  CHECK(a4.at("payload_utf8").get<std::string>() == "Payload");
  CHECK(jot_vectors::payload_of(token) == "Payload");
  const auto key = public_key_of(a4, jot::algorithm::es512);
  jot_vectors::check_authentic_non_jwt(token, jot_vectors::verifier_for(key, nullptr), key);
}

TEST_CASE("RFC 7515 A.6 and A.7: JSON-serialized signatures hold, but only compact JWS is parsed",
          "[vectors][rfc7515]") {
  const auto doc = jot_vectors::load(appendix_a_file);
  const auto& a6 = vector_with_id(doc, "rfc7515-A.6");
  const auto& a7 = vector_with_id(doc, "rfc7515-A.7");

  // The A.6 keys are the A.2 and A.3 public keys, published under kids for a keyset.
  std::vector<jot::verification_key> keys;
  for (const auto& jwk : a6.at("key")) {
    const auto alg = jwk.at("kty") == "RSA" ? jot::algorithm::rs256 : jot::algorithm::es256;
    auto key = jot::verification_key::from_jwk(jwk, alg);
    INFO("JWK " << jwk.at("kid").get<std::string>() << ": " << jot_vectors::outcome(key));
    REQUIRE(key.has_value());
    REQUIRE(key->key_id() == jwk.at("kid").get<std::string>());
    keys.push_back(*key);
  }
  REQUIRE(keys.size() == 2);

  // A.7 flattens the A.3 signature of A.6: the same payload, protected header, unprotected
  // header and signature members, at the top level.
  std::vector<nlohmann::json> signatures = a6.at("json_serialization").at("signatures");
  const auto& flattened = a7.at("json_serialization");
  const auto payload = a6.at("json_serialization").at("payload").get<std::string>();
  CHECK(flattened.at("payload").get<std::string>() == payload);
  signatures.push_back(flattened);

  // Each signature covers BASE64URL(protected) '.' BASE64URL(payload) (RFC 7515 §7.2.1, §5.1),
  // exactly as in compact form, so the keys' verify() can check them.
  int verified = 0;
  for (const auto& entry : signatures) {
    const auto kid = entry.at("header").at("kid").get<std::string>();
    INFO("signature with kid " << kid);
    const auto signing_input = entry.at("protected").get<std::string>() + "." + payload;
    const auto signature = jot_vectors::b64u(entry.at("signature").get<std::string>());
    int matching = 0;
    for (const auto& key : keys) {
      if (key.key_id() != kid) continue;
      ++matching;
      CHECK(key.implementation().verify(signing_input, signature).has_value());
      ++verified;
    }
    CHECK(matching == 1);
  }
  CHECK(verified == 3);
  // The RS256 signature is deterministic: A.6 repeats the one of the compact A.2 token.
  CHECK(a6.at("json_serialization").at("signatures").at(0).at("signature").get<std::string>() ==
        std::string(jot_vectors::signature_segment_of(
            vector_with_id(doc, "rfc7515-A.2").at("token").get<std::string>())));

  // The JSON text itself has no dot at all: it is no compact JWS (RFC 7515 §7.1), and jot refuses
  // it on structure, before any key is chosen.
  jot_test::verifier_setup builder;
  for (const auto& key : keys) builder.add_key(key);
  builder.allow_custom_clock([] { return jot_test::at(before_a1_expiry); });
  const auto verifier = builder.build();
  REQUIRE(verifier.has_value());
  for (const auto* vector : {&a6, &a7}) {
    INFO(vector->at("id").get<std::string>());
    CHECK(verifier->verify(vector->at("json_serialization").dump()).error() ==
          jot::errc::malformed_token);
  }
}

TEST_CASE("RFC 7515 A.2 to A.4: asymmetric example tokens are refused by an HS256 verifier",
          "[vectors][rfc7515]") {
  const auto doc = jot_vectors::load(appendix_a_file);
  const auto key = a1_key(vector_with_id(doc, "rfc7515-A.1"));
  const auto verifier = a1_verifier(key, [] { return jot_test::at(before_a1_expiry); });

  // The token's alg never selects a primitive: jot implements RS256, ES256 and ES512 (the tests
  // above verify these tokens with their own keys), but they are not in this verifier's
  // allowlist, which only its HS256 key defines (RFC 8725 §3.1).
  int checked = 0;
  for (const char* id : {"rfc7515-A.2", "rfc7515-A.3", "rfc7515-A.4"}) {
    const auto& vector = vector_with_id(doc, id);
    INFO(id << " (" << vector.at("alg").get<std::string>() << ")");
    CHECK(verifier.verify(vector.at("token").get<std::string>()).error() ==
          jot::errc::algorithm_not_allowed);
    ++checked;
  }
  CHECK(checked == 3);
}
