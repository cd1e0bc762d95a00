// jot sign: the claims and header it writes, its expiry default, and what it refuses.

#include <string>
#include <string_view>
#include <vector>

#include "cli_support.hpp"

using namespace jot_cli_test;

namespace {

process_result sign_hs256(std::vector<std::string> options) {
  std::vector<std::string> args = {"sign",  "--alg", "HS256", "--secret-file", hs256_secret_file(),
                                   "--now", at(now)};
  args.insert(args.end(), options.begin(), options.end());
  return run_jot(args);
}

// The payload of the token `jot sign` printed, after checking it printed exactly one line.
json signed_payload(const process_result& r) {
  INFO("jot sign: " << r.err);
  REQUIRE(r.status == 0);
  REQUIRE(r.err.empty());
  REQUIRE(r.out.size() > 1);
  REQUIRE(r.out.find('\n') == r.out.size() - 1);
  return decoded_payload(first_line(r.out));
}

}  // namespace

TEST_CASE("sign without an expiry option makes a token that expires in 15 minutes", "[sign]") {
  const process_result r = sign_hs256({});
  CHECK(signed_payload(r) == json{{"iat", now}, {"exp", now + 900}});
  CHECK(decoded_header(first_line(r.out)) == json{{"alg", "HS256"}, {"typ", "JWT"}});
  // And what sign makes, verify accepts.
  check_success(
      run_jot({"verify", "--alg", "HS256", "--secret-file", hs256_secret_file(), "--now", at(now)},
              r.out),
      R"({"exp":1700000900,"iat":1700000000})"
      "\n");
}

TEST_CASE("sign --expires-in takes seconds, minutes, hours and days", "[sign]") {
  const std::vector<std::pair<std::string, std::int64_t>> durations = {
      {"90", 90}, {"45s", 45}, {"15m", 900}, {"1h", 3600}, {"7d", 7 * 86400}};
  for (const auto& [duration, seconds] : durations) {
    INFO(duration);
    CHECK(signed_payload(sign_hs256({"--expires-in", duration}))["exp"] == now + seconds);
  }
  for (const char* wrong : {"15x", "m", "-5", "1.5h", ""}) {
    INFO(wrong);
    check_exit_2(sign_hs256({"--expires-in", wrong}),
                 usage_line("sign", "--expires-in needs a DURATION such as 900, 15m, 1h or 7d"));
  }
  check_exit_2(sign_hs256({"--expires-in", "0m"}),
               usage_line("sign", "--expires-in must be positive"));
  check_exit_2(sign_hs256({"--expires-in", "36501d"}),
               usage_line("sign", "--expires-in must be at most 100 years"));
}

TEST_CASE("sign --no-expiry leaves exp out, and verify then needs --allow-missing-exp", "[sign]") {
  const process_result r = sign_hs256({"--no-expiry"});
  CHECK(signed_payload(r) == json{{"iat", now}});
  const std::vector<std::string> verify = {
      "verify", "--alg", "HS256", "--secret-file", hs256_secret_file(), "--now", at(now)};
  check_rejected(run_jot(verify, r.out), jot::errc::missing_claim, "exp");
  std::vector<std::string> relaxed = verify;
  relaxed.push_back("--allow-missing-exp");
  check_success(run_jot(relaxed, r.out), R"({"iat":1700000000})"
                                         "\n");
  check_exit_2(sign_hs256({"--no-expiry", "--expires-in", "1h"}),
               usage_line("sign", "give --expires-in or --no-expiry, not both"));
}

TEST_CASE("sign maps registered claims onto their typed setters and keeps JSON values", "[sign]") {
  const process_result r = sign_hs256(
      {"--claims",
       R"({"iss":"https://auth.example","aud":["orders","billing"],"jti":"id-1",)"
       R"("nbf":1700000000,"scope":"read"})",
       "--claim", "sub=42", "--claim", "admin=true", "--claim", "level=3", "--claim",
       R"(roles=["reader","writer"])", "--claim", "scope=write", "--claim", "aud=orders"});
  CHECK(signed_payload(r) == json{{"iss", "https://auth.example"},
                                  {"aud", "orders"},
                                  {"jti", "id-1"},
                                  {"nbf", now},
                                  {"sub", "42"},
                                  {"admin", true},
                                  {"level", 3},
                                  {"roles", {"reader", "writer"}},
                                  {"scope", "write"},
                                  {"iat", now},
                                  {"exp", now + 900}});
}

TEST_CASE("sign takes exp as a claim as the expiry decision", "[sign]") {
  CHECK(signed_payload(sign_hs256({"--claim", "exp=1700003600"})) ==
        json{{"iat", now}, {"exp", now + 3600}});
  check_exit_2(sign_hs256({"--claim", "exp=1700003600", "--expires-in", "1h"}),
               usage_line("sign", "exp is given as a claim; drop --expires-in / --no-expiry"));
  // The range is the library's NumericDate range (jot::max_numeric_date, 9999-12-31).
  const std::string date_range =
      "UNIX seconds from 0 to " + std::to_string(jot::max_numeric_date) + " are required";
  check_exit_2(sign_hs256({"--claim", "exp=soon"}),
               key_error_line(jot::errc::invalid_claim_type, "--claim exp", date_range));
  CHECK(signed_payload(sign_hs256({"--claim", "exp=" + std::to_string(jot::max_numeric_date)}))
            .at("exp") == jot::max_numeric_date);
  check_exit_2(sign_hs256({"--claim", "nbf=" + std::to_string(jot::max_numeric_date + 1)}),
               key_error_line(jot::errc::invalid_claim_type, "--claim nbf", date_range));
  check_exit_2(sign_hs256({"--claim", "iat=-1"}),
               key_error_line(jot::errc::invalid_claim_type, "--claim iat", date_range));
}

TEST_CASE("sign sends every name the library registers to its typed setter", "[sign]") {
  // The list is the library's (the names its claims builder refuses in claim() and takes through
  // setters): a name added there without a way through jot sign fails here.
  for (const std::string_view registered : jot::detail::registered_claim_names) {
    const std::string claim(registered);
    INFO(claim);
    const json payload = signed_payload(sign_hs256({"--claim", claim + "=1700000100"}));
    const bool date = claim == "exp" || claim == "nbf" || claim == "iat";
    CHECK(payload.at(claim) == (date ? json(1700000100) : json("1700000100")));
  }
}

TEST_CASE("sign reads --claims-file", "[sign]") {
  const std::string file = write_file("claims.json", R"({"sub":"carol","tenant":"t-1"})");
  CHECK(signed_payload(sign_hs256({"--claims-file", file})) ==
        json{{"sub", "carol"}, {"tenant", "t-1"}, {"iat", now}, {"exp", now + 900}});
  check_exit_2(sign_hs256({"--claims-file", file, "--claims", "{}"}),
               usage_line("sign", "give --claims or --claims-file, not both"));
}

TEST_CASE("sign writes --kid and --typ into the header", "[sign]") {
  const process_result r = sign_hs256({"--kid", "k-2024", "--typ", "at+jwt"});
  REQUIRE(r.status == 0);
  CHECK(decoded_header(first_line(r.out)) ==
        json{{"alg", "HS256"}, {"kid", "k-2024"}, {"typ", "at+jwt"}});
}

namespace {
// The line of a sensitive claim name: the claim, and the flag that lets `name` through.
std::string sensitive_line(const std::string& where, const std::string& name) {
  return key_error_line(jot::errc::sensitive_claim, where,
                        "jot sign allows it with --allow-sensitive " + name);
}
}  // namespace

TEST_CASE("sign refuses sensitive claim names with sensitive_claim, exit 2", "[sign]") {
  check_exit_2(sign_hs256({"--claim", "password=hunter2"}),
               sensitive_line("--claim password", "password"));
  check_exit_2(sign_hs256({"--claims", R"({"ssn":"078-05-1120"})"}),
               sensitive_line("--claims member ssn", "ssn"));
  // At any depth too, as jot audit flags them; the message names the member.
  check_exit_2(sign_hs256({"--claim", R"(user={"name":"a","password":"x"})"}),
               sensitive_line("--claim user", "password"));
  check_exit_2(sign_hs256({"--claims", R"({"people":[{"national_id":"x"}]})"}),
               sensitive_line("--claims member people", "national_id"));
  check_exit_2(sign_hs256({"--claim", "national_id=x"}),
               sensitive_line("--claim national_id", "national_id"));
}

TEST_CASE("sign --allow-sensitive NAME signs that exact name, at any depth", "[sign]") {
  CHECK(signed_payload(sign_hs256({"--allow-sensitive", "password", "--claim", "password=x"})) ==
        json{{"password", "x"}, {"iat", now}, {"exp", now + 900}});
  CHECK(signed_payload(
            sign_hs256({"--claim", R"(user={"password":"x"})", "--allow-sensitive", "password"}))
            .at("user") == json{{"password", "x"}});
  // Only the names given: the next sensitive name is still refused, and named.
  check_exit_2(sign_hs256({"--allow-sensitive", "password", "--claim",
                           R"(user={"password":"x","ssn":"y"})"}),
               sensitive_line("--claim user", "ssn"));
  check_exit_2(sign_hs256({"--allow-sensitive", "Password", "--claim", "password=x"}),
               sensitive_line("--claim password", "password"));
  check_exit_2(sign_hs256({"--allow-sensitive", "", "--claim", "password=x"}),
               usage_line("sign", "--allow-sensitive needs a claim name"));
}

TEST_CASE("sign refuses header names as claims with reserved_claim, exit 2", "[sign]") {
  // alg, kid and typ have options of their own, which the line names.
  check_exit_2(
      sign_hs256({"--claim", "kid=x"}),
      key_error_line(jot::errc::reserved_claim, "--claim kid", "jot sign sets it with --kid"));
  check_exit_2(sign_hs256({"--claims", R"({"typ":"JWT"})"}),
               key_error_line(jot::errc::reserved_claim, "--claims member typ",
                              "jot sign sets it with --typ"));
  check_exit_2(sign_hs256({"--claim", "jku=https://x.example"}),
               key_error_line(jot::errc::reserved_claim, "--claim jku"));
}

TEST_CASE("sign refuses registered claims of the wrong type and claims that are not an object",
          "[sign]") {
  check_exit_2(
      sign_hs256({"--claims", R"({"sub":5})"}),
      key_error_line(jot::errc::invalid_claim_type, "--claims member sub", "a string is required"));
  check_exit_2(sign_hs256({"--claims", R"({"aud":["a",1]})"}),
               key_error_line(jot::errc::invalid_claim_type, "--claims member aud"));
  check_exit_2(sign_hs256({"--claims", "[1]"}),
               key_error_line(jot::errc::invalid_json, "--claims"));
  check_exit_2(sign_hs256({"--claims", R"({"a":1,"a":2})"}),
               key_error_line(jot::errc::duplicate_member, "--claims"));
}

TEST_CASE("sign refuses a public key, a weak secret and a list of algorithms", "[sign]") {
  const key_files& rsa = generated_key("RS256", "pem");
  check_exit_2(run_jot({"sign", "--alg", "RS256", "--key", rsa.public_key}),
               key_error_line(jot::errc::invalid_key, "--key " + rsa.public_key,
                              "not a private key in PEM, DER or JWK form"));
  const key_files& jwk = generated_key("ES256", "jwk");
  check_exit_2(run_jot({"sign", "--alg", "ES256", "--key", jwk.public_key}),
               key_error_line(jot::errc::invalid_key, "--key " + jwk.public_key,
                              "not a private key in PEM, DER or JWK form"));
  const std::string weak = write_file("weak.secret", "too-short");
  check_exit_2(run_jot({"sign", "--alg", "HS256", "--secret-file", weak}),
               key_error_line(jot::errc::weak_key, "--secret-file " + weak));
  check_exit_2(run_jot({"sign", "--alg", "RS256,PS256", "--key", rsa.private_key}),
               usage_line("sign", "--alg takes one algorithm"));
  check_exit_2(run_jot({"sign", "--alg", "HS256", "--secret-file", hs256_secret_file(), "--key",
                        rsa.private_key}),
               usage_line("sign", "give exactly one of --key FILE and --secret-file FILE"));
}

TEST_CASE("sign --alg EdDSA signs with the curve of the key", "[sign]") {
  const key_files& ed448 = generated_key("Ed448", "pem");
  const process_result r =
      run_jot({"sign", "--alg", "EdDSA", "--key", ed448.private_key, "--now", at(now)});
  REQUIRE(r.status == 0);
  CHECK(decoded_header(first_line(r.out)) == json{{"alg", "EdDSA"}, {"typ", "JWT"}});
  const std::string payload = R"({"exp":1700000900,"iat":1700000000})"
                              "\n";
  check_success(
      run_jot({"verify", "--alg", "Ed448", "--key", ed448.public_key, "--now", at(now)}, r.out),
      payload);
  check_success(
      run_jot({"verify", "--alg", "EdDSA", "--key", ed448.public_key, "--now", at(now)}, r.out),
      payload);
}
