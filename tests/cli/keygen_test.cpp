// jot keygen, and the round trip keygen -> sign -> verify for every algorithm and both formats.

#include <sys/stat.h>

#include <string>
#include <vector>

#include "cli_support.hpp"

using namespace jot_cli_test;

namespace {

const std::vector<std::string> all_algorithms = {"HS256", "HS384", "HS512",  "RS256",   "RS384",
                                                 "RS512", "PS256", "PS384",  "PS512",   "ES256",
                                                 "ES384", "ES512", "ES256K", "Ed25519", "Ed448"};

unsigned file_mode(const std::string& path) {
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  return info.st_mode & 07777;
}

}  // namespace

TEST_CASE("keygen, sign and verify round-trip every algorithm in pem and jwk formats", "[keygen]") {
  for (const std::string format : {"pem", "jwk"}) {
    for (const std::string& alg : all_algorithms) {
      INFO(alg << " " << format);
      const key_files& keys = generated_key(alg, format);
      const std::string option = key_option(alg, format);
      const process_result signed_token =
          run_jot({"sign", "--alg", alg, option, keys.private_key, "--now", at(now), "--claim",
                   "sub=alice", "--claim", "scope=orders:read"});
      REQUIRE(signed_token.status == 0);
      const bool edwards = alg.rfind("Ed", 0) == 0;
      CHECK(decoded_header(first_line(signed_token.out)) ==
            json{{"alg", edwards ? "EdDSA" : alg}, {"typ", "JWT"}});
      check_success(run_jot({"verify", "--alg", edwards ? "EdDSA" : alg, option, keys.public_key,
                             "--now", at(now)},
                            signed_token.out),
                    R"({"exp":1700000900,"iat":1700000000,"scope":"orders:read","sub":"alice"})"
                    "\n");
    }
  }
}

TEST_CASE("keygen writes PKCS#8 and SPKI PEM, or private and public JWKs", "[keygen]") {
  const key_files& pem = generated_key("ES256", "pem");
  CHECK(read_file(pem.private_key).rfind("-----BEGIN PRIVATE KEY-----\n", 0) == 0);
  CHECK(read_file(pem.public_key).rfind("-----BEGIN PUBLIC KEY-----\n", 0) == 0);
  const key_files& jwk = generated_key("ES256", "jwk");
  const json private_jwk = parse_json(read_file(jwk.private_key));
  const json public_jwk = parse_json(read_file(jwk.public_key));
  CHECK(private_jwk.contains("d"));
  CHECK_FALSE(public_jwk.contains("d"));
  CHECK(public_jwk["kty"] == "EC");
  CHECK(public_jwk["crv"] == "P-256");
  CHECK(public_jwk["alg"] == "ES256");
  CHECK(public_jwk["use"] == "sig");
}

TEST_CASE("keygen writes the private key with mode 0600 and the public key with 0644", "[keygen]") {
  for (const std::string format : {"pem", "jwk"}) {
    INFO(format);
    const key_files& keys = generated_key("Ed25519", format);
    CHECK(file_mode(keys.private_key) == 0600);
    CHECK(file_mode(keys.public_key) == 0644);
    CHECK(file_mode(generated_key("HS256", format).private_key) == 0600);
  }
}

TEST_CASE("keygen writes an HS secret as raw bytes of the hash length, or as an oct JWK",
          "[keygen]") {
  CHECK(read_file(generated_key("HS256", "pem").private_key).size() == 32);
  CHECK(read_file(generated_key("HS384", "pem").private_key).size() == 48);
  CHECK(read_file(generated_key("HS512", "pem").private_key).size() == 64);
  const json oct = parse_json(read_file(generated_key("HS384", "jwk").private_key));
  CHECK(oct["kty"] == "oct");
  CHECK(oct["alg"] == "HS384");
  CHECK(jot::base64url_decode(oct["k"].get<std::string>()).value().size() == 48);
}

TEST_CASE("keygen --kid names the JWKs and sign stamps the kid into the header", "[keygen]") {
  const std::string private_key = fresh_path("kid.jwk");
  const std::string public_key = fresh_path("kid.public.jwk");
  REQUIRE(run_jot({"keygen", "--alg", "ES384", "--format", "jwk", "--kid", "2024-06", "--out",
                   private_key, "--public-out", public_key})
              .status == 0);
  CHECK(parse_json(read_file(private_key))["kid"] == "2024-06");
  CHECK(parse_json(read_file(public_key))["kid"] == "2024-06");
  const process_result r = run_jot({"sign", "--alg", "ES384", "--key", private_key});
  REQUIRE(r.status == 0);
  CHECK(decoded_header(first_line(r.out))["kid"] == "2024-06");
}

TEST_CASE("keygen never overwrites an existing file", "[keygen]") {
  const std::string existing = write_file("existing.pem", "keep me");
  check_exit_2(
      run_jot({"keygen", "--alg", "ES256", "--out", existing}),
      "error: io: --out " + existing + " already exists; jot never overwrites a key file\n");
  CHECK(read_file(existing) == "keep me");
  const std::string fresh = fresh_path("fresh.pem");
  check_exit_2(
      run_jot({"keygen", "--alg", "ES256", "--out", fresh, "--public-out", existing}),
      "error: io: --public-out " + existing + " already exists; jot never overwrites a key file\n");
  CHECK_FALSE(std::ifstream(fresh).good());  // nothing half written
}

TEST_CASE("keygen refuses EdDSA, a public file for a secret and a kid in a PEM", "[keygen]") {
  const std::string out = fresh_path("unused.key");
  check_exit_2(run_jot({"keygen", "--alg", "EdDSA", "--out", out}),
               usage_line("keygen", "EdDSA names two curves: use --alg Ed25519 or Ed448"));
  check_exit_2(
      run_jot({"keygen", "--alg", "HS256", "--out", out, "--public-out", fresh_path("unused.pub")}),
      usage_line("keygen", "an HMAC secret has no public part: drop --public-out"));
  check_exit_2(run_jot({"keygen", "--alg", "RS256", "--out", out, "--kid", "k"}),
               usage_line("keygen", "--kid needs --format jwk: a PEM file cannot carry a kid"));
  check_exit_2(run_jot({"keygen", "--alg", "RS256", "--out", out, "--format", "der"}),
               usage_line("keygen", "--format takes pem or jwk"));
  check_exit_2(run_jot({"keygen", "--alg", "RS256"}),
               usage_line("keygen", "--out FILE is required"));
}
