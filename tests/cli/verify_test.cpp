// jot verify end to end: what it accepts and prints, and the exact rejection of every class of
// bad token the library knows, through the built binary.

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "cli_support.hpp"

using namespace jot_cli_test;

namespace {

// verify on the fixed clock with `keys` (default: the HS256 test secret), plus `extra` options,
// `token` on standard input (as scripts should pass tokens they did not make: a TOKEN argument
// that is not a compact JWS in shape is taken for a file name, token_input_test.cpp).
process_result verify_hs256(const std::string& token, std::vector<std::string> extra = {},
                            std::vector<std::string> keys = {}) {
  if (keys.empty()) keys = {"--alg", "HS256", "--secret-file", hs256_secret_file()};
  std::vector<std::string> args = {"verify", "--now", at(now)};
  args.insert(args.end(), keys.begin(), keys.end());
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back("-");
  return run_jot(args, token);
}

const json jwt_header = {{"alg", "HS256"}, {"typ", "JWT"}};

// Two HMAC keys published in one JWKS under kids "a" (HS256) and "b" (HS384).
const std::string& two_key_jwks() {
  static const std::string path = write_file(
      "two-keys.jwks.json",
      json{{"keys",
            {{{"kty", "oct"}, {"kid", "a"}, {"alg", "HS256"}, {"k", b64(hs256_secret)}},
             {{"kty", "oct"}, {"kid", "b"}, {"alg", "HS384"}, {"k", b64(std::string(48, 'b'))}}}}}
          .dump());
  return path;
}

struct rejection_case {
  const char* description;
  std::string token;
  std::vector<std::string> options;
  jot::errc expected;
  std::vector<std::string> keys = {};  // default: --alg HS256 --secret-file <test secret>
  const char* claim = "";              // the claim the rejection names, if any
};

}  // namespace

TEST_CASE("verify prints the payload of a valid token on one line and exits 0", "[verify]") {
  check_success(verify_hs256(hs256_token(valid_claims())),
                R"({"exp":1700000900,"iat":1700000000,"sub":"alice"})"
                "\n");
}

TEST_CASE("verify accepts a token that meets every expectation given", "[verify]") {
  const json claims = json_with(valid_claims(), {{"iss", "https://auth.example"},
                                                 {"aud", json::array({"orders", "billing"})},
                                                 {"role", "admin"},
                                                 {"admin", true},
                                                 {"scope", "read"}});
  const std::string token = hs256_token(claims, {{"alg", "HS256"}, {"typ", "application/at+jwt"}});
  check_success(
      verify_hs256(token, {"--iss", "https://auth.example", "--aud", "shipping", "--aud", "billing",
                           "--sub", "alice", "--typ", "at+jwt", "--require", "scope", "--claim",
                           "role=admin", "--claim", "admin=true", "--max-age", "60"}),
      claims.dump() + "\n");
}

TEST_CASE("verify tolerates clock skew up to --leeway", "[verify]") {
  const std::string token = hs256_token(json_with(valid_claims(), {{"exp", now - 30}}));
  check_rejected(verify_hs256(token), jot::errc::token_expired);
  CHECK(verify_hs256(token, {"--leeway", "60"}).status == 0);
}

TEST_CASE("verify accepts a token without exp only with --allow-missing-exp", "[verify]") {
  const std::string token = hs256_token(json_with(valid_claims(), {{"exp", nullptr}}));
  check_rejected(verify_hs256(token), jot::errc::missing_claim, "exp");
  check_success(verify_hs256(token, {"--allow-missing-exp"}), R"({"iat":1700000000,"sub":"alice"})"
                                                              "\n");
}

TEST_CASE("verify rejects every class of bad token with its exact errc and exit 1", "[verify]") {
  const json valid = valid_claims();
  const jot::signing_key other_key =
      jot::signing_key::hs256(jot::secret_bytes("not-the-secret-0123456789abcdef!")).value();
  std::string deep = "{\"sub\":\"alice\",\"exp\":1700000900,\"x\":";
  for (int i = 0; i < 40; ++i) deep += "[";
  for (int i = 0; i < 40; ++i) deep += "]";
  deep += "}";

  const std::vector<rejection_case> cases = {
      {"a token of two segments is malformed", "abc.def", {}, jot::errc::malformed_token},
      {"a token of four segments is malformed", "a.b.c.d", {}, jot::errc::malformed_token},
      {"a padded segment is not base64url",
       b64(jwt_header.dump()) + ".e30=." + b64("sig"),
       {},
       jot::errc::invalid_base64},
      {"a header that is not JSON is invalid_json",
       sign_raw("not json", valid.dump(), hs256_key()),
       {},
       jot::errc::invalid_json},
      {"a header with a duplicate member is refused",
       sign_raw(R"({"alg":"HS256","alg":"HS256"})", valid.dump(), hs256_key()),
       {},
       jot::errc::duplicate_member},
      {"a payload with a duplicate member is refused",
       sign_raw(jwt_header.dump(), R"({"sub":"alice","sub":"bob","exp":1700000900})", hs256_key()),
       {},
       jot::errc::duplicate_member},
      {"alg none is not allowed",
       sign_raw(R"({"alg":"none","typ":"JWT"})", valid.dump(), no_signature{}),
       {},
       jot::errc::algorithm_not_allowed},
      {"an algorithm missing from --alg is not allowed",
       sign_raw(R"({"alg":"HS384","typ":"JWT"})", valid.dump(), hs256_key()),
       {},
       jot::errc::algorithm_not_allowed},
      {"a kid naming a key of another algorithm is a key/alg mismatch",
       sign_raw(R"({"alg":"HS384","kid":"a"})", valid.dump(), hs256_key()),
       {},
       jot::errc::key_algorithm_mismatch,
       {"--alg", "HS256,HS384", "--key", two_key_jwks()}},
      {"a kid naming no key is unknown",
       sign_raw(R"({"alg":"HS256","kid":"zzz"})", valid.dump(), hs256_key()),
       {},
       jot::errc::unknown_key_id,
       {"--alg", "HS256,HS384", "--key", two_key_jwks()}},
      {"a token without kid among several keys is missing_key_id",
       sign_raw(R"({"alg":"HS256"})", valid.dump(), hs256_key()),
       {},
       jot::errc::missing_key_id,
       {"--alg", "HS256,HS384", "--key", two_key_jwks()}},
      {"a signature by another key is invalid",
       sign_raw(jwt_header.dump(), valid.dump(), other_key),
       {},
       jot::errc::invalid_signature},
      {"a token whose exp is now is expired",
       hs256_token(json_with(valid, {{"exp", now}})),
       {},
       jot::errc::token_expired},
      {"a token whose nbf is ahead is not yet valid",
       hs256_token(json_with(valid, {{"nbf", now + 60}})),
       {},
       jot::errc::token_not_yet_valid},
      {"a token whose iat is ahead was issued in the future",
       hs256_token(json_with(valid, {{"iat", now + 60}})),
       {},
       jot::errc::issued_in_future},
      {"a token older than --max-age is too old",
       hs256_token(json_with(valid, {{"iat", now - 1000}})),
       {"--max-age", "600"},
       jot::errc::token_too_old},
      {"another issuer is an issuer mismatch",
       hs256_token(json_with(valid, {{"iss", "https://evil.example"}})),
       {"--iss", "https://auth.example"},
       jot::errc::issuer_mismatch},
      {"another audience is an audience mismatch",
       hs256_token(json_with(valid, {{"aud", "other"}})),
       {"--aud", "api"},
       jot::errc::audience_mismatch},
      {"an audience nobody expects is an audience that is not expected",
       hs256_token(json_with(valid, {{"aud", "api"}})),
       {},
       jot::errc::audience_not_expected},
      {"another subject is a subject mismatch",
       hs256_token(valid),
       {"--sub", "bob"},
       jot::errc::subject_mismatch},
      {"another typ is a type mismatch",
       hs256_token(valid, {{"alg", "HS256"}, {"typ", "at+jwt"}}),
       {"--typ", "refresh+jwt"},
       jot::errc::type_mismatch},
      {"a typ other than JWT without --typ is a type mismatch",
       hs256_token(valid, {{"alg", "HS256"}, {"typ", "refresh+jwt"}}),
       {},
       jot::errc::type_mismatch},
      {"a claim named by --require must be present",
       hs256_token(valid),
       {"--require", "scope"},
       jot::errc::missing_claim,
       {},
       "scope"},
      {"an expected issuer must be present",
       hs256_token(valid),
       {"--iss", "https://auth.example"},
       jot::errc::missing_claim,
       {},
       "iss"},
      {"a token without exp is refused by default",
       hs256_token(json_with(valid, {{"exp", nullptr}})),
       {},
       jot::errc::missing_claim,
       {},
       "exp"},
      {"a claim with another value is a claim mismatch",
       hs256_token(json_with(valid, {{"role", "user"}})),
       {"--claim", "role=admin"},
       jot::errc::claim_mismatch,
       {},
       "role"},
      {"--claim compares JSON values: the string \"true\" is not true",
       hs256_token(json_with(valid, {{"admin", "true"}})),
       {"--claim", "admin=true"},
       jot::errc::claim_mismatch,
       {},
       "admin"},
      {"a critical header extension jot does not understand is refused",
       sign_raw(R"({"alg":"HS256","crit":["x-ext"],"x-ext":1})", valid.dump(), hs256_key()),
       {},
       jot::errc::unsupported_critical_header},
      {"a kid that is not a string is an invalid header",
       sign_raw(R"({"alg":"HS256","kid":5})", valid.dump(), hs256_key()),
       {},
       jot::errc::invalid_header},
      {"a nested token (cty JWT) is not processed",
       sign_raw(R"({"alg":"HS256","cty":"JWT"})", valid.dump(), hs256_key()),
       {},
       jot::errc::nested_token},
      {"an exp that is a string is an invalid claim type",
       hs256_token(json_with(valid, {{"exp", "tomorrow"}})),
       {},
       jot::errc::invalid_claim_type,
       {},
       "exp"},
      {"a payload nested deeper than 32 levels is too deep",
       sign_raw(jwt_header.dump(), deep, hs256_key()),
       {},
       jot::errc::json_too_deep},
  };
  for (const rejection_case& c : cases) {
    INFO(c.description);
    check_rejected(verify_hs256(c.token, c.options, c.keys), c.expected, c.claim);
  }
}

TEST_CASE("verify reads the token from standard input and trims one trailing newline", "[verify]") {
  const std::string token = hs256_token(valid_claims());
  const std::string payload = valid_claims().dump() + "\n";
  const std::vector<std::string> args = {
      "verify", "--alg", "HS256", "--secret-file", hs256_secret_file(), "--now", at(now)};
  check_success(run_jot(args, token), payload);
  check_success(run_jot(args, token + "\n"), payload);
  check_success(run_jot(args, token + "\r\n"), payload);
  std::vector<std::string> dash = args;
  dash.push_back("-");
  check_success(run_jot(dash, token + "\n"), payload);
  // Only one newline is trimmed: the second one is part of the (then invalid) signature segment.
  check_rejected(run_jot(args, token + "\n\n"), jot::errc::invalid_base64);
  check_rejected(run_jot(args, ""), jot::errc::malformed_token);
}

TEST_CASE("verify rejects a 2 MB token on standard input as token_too_large, quickly", "[verify]") {
  const std::string huge = hs256_token(valid_claims()) + std::string(2 * 1024 * 1024, 'A');
  const auto start = std::chrono::steady_clock::now();
  check_rejected(run_jot({"verify", "--alg", "HS256", "--secret-file", hs256_secret_file()}, huge),
                 jot::errc::token_too_large);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
}

TEST_CASE("verify, decode and audit survive hostile input with one line on stderr", "[verify]") {
  std::string nul_token = hs256_token(valid_claims());
  nul_token[5] = '\0';
  const std::vector<std::string> inputs = {
      nul_token,
      "\xff\xfe\xfd",
      "..",
      "....................",
      sign_raw(std::string(5000, '['), "{}", no_signature{}),
      sign_raw(R"({"alg":"HS256","x":1e400})", "{}", no_signature{}),
      sign_raw(R"({"alg":"HS256","x":"\ud800"})", "{}", no_signature{}),
      sign_raw("{\"alg\":\"HS256\",\"x\":\"\xc3\x28\"}", "{}", no_signature{}),
      std::string(100000, '.'),
  };
  for (const std::string& input : inputs) {
    const process_result verified =
        run_jot({"verify", "--alg", "HS256", "--secret-file", hs256_secret_file()}, input);
    CHECK(verified.status == 1);
    CHECK(verified.out.empty());
    CHECK(verified.err.rfind("error: ", 0) == 0);
    CHECK(std::count(verified.err.begin(), verified.err.end(), '\n') == 1);
    const process_result decoded = run_jot({"decode"}, input);
    CHECK(decoded.status == 1);
    CHECK(std::count(decoded.err.begin(), decoded.err.end(), '\n') == 1);
    const process_result audited = run_jot({"audit"}, input);
    CHECK(audited.status == 1);
    CHECK(audited.err.empty());
  }
}

TEST_CASE("verify's rejection line never contains the token or the secret", "[verify]") {
  const std::string token = hs256_token(json_with(valid_claims(), {{"exp", now - 1}}));
  const process_result r = verify_hs256(token);
  check_rejected(r, jot::errc::token_expired);
  CHECK(r.err.find(token.substr(0, 20)) == std::string::npos);
  CHECK(r.err.find(std::string(hs256_secret)) == std::string::npos);
}
