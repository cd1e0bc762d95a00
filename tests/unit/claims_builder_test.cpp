#include <limits>
#include <string>

#include "catch.hpp"
#include "test_support.hpp"

#include <jot/jot.hpp>

using namespace std::chrono_literals;

TEST_CASE("the builder demands an expiry decision", "[claims]") {
  CHECK(jot::claims_builder{}.subject("a").build().error() == jot::errc::missing_expiration);
  CHECK(jot::claims_builder{}.expires_in(5min).build());
  CHECK(jot::claims_builder{}.expires_at(jot_test::at(2000000000)).build());
  auto forever = jot::claims_builder{}.without_expiration().build();
  REQUIRE(forever);
  CHECK_FALSE(forever->expires_at());
}

TEST_CASE("the builder sets iat from its clock and exp relative to it", "[claims]") {
  auto claims = jot::claims_builder{jot_test::at(1700000000)}.expires_in(15min).build();
  REQUIRE(claims);
  CHECK(claims->issued_at()->time_since_epoch() == std::chrono::seconds(1700000000));
  CHECK(claims->expires_at()->time_since_epoch() == std::chrono::seconds(1700000900));
  CHECK(claims->json()["iat"].is_number_integer());
  auto without = jot::claims_builder{}.without_issued_at().expires_in(1min).build();
  CHECK_FALSE(without->issued_at());
}

TEST_CASE("registered claims are typed", "[claims]") {
  auto claims = jot::claims_builder{jot_test::at(1700000000)}
                    .issuer("https://issuer.example")
                    .subject("user-1")
                    .jwt_id("id-1")
                    .audience(std::vector<std::string>{"a", "b"})
                    .not_before(jot_test::at(1700000010))
                    .expires_in(1h)
                    .build();
  REQUIRE(claims);
  CHECK(*claims->issuer() == "https://issuer.example");
  CHECK(*claims->subject() == "user-1");
  CHECK(*claims->jwt_id() == "id-1");
  CHECK(claims->audience() == std::vector<std::string_view>{"a", "b"});
  CHECK(claims->not_before()->time_since_epoch() == std::chrono::seconds(1700000010));
  CHECK(claims->json()["aud"].is_array());
  auto single = jot::claims_builder{}.audience("api").expires_in(1min).build();
  CHECK(single->json()["aud"] == "api");
  CHECK(single->audience() == std::vector<std::string_view>{"api"});
}

TEST_CASE("the builder refuses impossible or out-of-range times", "[claims]") {
  CHECK(jot::claims_builder{}.expires_in(0s).build().error() == jot::errc::invalid_argument);
  CHECK(jot::claims_builder{}.expires_in(-5s).build().error() == jot::errc::invalid_argument);
  CHECK(jot::claims_builder{jot_test::at(1700000000)}
            .not_before(jot_test::at(1700000100))
            .expires_at(jot_test::at(1700000100))
            .build()
            .error() == jot::errc::invalid_argument);
  CHECK(jot::claims_builder{}.expires_at(jot_test::at(-1)).build().error() ==
        jot::errc::invalid_argument);
  CHECK(
      jot::claims_builder{}.audience(std::vector<std::string>{}).expires_in(1min).build().error() ==
      jot::errc::invalid_argument);
}

TEST_CASE("custom claims cannot take registered or header names", "[claims]") {
  for (const char* name : {"iss", "sub", "aud", "exp", "nbf", "iat", "jti", "alg", "kid", "typ",
                           "crit", "jwk", "jku", "x5u", "x5c", "cty", "b64"}) {
    INFO(name);
    CHECK(jot::claims_builder{}.claim(name, "x").expires_in(1min).build().error() ==
          jot::errc::reserved_claim);
  }
  CHECK(jot::claims_builder{}.claim("", 1).expires_in(1min).build().error() ==
        jot::errc::invalid_argument);
}

TEST_CASE("claim names that carry secrets or personal data are refused", "[claims]") {
  for (const char* name :
       {"password", "Password", "password_hash", "passwd", "new_password", "secret",
        "client_secret", "clientSecret", "ssn", "SSN", "credit_card", "creditCardNumber",
        "card_number", "cvv", "private_key", "privateKey", "api_key", "pin", "date_of_birth"}) {
    INFO(name);
    CHECK(jot::claims_builder{}.claim(name, "x").expires_in(1min).build().error() ==
          jot::errc::sensitive_claim);
  }
  for (const char* name : {"role", "scope", "lessons", "tenant", "spin_count", "email_verified"}) {
    INFO(name);
    CHECK(jot::claims_builder{}.claim(name, "x").expires_in(1min).build());
  }
}

TEST_CASE("a sensitive-looking name passes only when allowed by exact name", "[claims]") {
  CHECK(jot::claims_builder{}
            .claim("secret_santa_group", "blue")
            .allow_sensitive_claim("secret_santa_group")
            .expires_in(1min)
            .build());
  // Allowing one name does not allow another, and the order of the calls does not matter.
  CHECK(jot::claims_builder{}
            .allow_sensitive_claim("secret_santa_group")
            .claim("secret_santa_group", "blue")
            .claim("password", "hunter2")
            .expires_in(1min)
            .build()
            .error() == jot::errc::sensitive_claim);
}

TEST_CASE("the first builder error is the one reported", "[claims]") {
  CHECK(jot::claims_builder{}.claim("iss", "x").expires_in(-1s).build().error() ==
        jot::errc::reserved_claim);
}

TEST_CASE("custom claims keep their JSON values", "[claims]") {
  auto claims = jot::claims_builder{}
                    .claim("roles", nlohmann::json::array({"admin", "dev"}))
                    .claim("org", {{"id", 7}, {"name", "Ünïcode"}})
                    .expires_in(1min)
                    .build();
  REQUIRE(claims);
  CHECK((*claims->find("roles"))[1] == "dev");
  CHECK((*claims->find("org"))["id"] == 7);
  CHECK(claims->find("missing") == nullptr);
  CHECK(claims->contains("org"));
}

TEST_CASE("NaN and infinities are refused anywhere in a claim value", "[claims]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const nlohmann::json values[] = {nan, inf, -inf, nlohmann::json::array({1, nan}),
                                   nlohmann::json{{"a", {{"b", nlohmann::json::array({inf})}}}}};
  for (const auto& value : values) {
    INFO(value.dump());
    CHECK(jot::claims_builder{}.claim("x", value).expires_in(1min).build().error() ==
          jot::errc::invalid_argument);
  }
  const double largest = std::numeric_limits<double>::max();
  CHECK(jot::claims_builder{}.claim("x", largest).expires_in(1min).build());
}

TEST_CASE("times beyond 2262 are whole seconds and never overflow", "[claims]") {
  // system_clock counts nanoseconds on libstdc++ and ends in 2262; NumericDate reaches 9999.
  auto far = jot::claims_builder{jot_test::at(1700000000)}
                 .expires_in(std::chrono::hours(24 * 365 * 300))
                 .build();
  REQUIRE(far);
  CHECK(far->json()["exp"] == 1700000000 + 3600LL * 24 * 365 * 300);
  CHECK(jot::claims_builder{}.expires_in(std::chrono::hours(24 * 365 * 8000)).build().error() ==
        jot::errc::invalid_argument);
  CHECK(jot::claims_builder{}.expires_in(std::chrono::seconds::max()).build().error() ==
        jot::errc::invalid_argument);
  const jot::sys_seconds last{std::chrono::seconds(jot::max_numeric_date)};
  auto claims = jot::claims_builder{}.expires_at(last).build();
  REQUIRE(claims);
  CHECK(claims->json()["exp"] == jot::max_numeric_date);
  CHECK(jot::claims_builder{}.expires_at(last + std::chrono::seconds(1)).build().error() ==
        jot::errc::invalid_argument);
  CHECK(jot::claims_builder{jot_test::at(1700000000)}
            .expires_in(std::chrono::seconds(jot::max_numeric_date - 1700000000))
            .build());
}
