// jot jwks and jot thumbprint: publishing public keys and naming them by RFC 7638 thumbprint.

#include <string>
#include <vector>

#include "cli_support.hpp"
#include "rfc7638_example.hpp"

using namespace jot_cli_test;

namespace {

std::string thumbprint_of(const std::string& path) {
  const process_result r = run_jot({"thumbprint", path});
  INFO("jot thumbprint: " << r.err);
  REQUIRE(r.status == 0);
  REQUIRE(r.err.empty());
  return first_line(r.out);
}

}  // namespace

TEST_CASE("thumbprint matches the example of RFC 7638 section 3.1", "[jwks]") {
  check_success(
      run_jot({"thumbprint", write_file("rfc7638.jwk", jot_test::rfc7638_example_key().dump())}),
      std::string(jot_test::rfc7638_example_thumbprint) + "\n");
}

TEST_CASE("thumbprint is the same for a PEM private key, its public key and its JWK", "[jwks]") {
  const key_files& rsa = generated_key("RS256", "pem");
  const std::string from_public = thumbprint_of(rsa.public_key);
  CHECK(thumbprint_of(rsa.private_key) == from_public);
  const process_result jwks = run_jot({"jwks", rsa.public_key});
  REQUIRE(jwks.status == 0);
  const json jwk = parse_json(jwks.out)["keys"][0];
  CHECK(jot::jwk_thumbprint(jwk).value() == from_public);
  CHECK(thumbprint_of(write_file("rsa.jwk", jwk.dump())) == from_public);
  check_exit_2(run_jot({"thumbprint", write_file("set.jwks", jwks.out)}),
               usage_line("thumbprint", "KEYFILE must hold one key, not a JWKS"));
}

TEST_CASE("jwks prints public JWKs whose kids are their thumbprints, and verify loads it",
          "[jwks]") {
  const key_files& rsa = generated_key("RS256", "pem");
  const key_files& ec = generated_key("ES256", "pem");
  const key_files& ed = generated_key("Ed25519", "jwk");
  const std::string named = fresh_path("named.jwk");
  REQUIRE(run_jot({"keygen", "--alg", "ES384", "--format", "jwk", "--kid", "es384-2024", "--out",
                   named})
              .status == 0);
  // Private key files on purpose: only their public parts may come out.
  const process_result r = run_jot({"jwks", rsa.public_key, ec.private_key, ed.private_key, named});
  REQUIRE(r.status == 0);
  CHECK(r.err.empty());
  const json jwks = parse_json(r.out);
  REQUIRE(jwks["keys"].size() == 4);
  for (const json& jwk : jwks["keys"]) {
    CHECK_FALSE(jwk.contains("d"));
    CHECK(jwk["use"] == "sig");
  }
  CHECK(jwks["keys"][0]["alg"] == "RS256");
  CHECK(jwks["keys"][0]["kid"] == thumbprint_of(rsa.public_key));
  CHECK(jwks["keys"][1]["alg"] == "ES256");
  CHECK(jwks["keys"][1]["kid"] == thumbprint_of(ec.private_key));
  CHECK(jwks["keys"][2]["alg"] == "EdDSA");
  CHECK(jwks["keys"][2]["kid"] == thumbprint_of(ed.public_key));
  CHECK(jwks["keys"][3]["kid"] == "es384-2024");
  for (const json& jwk : jwks["keys"]) {
    if (jwk["kid"] != "es384-2024") CHECK(jwk["kid"] == jot::jwk_thumbprint(jwk).value());
  }

  const std::string set = write_file("published.jwks", r.out);
  const std::vector<std::string> verify = {
      "verify", "--alg", "RS256,ES256,ES384,EdDSA", "--key", set, "--now", at(now)};
  const std::string payload = R"({"exp":1700000900,"iat":1700000000})"
                              "\n";
  const auto sign = [](std::vector<std::string> args) {
    args.insert(args.begin(), {"sign", "--now", at(now)});
    const process_result signed_token = run_jot(args);
    REQUIRE(signed_token.status == 0);
    return signed_token.out;
  };
  check_success(run_jot(verify, sign({"--alg", "ES256", "--key", ec.private_key, "--kid",
                                      jwks["keys"][1]["kid"].get<std::string>()})),
                payload);
  check_success(run_jot(verify, sign({"--alg", "RS256", "--key", rsa.private_key, "--kid",
                                      jwks["keys"][0]["kid"].get<std::string>()})),
                payload);
  check_success(run_jot(verify, sign({"--alg", "ES384", "--key", named})), payload);
  check_rejected(run_jot(verify, sign({"--alg", "ES256", "--key", ec.private_key})),
                 jot::errc::missing_key_id);
}

TEST_CASE("jwks --alg chooses the algorithm of a PEM key", "[jwks]") {
  const process_result r =
      run_jot({"jwks", "--alg", "PS256", generated_key("RS256", "pem").public_key});
  REQUIRE(r.status == 0);
  CHECK(parse_json(r.out)["keys"][0]["alg"] == "PS256");
}

TEST_CASE("jwks refuses HMAC secrets and two keys with one kid", "[jwks]") {
  const std::string secret = generated_key("HS256", "jwk").private_key;
  check_exit_2(run_jot({"jwks", secret}),
               key_error_line(jot::errc::invalid_key, secret,
                              "an HMAC secret has no public form to publish"));
  const std::string ec = generated_key("ES256", "pem").public_key;
  check_exit_2(run_jot({"jwks", ec, ec}),
               key_error_line(jot::errc::duplicate_key_id, ec, "the same kid as " + ec));
  check_exit_2(run_jot({"jwks"}), usage_line("jwks", "missing argument"));
}
