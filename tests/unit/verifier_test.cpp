#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "test_support.hpp"
#include "unit_support.hpp"
#include "verifier_setup.hpp"

#include <jot/jot.hpp>

using namespace std::chrono_literals;
using nlohmann::json;

namespace {

constexpr std::int64_t now = 1700000000;
const std::string hs256_header = R"({"alg":"HS256","typ":"JWT"})";

// A claim set valid at `now`, with `changes` merged in (jot_test::json_with).
json valid_claims(const json& changes = json::object()) {
  return jot_test::json_with({{"sub", "user-1"}, {"iat", now - 10}, {"exp", now + 600}}, changes);
}
std::string payload(const json& changes = json::object()) { return valid_claims(changes).dump(); }

jot_test::verifier_setup default_builder(const jot::signing_key& key) {
  jot_test::verifier_setup builder;
  builder.add_key(key.verification_key().value()).allow_custom_clock([] {
    return jot_test::at(now);
  });
  return builder;
}

std::error_code verify_with(const jot_test::verifier_setup& builder, const std::string& token) {
  auto verifier = builder.build();
  REQUIRE(verifier);
  auto verified = verifier->verify(token);
  // Error messages are fixed texts: they must never echo the token or any part of it.
  if (!verified) {
    const std::string message = verified.error().message();
    for (const auto& part :
         {token.substr(0, token.find('.')), token.substr(token.rfind('.') + 1)}) {
      if (part.size() > 4) CHECK(message.find(part) == std::string::npos);
    }
  }
  return verified.error();
}

struct row {
  const char* name;
  std::string header;
  std::string payload;
  std::error_code expected;  // a default (empty) code means "accepted"
};

void check_rows(const std::vector<row>& rows, const jot_test::verifier_setup& builder,
                const jot::signing_key& key) {
  for (const auto& r : rows) {
    INFO(r.name);
    const auto token = jot_test::sign_raw(r.header, r.payload, key);
    CHECK(verify_with(builder, token) == r.expected);
  }
}

const std::error_code accepted{};

}  // namespace

TEST_CASE("the verifier rejects malformed token shapes before any crypto", "[verifier]") {
  const auto key = jot_test::hs256_key();
  const auto builder = default_builder(key);
  const auto good = jot_test::sign_raw(hs256_header, payload(), key);
  const auto dot1 = good.find('.'), dot2 = good.rfind('.');
  struct shape {
    const char* name;
    std::string token;
    jot::errc expected;
  };
  const shape shapes[] = {
      {"empty", "", jot::errc::malformed_token},
      {"no dot", "abc", jot::errc::malformed_token},
      {"one dot", good.substr(0, dot2), jot::errc::malformed_token},
      {"four segments", good + ".", jot::errc::malformed_token},
      {"JWE shape, five segments", good + ".e30.e30", jot::errc::encrypted_token},
      {"only dots", "..", jot::errc::invalid_json},
      {"100 000 dots", std::string(100000, '.'), jot::errc::token_too_large},
      {"over the 8 KiB cap", good + std::string(9000, 'A'), jot::errc::token_too_large},
      {"padded header", good.substr(0, dot1) + "=" + good.substr(dot1), jot::errc::invalid_base64},
      {"padded signature", good + "=", jot::errc::invalid_base64},
      {"standard alphabet", good.substr(0, dot2 + 1) + "+/" + good.substr(dot2 + 3),
       jot::errc::invalid_base64},
      {"space inside", good.substr(0, 5) + " " + good.substr(6), jot::errc::invalid_base64},
  };
  for (const auto& s : shapes) {
    INFO(s.name);
    CHECK(verify_with(builder, s.token) == s.expected);
  }
}

TEST_CASE("the verifier checks the header before choosing a key", "[verifier][header]") {
  const auto key = jot_test::hs256_key();
  const std::string p = payload();
  check_rows(
      {
          {"baseline", hs256_header, p, accepted},
          {"not JSON", "{alg:HS256}", p, jot::errc::invalid_json},
          {"escaped duplicate alg", R"({"alg":"HS256","\u0061lg":"none"})", p,
           jot::errc::duplicate_member},
          {"deep header",
           "{\"alg\":\"HS256\",\"x\":" + std::string(40, '[') + std::string(40, ']') + "}", p,
           jot::errc::json_too_deep},
          {"no alg", R"({"typ":"JWT"})", p, jot::errc::invalid_header},
          {"alg not a string", R"({"alg":256})", p, jot::errc::invalid_header},
          {"alg none", R"({"alg":"none"})", p, jot::errc::algorithm_not_allowed},
          {"alg None", R"({"alg":"None"})", p, jot::errc::algorithm_not_allowed},
          {"alg NONE", R"({"alg":"NONE"})", p, jot::errc::algorithm_not_allowed},
          {"alg empty", R"({"alg":""})", p, jot::errc::algorithm_not_allowed},
          {"alg lower case", R"({"alg":"hs256"})", p, jot::errc::algorithm_not_allowed},
          {"alg with space", R"({"alg":"HS256 "})", p, jot::errc::algorithm_not_allowed},
          {"alg of no key here", R"({"alg":"HS512"})", p, jot::errc::algorithm_not_allowed},
          {"alg RS256", R"({"alg":"RS256"})", p, jot::errc::algorithm_not_allowed},
          {"kid not a string", R"({"alg":"HS256","kid":7})", p, jot::errc::invalid_header},
          {"typ not a string", R"({"alg":"HS256","typ":["JWT"]})", p, jot::errc::invalid_header},
          {"cty not a string", R"({"alg":"HS256","cty":1})", p, jot::errc::invalid_header},
          {"unknown crit", R"({"alg":"HS256","crit":["exp-bound"],"exp-bound":1})", p,
           jot::errc::unsupported_critical_header},
          {"empty crit", R"({"alg":"HS256","crit":[]})", p, jot::errc::invalid_header},
          {"crit not an array", R"({"alg":"HS256","crit":"x","x":1})", p,
           jot::errc::invalid_header},
          {"crit naming a registered header", R"({"alg":"HS256","crit":["alg"]})", p,
           jot::errc::invalid_header},
          {"crit b64", R"({"alg":"HS256","b64":false,"crit":["b64"]})", p,
           jot::errc::unsupported_critical_header},
          {"b64 false without crit", R"({"alg":"HS256","b64":false})", p,
           jot::errc::invalid_header},
          {"b64 true changes nothing", R"({"alg":"HS256","b64":true})", p, accepted},
          {"JWE enc member", R"({"alg":"HS256","enc":"A256GCM"})", p, jot::errc::invalid_header},
          {"zip member", R"({"alg":"HS256","zip":"DEF"})", p, jot::errc::invalid_header},
          {"nested JWT", R"({"alg":"HS256","cty":"JWT"})", p, jot::errc::nested_token},
          {"nested JWT, media type", R"({"alg":"HS256","cty":"application/jwt"})", p,
           jot::errc::nested_token},
          {"other cty is fine", R"({"alg":"HS256","cty":"json"})", p, accepted},
          {"jku is never fetched", R"({"alg":"HS256","jku":"https://attacker.example/k"})", p,
           accepted},
      },
      default_builder(key), key);
}

TEST_CASE("an embedded key in the header is never trusted", "[verifier][header]") {
  // CVE-2018-0114 class: the attacker signs with its own key and ships that key in `jwk`.
  const auto victim = jot_test::hs256_key();
  const std::string attacker_secret(64, 'a');
  const auto attacker = jot::signing_key::hs256(jot::secret_bytes(attacker_secret)).value();
  const std::string header = R"({"alg":"HS256","jwk":{"kty":"oct","k":")" +
                             jot::base64url_encode(attacker_secret) + R"("}})";
  const auto token = jot_test::sign_raw(header, payload(), attacker);
  CHECK(verify_with(default_builder(victim), token) == jot::errc::invalid_signature);
}

TEST_CASE("a single allowed crit extension passes when the application declares it",
          "[verifier][header]") {
  const auto key = jot_test::hs256_key();
  auto builder = default_builder(key);
  builder.allow_critical_header("exp-bound");
  check_rows(
      {{"declared", R"({"alg":"HS256","crit":["exp-bound"],"exp-bound":1})", payload(), accepted},
       {"declared but absent", R"({"alg":"HS256","crit":["exp-bound"]})", payload(),
        jot::errc::invalid_header},
       {"duplicate name", R"({"alg":"HS256","crit":["exp-bound","exp-bound"],"exp-bound":1})",
        payload(), jot::errc::invalid_header},
       {"another name", R"({"alg":"HS256","crit":["other"],"other":1})", payload(),
        jot::errc::unsupported_critical_header}},
      builder, key);
}

TEST_CASE("signatures are checked before the payload is parsed", "[verifier][signature]") {
  const auto key = jot_test::hs256_key();
  const auto other = jot::signing_key::hs256(jot_test::fixed_secret(64, 'z')).value();
  const auto builder = default_builder(key);
  // Garbage payloads signed by someone else fail on the signature, not on their JSON.
  CHECK(verify_with(builder, jot_test::sign_raw(hs256_header, "not json", other)) ==
        jot::errc::invalid_signature);
  CHECK(verify_with(builder, jot_test::sign_raw(hs256_header, payload(), other)) ==
        jot::errc::invalid_signature);
  const auto good = jot_test::sign_raw(hs256_header, payload(), key);
  CHECK(verify_with(builder, good.substr(0, good.rfind('.') + 1)) == jot::errc::invalid_signature);
  CHECK(verify_with(builder, good.substr(0, good.size() - 11)) == jot::errc::invalid_signature);
  // With a valid signature, the payload's own syntax is what fails.
  check_rows({{"payload not JSON", hs256_header, "not json", jot::errc::invalid_json},
              {"payload an array", hs256_header, "[1]", jot::errc::invalid_json},
              {"payload duplicate", hs256_header, R"({"exp":1,"exp":4102444800})",
               jot::errc::duplicate_member},
              {"payload BOM", hs256_header, "\xEF\xBB\xBF" + payload(), jot::errc::invalid_json},
              {"payload deep", hs256_header,
               "{\"a\":" + std::string(1000, '[') + std::string(1000, ']') + "}",
               jot::errc::json_too_deep}},
             builder, key);
}

TEST_CASE("exp is required and now >= exp is expired", "[verifier][claims]") {
  const auto key = jot_test::hs256_key();
  check_rows(
      {
          {"no exp", hs256_header, payload({{"exp", nullptr}}), jot::errc::missing_claim},
          {"exp == now", hs256_header, payload({{"exp", now}}), jot::errc::token_expired},
          {"exp == now + 1", hs256_header, payload({{"exp", now + 1}}), accepted},
          {"exp fractional, just past", hs256_header, payload({{"exp", now + 0.5}}),
           jot::errc::token_expired},
          {"exp fractional, ahead", hs256_header, payload({{"exp", now + 1.5}}), accepted},
          {"exp in 9999", hs256_header, payload({{"exp", 253402300799}}), accepted},
      },
      default_builder(key), key);
  auto relaxed = default_builder(key);
  relaxed.allow_missing_expiration();
  check_rows({{"no exp, allowed", hs256_header, payload({{"exp", nullptr}}), accepted}}, relaxed,
             key);
}

TEST_CASE("NumericDate claims of the wrong type or range are rejected, never skipped",
          "[verifier][claims]") {
  const auto key = jot_test::hs256_key();
  std::vector<row> rows;
  for (const char* name : {"exp", "nbf", "iat"}) {
    for (const auto& bad :
         {json("4102444800"), json(true), json::array({4102444800}), json::object({{"$gt", 0}}),
          json(-1), json(253402300800), json(1e308), json(18446744073709551615u), json(-0.5)}) {
      rows.push_back({name, hs256_header, payload({{name, bad}}), jot::errc::invalid_claim_type});
    }
  }
  // null counts as a value of the wrong type, not as absent.
  rows.push_back(
      {"exp null", hs256_header, R"({"sub":"user-1","exp":null})", jot::errc::invalid_claim_type});
  rows.push_back({"exp 2^64 as text", hs256_header,
                  R"({"sub":"user-1","exp":18446744073709551616})", jot::errc::invalid_claim_type});
  rows.push_back({"nbf 2^63", hs256_header, payload({{"nbf", 9223372036854775808u}}),
                  jot::errc::invalid_claim_type});
  check_rows(rows, default_builder(key), key);
}

TEST_CASE("nbf, iat and max age follow the clock with bounded leeway", "[verifier][claims]") {
  const auto key = jot_test::hs256_key();
  check_rows(
      {
          {"nbf == now", hs256_header, payload({{"nbf", now}}), accepted},
          {"nbf in the future", hs256_header, payload({{"nbf", now + 1}}),
           jot::errc::token_not_yet_valid},
          {"nbf a fraction ahead", hs256_header, payload({{"nbf", now + 0.25}}),
           jot::errc::token_not_yet_valid},
          {"iat in the future", hs256_header, payload({{"iat", now + 5}}),
           jot::errc::issued_in_future},
          {"iat == now", hs256_header, payload({{"iat", now}}), accepted},
      },
      default_builder(key), key);

  auto lenient = default_builder(key);
  lenient.allow_clock_skew(60s);
  check_rows(
      {
          {"expired 59 s ago", hs256_header, payload({{"exp", now - 59}}), accepted},
          {"expired 60 s ago", hs256_header, payload({{"exp", now - 60}}),
           jot::errc::token_expired},
          {"nbf 60 s ahead", hs256_header, payload({{"nbf", now + 60}}), accepted},
          {"nbf 61 s ahead", hs256_header, payload({{"nbf", now + 61}}),
           jot::errc::token_not_yet_valid},
          {"iat 60 s ahead", hs256_header, payload({{"iat", now + 60}}), accepted},
          {"iat 61 s ahead", hs256_header, payload({{"iat", now + 61}}),
           jot::errc::issued_in_future},
      },
      lenient, key);

  auto young = default_builder(key);
  young.expect_max_age(5min);
  check_rows(
      {{"iat 299 s ago", hs256_header, payload({{"iat", now - 299}}), accepted},
       {"iat 300 s ago", hs256_header, payload({{"iat", now - 300}}), jot::errc::token_too_old},
       {"no iat", hs256_header, payload({{"iat", nullptr}}), jot::errc::missing_claim}},
      young, key);
}

TEST_CASE("issuer, audience and subject must match what the verifier expects",
          "[verifier][claims]") {
  const auto key = jot_test::hs256_key();
  auto builder = default_builder(key);
  builder.expect_issuer("https://issuer.example")
      .expect_audience("https://api.example")
      .expect_audience("https://admin.example")
      .expect_subject("user-1");
  const json good = {{"iss", "https://issuer.example"}, {"aud", "https://api.example"}};
  const auto with = [&good](const json& changes) {
    return jot_test::json_with(valid_claims(good), changes).dump();
  };
  check_rows(
      {
          {"all match", hs256_header, with(json::object()), accepted},
          {"aud array, one matches", hs256_header,
           with({{"aud", {"https://other.example", "https://admin.example"}}}), accepted},
          {"iss missing", hs256_header, with({{"iss", nullptr}}), jot::errc::missing_claim},
          {"iss differs", hs256_header, with({{"iss", "https://evil.example"}}),
           jot::errc::issuer_mismatch},
          {"iss differs in case", hs256_header, with({{"iss", "https://ISSUER.example"}}),
           jot::errc::issuer_mismatch},
          {"iss an array", hs256_header, with({{"iss", {"https://issuer.example"}}}),
           jot::errc::invalid_claim_type},
          {"aud missing", hs256_header, with({{"aud", nullptr}}), jot::errc::missing_claim},
          {"aud differs", hs256_header, with({{"aud", "https://api.example/"}}),
           jot::errc::audience_mismatch},
          {"aud empty array", hs256_header, with({{"aud", json::array()}}),
           jot::errc::audience_mismatch},
          {"aud with a number", hs256_header, with({{"aud", {"https://api.example", 1}}}),
           jot::errc::invalid_claim_type},
          {"aud nested array", hs256_header, with({{"aud", {{"https://api.example"}}}}),
           jot::errc::invalid_claim_type},
          {"sub differs", hs256_header, with({{"sub", "user-2"}}), jot::errc::subject_mismatch},
          {"sub missing", hs256_header, with({{"sub", nullptr}}), jot::errc::missing_claim},
          {"sub a number", hs256_header, with({{"sub", 1}}), jot::errc::invalid_claim_type},
          {"jti a number", hs256_header, with({{"jti", 1}}), jot::errc::invalid_claim_type},
      },
      builder, key);
}

TEST_CASE("a token for some audience is rejected where no audience is expected",
          "[verifier][claims]") {
  const auto key = jot_test::hs256_key();
  const auto token =
      jot_test::sign_raw(hs256_header, payload({{"aud", "https://api.example"}}), key);
  // Its own code, not audience_mismatch: the fix is an expectation on the verifying side.
  const auto rejected = verify_with(default_builder(key), token);
  CHECK(rejected == jot::errc::audience_not_expected);
  CHECK(rejected == jot::failure::claims_rejected);
  const std::string message = rejected.message();
  CHECK(message.find("expect_audience()") != std::string::npos);
  CHECK(message.find("ignore_audience()") != std::string::npos);
  auto relaxed = default_builder(key);
  relaxed.ignore_audience();
  CHECK(verify_with(relaxed, token) == accepted);
}

TEST_CASE("typ is compared case-insensitively and defaults to plain JWT", "[verifier][typ]") {
  const auto key = jot_test::hs256_key();
  const auto p = payload();
  check_rows({{"typ JWT", R"({"alg":"HS256","typ":"JWT"})", p, accepted},
              {"typ jwt", R"({"alg":"HS256","typ":"jwt"})", p, accepted},
              {"typ application/jwt", R"({"alg":"HS256","typ":"application/JWT"})", p, accepted},
              {"no typ", R"({"alg":"HS256"})", p, accepted},
              {"access token where a JWT is expected", R"({"alg":"HS256","typ":"at+jwt"})", p,
               jot::errc::type_mismatch},
              {"refresh token where a JWT is expected", R"({"alg":"HS256","typ":"refresh+jwt"})", p,
               jot::errc::type_mismatch}},
             default_builder(key), key);
  auto access = default_builder(key);
  access.expect_type("at+jwt");
  check_rows({{"at+jwt", R"({"alg":"HS256","typ":"at+jwt"})", p, accepted},
              {"application/AT+JWT", R"({"alg":"HS256","typ":"application/AT+JWT"})", p, accepted},
              {"plain JWT", R"({"alg":"HS256","typ":"JWT"})", p, jot::errc::type_mismatch},
              {"missing", R"({"alg":"HS256"})", p, jot::errc::type_mismatch}},
             access, key);
  auto any = default_builder(key);
  any.ignore_type();
  check_rows({{"anything", R"({"alg":"HS256","typ":"whatever"})", p, accepted}}, any, key);
}

TEST_CASE("required and custom claims are checked", "[verifier][claims]") {
  const auto key = jot_test::hs256_key();
  auto builder = default_builder(key);
  builder.expect_claim("jti")
      .expect_claim("type", "access")
      .expect_claim_that("scope", [](const json& v) {
        return v.is_string() && v.get<std::string>().find("orders:read") != std::string::npos;
      });
  const json good = {{"jti", "id-1"}, {"type", "access"}, {"scope", "orders:read profile"}};
  const auto with = [&good](const json& changes) {
    return jot_test::json_with(valid_claims(good), changes).dump();
  };
  check_rows({{"all present", hs256_header, with(json::object()), accepted},
              {"no jti", hs256_header, with({{"jti", nullptr}}), jot::errc::missing_claim},
              {"refresh token used as access", hs256_header, with({{"type", "refresh"}}),
               jot::errc::claim_mismatch},
              {"type missing", hs256_header, with({{"type", nullptr}}), jot::errc::missing_claim},
              {"scope lacks orders:read", hs256_header, with({{"scope", "profile"}}),
               jot::errc::claim_mismatch},
              {"scope wrong type", hs256_header, with({{"scope", 5}}), jot::errc::claim_mismatch}},
             builder, key);

#ifndef JOT_NO_EXCEPTIONS  // without exceptions nlohmann's get<int>() on a string aborts
  auto throwing = default_builder(key);
  throwing.expect_claim_that("scope", [](const json& v) { return v.get<int>() > 0; });
  check_rows({{"a throwing check fails closed", hs256_header, with(json::object()),
               jot::errc::claim_mismatch}},
             throwing, key);
#endif
}

TEST_CASE("a claim rejection names the claim, never its value", "[verifier][claims]") {
  const auto key = jot_test::hs256_key();
  const std::string long_name = "https://claims.example.com/organisation";
  auto builder = default_builder(key);
  builder.expect_issuer("https://issuer.example")
      .expect_audience("https://api.example")
      .expect_subject("user-1")
      .expect_max_age(1h)
      .expect_claim("tenant")
      .expect_claim("type", "access")
      .expect_claim_that("scope", [](const json& v) { return v == "orders:read"; })
      .expect_claim(long_name);
  const json good = {{"iss", "https://issuer.example"}, {"aud", "https://api.example"},
                     {"tenant", "tenant-secret-value"}, {"type", "access"},
                     {"scope", "orders:read"},          {long_name, true}};
  const auto with = [&good](const json& changes) {
    json merged = good;
    merged.update(changes);  // keeps nulls, which payload() then removes
    return payload(merged);
  };
  auto verifier = builder.build().value();
  struct named_row {
    const char* name;
    json changes;
    jot::errc expected;
    std::string claim;
  };
  const std::string cut = long_name.substr(0, jot::error_info::claim_capacity - 3) + "...";
  const named_row rows[] = {
      {"no exp", {{"exp", nullptr}}, jot::errc::missing_claim, "exp"},
      {"no iat under a max age", {{"iat", nullptr}}, jot::errc::missing_claim, "iat"},
      {"no iss", {{"iss", nullptr}}, jot::errc::missing_claim, "iss"},
      {"no aud", {{"aud", nullptr}}, jot::errc::missing_claim, "aud"},
      {"no sub", {{"sub", nullptr}}, jot::errc::missing_claim, "sub"},
      {"no tenant (expect_claim)", {{"tenant", nullptr}}, jot::errc::missing_claim, "tenant"},
      {"no type (expect_claim with a value)",
       {{"type", nullptr}},
       jot::errc::missing_claim,
       "type"},
      {"no scope (expect_claim_that)", {{"scope", nullptr}}, jot::errc::missing_claim, "scope"},
      {"a long name, cut", {{long_name, nullptr}}, jot::errc::missing_claim, cut},
      {"type refresh", {{"type", "refresh-secret-value"}}, jot::errc::claim_mismatch, "type"},
      {"scope refused", {{"scope", "admin-secret-value"}}, jot::errc::claim_mismatch, "scope"},
      {"exp a string", {{"exp", "soon"}}, jot::errc::invalid_claim_type, "exp"},
      {"nbf a string", {{"nbf", "soon"}}, jot::errc::invalid_claim_type, "nbf"},
      {"aud a number", {{"aud", 7}}, jot::errc::invalid_claim_type, "aud"},
      {"jti a number", {{"jti", 7}}, jot::errc::invalid_claim_type, "jti"},
      {"sub a number", {{"sub", 7}}, jot::errc::invalid_claim_type, "sub"},
      // The code names the claim already, or the error concerns none.
      {"another issuer", {{"iss", "https://other.example"}}, jot::errc::issuer_mismatch, ""},
      {"expired", {{"exp", now - 1}}, jot::errc::token_expired, ""},
  };
  for (const auto& r : rows) {
    INFO(r.name);
    const auto verified = verifier.verify(jot_test::sign_raw(hs256_header, with(r.changes), key));
    REQUIRE_FALSE(verified);
    CHECK(verified.error() == r.expected);
    CHECK(verified.error_claim() == r.claim);
    CHECK(verified.error_claim().find("secret-value") == std::string::npos);
  }
  const auto bad_signature = verifier.verify(
      jot_test::sign_raw(hs256_header, with({{"exp", nullptr}}),
                         jot::signing_key::hs256(jot_test::fixed_secret(32, 'z')).value()));
  CHECK(bad_signature.error() == jot::errc::invalid_signature);
  CHECK(bad_signature.error_claim().empty());

  // An expect_that check may name the claim itself; the verifier passes it on.
  auto checked = default_builder(key);
  checked.expect_that([](const jot::check_context& token) -> jot::result<void> {
    if (!token.claims().contains("org")) return jot::error_info(jot::errc::missing_claim, "org");
    return {};
  });
  const auto by_check =
      checked.build().value().verify(jot_test::sign_raw(hs256_header, payload(), key));
  CHECK(by_check.error() == jot::errc::missing_claim);
  CHECK(by_check.error_claim() == "org");

  // The validator alone says the same.
  const auto alone = builder.validator().value().check(json{{"alg", "HS256"}},
                                                       json{{"sub", "user-1"}, {"iat", now}});
  CHECK(alone.error() == jot::errc::missing_claim);
  CHECK(alone.error_claim() == "exp");

#ifndef JOT_NO_EXCEPTIONS
  const std::string no_exp = jot_test::sign_raw(hs256_header, with({{"exp", nullptr}}), key);
  try {
    (void)verifier.verify(no_exp).value();
    FAIL("value() did not throw");
  } catch (const jot::error& e) {
    CHECK(e.code() == jot::errc::missing_claim);
    CHECK(e.claim() == "exp");
    CHECK(std::string(e.what()) == "a required claim is missing: exp");
  }
  const std::string refused =
      jot_test::sign_raw(hs256_header, with({{"scope", "x-secret-value"}}), key);
  try {
    (void)verifier.verify(refused).value();
    FAIL("value() did not throw");
  } catch (const jot::error& e) {
    CHECK(std::string(e.what()) == "a claim does not have the expected value: scope");
  }
#endif
}

TEST_CASE("keys are chosen by kid and must match the token's alg", "[verifier][keys]") {
  const auto a = jot_test::hs256_key("a");
  const auto b =
      jot::signing_key::hs384(jot_test::fixed_secret(64, 'b')).value().with_key_id("b").value();
  jot_test::verifier_setup builder;
  builder.add_key(a.verification_key().value())
      .add_key(b.verification_key().value())
      .allow_custom_clock([] { return jot_test::at(now); });
  const auto p = payload();
  check_rows(
      {
          {"kid a, HS256", R"({"alg":"HS256","kid":"a"})", p, accepted},
          {"no kid among several keys", R"({"alg":"HS256"})", p, jot::errc::missing_key_id},
          {"unknown kid", R"({"alg":"HS256","kid":"c"})", p, jot::errc::unknown_key_id},
          {"kid with a NUL", std::string(R"({"alg":"HS256","kid":"a\u0000"})"), p,
           jot::errc::unknown_key_id},
          {"traversal kid", R"({"alg":"HS256","kid":"../../dev/null"})", p,
           jot::errc::unknown_key_id},
          {"kid b names the HS384 key", R"({"alg":"HS256","kid":"b"})", p,
           jot::errc::key_algorithm_mismatch},
      },
      builder, a);
  check_rows({{"kid b, HS384", R"({"alg":"HS384","kid":"b"})", p, accepted}}, builder, b);

  auto lenient = builder;
  lenient.allow_missing_kid();
  check_rows({{"no kid, allowed: HS256 key tried", R"({"alg":"HS256"})", p, accepted}}, lenient, a);
  check_rows({{"no kid, allowed: HS384 key tried", R"({"alg":"HS384"})", p, accepted}}, lenient, b);
  const auto stranger = jot::signing_key::hs256(jot_test::fixed_secret(64, 'q')).value();
  check_rows(
      {{"no kid, allowed, no key verifies", R"({"alg":"HS256"})", p, jot::errc::invalid_signature}},
      lenient, stranger);
}

TEST_CASE("a single key without kid accepts any kid; with a kid it must match",
          "[verifier][keys]") {
  const auto plain = jot_test::hs256_key();
  check_rows({{"any kid", R"({"alg":"HS256","kid":"whatever"})", payload(), accepted}},
             default_builder(plain), plain);
  const auto named = jot_test::hs256_key("k1");
  check_rows({{"same kid", R"({"alg":"HS256","kid":"k1"})", payload(), accepted},
              {"no kid", R"({"alg":"HS256"})", payload(), accepted},
              {"other kid", R"({"alg":"HS256","kid":"k2"})", payload(), jot::errc::unknown_key_id}},
             default_builder(named), named);
}

TEST_CASE("the verifier builder refuses contradictory or unsafe policies", "[verifier][builder]") {
  const auto a = jot_test::hs256_key("a");
  const auto plain = jot_test::hs256_key();
  CHECK(jot_test::verifier_setup{}.build().error() == jot::errc::no_keys);
  CHECK(jot_test::verifier_setup{}
            .add_key(a.verification_key().value())
            .add_key(a.verification_key().value())
            .build()
            .error() == jot::errc::duplicate_key_id);
  CHECK(jot_test::verifier_setup{}
            .add_key(a.verification_key().value())
            .add_key(plain.verification_key().value())
            .build()
            .error() == jot::errc::missing_key_id);
  const auto one = [&a] {
    jot_test::verifier_setup builder;
    builder.add_key(a.verification_key().value());
    return builder;
  };
  CHECK(one().allow_clock_skew(601s).build().error() == jot::errc::invalid_argument);
  CHECK(one().allow_clock_skew(-1s).build().error() == jot::errc::invalid_argument);
  CHECK(one().allow_clock_skew(600s).build());
  CHECK(one().expect_max_age(0s).build().error() == jot::errc::invalid_argument);
  // allow_* only relaxes, expect_* only tightens: each refuses the other's direction.
  CHECK(one().allow_token_size(0).build().error() == jot::errc::invalid_argument);
  CHECK(one().allow_token_size(jot::default_max_token_size - 1).build().error() ==
        jot::errc::invalid_argument);
  CHECK(one().expect_max_token_size(0).build().error() == jot::errc::invalid_argument);
  CHECK(one().expect_max_token_size(jot::default_max_token_size + 1).build().error() ==
        jot::errc::invalid_argument);
  CHECK(one().allow_json_depth(0).build().error() == jot::errc::invalid_argument);
  CHECK(one().allow_json_depth(jot::default_max_json_depth - 1).build().error() ==
        jot::errc::invalid_argument);
  CHECK(one().expect_max_json_depth(0).build().error() == jot::errc::invalid_argument);
  CHECK(one().expect_max_json_depth(jot::default_max_json_depth + 1).build().error() ==
        jot::errc::invalid_argument);
  CHECK(one().expect_audience("x").ignore_audience().build().error() ==
        jot::errc::invalid_argument);
  CHECK(one().expect_type("at+jwt").ignore_type().build().error() == jot::errc::invalid_argument);
  CHECK(one().expect_claim_that("x", nullptr).build().error() == jot::errc::invalid_argument);
}

TEST_CASE("a larger size cap admits larger tokens", "[verifier]") {
  const auto key = jot_test::hs256_key();
  const auto token =
      jot_test::sign_raw(hs256_header, payload({{"blob", std::string(20000, 'x')}}), key);
  CHECK(verify_with(default_builder(key), token) == jot::errc::token_too_large);
  auto big = default_builder(key);
  big.allow_token_size(64 * 1024);
  CHECK(verify_with(big, token) == accepted);
}

TEST_CASE("a smaller size or depth cap refuses what the default admits", "[verifier]") {
  const auto key = jot_test::hs256_key();
  const auto token =
      jot_test::sign_raw(hs256_header, payload({{"blob", std::string(500, 'x')}}), key);
  CHECK(verify_with(default_builder(key), token) == accepted);
  auto small = default_builder(key);
  small.expect_max_token_size(token.size() - 1);
  CHECK(verify_with(small, token) == jot::errc::token_too_large);
  auto exact = default_builder(key);
  exact.expect_max_token_size(token.size());
  CHECK(verify_with(exact, token) == accepted);

  const auto nested = jot_test::sign_raw(hs256_header, payload({{"a", {{"b", {{"c", 1}}}}}}), key);
  CHECK(verify_with(default_builder(key), nested) == accepted);
  auto shallow = default_builder(key);
  shallow.expect_max_json_depth(2);
  CHECK(verify_with(shallow, nested) == jot::errc::json_too_deep);
}

TEST_CASE("a verified token exposes what was verified", "[verifier]") {
  const auto key = jot_test::hs256_key("k1");
  auto verifier = default_builder(key).build().value();
  const auto token = jot_test::sign_raw(R"({"alg":"HS256","kid":"k1","typ":"JWT"})",
                                        payload({{"aud", nullptr}, {"role", "admin"}}), key);
  auto verified = verifier.verify(token);
  REQUIRE(verified);
  CHECK(verified->alg() == jot::algorithm::hs256);
  CHECK(*verified->key_id() == "k1");
  CHECK(verified->header()["typ"] == "JWT");
  CHECK(*verified->claims().subject() == "user-1");
  CHECK(verified->claims().expires_at()->time_since_epoch() == std::chrono::seconds(now + 600));
  CHECK(*verified->claims().find("role") == "admin");
  jot::claims moved = std::move(*verified).claims();
  CHECK(*moved.subject() == "user-1");
}

#ifndef JOT_NO_EXCEPTIONS
TEST_CASE("value() turns a rejection into a jot::error exception", "[verifier]") {
  const auto key = jot_test::hs256_key();
  auto verifier = default_builder(key).build().value();
  CHECK_THROWS_AS(verifier.verify("x.y.z").value(), jot::error);
}
#endif

TEST_CASE("one verifier is shared by many threads", "[verifier][threads]") {
  const auto key = jot_test::hs256_key();
  const auto verifier = default_builder(key).build().value();
  const auto good = jot_test::sign_raw(hs256_header, payload(), key);
  const auto bad =
      jot_test::sign_raw(hs256_header, payload({{"sub", "x"}}),
                         jot::signing_key::hs256(jot_test::fixed_secret(64, 'z')).value());
  std::atomic<int> accepted_count{0}, rejected_count{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        if (verifier.verify(good)) ++accepted_count;
        if (verifier.verify(bad).error() == jot::errc::invalid_signature) ++rejected_count;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(accepted_count == 1600);
  CHECK(rejected_count == 1600);
}

TEST_CASE("max age rounds a fractional iat down: a token 10.8 s old is too old for 10 s",
          "[verifier][claims]") {
  const auto key = jot_test::hs256_key();
  // The clock reads 0.9 s past `now`; iat is 10.8 s before that.
  const auto instant = jot_test::at(now) + 900ms;
  jot_test::verifier_setup aged;
  aged.add_key(key.verification_key().value())
      .allow_custom_clock([instant] { return instant; })
      .expect_max_age(10s);
  check_rows(
      {{"10.8 s old", hs256_header, payload({{"iat", now - 9.9}}), jot::errc::token_too_old},
       {"9.5 s old", hs256_header, payload({{"iat", now - 8.6}}), accepted},
       // iat in the future still rounds up: 0.1 s ahead of the clock is issued_in_future.
       {"0.1 s ahead", hs256_header, payload({{"iat", now + 1.0}}), jot::errc::issued_in_future}},
      aged, key);
}

TEST_CASE("a kid the verifier does not hold is unknown whatever the token's alg",
          "[verifier][keys]") {
  const auto a = jot_test::hs256_key("a");
  const auto b =
      jot::signing_key::hs384(jot_test::fixed_secret(64, 'b')).value().with_key_id("b").value();
  jot_test::verifier_setup builder;
  builder.add_key(a.verification_key().value()).add_key(b.verification_key().value());
  check_rows({{"unknown kid, alg held", R"({"alg":"HS256","kid":"c"})", payload(),
               jot::errc::unknown_key_id},
              {"unknown kid, alg not held", R"({"alg":"RS256","kid":"c"})", payload(),
               jot::errc::unknown_key_id},
              {"known kid, alg not held", R"({"alg":"RS256","kid":"a"})", payload(),
               jot::errc::algorithm_not_allowed},
              {"unknown kid, alg none", R"({"alg":"none","kid":"c"})", payload(),
               jot::errc::algorithm_not_allowed},
              {"unknown kid, alg unknown", R"({"alg":"HS999","kid":"c"})", payload(),
               jot::errc::algorithm_not_allowed}},
             builder, a);
}

TEST_CASE("the validator builder refuses contradictions and out-of-range settings", "[validator]") {
  using builder = jot::validator::builder;
  CHECK(builder{}.build());
  CHECK(builder{}.expect_audience("x").ignore_audience().build().error() ==
        jot::errc::invalid_argument);
  CHECK(builder{}.ignore_type().expect_type("at+jwt").build().error() ==
        jot::errc::invalid_argument);
  CHECK(builder{}.allow_clock_skew(601s).build().error() == jot::errc::invalid_argument);
  CHECK(builder{}.allow_custom_clock(nullptr).build().error() == jot::errc::invalid_argument);
  CHECK(builder{}.allow_token_size(16 * 1024 * 1024 + 1).build().error() ==
        jot::errc::invalid_argument);
  CHECK(builder{}.allow_json_depth(257).build().error() == jot::errc::invalid_argument);
  CHECK(builder{}.expect_max_age(-1s).build().error() == jot::errc::invalid_argument);
  // A failed validator makes the verifier builder fail with the same code: one statement reports
  // a contradictory policy at start-up.
  const auto key = jot_test::hs256_key();
  CHECK(jot::verifier::builder{}
            .add_key(key.verification_key().value())
            .validator(builder{}.expect_type("at+jwt").ignore_type().build())
            .build()
            .error() == jot::errc::invalid_argument);
}

TEST_CASE("one validator checks parsed claims directly and serves several verifiers",
          "[validator]") {
  const auto validator = jot::validator::builder{}
                             .expect_issuer("https://issuer.example")
                             .allow_custom_clock([] { return jot_test::at(now); })
                             .build()
                             .value();
  const json header = {{"alg", "HS256"}};
  CHECK(validator.check(header, {{"iss", "https://issuer.example"}, {"exp", now + 60}}));
  CHECK(validator.check(header, {{"iss", "https://other.example"}, {"exp", now + 60}}).error() ==
        jot::errc::issuer_mismatch);
  CHECK(validator.check(header, {{"iss", "https://issuer.example"}}).error() ==
        jot::errc::missing_claim);
  CHECK(validator.check(header, {{"iss", 7}, {"exp", now + 60}}).error() ==
        jot::errc::invalid_claim_type);
  CHECK(validator.check(json::array(), json::object()).error() == jot::errc::invalid_argument);
  CHECK(validator.max_token_size() == jot::default_max_token_size);

  const auto a = jot_test::hs256_key();
  const auto b = jot::signing_key::hs256(jot_test::fixed_secret(64, 'q')).value();
  const auto for_a = jot::verifier::builder{}
                         .add_key(a.verification_key().value())
                         .validator(validator)
                         .build()
                         .value();
  const auto for_b = jot::verifier::builder{}
                         .add_key(b.verification_key().value())
                         .validator(validator)
                         .build()
                         .value();
  const auto claims = json{{"iss", "https://issuer.example"}, {"exp", now + 60}}.dump();
  CHECK(for_a.verify(jot_test::sign_raw(hs256_header, claims, a)));
  CHECK(for_b.verify(jot_test::sign_raw(hs256_header, claims, b)));
  CHECK(for_a.verify(jot_test::sign_raw(hs256_header, claims, b)).error() ==
        jot::errc::invalid_signature);
}

TEST_CASE("without a validator the verifier applies the strict defaults", "[validator]") {
  const auto key = jot_test::hs256_key();
  const auto verifier =
      jot::verifier::builder{}.add_key(key.verification_key().value()).build().value();
  CHECK(verifier.validator().max_token_size() == jot::default_max_token_size);
  CHECK(verifier.validator().max_json_depth() == jot::default_max_json_depth);
  CHECK(verifier.verify(jot_test::sign_raw(hs256_header, R"({"sub":"s"})", key)).error() ==
        jot::errc::missing_claim);
}

TEST_CASE("an ordered_json verifier checks every claim and keeps the member order",
          "[verifier][ordered_json]") {
  using ordered = nlohmann::ordered_json;
  const auto key = jot_test::hs256_key();
  const auto verifier =
      jot::basic_verifier_builder<ordered>{}
          .add_key(key.verification_key().value())
          .validator(jot::basic_validator_builder<ordered>{}
                         .expect_issuer("https://issuer.example")
                         .expect_claim("role", ordered("admin"))
                         .expect_claim_that("n", [](const ordered& v) { return v == 2; })
                         .allow_custom_clock([] { return jot_test::at(now); })
                         .build())
          .build()
          .value();
  const std::string claims =
      R"({"zeta":1,"iss":"https://issuer.example","role":"admin","n":2,"exp":1700000060})";
  const auto verified = verifier.verify(jot_test::sign_raw(hs256_header, claims, key));
  REQUIRE(verified);
  CHECK(verified->claims().json().dump() == claims);
  CHECK(verified->header().dump() == hs256_header);
  CHECK(verifier
            .verify(jot_test::sign_raw(
                hs256_header,
                R"({"iss":"https://issuer.example","role":"user","n":2,"exp":1700000060})", key))
            .error() == jot::errc::claim_mismatch);
  CHECK(verifier
            .verify(jot_test::sign_raw(
                hs256_header, R"({"iss":"https://issuer.example","role":"admin","n":2,"exp":1})",
                key))
            .error() == jot::errc::token_expired);
}

TEST_CASE("expect_that checks run last, in order, and see header, claims and the clock",
          "[verifier]") {
  const auto key = jot_test::hs256_key();
  const auto token = jot_test::sign_raw(hs256_header, payload({{"tenant", "acme"}}), key);
  std::vector<std::string> ran;
  auto builder = default_builder(key);
  builder
      .expect_that([&ran](const jot::check_context& token_seen) -> jot::result<void> {
        ran.push_back("first");
        CHECK(token_seen.header().at("alg") == "HS256");
        CHECK(*token_seen.claims().find("tenant") == "acme");
        CHECK(token_seen.now() == jot_test::at(now));
        return {};
      })
      .expect_that([&ran](const jot::check_context& token_seen) -> jot::result<void> {
        ran.push_back("second");
        if (token_seen.claims().json().at("tenant") == "acme") return jot::errc::claim_mismatch;
        return {};
      })
      .expect_that([&ran](const jot::check_context&) -> jot::result<void> {
        ran.push_back("third");
        return {};
      });
  CHECK(verify_with(builder, token) == jot::errc::claim_mismatch);
  CHECK(ran == std::vector<std::string>{"first", "second"});

  // A token that fails a claim check never reaches the checks.
  ran.clear();
  const auto expired = jot_test::sign_raw(hs256_header, payload({{"exp", now - 1}}), key);
  CHECK(verify_with(builder, expired) == jot::errc::token_expired);
  CHECK(ran.empty());
}

TEST_CASE("expect_that fails closed: a throwing check rejects, an empty one is refused",
          "[verifier]") {
  const auto key = jot_test::hs256_key();
  const auto token = jot_test::sign_raw(hs256_header, payload(), key);
  auto passing = default_builder(key);
  passing.expect_that([](const jot::check_context&) -> jot::result<void> { return {}; });
  CHECK(verify_with(passing, token) == accepted);
#ifndef JOT_NO_EXCEPTIONS
  auto throwing = default_builder(key);
  throwing.expect_that(
      [](const jot::check_context&) -> jot::result<void> { throw std::runtime_error("down"); });
  CHECK(verify_with(throwing, token) == jot::errc::claim_mismatch);
#endif
  CHECK(default_builder(key).expect_that(jot::token_check{}).build().error() ==
        jot::errc::invalid_argument);
}

TEST_CASE("claims deeper than the default cap are read and released whole", "[verifier]") {
  // A verified token's header and claims are taken apart from the leaves up when released
  // (detail/claim_set.hpp), as deep as default_max_json_depth; past it nlohmann's destructor
  // takes over. Both halves must leave nothing behind (ASan) and read back the same claims.
  const auto key = jot_test::hs256_key();
  json deep = "leaf";
  for (int i = 0; i < 100; ++i) deep = json{{"n", deep}, {"list", json::array({deep.size()})}};
  const auto token = jot_test::sign_raw(hs256_header, payload({{"deep", deep}}), key);
  auto lenient = default_builder(key);
  lenient.allow_json_depth(jot::basic_validator_builder<json>::max_json_depth_limit)
      .allow_token_size(1 << 20);
  auto verifier = lenient.build().value();
  for (int copies = 0; copies < 3; ++copies) {
    const auto verified = verifier.verify(token);
    REQUIRE(verified);
    CHECK(*verified->claims().find("deep") == deep);
    const auto copy = verified->claims();
    CHECK(copy.json() == verified->claims().json());
  }
}
