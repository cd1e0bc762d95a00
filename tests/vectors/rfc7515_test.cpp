// RFC 7515 Appendix A, read from vectors/rfc/rfc7515_appendix_a.json: the HS256 example (A.1,
// also RFC 7519 §3.1) reproduced byte for byte, and the unsecured example (A.5) refused.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <jot/jot.hpp>

#include "catch.hpp"
#include "test_support.hpp"
#include "vector_support.hpp"

namespace {

constexpr std::string_view appendix_a_file = "rfc/rfc7515_appendix_a.json";

// The A.1 payload has exp = 1300819380 (2011-03-22T18:43:00Z); see vectors/README.md.
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
  jot::verifier_builder builder;
  builder.add_key(key.verification_key().value());
  if (clock) builder.clock(std::move(clock));
  auto verifier = builder.build();
  REQUIRE(verifier.has_value());
  return *verifier;
}

}  // namespace

TEST_CASE("RFC 7515 A.1: HS256 over the published signing input gives the published MAC",
          "[vectors][rfc7515]") {
  const auto doc = jot_vectors::load(appendix_a_file);
  if (!doc) return;
  const auto& a1 = vector_with_id(*doc, "rfc7515-A.1");
  const auto token = a1.at("token").get<std::string>();
  const auto signing_input = jot_vectors::signing_input_of(token);

  // The signing input is the encoded segments exactly as published, CRLF and leading space
  // included (RFC 7515 §5.1): a library that re-serializes the JSON would MAC other bytes.
  const auto header_json = a1.at("protected_header_utf8").get<std::string>();
  const auto payload_json = a1.at("payload_utf8").get<std::string>();
  CHECK(header_json.find("\r\n ") != std::string::npos);
  CHECK(std::string(signing_input) ==
        jot::base64url_encode(header_json) + "." + jot::base64url_encode(payload_json));

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
  if (!doc) return;
  const auto& a1 = vector_with_id(*doc, "rfc7515-A.1");
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
  if (!doc) return;
  const auto& a1 = vector_with_id(*doc, "rfc7515-A.1");
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
  if (!doc) return;
  const auto& a1 = vector_with_id(*doc, "rfc7515-A.1");
  const auto& a5 = vector_with_id(*doc, "rfc7515-A.5");
  REQUIRE(a5.at("alg").get<std::string>() == "none");
  const auto key = a1_key(a1);

  // Pinned before exp, so expiry cannot be the reason (RFC 7518 §3.6, RFC 8725 §3.1).
  const auto verifier = a1_verifier(key, [] { return jot_test::at(before_a1_expiry); });
  CHECK(verifier.verify(a5.at("token").get<std::string>()).error() ==
        jot::errc::algorithm_not_allowed);
}

TEST_CASE("RFC 7515 A.2 to A.4: asymmetric example tokens are refused by an HS256 verifier",
          "[vectors][rfc7515]") {
  const auto doc = jot_vectors::load(appendix_a_file);
  if (!doc) return;
  const auto key = a1_key(vector_with_id(*doc, "rfc7515-A.1"));
  const auto verifier = a1_verifier(key, [] { return jot_test::at(before_a1_expiry); });

  // The token's alg never selects a primitive: RS256/ES256/ES512 are simply not in this
  // verifier's allowlist (RFC 8725 §3.1), whatever jot may support later.
  int checked = 0;
  for (const char* id : {"rfc7515-A.2", "rfc7515-A.3", "rfc7515-A.4"}) {
    const auto& vector = vector_with_id(*doc, id);
    INFO(id << " (" << vector.at("alg").get<std::string>() << ")");
    CHECK(verifier.verify(vector.at("token").get<std::string>()).error() ==
          jot::errc::algorithm_not_allowed);
    ++checked;
  }
  CHECK(checked == 3);
}
