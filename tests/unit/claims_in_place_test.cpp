// The verifier reads the header and the claims in place (detail/lazy_object.hpp): a scan with the
// fast reader's grammar, the checks and typed accessors on the scanned text, Json values made
// only when asked. These tests hold it to the eager parse it replaces: the same verdict for texts
// the scan takes and for those it leaves to the strict parser (escapes, fractions, too many
// members), the same values, and the checks' new accessors (check_context).

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "test_support.hpp"
#include "unit_support.hpp"
#include "verifier_setup.hpp"

#include <jot/jot.hpp>

using nlohmann::json;

namespace {

constexpr std::int64_t lazy_now = 1700000000;
const std::string lazy_header = R"({"alg":"HS256","typ":"JWT"})";

jot::verifier lazy_verifier(const jot::signing_key& key,
                            const std::function<void(jot_test::verifier_setup&)>& more = {}) {
  jot_test::verifier_setup builder;
  builder.add_key(key.verification_key().value()).allow_custom_clock([] {
    return jot_test::at(lazy_now);
  });
  if (more) more(builder);
  return builder.build().value();
}

// The payload text with `members` spliced in after `"exp":...,` (raw JSON text, so that escapes
// and number forms stay as written).
std::string lazy_payload(const std::string& members) {
  return R"({"sub":"user-1","iat":)" + std::to_string(lazy_now - 10) + R"(,"exp":)" +
         std::to_string(lazy_now + 600) + members + "}";
}

}  // namespace

TEST_CASE("claims read in place say what the parsed claims say", "[verifier][lazy]") {
  const auto key = jot_test::hs256_key();
  const auto verifier =
      lazy_verifier(key, [](jot_test::verifier_setup& builder) { builder.ignore_audience(); });
  // Scanned (plain JSON), and left to the strict parser: an escape in a string, a fraction, a
  // nested object of more members than the scan compares, more top-level members than its
  // index holds.
  std::string many;
  for (int i = 0; i < 20; ++i) many += ",\"c" + std::to_string(i) + "\":" + std::to_string(i);
  const std::string extras[] = {
      R"(,"aud":["a","b"],"jti":"j-1","n":{"x":[1,true,null]},"neg":-5)",
      R"(,"aud":"a","jti":"j\u002d1","n":{"x":[1,true,null]},"neg":-5)",
      R"(,"aud":["a","b"],"jti":"j-1","n":{"x":[1.5,true,null]},"neg":-5)",
      R"(,"aud":["a","b"],"jti":"j-1","n":{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9})",
      many};
  for (const auto& extra : extras) {
    INFO(extra);
    const std::string text = lazy_payload(extra);
    const json expected = json::parse(text);
    const auto verified = verifier.verify(jot_test::sign_raw(lazy_header, text, key));
    REQUIRE(verified);
    const jot::claims& claims = verified->claims();
    CHECK(claims.subject() == "user-1");
    CHECK(claims.expires_at() == jot_test::at(lazy_now + 600));
    CHECK(claims.issued_at() == jot_test::at(lazy_now - 10));
    CHECK(claims.not_before() == std::nullopt);
    CHECK(claims.issuer() == std::nullopt);
    CHECK(claims.contains("sub"));
    CHECK_FALSE(claims.contains("nope"));
    CHECK(claims.find("nope") == nullptr);
    if (expected.contains("jti")) CHECK(claims.jwt_id() == "j-1");
    if (expected.contains("aud")) {
      // A named list: the views below point into it.
      const json listed =
          expected["aud"].is_string() ? json::array({expected["aud"]}) : expected["aud"];
      std::vector<std::string_view> audiences;
      for (const auto& a : listed) audiences.push_back(a.get_ref<const std::string&>());
      CHECK(claims.audience() == audiences);
    }
    for (const auto& [name, value] : expected.items()) {
      const json* found = claims.find(name);
      REQUIRE(found != nullptr);
      CHECK(*found == value);
      CHECK(found == claims.find(name));  // made once
    }
    CHECK(claims.json() == expected);
    CHECK(verified->header() == json::parse(lazy_header));
  }
}

TEST_CASE("checks on claims read in place give the eager verdicts", "[verifier][lazy]") {
  const auto key = jot_test::hs256_key();
  struct row {
    const char* name;
    std::string header;
    std::string payload;
    std::error_code expected;
  };
  const std::error_code accepted{};
  const std::vector<row> rows = {
      {"duplicate top-level member", lazy_header, lazy_payload(R"(,"sub":"x")"),
       jot::errc::duplicate_member},
      {"duplicate in a nested object", lazy_header, lazy_payload(R"(,"n":{"a":1,"a":2})"),
       jot::errc::duplicate_member},
      {"duplicate through an escape", lazy_header, lazy_payload(R"(,"\u0073ub":"x")"),
       jot::errc::duplicate_member},
      {"header duplicate through an escape", R"({"alg":"HS256","\u0061lg":"none"})",
       lazy_payload(""), jot::errc::duplicate_member},
      {"sub not a string", lazy_header, R"({"sub":5,"exp":)" + std::to_string(lazy_now + 600) + "}",
       jot::errc::invalid_claim_type},
      {"exp a string", lazy_header, R"({"sub":"a","exp":"soon"})", jot::errc::invalid_claim_type},
      {"exp fractional, rounded down: expired", lazy_header,
       R"({"exp":)" + std::to_string(lazy_now) + ".5}", jot::errc::token_expired},
      {"exp beyond 9999", lazy_header, R"({"exp":253402300800})", jot::errc::invalid_claim_type},
      {"exp negative", lazy_header, R"({"exp":-1})", jot::errc::invalid_claim_type},
      {"aud with a number", lazy_header, lazy_payload(R"(,"aud":["a",1])"),
       jot::errc::invalid_claim_type},
      {"aud without an expectation", lazy_header, lazy_payload(R"(,"aud":["a"])"),
       jot::errc::audience_not_expected},
      {"deeper than the cap", lazy_header,
       lazy_payload(",\"d\":" + std::string(32, '[') + std::string(32, ']')),
       jot::errc::json_too_deep},
      {"crit naming an extension not understood", R"({"alg":"HS256","crit":["x"],"x":1})",
       lazy_payload(""), jot::errc::unsupported_critical_header},
      {"crit empty", R"({"alg":"HS256","crit":[]})", lazy_payload(""), jot::errc::invalid_header},
      {"crit with a number", R"({"alg":"HS256","crit":[1]})", lazy_payload(""),
       jot::errc::invalid_header},
      {"b64 false", R"({"alg":"HS256","b64":false})", lazy_payload(""), jot::errc::invalid_header},
      {"b64 true", R"({"alg":"HS256","b64":true})", lazy_payload(""), accepted},
      {"kid not a string", R"({"alg":"HS256","kid":7})", lazy_payload(""),
       jot::errc::invalid_header},
      {"cty JWT", R"({"alg":"HS256","cty":"jwt"})", lazy_payload(""), jot::errc::nested_token},
      {"enc present", R"({"alg":"HS256","enc":"A128GCM"})", lazy_payload(""),
       jot::errc::invalid_header},
      {"typ at+jwt where JWT is expected", R"({"alg":"HS256","typ":"at+jwt"})", lazy_payload(""),
       jot::errc::type_mismatch},
      {"plain", lazy_header, lazy_payload(R"(,"n":{"x":[1,true,null]})"), accepted},
  };
  const auto verifier = lazy_verifier(key);
  for (const auto& r : rows) {
    INFO(r.name);
    CHECK(verifier.verify(jot_test::sign_raw(r.header, r.payload, key)).error() == r.expected);
  }
}

TEST_CASE("expected claims and predicates compare claims read in place", "[verifier][lazy]") {
  const auto key = jot_test::hs256_key();
  const auto verifier = lazy_verifier(key, [](jot_test::verifier_setup& builder) {
    builder.expect_claim("type", "access")
        .expect_claim("level", 3)
        .expect_claim("flag", true)
        .expect_claim("tags", json::array({"a", "b"}))
        .expect_claim_that("ver", [](const json& v) { return v.is_number_unsigned(); })
        .expect_claim_that("sid", [](const json& v) { return v == "s-1"; });
  });
  const std::string good =
      R"(,"type":"access","level":3,"flag":true,"tags":["a","b"],"ver":2,"sid":"s-1")";
  CHECK(verifier.verify(jot_test::sign_raw(lazy_header, lazy_payload(good), key)));
  // The same values in forms the scan leaves to the strict parser compare the same way.
  const std::string escaped =
      R"(,"type":"acc\u0065ss","level":3,"flag":true,"tags":["a","b"],"ver":2,"sid":"s-1")";
  CHECK(verifier.verify(jot_test::sign_raw(lazy_header, lazy_payload(escaped), key)));
  const std::string as_float =
      R"(,"type":"access","level":3.0,"flag":true,"tags":["a","b"],"ver":2,"sid":"s-1")";
  CHECK(verifier.verify(jot_test::sign_raw(lazy_header, lazy_payload(as_float), key)));
  const std::string mismatches[] = {
      R"(,"type":"refresh","level":3,"flag":true,"tags":["a","b"],"ver":2,"sid":"s-1")",
      R"(,"type":"access","level":"3","flag":true,"tags":["a","b"],"ver":2,"sid":"s-1")",
      R"(,"type":"access","level":3,"flag":1,"tags":["a","b"],"ver":2,"sid":"s-1")",
      R"(,"type":"access","level":3,"flag":true,"tags":["b","a"],"ver":2,"sid":"s-1")",
      R"(,"type":"access","level":3,"flag":true,"tags":"a","ver":2,"sid":"s-1")",
      R"(,"type":"access","level":3,"flag":true,"tags":["a","b"],"ver":-2,"sid":"s-1")",
      R"(,"type":"access","level":3,"flag":true,"tags":["a","b"],"ver":2,"sid":"s-2")",
      R"(,"type":["access"],"level":3,"flag":true,"tags":["a","b"],"ver":2,"sid":"s-1")",
  };
  for (const auto& extra : mismatches) {
    INFO(extra);
    CHECK(verifier.verify(jot_test::sign_raw(lazy_header, lazy_payload(extra), key)).error() ==
          jot::errc::claim_mismatch);
  }
}

TEST_CASE("a check reads the claims, the header and the clock through accessors",
          "[verifier][lazy]") {
  const auto key = jot_test::hs256_key();
  std::string seen_subject, seen_alg;
  jot::sys_seconds seen_now{};
  const auto verifier = lazy_verifier(key, [&](jot_test::verifier_setup& builder) {
    builder.expect_that([&](const jot::check_context& token) -> jot::result<void> {
      seen_subject = std::string(token.claims().subject().value_or(""));
      seen_alg = token.header().at("alg").get<std::string>();
      seen_now = token.now();
      const json* org = token.claims().find("org");
      if (!org) return jot::error_info(jot::errc::missing_claim, "org");
      return {};
    });
  });
  CHECK(verifier.verify(jot_test::sign_raw(lazy_header, lazy_payload(R"(,"org":"o")"), key)));
  CHECK(seen_subject == "user-1");
  CHECK(seen_alg == "HS256");
  CHECK(seen_now == jot_test::at(lazy_now));
  const auto missing = verifier.verify(jot_test::sign_raw(lazy_header, lazy_payload(""), key));
  CHECK(missing.error() == jot::errc::missing_claim);
  CHECK(missing.error_claim() == "org");
}

TEST_CASE("claims read in place are made into Json once, from any thread", "[verifier][lazy]") {
  const auto key = jot_test::hs256_key();
  const auto verified = lazy_verifier(key).verify(
      jot_test::sign_raw(lazy_header, lazy_payload(R"(,"roles":["a","b","c"],"n":{"x":1})"), key));
  REQUIRE(verified);
  // The claims outlive the token they came from, and the header its claims.
  const jot::claims claims = verified->claims();
  std::vector<std::thread> threads;
  std::vector<const json*> roles(4), nested(4), whole(4), headers(4);
  for (std::size_t i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      roles[i] = claims.find("roles");
      nested[i] = claims.find("n");
      whole[i] = &claims.json();
      headers[i] = &verified->header();
    });
  }
  for (auto& thread : threads) thread.join();
  for (std::size_t i = 0; i < 4; ++i) {
    CHECK(roles[i] == roles[0]);
    CHECK(nested[i] == nested[0]);
    CHECK(whole[i] == whole[0]);
    CHECK(headers[i] == headers[0]);
  }
  CHECK(*roles[0] == json::array({"a", "b", "c"}));
  CHECK(*nested[0] == json{{"x", 1}});
  CHECK(whole[0]->at("roles") == *roles[0]);
  auto token = lazy_verifier(key).verify(jot_test::sign_raw(lazy_header, lazy_payload(""), key));
  REQUIRE(token);
  const jot::claims moved = std::move(*token).claims();
  CHECK(token->header().at("alg") == "HS256");
  CHECK(moved.subject() == "user-1");
}
