// jot verify's keys: which files serve which algorithms, the key errors (exit 2, before the
// token is even read), and how several keys and algorithms share one verifier.

#include <memory>
#include <string>
#include <vector>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "cli_support.hpp"

using namespace jot_cli_test;

namespace {

struct bio_deleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct pkey_deleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct x509_deleter {
  void operator()(X509* certificate) const { X509_free(certificate); }
};

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(size));
}

// A 1024-bit RSA public key: below RFC 7518 §3.3's 2048-bit floor.
std::string weak_rsa_public_pem() {
  std::unique_ptr<EVP_PKEY, pkey_deleter> key(
      EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(1024)));
  REQUIRE(key);
  std::unique_ptr<BIO, bio_deleter> bio(BIO_new(BIO_s_mem()));
  REQUIRE(PEM_write_bio_PUBKEY(bio.get(), key.get()) == 1);
  return bio_text(bio.get());
}

// A self-signed certificate for the key in `private_pem`.
std::string certificate_pem(const std::string& private_pem) {
  std::unique_ptr<BIO, bio_deleter> in(
      BIO_new_mem_buf(private_pem.data(), static_cast<int>(private_pem.size())));
  std::unique_ptr<EVP_PKEY, pkey_deleter> key(
      PEM_read_bio_PrivateKey(in.get(), nullptr, nullptr, nullptr));
  REQUIRE(key);
  std::unique_ptr<X509, x509_deleter> certificate(X509_new());
  REQUIRE(X509_set_version(certificate.get(), X509_VERSION_3) == 1);
  ASN1_INTEGER_set(X509_get_serialNumber(certificate.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(certificate.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(certificate.get()), 3600);
  X509_NAME* subject = X509_get_subject_name(certificate.get());
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("jot cli test"), -1, -1, 0);
  REQUIRE(X509_set_issuer_name(certificate.get(), subject) == 1);
  REQUIRE(X509_set_pubkey(certificate.get(), key.get()) == 1);
  REQUIRE(X509_sign(certificate.get(), key.get(), EVP_sha256()) > 0);
  std::unique_ptr<BIO, bio_deleter> out(BIO_new(BIO_s_mem()));
  REQUIRE(PEM_write_bio_X509(out.get(), certificate.get()) == 1);
  return bio_text(out.get());
}

// `jot sign` of the default claims on the fixed clock; returns the token without its newline.
std::string jot_sign(std::vector<std::string> options) {
  std::vector<std::string> args = {"sign", "--now", at(now), "--claim", "sub=alice"};
  args.insert(args.end(), options.begin(), options.end());
  const process_result r = run_jot(args);
  INFO("jot sign: " << r.err);
  REQUIRE(r.status == 0);
  return first_line(r.out);
}

process_result jot_verify(std::vector<std::string> options, const std::string& token) {
  std::vector<std::string> args = {"verify", "--now", at(now)};
  args.insert(args.end(), options.begin(), options.end());
  args.push_back(token);
  return run_jot(args);
}

const std::string signed_payload = R"({"exp":1700000900,"iat":1700000000,"sub":"alice"})"
                                   "\n";

}  // namespace

TEST_CASE("a weak HMAC secret is a key error, exit 2", "[keys]") {
  const std::string secret = write_file("weak.secret", "sixteen-bytes-ok");
  check_exit_2(jot_verify({"--alg", "HS256", "--secret-file", secret}, "a.b.c"),
               key_error_line(jot::errc::weak_key, "--secret-file " + secret));
}

TEST_CASE("a public key given as an HMAC secret is refused as public_key_as_secret", "[keys]") {
  const key_files& rsa = generated_key("RS256", "pem");
  check_exit_2(jot_verify({"--alg", "HS256", "--secret-file", rsa.public_key}, "a.b.c"),
               key_error_line(jot::errc::public_key_as_secret, "--secret-file " + rsa.public_key));
  const key_files& ec_jwk = generated_key("ES256", "jwk");
  check_exit_2(
      jot_verify({"--alg", "HS256", "--secret-file", ec_jwk.public_key}, "a.b.c"),
      key_error_line(jot::errc::public_key_as_secret, "--secret-file " + ec_jwk.public_key));
}

TEST_CASE("an EC P-384 key with --alg ES256 is a curve mismatch, exit 2", "[keys]") {
  const key_files& p384 = generated_key("ES384", "pem");
  check_exit_2(jot_verify({"--alg", "ES256", "--key", p384.public_key}, "a.b.c"),
               key_error_line(jot::errc::curve_mismatch, "--key " + p384.public_key));
  // With RS256 allowed too, the curve is still the most telling reason.
  check_exit_2(jot_verify({"--alg", "RS256,ES256", "--key", p384.public_key}, "a.b.c"),
               key_error_line(jot::errc::curve_mismatch, "--key " + p384.public_key));
}

TEST_CASE("a key of the wrong type for every --alg is a key type mismatch", "[keys]") {
  const key_files& rsa = generated_key("RS256", "pem");
  check_exit_2(jot_verify({"--alg", "ES256", "--key", rsa.public_key}, "a.b.c"),
               key_error_line(jot::errc::key_type_mismatch, "--key " + rsa.public_key));
  check_exit_2(jot_verify({"--alg", "HS256", "--key", rsa.public_key}, "a.b.c"),
               key_error_line(jot::errc::key_type_mismatch, "--key " + rsa.public_key,
                              "an HS algorithm takes --secret-file"));
  check_exit_2(jot_verify({"--alg", "RS256", "--secret-file", hs256_secret_file()}, "a.b.c"),
               key_error_line(jot::errc::key_type_mismatch, "--secret-file " + hs256_secret_file(),
                              "--secret-file holds an HMAC secret for HS256, HS384 or HS512"));
  const key_files& ed448 = generated_key("Ed448", "pem");
  check_exit_2(jot_verify({"--alg", "Ed25519", "--key", ed448.public_key}, "a.b.c"),
               key_error_line(jot::errc::curve_mismatch, "--key " + ed448.public_key));
}

TEST_CASE("an RSA key under 2048 bits is a weak key, exit 2", "[keys]") {
  const std::string path = write_file("rsa1024.pem", weak_rsa_public_pem());
  check_exit_2(jot_verify({"--alg", "RS256,PS256", "--key", path}, "a.b.c"),
               key_error_line(jot::errc::weak_key, "--key " + path));
}

TEST_CASE("unreadable, unparsable and unusable key files are exit 2", "[keys]") {
  const std::string missing = fresh_path("missing.pem");
  check_exit_2(jot_verify({"--alg", "RS256", "--key", missing}, "a.b.c"),
               "error: io: cannot read --key " + missing + ": No such file or directory\n");
  const std::string garbage = write_file("garbage.key", "this is not a key");
  check_exit_2(jot_verify({"--alg", "RS256", "--key", garbage}, "a.b.c"),
               key_error_line(jot::errc::invalid_key, "--key " + garbage,
                              "not a key in PEM, DER, JWK or JWKS form"));
  const std::string broken_json = write_file("broken.jwk", R"({"kty":"RSA","kty":"EC"})");
  check_exit_2(jot_verify({"--alg", "RS256", "--key", broken_json}, "a.b.c"),
               key_error_line(jot::errc::duplicate_member, "--key " + broken_json,
                              "not a valid JWK or JWKS"));
  json encryption_key = parse_json(read_file(generated_key("ES256", "jwk").public_key));
  encryption_key["use"] = "enc";
  const std::string enc = write_file("enc.jwk", encryption_key.dump());
  check_exit_2(jot_verify({"--alg", "ES256", "--key", enc}, "a.b.c"),
               key_error_line(jot::errc::key_use_mismatch, "--key " + enc));
  const std::string rsa_set = write_file(
      "rsa-only.jwks",
      json{{"keys", {parse_json(read_file(generated_key("RS256", "jwk").public_key))}}}.dump());
  check_exit_2(
      jot_verify({"--alg", "ES256", "--key", rsa_set}, "a.b.c"),
      key_error_line(jot::errc::no_keys, "--key " + rsa_set, "no key of the set is for ES256"));
}

TEST_CASE("verify reports usage errors before reading the token", "[keys]") {
  check_exit_2(run_jot({"verify", "--secret-file", hs256_secret_file(), "a.b.c"}),
               usage_line("verify", "--alg is required: name the algorithms to accept"));
  check_exit_2(run_jot({"verify", "--alg", "HS256", "a.b.c"}),
               usage_line("verify", "give at least one --key FILE or --secret-file FILE"));
  check_exit_2(run_jot({"verify", "--alg", "none", "--secret-file", hs256_secret_file(), "a.b.c"}),
               usage_line("verify",
                          "--alg takes HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, "
                          "PS512, ES256, ES384, ES512, ES256K, EdDSA, Ed25519 or Ed448"));
  check_exit_2(run_jot({"verify", "--alg", "HS256", "--secret-file", hs256_secret_file(),
                        "--leeway", "601", "a.b.c"}),
               usage_line("verify", "--leeway must be between 0 and 600"));
  check_exit_2(run_jot({"verify", "--alg", "HS256", "--secret-file", hs256_secret_file(), "--now",
                        "yesterday", "a.b.c"}),
               usage_line("verify", "--now needs a whole number of seconds"));
  check_exit_2(run_jot({"verify", "--alg", "HS256", "--secret-file", hs256_secret_file(), "--claim",
                        "=x", "a.b.c"}),
               usage_line("verify", "--claim needs NAME=VALUE"));
}

TEST_CASE("one RSA key with --alg RS256,PS256 verifies tokens of both algorithms", "[keys]") {
  const key_files& rsa = generated_key("RS256", "pem");
  const std::string rs256 = jot_sign({"--alg", "RS256", "--key", rsa.private_key});
  const std::string ps256 = jot_sign({"--alg", "PS256", "--key", rsa.private_key, "--kid", "k1"});
  const std::string rs384 = jot_sign({"--alg", "RS384", "--key", rsa.private_key});
  const std::vector<std::string> keys = {"--alg", "RS256,PS256", "--key", rsa.public_key};
  check_success(jot_verify(keys, rs256), signed_payload);
  check_success(jot_verify(keys, ps256), signed_payload);  // a single key accepts any kid
  check_rejected(jot_verify(keys, rs384), jot::errc::algorithm_not_allowed);
  // A private key PEM and a certificate serve as verification keys too.
  check_success(jot_verify({"--alg", "RS256,PS256", "--key", rsa.private_key}, ps256),
                signed_payload);
  const key_files& ec = generated_key("ES256", "pem");
  const std::string certificate =
      write_file("es256.crt", certificate_pem(read_file(ec.private_key)));
  check_success(jot_verify({"--alg", "ES256", "--key", certificate},
                           jot_sign({"--alg", "ES256", "--key", ec.private_key})),
                signed_payload);
}

TEST_CASE("one 64-byte secret serves HS256, HS384 and HS512", "[keys]") {
  const std::string secret = generated_key("HS512", "pem").private_key;
  const std::vector<std::string> keys = {"--alg", "HS256,HS384,HS512", "--secret-file", secret};
  for (const char* alg : {"HS256", "HS384", "HS512"}) {
    INFO(alg);
    check_success(jot_verify(keys, jot_sign({"--alg", alg, "--secret-file", secret})),
                  signed_payload);
  }
}

TEST_CASE("with several keys without kid the signature picks the key, and a kid names nothing",
          "[keys]") {
  const key_files& first = generated_key("ES256", "pem");
  const std::string second_private = fresh_path("second-es256.pem");
  const std::string second_public = fresh_path("second-es256.public.pem");
  REQUIRE(
      run_jot({"keygen", "--alg", "ES256", "--out", second_private, "--public-out", second_public})
          .status == 0);
  const std::vector<std::string> keys = {"--alg",          "ES256", "--key",
                                         first.public_key, "--key", second_public};
  check_success(jot_verify(keys, jot_sign({"--alg", "ES256", "--key", second_private})),
                signed_payload);
  check_success(jot_verify(keys, jot_sign({"--alg", "ES256", "--key", first.private_key})),
                signed_payload);
  // No configured key has a kid, so the token's kid cannot name one of them: it is not used,
  // and the signature still decides.
  check_success(
      jot_verify(keys, jot_sign({"--alg", "ES256", "--key", second_private, "--kid", "2024-01"})),
      signed_payload);
  const std::string stranger_private = fresh_path("stranger-es256.pem");
  REQUIRE(run_jot({"keygen", "--alg", "ES256", "--out", stranger_private}).status == 0);
  check_rejected(
      jot_verify(keys, jot_sign({"--alg", "ES256", "--key", stranger_private, "--kid", "2024-01"})),
      jot::errc::invalid_signature);
}

TEST_CASE("JWK files with kids are chosen by the token's kid, and two with one kid clash",
          "[keys]") {
  std::vector<std::string> private_keys, public_keys;
  for (const char* kid : {"key-1", "key-2"}) {
    private_keys.push_back(fresh_path(std::string(kid) + ".jwk"));
    public_keys.push_back(fresh_path(std::string(kid) + ".public.jwk"));
    REQUIRE(run_jot({"keygen", "--alg", "ES256", "--format", "jwk", "--kid", kid, "--out",
                     private_keys.back(), "--public-out", public_keys.back()})
                .status == 0);
  }
  const std::vector<std::string> keys = {"--alg",        "ES256", "--key",
                                         public_keys[0], "--key", public_keys[1]};
  const std::string by_key_2 = jot_sign({"--alg", "ES256", "--key", private_keys[1]});
  CHECK(decoded_header(by_key_2) == json{{"alg", "ES256"}, {"kid", "key-2"}, {"typ", "JWT"}});
  check_success(jot_verify(keys, by_key_2), signed_payload);
  check_rejected(
      jot_verify(keys, jot_sign({"--alg", "ES256", "--key", private_keys[0], "--kid", "key-2"})),
      jot::errc::invalid_signature);
  check_rejected(
      jot_verify(keys, jot_sign({"--alg", "ES256", "--key", private_keys[0], "--kid", "key-3"})),
      jot::errc::unknown_key_id);
  check_exit_2(
      jot_verify({"--alg", "ES256", "--key", public_keys[0], "--key", public_keys[0]}, by_key_2),
      key_error_line(jot::errc::duplicate_key_id, "--key " + public_keys[0],
                     "the same kid as --key " + public_keys[0]));
}
