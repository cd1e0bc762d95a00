#include <string>

#include "catch.hpp"
#include "unit_support.hpp"

#include <jot/unverified.hpp>

TEST_CASE("unverified decoding reads header and payload but proves nothing", "[unverified]") {
  const auto token = jot_test::sign_raw(R"({"alg":"none","kid":"x"})", R"({"sub":"mallory"})",
                                        jot_test::hs256_key());
  auto decoded = jot::unverified::decode(token);
  REQUIRE(decoded);
  CHECK(decoded->header["alg"] == "none");
  CHECK(decoded->payload["sub"] == "mallory");
}

TEST_CASE("unverified decoding is as strict about syntax as the verifier", "[unverified]") {
  const auto key = jot_test::hs256_key();
  CHECK(jot::unverified::decode("a.b").error() == jot::errc::malformed_token);
  CHECK(jot::unverified::decode("a.b.c.d").error() == jot::errc::malformed_token);
  CHECK(jot::unverified::decode("e30=.e30.").error() == jot::errc::invalid_base64);
  CHECK(jot::unverified::decode(jot_test::sign_raw(R"({"a":1,"a":2})", "{}", key)).error() ==
        jot::errc::duplicate_member);
  CHECK(jot::unverified::decode(std::string(9000, 'a')).error() == jot::errc::token_too_large);
  CHECK(jot::unverified::decode(std::string(9000, 'a'), 10000).error() ==
        jot::errc::malformed_token);
}

TEST_CASE("unverified decoding shares the verifier's size cap and reads ordered_json",
          "[unverified][ordered_json]") {
  const auto key = jot_test::hs256_key();
  const std::string payload = R"({"zeta":1,"alpha":2})";
  const auto token = jot_test::sign_raw(R"({"alg":"HS256"})", payload, key);
  auto decoded = jot::unverified::decode<nlohmann::ordered_json>(token);
  REQUIRE(decoded);
  CHECK(decoded->payload.dump() == payload);
  const std::string oversized(jot::default_max_token_size + 1, 'a');
  CHECK(jot::unverified::decode(oversized).error() == jot::errc::token_too_large);
}
