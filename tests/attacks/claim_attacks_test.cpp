// Claims: ATK-CLAIM-TYPES, ATK-AUD, ATK-ISS and ATK-TYP. Every token here is genuinely MACed by
// the victim's key, so each row is an authentic token whose claims alone must decide. The clock
// is pinned at `now` (1750000000) with no leeway unless a row says so.

#include <string>
#include <vector>

#include "attack_support.hpp"
#include "verifier_setup.hpp"

using jot::algorithm;
using jot::errc;
using namespace jot_attack;
using namespace std::chrono_literals;

namespace {

const std::string hs_header = R"({"alg":"HS256","typ":"JWT"})";

// The default claims with member `name` written as the raw JSON text `value` (numbers such as
// 18446744073709551616 or -0.0 that a json value cannot carry verbatim).
std::string with_raw(const std::string& name, const std::string& value) {
  std::string text = payload({{name, "@raw@"}});
  const std::string placeholder = "\"@raw@\"";
  text.replace(text.find(placeholder), placeholder.size(), value);
  return text;
}

std::string without(const std::string& name) { return payload({{name, nullptr}}); }

// ---------------------------------------------------------------------------------------------
// ATK-CLAIM-TYPES: NumericDate (RFC 7519 §2) is a JSON number, fractions allowed; jot accepts
// [0, 253402300799] (up to 9999-12-31T23:59:59Z) and checks the range in the number's own
// domain before converting, so 2^64 - 1 never wraps to -1 (nlohmann #3126) and no out-of-range
// double reaches an integer conversion (UB, [conv.fpint]). A wrong type is an error, never
// "absent" (Rust jsonwebtoken CVE-2026-25537). Fractions round towards the stricter verdict:
// exp down, nbf and iat up.
std::vector<attack_case> claim_types_table() {
  std::vector<attack_case> cases;
  const auto verifier = verifier_for(secret_key(algorithm::hs256));
  const auto row = [&](std::string name, const std::string& claims_text,
                       std::optional<errc> expected, const jot::verifier* other = nullptr) {
    cases.push_back(verify_case(std::move(name), other ? *other : verifier,
                                hmac_token(hs_header, claims_text), expected));
  };
  const std::string soon = std::to_string(now + 3600);
  // exp (RFC 7519 §4.1.4): expired when now >= exp.
  row("control: exp one hour ahead", payload(), accepted);
  row("exp as a numeric string", with_raw("exp", "\"" + soon + "\""), errc::invalid_claim_type);
  row("exp true", with_raw("exp", "true"), errc::invalid_claim_type);
  row("exp false", with_raw("exp", "false"), errc::invalid_claim_type);
  row("exp null", with_raw("exp", "null"), errc::invalid_claim_type);
  row("exp as an array", with_raw("exp", "[" + soon + "]"), errc::invalid_claim_type);
  row("exp as an object", with_raw("exp", R"({"$gt":0})"), errc::invalid_claim_type);
  row("exp -1", with_raw("exp", "-1"), errc::invalid_claim_type);
  row("exp -9223372036854775808 (INT64_MIN)", with_raw("exp", "-9223372036854775808"),
      errc::invalid_claim_type);
  row("exp 0 (in range, long past)", with_raw("exp", "0"), errc::token_expired);
  row("exp -0.0 (reads as 0)", with_raw("exp", "-0.0"), errc::token_expired);
  row("exp 9223372036854775807 (INT64_MAX)", with_raw("exp", "9223372036854775807"),
      errc::invalid_claim_type);
  row("exp 9223372036854775808 (2^63)", with_raw("exp", "9223372036854775808"),
      errc::invalid_claim_type);
  row("exp 18446744073709551615 (2^64 - 1)", with_raw("exp", "18446744073709551615"),
      errc::invalid_claim_type);
  row("exp 18446744073709551616 (2^64, parsed as a double)",
      with_raw("exp", "18446744073709551616"), errc::invalid_claim_type);
  row("exp 1e308", with_raw("exp", "1e308"), errc::invalid_claim_type);
  row("exp 1e400 (beyond a double: not JSON jot accepts)", with_raw("exp", "1e400"),
      errc::invalid_json);
  row("exp 253402300799 (9999-12-31T23:59:59Z)", with_raw("exp", "253402300799"), accepted);
  row("exp 253402300799.5", with_raw("exp", "253402300799.5"), errc::invalid_claim_type);
  row("exp 253402300800 (year 10000)", with_raw("exp", "253402300800"), errc::invalid_claim_type);
  row("exp with a fraction, ahead", with_raw("exp", std::to_string(now + 10) + ".25"), accepted);
  row("exp written as 1.7500036e9", with_raw("exp", "1.7500036e9"), accepted);
  row("exp = now", with_raw("exp", std::to_string(now)), errc::token_expired);
  row("control: exp = now + 1", with_raw("exp", std::to_string(now + 1)), accepted);
  row("exp = now + 0.5 (rounded down to now)", with_raw("exp", std::to_string(now) + ".5"),
      errc::token_expired);
  row("no exp", without("exp"), errc::missing_claim);
  // nbf (RFC 7519 §4.1.5).
  row("nbf as a string", with_raw("nbf", "\"0\""), errc::invalid_claim_type);
  row("nbf true", with_raw("nbf", "true"), errc::invalid_claim_type);
  row("nbf -1", with_raw("nbf", "-1"), errc::invalid_claim_type);
  row("nbf 18446744073709551615 (would wrap to -1)", with_raw("nbf", "18446744073709551615"),
      errc::invalid_claim_type);
  row("nbf 9223372036854775808 (2^63)", with_raw("nbf", "9223372036854775808"),
      errc::invalid_claim_type);
  row("nbf = now + 1", with_raw("nbf", std::to_string(now + 1)), errc::token_not_yet_valid);
  row("nbf = now + 0.5 (rounded up)", with_raw("nbf", std::to_string(now) + ".5"),
      errc::token_not_yet_valid);
  row("control: nbf = now", with_raw("nbf", std::to_string(now)), accepted);
  row("control: nbf = now - 0.5", with_raw("nbf", std::to_string(now - 1) + ".5"), accepted);
  row("nbf 253402300799", with_raw("nbf", "253402300799"), errc::token_not_yet_valid);
  // iat (RFC 7519 §4.1.6).
  row("iat as a string", with_raw("iat", "\"" + std::to_string(now) + "\""),
      errc::invalid_claim_type);
  row("iat -1", with_raw("iat", "-1"), errc::invalid_claim_type);
  row("iat 18446744073709551615", with_raw("iat", "18446744073709551615"),
      errc::invalid_claim_type);
  row("iat = now + 1", with_raw("iat", std::to_string(now + 1)), errc::issued_in_future);
  row("iat = now + 0.5 (rounded up)", with_raw("iat", std::to_string(now) + ".5"),
      errc::issued_in_future);
  // The other registered claims are strings (RFC 7519 §4.1.1, §4.1.2, §4.1.7).
  row("iss a number", with_raw("iss", "1"), errc::invalid_claim_type);
  row("sub a number", with_raw("sub", "42"), errc::invalid_claim_type);
  row("sub null", with_raw("sub", "null"), errc::invalid_claim_type);
  row("jti an object", with_raw("jti", R"({"id":1})"), errc::invalid_claim_type);

  // Leeway (at most 10 minutes) and max age, with the same saturation concerns.
  jot_test::verifier_setup lenient = policy();
  lenient.add_key(secret_key(algorithm::hs256)).allow_clock_skew(60s);
  const auto with_leeway = build(lenient);
  row("leeway 60 s: nbf = now + 30", with_raw("nbf", std::to_string(now + 30)), accepted,
      &with_leeway);
  row("leeway 60 s: nbf = now + 61", with_raw("nbf", std::to_string(now + 61)),
      errc::token_not_yet_valid, &with_leeway);
  row("leeway 60 s: exp = now - 60", with_raw("exp", std::to_string(now - 60)), errc::token_expired,
      &with_leeway);
  row("leeway 60 s: exp = now - 59", with_raw("exp", std::to_string(now - 59)), accepted,
      &with_leeway);
  jot_test::verifier_setup aged = policy();
  aged.add_key(secret_key(algorithm::hs256)).expect_max_age(600s);
  const auto with_max_age = build(aged);
  row("max age 600 s: iat = now - 600", with_raw("iat", std::to_string(now - 600)),
      errc::token_too_old, &with_max_age);
  row("max age 600 s: iat = now - 599", with_raw("iat", std::to_string(now - 599)), accepted,
      &with_max_age);
  row("max age 600 s: no iat", without("iat"), errc::missing_claim, &with_max_age);
  jot_test::verifier_setup no_exp = policy();
  no_exp.add_key(secret_key(algorithm::hs256)).allow_missing_expiration();
  const auto without_exp = build(no_exp);
  row("allow_missing_expiration: no exp", without("exp"), accepted, &without_exp);
  row("allow_missing_expiration: exp a string still fails", with_raw("exp", "\"" + soon + "\""),
      errc::invalid_claim_type, &without_exp);

  // Policy bounds: out-of-range settings are refused when the verifier is built, so no claim
  // comparison can overflow. A max age of seconds::max() is added to iat when verifying.
  const auto key = secret_key(algorithm::hs256);
  cases.push_back(call_case(
      "leeway above 10 minutes",
      [key] { return policy().add_key(key).allow_clock_skew(601s).build(); },
      errc::invalid_argument));
  cases.push_back(call_case(
      "a negative leeway", [key] { return policy().add_key(key).allow_clock_skew(-1s).build(); },
      errc::invalid_argument));
  cases.push_back(call_case(
      "a zero max age", [key] { return policy().add_key(key).expect_max_age(0s).build(); },
      errc::invalid_argument));
  cases.push_back(call_case(
      "a max age so large that iat + max age overflows",
      [key] { return policy().add_key(key).expect_max_age(std::chrono::seconds::max()).build(); },
      errc::invalid_argument));
  return cases;
}
JOT_ATTACK_TABLE("ATK-CLAIM-TYPES", claim_types_table,
                 "NumericDate and string claims of the wrong type or range are errors, never "
                 "skipped")

// ---------------------------------------------------------------------------------------------
// ATK-AUD (RFC 7519 §4.1.3; jwt-go CVE-2020-26160): exact, case-sensitive string equality,
// any-of; `aud` is a string or an array of strings, anything else is a type error; a token
// naming an audience is refused where none is expected.
std::vector<attack_case> audience_table() {
  std::vector<attack_case> cases;
  const auto verifier = verifier_for(secret_key(algorithm::hs256));
  const auto row = [&](std::string name, const std::string& aud_json,
                       std::optional<errc> expected) {
    cases.push_back(verify_case("aud " + std::move(name), verifier,
                                hmac_token(hs_header, with_raw("aud", aud_json)), expected));
  };
  row("control: the expected string", R"("https://api.example")", accepted);
  row("control: an array holding it", R"(["https://other.example","https://api.example"])",
      accepted);
  row("an array without it", R"(["https://other.example"])", errc::audience_mismatch);
  row("in upper case", R"("HTTPS://API.EXAMPLE")", errc::audience_mismatch);
  row("with a trailing slash", R"("https://api.example/")", errc::audience_mismatch);
  row("with a trailing space", R"("https://api.example ")", errc::audience_mismatch);
  row("with a trailing NUL", R"("https://api.example\u0000")", errc::audience_mismatch);
  row("extended into another host", R"("https://api.example.attacker.example")",
      errc::audience_mismatch);
  row("a prefix of it", R"("https://api.exampl")", errc::audience_mismatch);
  row("an empty string", R"("")", errc::audience_mismatch);
  // [] is a (vacuous) array of strings: well typed, and it names no audience of ours.
  row("an empty array", "[]", errc::audience_mismatch);
  row("null", "null", errc::invalid_claim_type);
  row("a number", "1", errc::invalid_claim_type);
  row("an array with a non-string", R"([1,"https://api.example"])", errc::invalid_claim_type);
  row("a nested array", R"([["https://api.example"]])", errc::invalid_claim_type);
  row("an object", R"({"aud":"https://api.example"})", errc::invalid_claim_type);
  cases.push_back(verify_case("aud missing", verifier, hmac_token(hs_header, without("aud")),
                              errc::missing_claim));
  // A token meant for someone is refused where no audience is expected, unless ignored.
  jot_test::verifier_setup plain;
  plain.allow_custom_clock([] { return at(now); })
      .expect_issuer(issuer)
      .add_key(secret_key(algorithm::hs256));
  cases.push_back(verify_case("aud present where no audience is expected", build(plain),
                              hmac_token(hs_header, payload()), errc::audience_not_expected));
  plain.ignore_audience();
  cases.push_back(verify_case("decision: aud present with ignore_audience()", build(plain),
                              hmac_token(hs_header, payload()), accepted));
  jot_test::verifier_setup either = policy();
  either.expect_audience("https://admin.example").add_key(secret_key(algorithm::hs256));
  cases.push_back(verify_case("control: any of two expected audiences", build(either),
                              hmac_token(hs_header, payload({{"aud", "https://admin.example"}})),
                              accepted));
  return cases;
}
JOT_ATTACK_TABLE("ATK-AUD", audience_table,
                 "the audience must equal an expected one exactly, in a string or string array")

// ---------------------------------------------------------------------------------------------
// ATK-ISS (RFC 7519 §4.1.1; fast-jwt CVE-2025-30144): a string, equal to the expected issuer.
std::vector<attack_case> issuer_table() {
  std::vector<attack_case> cases;
  const auto verifier = verifier_for(secret_key(algorithm::hs256));
  const auto row = [&](std::string name, const std::string& text, std::optional<errc> expected) {
    cases.push_back(
        verify_case("iss " + std::move(name), verifier, hmac_token(hs_header, text), expected));
  };
  row("control: the expected issuer", payload(), accepted);
  row("another issuer", payload({{"iss", "https://evil.example"}}), errc::issuer_mismatch);
  row("in upper case", payload({{"iss", "HTTPS://ISSUER.EXAMPLE"}}), errc::issuer_mismatch);
  row("with a trailing slash", payload({{"iss", "https://issuer.example/"}}),
      errc::issuer_mismatch);
  row("extended into another host", payload({{"iss", "https://issuer.example.evil.example"}}),
      errc::issuer_mismatch);
  row("empty", payload({{"iss", ""}}), errc::issuer_mismatch);
  row("an array holding the expected issuer", with_raw("iss", R"(["https://issuer.example"])"),
      errc::invalid_claim_type);
  row("a number", with_raw("iss", "1"), errc::invalid_claim_type);
  row("null", with_raw("iss", "null"), errc::invalid_claim_type);
  row("missing", without("iss"), errc::missing_claim);
  return cases;
}
JOT_ATTACK_TABLE("ATK-ISS", issuer_table, "the issuer must be a string equal to the expected one")

// ---------------------------------------------------------------------------------------------
// ATK-TYP (RFC 8725 §2.8, §3.11; RFC 9068 §2.1): a token of one kind replayed where another is
// expected. Explicit typing compares typ case-insensitively, "application/" optional; with no
// expectation only a missing typ or JWT passes. Applications that type by a claim use
// expect_claim, compared exactly.
std::vector<attack_case> type_table() {
  std::vector<attack_case> cases;
  const auto key = secret_key(algorithm::hs256);
  const auto typed = verifier_for(key, policy().expect_type("at+jwt"));
  const auto by_claim = verifier_for(key, policy().expect_claim("type", "access"));
  const auto plain = verifier_for(key);
  const auto ignoring = verifier_for(key, policy().ignore_type());
  const auto typ_row = [&](const jot::verifier& v, std::string name, const std::string& typ_json,
                           std::optional<errc> expected) {
    const std::string header =
        typ_json.empty() ? R"({"alg":"HS256"})" : R"({"alg":"HS256","typ":)" + typ_json + "}";
    cases.push_back(verify_case(std::move(name), v, hmac_token(header, payload()), expected));
  };
  typ_row(typed, "expect at+jwt: control: at+jwt", R"("at+jwt")", accepted);
  typ_row(typed, "expect at+jwt: control: application/at+jwt", R"("application/at+jwt")", accepted);
  typ_row(typed, "expect at+jwt: control: AT+JWT", R"("AT+JWT")", accepted);
  typ_row(typed, "expect at+jwt: a refresh token (refresh+jwt)", R"("refresh+jwt")",
          errc::type_mismatch);
  typ_row(typed, "expect at+jwt: an ID token (JWT)", R"("JWT")", errc::type_mismatch);
  typ_row(typed, "expect at+jwt: no typ", "", errc::type_mismatch);
  typ_row(typed, "expect at+jwt: at+jwt with a trailing space", R"("at+jwt ")",
          errc::type_mismatch);
  typ_row(typed, "expect at+jwt: application/ alone", R"("application/")", errc::type_mismatch);
  typ_row(typed, "expect at+jwt: typ a number", "1", errc::invalid_header);
  typ_row(typed, "expect at+jwt: typ an array", R"(["at+jwt"])", errc::invalid_header);
  typ_row(plain, "no expectation: at+jwt", R"("at+jwt")", errc::type_mismatch);
  typ_row(plain, "no expectation: refresh+jwt", R"("refresh+jwt")", errc::type_mismatch);
  typ_row(plain, "no expectation: JWT with a trailing space", R"("JWT ")", errc::type_mismatch);
  typ_row(plain, "no expectation: control: JWT", R"("JWT")", accepted);
  typ_row(plain, "no expectation: control: jwt", R"("jwt")", accepted);
  typ_row(plain, "no expectation: control: application/jwt", R"("application/jwt")", accepted);
  typ_row(plain, "no expectation: control: no typ", "", accepted);
  typ_row(ignoring, "decision: ignore_type(): refresh+jwt", R"("refresh+jwt")", accepted);

  const auto claim_row = [&](std::string name, const std::string& text,
                             std::optional<errc> expected) {
    cases.push_back(verify_case("expect_claim(type, access): " + std::move(name), by_claim,
                                hmac_token(hs_header, text), expected));
  };
  claim_row("control: type access", payload({{"type", "access"}}), accepted);
  claim_row("a refresh token", payload({{"type", "refresh"}}), errc::claim_mismatch);
  claim_row("type Access", payload({{"type", "Access"}}), errc::claim_mismatch);
  claim_row("type access with a trailing space", payload({{"type", "access "}}),
            errc::claim_mismatch);
  claim_row("type [access]", payload({{"type", {"access"}}}), errc::claim_mismatch);
  claim_row("no type claim", payload(), errc::missing_claim);

  // Both at once: a refresh token fails on its typ first (the claim checks come after).
  const auto both =
      verifier_for(key, policy().expect_type("at+jwt").expect_claim("type", "access"));
  cases.push_back(verify_case(
      "typ and type claim expected: a refresh token", both,
      hmac_token(R"({"alg":"HS256","typ":"refresh+jwt"})", payload({{"type", "refresh"}})),
      errc::type_mismatch));
  // An OpenID Connect ID token from the same issuer, replayed at the API: its aud is the client.
  cases.push_back(verify_case(
      "an ID token (aud = client id, nonce) at the API", plain,
      hmac_token(hs_header, payload({{"aud", "client-7c1e"}, {"nonce", "n-0S6_WzA2Mj"}})),
      errc::audience_mismatch));
  return cases;
}
JOT_ATTACK_TABLE("ATK-TYP", type_table,
                 "a token of another kind (refresh, ID) is refused where an access token is "
                 "expected")

}  // namespace
