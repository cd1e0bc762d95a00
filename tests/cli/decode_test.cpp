// jot decode: header and payload without verification, and the warning that says so.

#include <algorithm>
#include <string>

#include "cli_support.hpp"

using namespace jot_cli_test;

namespace {
const std::string unverified_warning =
    "warning: UNVERIFIED: the signature was not checked; do not trust this content\n";
}  // namespace

TEST_CASE("decode prints the header and payload and warns that nothing was verified", "[decode]") {
  const std::string token = hs256_token(valid_claims(), {{"alg", "HS256"}, {"kid", "k1"}});
  const process_result r = run_jot({"decode", token});
  CHECK(r.status == 0);
  CHECK(r.out == R"({"header":{"alg":"HS256","kid":"k1"},)"
                 R"("payload":{"exp":1700000900,"iat":1700000000,"sub":"alice"}})"
                 "\n");
  CHECK(r.err == unverified_warning);
}

TEST_CASE("decode reads standard input and needs no valid signature", "[decode]") {
  const jot::signing_key stranger =
      jot::signing_key::hs256(jot::secret_bytes("some-other-secret-0123456789abcd")).value();
  const std::string token = raw_token(R"({"alg":"HS256"})", R"({"sub":"bob"})", stranger);
  const process_result r = run_jot({"decode", "-"}, token + "\n");
  CHECK(r.status == 0);
  CHECK(r.out == R"({"header":{"alg":"HS256"},"payload":{"sub":"bob"}})"
                 "\n");
  CHECK(r.err == unverified_warning);
}

TEST_CASE("decode rejects what jot's strict parser refuses, with exit 1 and the errc", "[decode]") {
  check_rejected(run_jot({"decode"}, "a.b"), jot::errc::malformed_token);
  check_rejected(run_jot({"decode", "-"}, "e30=.e30.e30"), jot::errc::invalid_base64);
  check_rejected(run_jot({"decode", b64(R"({"alg":"HS256","alg":"none"})") + ".e30."}),
                 jot::errc::duplicate_member);
  check_rejected(run_jot({"decode", b64("[]") + ".e30."}), jot::errc::invalid_json);
  // Over the largest cap a verifier can be given (validator builder's allow_token_size).
  check_rejected(
      run_jot({"decode"}, std::string(jot::validator::builder::max_token_size_limit + 1, 'a')),
      jot::errc::token_too_large);
}

TEST_CASE("decode --pretty indents the JSON by 2 spaces", "[decode]") {
  const std::string token = hs256_token(valid_claims(), {{"alg", "HS256"}, {"kid", "k1"}});
  const process_result r = run_jot({"decode", "--pretty"}, token);
  CHECK(r.status == 0);
  CHECK(r.out ==
        "{\n"
        "  \"header\": {\n"
        "    \"alg\": \"HS256\",\n"
        "    \"kid\": \"k1\"\n"
        "  },\n"
        "  \"payload\": {\n"
        "    \"exp\": 1700000900,\n"
        "    \"iat\": 1700000000,\n"
        "    \"sub\": \"alice\"\n"
        "  }\n"
        "}\n");
  CHECK(r.err == unverified_warning);
  // The same JSON as without --pretty, where it is one line.
  const process_result compact = run_jot({"decode"}, token);
  CHECK(std::count(compact.out.begin(), compact.out.end(), '\n') == 1);
  CHECK(parse_json(compact.out) == parse_json(r.out));
}
