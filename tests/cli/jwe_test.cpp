// jot encrypt / jot decrypt (nested JWTs: sign then encrypt, decrypt then verify), keygen for
// encryption keys, and what decode says of an encrypted token.

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "cli_support.hpp"

using namespace jot_cli_test;

namespace {

// `jot keygen` for an encryption key, once per (alg, enc or crv) and run: `enc` for dir, `crv`
// for ECDH-ES*.
struct jwe_key_files {
  std::string private_key;
  std::string public_key;  // the file to encrypt with: the public JWK, or the private one
};
const jwe_key_files& jwe_key(const std::string& alg, const std::string& enc = {},
                             const std::string& crv = {}) {
  static std::map<std::string, jwe_key_files> made;
  auto& files = made[alg + enc + crv];
  if (!files.private_key.empty()) return files;
  files.private_key = fresh_path("jwe-private.json");
  std::vector<std::string> args = {"keygen", "--alg",    alg,     "--format",       "jwk",
                                   "--kid",  "k-" + alg, "--out", files.private_key};
  const bool asymmetric = alg.rfind("RSA", 0) == 0 || !crv.empty();
  if (asymmetric) {
    files.public_key = fresh_path("jwe-public.json");
    args.insert(args.end(), {"--public-out", files.public_key});
  } else {
    files.public_key = files.private_key;
  }
  if (!enc.empty()) args.insert(args.end(), {"--enc", enc});
  if (!crv.empty()) args.insert(args.end(), {"--crv", crv});
  const process_result r = run_jot(args);
  INFO(r.err);
  REQUIRE(r.status == 0);
  return files;
}

}  // namespace

TEST_CASE("encrypt --sign-key then decrypt --verify-key round-trips every pair", "[jwe]") {
  const std::vector<std::pair<std::string, std::string>> keys = {
      {"dir", "A256GCM"}, {"A128KW", ""}, {"A256KW", ""}, {"RSA-OAEP-256", ""}, {"RSA-OAEP", ""}};
  for (const auto& [alg, dir_enc] : keys) {
    for (const std::string enc : {"A128GCM", "A256GCM", "A128CBC-HS256", "A256CBC-HS512"}) {
      if (!dir_enc.empty() && enc != "A256GCM" && enc != "A128CBC-HS256") continue;  // 32 bytes
      INFO(alg << " " << enc);
      const jwe_key_files& files =
          jwe_key(alg, dir_enc.empty() ? "" : (enc == "A256GCM" ? "A256GCM" : "A128CBC-HS256"));
      const process_result encrypted = run_jot(
          {"encrypt", "--key", files.public_key, "--enc", enc, "--sign-secret-file",
           hs256_secret_file(), "--sign-alg", "HS256", "--now", at(now), "--claim", "sub=alice"});
      INFO(encrypted.err);
      REQUIRE(encrypted.status == 0);
      const std::string token = first_line(encrypted.out);
      CHECK(std::count(token.begin(), token.end(), '.') == 4);
      CHECK(decoded_header(token).at("cty") == "JWT");
      check_success(
          run_jot({"decrypt", "--key", files.private_key, "--enc", enc, "--verify-secret-file",
                   hs256_secret_file(), "--verify-alg", "HS256", "--now", at(now)},
                  encrypted.out),
          R"({"exp":1700000900,"iat":1700000000,"sub":"alice"})"
          "\n");
    }
  }
}

TEST_CASE("encrypt takes a token from jot sign; decrypt alone prints it UNVERIFIED", "[jwe]") {
  const jwe_key_files& files = jwe_key("A256KW");
  const process_result jws = run_jot({"sign", "--alg", "HS256", "--secret-file",
                                      hs256_secret_file(), "--now", at(now), "--claim", "sub=bob"});
  REQUIRE(jws.status == 0);
  const process_result encrypted =
      run_jot({"encrypt", "--key", files.public_key, "--enc", "A128GCM"}, jws.out);
  REQUIRE(encrypted.status == 0);
  const process_result decrypted =
      run_jot({"decrypt", "--key", files.private_key, "--enc", "A128GCM"}, encrypted.out);
  CHECK(decrypted.status == 0);
  CHECK(decrypted.out == jws.out);
  CHECK(decrypted.err ==
        "warning: UNVERIFIED: decrypted, but the inner token's signature was not checked (use "
        "--verify-key)\n");
  // The verifier's verdict is decrypt's: a token signed by another key is rejected.
  const std::string other = write_file("other-secret", "another-secret-of-32-bytes-xxxxx");
  check_rejected(run_jot({"decrypt", "--key", files.private_key, "--enc", "A128GCM",
                          "--verify-secret-file", other, "--verify-alg", "HS256", "--now", at(now)},
                         encrypted.out),
                 jot::errc::invalid_signature);
  // An enc the command does not accept, and a JWS given to decrypt.
  check_rejected(
      run_jot({"decrypt", "--key", files.private_key, "--enc", "A256GCM"}, encrypted.out),
      jot::errc::encryption_not_allowed);
  check_rejected(run_jot({"decrypt", "--key", files.private_key, "--enc", "A128GCM"}, jws.out),
                 jot::errc::unencrypted_token);
  // verify names a JWE for what it is.
  check_rejected(
      run_jot({"verify", "--alg", "HS256", "--secret-file", hs256_secret_file(), "--now", at(now)},
              encrypted.out),
      jot::errc::encrypted_token);
}

TEST_CASE("decode shows an encrypted token's protected header and says it is encrypted",
          "[jwe][decode]") {
  const jwe_key_files& files = jwe_key("A128KW");
  const process_result jws = run_jot({"sign", "--alg", "HS256", "--secret-file",
                                      hs256_secret_file(), "--now", at(now), "--claim", "sub=bob"});
  const process_result encrypted =
      run_jot({"encrypt", "--key", files.public_key, "--enc", "A128GCM"}, jws.out);
  REQUIRE(encrypted.status == 0);
  const process_result decoded = run_jot({"decode"}, encrypted.out);
  CHECK(decoded.status == 0);
  CHECK(
      decoded.out ==
      R"({"encrypted":true,"header":{"alg":"A128KW","cty":"JWT","enc":"A128GCM","kid":"k-A128KW"}})"
      "\n");
  CHECK(decoded.err ==
        "note: ENCRYPTED (JWE): the payload can only be read with the key (jot decrypt)\n");
}

TEST_CASE("keygen --crv makes ECDH-ES keys; encrypt and decrypt use them on every curve",
          "[jwe][ecdh]") {
  for (const std::string alg : {"ECDH-ES", "ECDH-ES+A128KW", "ECDH-ES+A256KW"}) {
    for (const std::string crv : {"P-256", "P-384", "P-521", "X25519"}) {
      INFO(alg << " " << crv);
      const jwe_key_files& files = jwe_key(alg, "", crv);
      const auto public_jwk = json::parse(read_file(files.public_key));
      CHECK(public_jwk.at("crv") == crv);
      CHECK(public_jwk.at("alg") == alg);
      CHECK_FALSE(public_jwk.contains("d"));
      const process_result encrypted = run_jot(
          {"encrypt", "--key", files.public_key, "--enc", "A256GCM", "--sign-secret-file",
           hs256_secret_file(), "--sign-alg", "HS256", "--now", at(now), "--claim", "sub=alice"});
      INFO(encrypted.err);
      REQUIRE(encrypted.status == 0);
      CHECK(decoded_header(first_line(encrypted.out)).at("epk").at("crv") == crv);
      check_success(run_jot({"decrypt", "--key", files.private_key, "--enc", "A256GCM",
                             "--verify-secret-file", hs256_secret_file(), "--verify-alg", "HS256",
                             "--now", at(now)},
                            encrypted.out),
                    R"({"exp":1700000900,"iat":1700000000,"sub":"alice"})"
                    "\n");
    }
  }
  // --apu / --apv: written to the header, honoured by decrypt; for ECDH-ES* keys only.
  const jwe_key_files& x25519 = jwe_key("ECDH-ES+A128KW", "", "X25519");
  const process_result with_parties =
      run_jot({"encrypt", "--key", x25519.public_key, "--enc", "A128GCM", "--apu", "Alice", "--apv",
               "Bob", "--sign-secret-file", hs256_secret_file(), "--sign-alg", "HS256", "--now",
               at(now), "--claim", "sub=alice"});
  INFO(with_parties.err);
  REQUIRE(with_parties.status == 0);
  CHECK(decoded_header(first_line(with_parties.out)).at("apu") == "QWxpY2U");
  CHECK(decoded_header(first_line(with_parties.out)).at("apv") == "Qm9i");
  check_success(
      run_jot({"decrypt", "--key", x25519.private_key, "--enc", "A128GCM", "--verify-secret-file",
               hs256_secret_file(), "--verify-alg", "HS256", "--now", at(now)},
              with_parties.out),
      R"({"exp":1700000900,"iat":1700000000,"sub":"alice"})"
      "\n");
  check_exit_2(run_jot({"encrypt", "--key", jwe_key("A128KW").public_key, "--enc", "A128GCM",
                        "--apu", "Alice"}),
               usage_line("encrypt", "--apu and --apv are for ECDH-ES* keys, 512 bytes each"));
  check_exit_2(run_jot({"keygen", "--alg", "ECDH-ES", "--format", "jwk", "--out", fresh_path("k")}),
               usage_line("keygen", "--alg ECDH-ES* needs --crv P-256, P-384, P-521 or X25519"));
  check_exit_2(run_jot({"keygen", "--alg", "ECDH-ES", "--crv", "secp256k1", "--format", "jwk",
                        "--out", fresh_path("k")}),
               usage_line("keygen", "--crv takes P-256, P-384, P-521 or X25519"));
  check_exit_2(run_jot({"keygen", "--alg", "A128KW", "--crv", "P-256", "--out", fresh_path("k")}),
               usage_line("keygen", "--crv is only for --alg ECDH-ES*"));
  check_exit_2(run_jot({"keygen", "--alg", "ES256", "--crv", "P-256", "--out", fresh_path("k")}),
               usage_line("keygen", "--crv is only for --alg ECDH-ES*"));
}

TEST_CASE("encrypt and decrypt refuse keys and options that do not fit", "[jwe]") {
  const jwe_key_files& rsa = jwe_key("RSA-OAEP-256");
  check_exit_2(run_jot({"encrypt", "--key", rsa.public_key}),
               usage_line("encrypt", "--enc is required"));
  check_exit_2(run_jot({"encrypt", "--key", rsa.public_key, "--enc", "A192GCM"}),
               usage_line("encrypt", "--enc takes A128GCM A256GCM A128CBC-HS256 A256CBC-HS512"));
  check_exit_2(run_jot({"encrypt", "--key", rsa.public_key, "--alg", "RSA1_5", "--enc", "A128GCM"}),
               usage_line("encrypt",
                          "--alg takes one of dir A128KW A256KW RSA-OAEP RSA-OAEP-256 "
                          "ECDH-ES ECDH-ES+A128KW ECDH-ES+A256KW"));
  check_exit_2(run_jot({"encrypt", "--key", rsa.public_key, "--alg", "A128KW", "--enc", "A128GCM"}),
               key_error_line(jot::errc::jwk_algorithm_mismatch, "--key " + rsa.public_key));
  // The private key cannot come from the public JWK.
  check_exit_2(run_jot({"decrypt", "--key", rsa.public_key, "--enc", "A128GCM"}),
               key_error_line(jot::errc::invalid_key, "--key " + rsa.public_key));
  // A dir key of 32 bytes for A128GCM.
  const jwe_key_files& dir = jwe_key("dir", "A256GCM");
  check_exit_2(run_jot({"encrypt", "--key", dir.public_key, "--enc", "A128GCM"}),
               key_error_line(jot::errc::content_key_size_mismatch, "--enc"));
  // A claim option without a signing key.
  check_exit_2(
      run_jot({"encrypt", "--key", rsa.public_key, "--enc", "A128GCM", "--claim", "sub=x"}),
      usage_line("encrypt", "--claim needs --sign-key or --sign-secret-file"));
  // keygen: dir needs --enc; an RSA encryption key is a JWK.
  check_exit_2(run_jot({"keygen", "--alg", "dir", "--out", fresh_path("k")}),
               usage_line("keygen", "--alg dir needs --enc ENC"));
  check_exit_2(run_jot({"keygen", "--alg", "RSA-OAEP-256", "--out", fresh_path("k")}),
               usage_line("keygen",
                          "an RSA, EC or X25519 encryption key is written as a JWK: --format jwk"));
}
