#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "catch.hpp"
#include "test_support.hpp"
#include "unit_support.hpp"

#include <jot/jot.hpp>

using namespace std::chrono_literals;

namespace app {
// What an application keeps in its access tokens, with nlohmann's to_json / from_json, written
// for any basic_json so that nlohmann::json and nlohmann::ordered_json both work.
struct access_claims {
  std::vector<std::string> roles;
  std::string scope;
};
template <typename Json>
void to_json(Json& j, const access_claims& c) {
  j = Json::object();
  j["scope"] = c.scope;
  j["roles"] = c.roles;
}
template <typename Json>
void from_json(const Json& j, access_claims& c) {
  j.at("roles").get_to(c.roles);
  j.at("scope").get_to(c.scope);
}

// Types whose JSON the builder must refuse.
struct with_subject {
  std::string sub;
};
void to_json(nlohmann::json& j, const with_subject& c) { j = {{"sub", c.sub}}; }
struct with_password {
  std::string user;
};
void to_json(nlohmann::json& j, const with_password& c) {
  j = {{"user", {{"name", c.user}, {"password", "x"}}}};
}
struct not_an_object {};
void to_json(nlohmann::json& j, const not_an_object&) { j = nlohmann::json::array({1, 2}); }
struct with_nan {};
void to_json(nlohmann::json& j, const with_nan&) {
  j = {{"ratio", std::numeric_limits<double>::quiet_NaN()}};
}
struct with_bad_utf8 {};
void to_json(nlohmann::json& j, const with_bad_utf8&) { j = {{"label", "\xff"}}; }
#ifndef JOT_NO_EXCEPTIONS
struct throws_in_to_json {};
void to_json(nlohmann::json&, const throws_in_to_json&) { throw std::runtime_error("no"); }
#endif
}  // namespace app

TEST_CASE("the builder demands an expiry decision", "[claims]") {
  CHECK(jot::claims::builder{}.subject("a").build().error() == jot::errc::missing_expiration);
  CHECK(jot::claims::builder{}.expires_in(5min).build());
  CHECK(jot::claims::builder{}.expires_at(jot_test::at(2000000000)).build());
  auto forever = jot::claims::builder{}.allow_missing_expiration().build();
  REQUIRE(forever);
  CHECK_FALSE(forever->expires_at());
}

TEST_CASE("the builder sets iat from its clock and exp relative to it", "[claims]") {
  auto claims = jot::claims::builder{jot_test::at(1700000000)}.expires_in(15min).build();
  REQUIRE(claims);
  CHECK(claims->issued_at()->time_since_epoch() == std::chrono::seconds(1700000000));
  CHECK(claims->expires_at()->time_since_epoch() == std::chrono::seconds(1700000900));
  CHECK(claims->json()["iat"].is_number_integer());
  auto without = jot::claims::builder{}.without_issued_at().expires_in(1min).build();
  CHECK_FALSE(without->issued_at());
}

TEST_CASE("registered claims are typed", "[claims]") {
  auto claims = jot::claims::builder{jot_test::at(1700000000)}
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
  auto single = jot::claims::builder{}.audience("api").expires_in(1min).build();
  CHECK(single->json()["aud"] == "api");
  CHECK(single->audience() == std::vector<std::string_view>{"api"});
}

TEST_CASE("the builder refuses impossible or out-of-range times", "[claims]") {
  CHECK(jot::claims::builder{}.expires_in(0s).build().error() == jot::errc::invalid_argument);
  CHECK(jot::claims::builder{}.expires_in(-5s).build().error() == jot::errc::invalid_argument);
  CHECK(jot::claims::builder{jot_test::at(1700000000)}
            .not_before(jot_test::at(1700000100))
            .expires_at(jot_test::at(1700000100))
            .build()
            .error() == jot::errc::invalid_argument);
  CHECK(jot::claims::builder{}.expires_at(jot_test::at(-1)).build().error() ==
        jot::errc::invalid_argument);
  CHECK(jot::claims::builder{}
            .audience(std::vector<std::string>{})
            .expires_in(1min)
            .build()
            .error() == jot::errc::invalid_argument);
}

TEST_CASE("the builder range-checks the iat of its own clock", "[claims]") {
  // A clock before 1970 used to build iat: -5, which jot's own verifier then rejects.
  CHECK(
      jot::claims::builder{jot_test::at(-5)}.expires_at(jot_test::at(1700000000)).build().error() ==
      jot::errc::invalid_argument);
  CHECK(jot::claims::builder{jot_test::at(-1)}
            .without_issued_at()
            .expires_at(jot_test::at(1700000000))
            .build()
            .error() == jot::errc::invalid_argument);
  auto epoch = jot::claims::builder{jot_test::at(0)}.expires_in(1min).build();
  REQUIRE(epoch);
  CHECK(epoch->issued_at()->time_since_epoch() == std::chrono::seconds(0));
}

TEST_CASE("a braced list of audiences is a list", "[claims]") {
  // audience({"a", "b"}) was ambiguous between std::string (an iterator pair) and the vector.
  auto claims = jot::claims::builder{}.audience({"a", "b"}).expires_in(1min).build();
  REQUIRE(claims);
  CHECK(claims->audience() == std::vector<std::string_view>{"a", "b"});
  CHECK(claims->json()["aud"].is_array());
  CHECK(jot::claims::builder{}.audience({}).expires_in(1min).build().error() ==
        jot::errc::invalid_argument);
}

TEST_CASE("custom claims cannot take registered or header names", "[claims]") {
  for (const char* name : {"iss", "sub", "aud", "exp", "nbf", "iat", "jti", "alg", "kid", "typ",
                           "crit", "jwk", "jku", "x5u", "x5c", "cty", "b64"}) {
    INFO(name);
    CHECK(jot::claims::builder{}.claim(name, "x").expires_in(1min).build().error() ==
          jot::errc::reserved_claim);
  }
  CHECK(jot::claims::builder{}.claim("", 1).expires_in(1min).build().error() ==
        jot::errc::invalid_argument);
}

TEST_CASE("claim names that carry secrets or personal data are refused", "[claims]") {
  for (const char* name :
       {"password", "Password", "password_hash", "passwd", "new_password", "secret",
        "client_secret", "clientSecret", "ssn", "SSN", "credit_card", "creditCardNumber",
        "card_number", "cvv", "private_key", "privateKey", "api_key", "pin", "date_of_birth"}) {
    INFO(name);
    CHECK(jot::claims::builder{}.claim(name, "x").expires_in(1min).build().error() ==
          jot::errc::sensitive_claim);
  }
  for (const char* name : {"role", "scope", "lessons", "tenant", "spin_count", "email_verified"}) {
    INFO(name);
    CHECK(jot::claims::builder{}.claim(name, "x").expires_in(1min).build());
  }
}

TEST_CASE("a sensitive-looking name passes only when allowed by exact name", "[claims]") {
  CHECK(jot::claims::builder{}
            .claim("secret_santa_group", "blue")
            .allow_sensitive_claim("secret_santa_group")
            .expires_in(1min)
            .build());
  // Allowing one name does not allow another, and the order of the calls does not matter.
  CHECK(jot::claims::builder{}
            .allow_sensitive_claim("secret_santa_group")
            .claim("secret_santa_group", "blue")
            .claim("password", "hunter2")
            .expires_in(1min)
            .build()
            .error() == jot::errc::sensitive_claim);
}

TEST_CASE("the first builder error is the one reported", "[claims]") {
  CHECK(jot::claims::builder{}.claim("iss", "x").expires_in(-1s).build().error() ==
        jot::errc::reserved_claim);
}

TEST_CASE("custom claims keep their JSON values", "[claims]") {
  auto claims = jot::claims::builder{}
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
    CHECK(jot::claims::builder{}.claim("x", value).expires_in(1min).build().error() ==
          jot::errc::invalid_argument);
  }
  const double largest = std::numeric_limits<double>::max();
  CHECK(jot::claims::builder{}.claim("x", largest).expires_in(1min).build());
}

TEST_CASE("times beyond 2262 are whole seconds and never overflow", "[claims]") {
  // system_clock counts nanoseconds on libstdc++ and ends in 2262; NumericDate reaches 9999.
  auto far = jot::claims::builder{jot_test::at(1700000000)}
                 .expires_in(std::chrono::hours(24 * 365 * 300))
                 .build();
  REQUIRE(far);
  CHECK(far->json()["exp"] == 1700000000 + 3600LL * 24 * 365 * 300);
  CHECK(jot::claims::builder{}.expires_in(std::chrono::hours(24 * 365 * 8000)).build().error() ==
        jot::errc::invalid_argument);
  CHECK(jot::claims::builder{}.expires_in(std::chrono::seconds::max()).build().error() ==
        jot::errc::invalid_argument);
  const jot::sys_seconds last{std::chrono::seconds(jot::max_numeric_date)};
  auto claims = jot::claims::builder{}.expires_at(last).build();
  REQUIRE(claims);
  CHECK(claims->json()["exp"] == jot::max_numeric_date);
  CHECK(jot::claims::builder{}.expires_at(last + std::chrono::seconds(1)).build().error() ==
        jot::errc::invalid_argument);
  CHECK(jot::claims::builder{jot_test::at(1700000000)}
            .expires_in(std::chrono::seconds(jot::max_numeric_date - 1700000000))
            .build());
}

TEST_CASE("sensitive names are refused at any depth, in objects and arrays", "[claims]") {
  using nlohmann::json;
  // Before, only top-level claim names were classified: each of these built.
  const json values[] = {
      {{"password", "x"}},
      {{"profile", {{"contact", {{"SSN", "x"}}}}}},
      json::array({{{"name", "a"}}, {{"api_key", "x"}}}),
      {{"cards", json::array({json::array({{{"creditCardNumber", "x"}}})})}},
      {{"dob", "x"}},
      {{"national_id", "x"}},
  };
  for (const auto& value : values) {
    INFO(value.dump());
    CHECK(jot::claims::builder{}.claim("user", value).expires_in(1min).build().error() ==
          jot::errc::sensitive_claim);
  }
  // Personal data that OpenID Connect defines as standard claims is signed; audit points it out.
  CHECK(jot::claims::builder{}
            .claim("user", {{"email", "a@example.com"}, {"birthdate", "2000-01-01"}})
            .expires_in(1min)
            .build());
  // A sensitive name as a value, not a name, is fine.
  CHECK(jot::claims::builder{}.claim("fields", json::array({"password"})).expires_in(1min).build());
}

TEST_CASE("allow_sensitive_claim allows the exact name wherever it appears", "[claims]") {
  using nlohmann::json;
  CHECK(jot::claims::builder{}
            .allow_sensitive_claim("secret_santa_group")
            .claim("team", {{"secret_santa_group", "blue"}})
            .expires_in(1min)
            .build());
  CHECK(jot::claims::builder{}
            .claim("team", json::array({{{"secret_santa_group", "blue"}}}))
            .allow_sensitive_claim("secret_santa_group")
            .expires_in(1min)
            .build());
  CHECK(jot::claims::builder{}
            .allow_sensitive_claim("secret_santa_group")
            .claim("team", {{"secret_santa_group", "blue"}, {"password", "x"}})
            .expires_in(1min)
            .build()
            .error() == jot::errc::sensitive_claim);
  // A claim set again is judged by its new value.
  CHECK(jot::claims::builder{}
            .claim("team", {{"password", "x"}})
            .claim("team", {{"name", "blue"}})
            .expires_in(1min)
            .build());
}

TEST_CASE("the builder and jot audit share one classifier of claim names", "[claims]") {
  // The lists used to differ: the builder let national_id through and audit called dob mere
  // personal data.
  for (const char* name : {"national_id", "NationalID", "dob", "date_of_birth", "password_hash",
                           "client_secret", "ssn", "iban", "tax_id", "passport"}) {
    INFO(name);
    CHECK(jot::classify_claim_name(name) == jot::claim_name_kind::sensitive);
    CHECK(jot::claims::builder{}.claim(name, "x").expires_in(1min).build().error() ==
          jot::errc::sensitive_claim);
  }
  for (const char* name : {"email", "phone_number", "birthdate", "address", "given_name", "name"}) {
    INFO(name);
    CHECK(jot::classify_claim_name(name) == jot::claim_name_kind::personal);
    CHECK(jot::claims::builder{}.claim(name, "x").expires_in(1min).build());
  }
  for (const char* name :
       {"role", "scope", "lessons", "spin_count", "email_verified", "username"}) {
    INFO(name);
    CHECK(jot::classify_claim_name(name) == jot::claim_name_kind::ordinary);
  }
}

TEST_CASE("a claim value nests no deeper than a verifier accepts", "[claims]") {
  // The payload object is level 1 and the claim value level 2: 31 nested arrays in a claim make
  // a payload 32 deep (default_max_json_depth), one more would be json_too_deep at the verifier.
  const auto nested = [](std::size_t levels) {
    nlohmann::json value = 1;
    for (std::size_t i = 0; i < levels; ++i) {
      nlohmann::json outer = nlohmann::json::array();
      outer.push_back(std::move(value));
      value = std::move(outer);
    }
    return value;
  };
  auto deepest = jot::claims::builder{}.claim("x", nested(31)).expires_in(1h).build();
  REQUIRE(deepest);
  const auto key = jot_test::hs256_key();
  auto verifier = jot::verifier::builder{}.add_key(key.verification_key().value()).build().value();
  CHECK(verifier.verify(jot::encoder{key}.sign(*deepest).value()));
  CHECK(jot::claims::builder{}.claim("x", nested(32)).expires_in(1h).build().error() ==
        jot::errc::invalid_argument);
  CHECK(jot::claims::builder{}.claim("x", nested(2000)).expires_in(1h).build().error() ==
        jot::errc::invalid_argument);
}

TEST_CASE("an application's claims struct goes in through claims()", "[claims][typed]") {
  const app::access_claims mine{{"admin", "dev"}, "read write"};
  auto claims = jot::claims::builder{jot_test::at(1700000000)}
                    .subject("user-1")
                    .claims(mine)
                    .expires_in(15min)
                    .build();
  REQUIRE(claims);
  CHECK(claims->json() == nlohmann::json{{"iat", 1700000000},
                                         {"sub", "user-1"},
                                         {"roles", {"admin", "dev"}},
                                         {"scope", "read write"},
                                         {"exp", 1700000900}});
}

TEST_CASE("claims() puts every member through the checks of claim()", "[claims][typed]") {
  CHECK(
      jot::claims::builder{}.claims(app::with_subject{"admin"}).expires_in(1min).build().error() ==
      jot::errc::reserved_claim);
  CHECK(jot::claims::builder{}.claims(app::with_password{"a"}).expires_in(1min).build().error() ==
        jot::errc::sensitive_claim);
  CHECK(jot::claims::builder{}.claims(app::not_an_object{}).expires_in(1min).build().error() ==
        jot::errc::invalid_argument);
  CHECK(jot::claims::builder{}.claims(app::with_nan{}).expires_in(1min).build().error() ==
        jot::errc::invalid_argument);
  CHECK(jot::claims::builder{}.claims(app::with_bad_utf8{}).expires_in(1min).build().error() ==
        jot::errc::invalid_argument);
  CHECK(jot::claims::builder{}
            .claims(app::with_password{"a"})
            .allow_sensitive_claim("password")
            .expires_in(1min)
            .build());
#ifndef JOT_NO_EXCEPTIONS
  CHECK(jot::claims::builder{}.claims(app::throws_in_to_json{}).expires_in(1min).build().error() ==
        jot::errc::invalid_argument);
#endif
}

#ifndef JOT_NO_EXCEPTIONS
TEST_CASE("claims().as<T>() reads the application's struct back", "[claims][typed]") {
  const auto key = jot_test::hs256_key();
  const auto token = jot::encoder{key}
                         .sign(jot::claims::builder{}
                                   .claims(app::access_claims{{"admin", "dev"}, "read"})
                                   .expires_in(1h)
                                   .build()
                                   .value())
                         .value();
  auto verifier = jot::verifier::builder{}.add_key(key.verification_key().value()).build().value();
  auto verified = verifier.verify(token);
  REQUIRE(verified);
  auto mine = verified->claims().as<app::access_claims>();
  REQUIRE(mine);
  CHECK(mine->roles == std::vector<std::string>{"admin", "dev"});
  CHECK(mine->scope == "read");
}

TEST_CASE("as<T>() is invalid_claim_type when from_json throws, never an exception",
          "[claims][typed]") {
  // roles of the wrong type, and scope missing: nlohmann's type_error and out_of_range.
  auto wrong_type =
      jot::claims::builder{}.claim("roles", "admin").claim("scope", "x").expires_in(1h).build();
  REQUIRE(wrong_type);
  CHECK(wrong_type->as<app::access_claims>().error() == jot::errc::invalid_claim_type);
  auto missing = jot::claims::builder{}
                     .claim("roles", nlohmann::json::array({"admin"}))
                     .expires_in(1h)
                     .build();
  REQUIRE(missing);
  CHECK(missing->as<app::access_claims>().error() == jot::errc::invalid_claim_type);
  CHECK(missing->as<std::string>().error() == jot::errc::invalid_claim_type);
  CHECK(missing->as<nlohmann::json>().value() == missing->json());
}
#endif

TEST_CASE("ordered_json keeps the order of claims and of a struct's members", "[claims][typed]") {
  using ordered = nlohmann::ordered_json;
  auto claims = jot::basic_claims_builder<ordered>{jot_test::at(1700000000)}
                    .claim("zeta", 1)
                    .claims(app::access_claims{{"a"}, "s"})
                    .audience({"x", "y"})
                    .expires_in(1min)
                    .build();
  REQUIRE(claims);
  CHECK(
      claims->json().dump() ==
      R"({"iat":1700000000,"zeta":1,"scope":"s","roles":["a"],"aud":["x","y"],"exp":1700000060})");
  CHECK(claims->audience() == std::vector<std::string_view>{"x", "y"});
  CHECK(claims->expires_at()->time_since_epoch() == std::chrono::seconds(1700000060));
  auto token = jot::basic_encoder<ordered>{jot_test::hs256_key()}.sign(*claims).value();
  const auto first = token.find('.');
  const auto payload = jot::base64url_decode(token.substr(first + 1, token.rfind('.') - first - 1));
  CHECK(*payload == claims->json().dump());
  CHECK(jot::basic_claims_builder<ordered>{}
            .claim("user", ordered{{"password", "x"}})
            .expires_in(1min)
            .build()
            .error() == jot::errc::sensitive_claim);
#ifndef JOT_NO_EXCEPTIONS
  auto mine = claims->as<app::access_claims>();
  REQUIRE(mine);
  CHECK(mine->scope == "s");
#endif
}

TEST_CASE("claims built earlier do not change when the builder goes on", "[claims]") {
  // build() shares the claim set with the claims it returns instead of copying it; the builder
  // must then change a copy, or claims already signed or verified would change under their owner.
  jot::claims::builder builder;
  builder.subject("alice").expires_in(std::chrono::minutes(5));
  const auto first = builder.build().value();
  jot::claims::builder copy = builder;
  builder.claim("role", "admin").subject("mallory").without_issued_at();
  const auto second = builder.build().value();
  CHECK(first.subject() == std::string_view("alice"));
  CHECK_FALSE(first.contains("role"));
  CHECK(first.issued_at());
  CHECK(second.subject() == std::string_view("mallory"));
  CHECK(second.contains("role"));
  CHECK_FALSE(second.issued_at());
  CHECK(copy.build().value().json() == first.json());
  // Moving the claim set out of a temporary leaves the shared one intact.
  nlohmann::json moved = jot::claims(second).json();
  CHECK(moved == second.json());
  CHECK(std::move(builder).build().value().json() == second.json());
}
