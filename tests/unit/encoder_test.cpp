#include <string>
#include <string_view>
#include <vector>

#include "catch.hpp"
#include "test_support.hpp"
#include "unit_support.hpp"

#include <jot/jot.hpp>
#include <jot/unverified.hpp>

using namespace std::chrono_literals;

TEST_CASE("the encoder writes alg, typ and kid from the key", "[encoder]") {
  auto key = jot_test::hs256_key("k1");
  auto claims = jot::claims::builder{}.subject("s").expires_in(1min).build().value();
  auto token = jot::encoder{key}.sign(claims).value();
  auto decoded = jot::unverified::decode(token).value();
  CHECK(decoded.header == nlohmann::json{{"alg", "HS256"}, {"typ", "JWT"}, {"kid", "k1"}});
  CHECK(decoded.payload == claims.json());
  CHECK(decoded.signature.size() == 32);

  auto explicit_type = jot::encoder{key, "at+jwt"}.sign(claims).value();
  CHECK(jot::unverified::decode(explicit_type).value().header["typ"] == "at+jwt");
  auto no_type = jot::encoder{jot_test::hs256_key(), std::nullopt}.sign(claims).value();
  CHECK(jot::unverified::decode(no_type).value().header == nlohmann::json{{"alg", "HS256"}});
}

TEST_CASE("every HS algorithm signs a token its own verifier accepts", "[encoder]") {
  for (auto alg : {jot::algorithm::hs256, jot::algorithm::hs384, jot::algorithm::hs512}) {
    INFO(jot::algorithm_name(alg));
    auto key = jot::signing_key::generate(alg).value();
    auto claims = jot::claims::builder{}.subject("s").expires_in(1min).build().value();
    auto token = jot::encoder{key}.sign(claims).value();
    auto decoded = jot::unverified::decode(token).value();
    CHECK(decoded.header["alg"] == std::string(jot::algorithm_name(alg)));
    CHECK(decoded.signature.size() == jot::min_secret_size(alg));
    auto verifier = jot::verifier::builder{}.add_key(key.verification_key().value()).build();
    CHECK(verifier->verify(token).value().alg() == alg);
    // The MAC the encoder writes into the token is the key's MAC of the signing input.
    const std::string_view signing_input(token.data(), token.rfind('.'));
    CHECK(decoded.signature == key.implementation().sign(signing_input).value());
  }
}

TEST_CASE("a claim that is not valid UTF-8 is refused when added, in every build", "[encoder]") {
  // Before, the exceptions build refused it at sign() and the JOT_NO_EXCEPTIONS build signed
  // "\uFFFD\uFFFD" in its place. Now the builder refuses it, the same way in both.
  const std::string bad = "\xff\xfe";
  const std::string overlong = "\xc0\xaf";
  const std::string surrogate = "\xed\xa0\x80";
  CHECK(jot::claims::builder{}.claim("role", bad).expires_in(1min).build().error() ==
        jot::errc::invalid_argument);
  CHECK(jot::claims::builder{}.claim(bad, "x").expires_in(1min).build().error() ==
        jot::errc::invalid_argument);
  CHECK(jot::claims::builder{}
            .claim("org", {{"id", 7}, {"tags", nlohmann::json::array({"ok", overlong})}})
            .expires_in(1min)
            .build()
            .error() == jot::errc::invalid_argument);
  CHECK(jot::claims::builder{}.claim("org", {{surrogate, 1}}).expires_in(1min).build().error() ==
        jot::errc::invalid_argument);
  CHECK(jot::claims::builder{}.subject(bad).expires_in(1min).build().error() ==
        jot::errc::invalid_argument);
  CHECK(jot::claims::builder{}.issuer(overlong).expires_in(1min).build().error() ==
        jot::errc::invalid_argument);
  CHECK(jot::claims::builder{}.jwt_id(surrogate).expires_in(1min).build().error() ==
        jot::errc::invalid_argument);
  CHECK(jot::claims::builder{}.audience({"api", bad}).expires_in(1min).build().error() ==
        jot::errc::invalid_argument);
  // Well-formed UTF-8 of every length passes and is signed as it is.
  auto fine = jot::claims::builder{}
                  .claim("n\xc3\xa4me", "\xe2\x82\xac \xf0\x9f\x98\x80 \xc3\xa9")
                  .expires_in(1min)
                  .build();
  REQUIRE(fine);
  auto token = jot::encoder{jot_test::hs256_key()}.sign(*fine);
  REQUIRE(token);
  CHECK(jot::unverified::decode(*token).value().payload["n\xc3\xa4me"] ==
        "\xe2\x82\xac \xf0\x9f\x98\x80 \xc3\xa9");
}

TEST_CASE("an encoder type that is not UTF-8 is refused at sign()", "[encoder]") {
  auto claims = jot::claims::builder{}.subject("s").expires_in(1min).build().value();
  CHECK(jot::encoder{jot_test::hs256_key(), std::string("at+\xff")}.sign(claims).error() ==
        jot::errc::invalid_argument);
}

TEST_CASE("ordered_json claims keep their member order in the token", "[encoder]") {
  auto claims = jot::basic_claims_builder<nlohmann::ordered_json>{jot_test::at(1700000000)}
                    .subject("s")
                    .claim("zeta", 1)
                    .claim("alpha", 2)
                    .expires_in(1min)
                    .build()
                    .value();
  auto key = jot_test::hs256_key();
  auto token = jot::basic_encoder<nlohmann::ordered_json>{key}.sign(claims).value();
  const auto payload = jot::base64url_decode(
      token.substr(token.find('.') + 1, token.rfind('.') - token.find('.') - 1));
  CHECK(*payload == R"({"iat":1700000000,"sub":"s","zeta":1,"alpha":2,"exp":1700000060})");
  auto verifier = jot::basic_verifier_builder<nlohmann::ordered_json>{}
                      .add_key(key.verification_key().value())
                      .validator(jot::basic_validator_builder<nlohmann::ordered_json>{}
                                     .allow_custom_clock([] { return jot_test::at(1700000001); })
                                     .build())
                      .build()
                      .value();
  auto verified = verifier.verify(token);
  REQUIRE(verified);
  CHECK(verified->claims().json().dump() == *payload);
}

namespace {

// The payload segment of a compact token, decoded.
std::string signed_payload(const std::string& token) {
  const std::size_t start = token.find('.') + 1;
  return jot::base64url_decode(std::string_view(token).substr(start, token.rfind('.') - start))
      .value();
}

}  // namespace

TEST_CASE("the payload the encoder signs is nlohmann's dump of the claims, whatever they hold",
          "[encoder]") {
  // The builder keeps its claims without a JSON object and the encoder writes them directly
  // (detail/claim_set.hpp); the bytes must be those of dump(). fuzz_claims checks the same on
  // every input; these are the writer's three paths: typed claims with nothing to escape (one
  // pass), typed claims with escapes (checked first), and a value only dump() writes (a float).
  const std::vector<std::string> roles{"admin", "billing"};
  const std::string quoted = "say \"hi\"\\ \x01 caf\xc3\xa9";
  const auto plain = [&] {
    return jot::claims::builder{jot_test::at(1700000000)}
        .subject("user-42")
        .expires_in(1min)
        .claim("type", "access")
        .claim("roles", roles)
        .claim("none", std::vector<std::string>{})
        .claim("caf\xc3\xa9", std::string("\xe2\x82\xac"))
        .audience({"x", "y"});
  };
  const auto escaped =
      plain().claim("quoted", quoted).claim("list", std::vector<std::string>{"a", quoted});
  const auto with_float = plain().claim("nested", {{"b", 2.5}, {"a", nullptr}});
  const auto key = jot_test::hs256_key();
  for (const auto& builder : {plain(), escaped, with_float}) {
    const auto claims = builder.build().value();
    const auto token = jot::encoder{key}.sign(claims).value();  // before json() is read
    CHECK(signed_payload(token) == claims.json().dump());
    CHECK(claims.json()["roles"] == nlohmann::json(roles));
    CHECK(claims.json()["type"] == "access");
    CHECK(claims.json()["none"] == nlohmann::json::array());
    CHECK(claims.json()["iat"].is_number_integer());
    CHECK(claims.json()["exp"].is_number_integer());
  }
  CHECK(escaped.build().value().json()["quoted"] == quoted);
  // A null pointer is JSON null, as before: only std::string and string literals are typed.
  const auto with_null = plain().claim("null", nullptr).build().value();
  CHECK(with_null.json()["null"].is_null());
}

TEST_CASE("ordered_json claims set again keep their place, removed and set again go last",
          "[encoder]") {
  auto claims = jot::basic_claims_builder<nlohmann::ordered_json>{jot_test::at(1700000000)}
                    .claim("zeta", "z")
                    .subject("s")
                    .claim("alpha", std::vector<std::string>{"a"})
                    .expires_in(1min)
                    .claim("zeta", "again")
                    .without_issued_at()
                    .issued_at(jot_test::at(1700000001))
                    .build()
                    .value();
  auto token = jot::basic_encoder<nlohmann::ordered_json>{jot_test::hs256_key()}.sign(claims);
  const std::string expected =
      R"({"zeta":"again","sub":"s","alpha":["a"],"exp":1700000060,"iat":1700000001})";
  CHECK(signed_payload(token.value()) == expected);
  CHECK(claims.json().dump() == expected);
}
