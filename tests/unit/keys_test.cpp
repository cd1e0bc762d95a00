#include <atomic>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include <openssl/encoder.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "catch.hpp"
#include "pem_support.hpp"
#include "unit_support.hpp"

#include <jot/jot.hpp>

TEST_CASE("an HMAC secret shorter than the hash output is a weak key", "[keys]") {
  // RFC 7518 §3.2: a key of the same size as the hash output or larger MUST be used.
  struct row {
    jot::algorithm alg;
    std::size_t minimum;
  };
  const row rows[] = {
      {jot::algorithm::hs256, 32}, {jot::algorithm::hs384, 48}, {jot::algorithm::hs512, 64}};
  for (const auto& r : rows) {
    INFO(jot::algorithm_name(r.alg));
    CHECK(jot::signing_key::hmac(r.alg, jot_test::fixed_secret(r.minimum - 1)).error() ==
          jot::errc::weak_key);
    CHECK(jot::verification_key::hmac(r.alg, jot_test::fixed_secret(r.minimum - 1)).error() ==
          jot::errc::weak_key);
    CHECK(jot::signing_key::hmac(r.alg, jot::secret_bytes()).error() == jot::errc::weak_key);
    auto key = jot::signing_key::hmac(r.alg, jot_test::fixed_secret(r.minimum));
    REQUIRE(key);
    CHECK(key->alg() == r.alg);
    CHECK(key->verification_key().value().alg() == r.alg);
  }
}

TEST_CASE("a public key can never become an HMAC secret", "[keys][confusion]") {
  // RFC 8725 §2.1: with the public key as the HMAC secret anyone could forge tokens.
  EVP_PKEY* rsa = jot_test::test_key("rsa2048");
  EVP_PKEY* ec = jot_test::test_key("p256");
  EVP_PKEY* ed = jot_test::test_key("ed25519");
  const auto encode_public = [](EVP_PKEY* key, const char* format, const char* structure) {
    return jot_test::encode_key(key, EVP_PKEY_PUBLIC_KEY, format, structure);
  };
  const std::string disguised[] = {
      encode_public(rsa, "PEM", "SubjectPublicKeyInfo"),
      encode_public(rsa, "PEM", "type-specific"),  // -----BEGIN RSA PUBLIC KEY-----
      encode_public(rsa, "DER", "SubjectPublicKeyInfo"),
      encode_public(rsa, "DER", "type-specific"),  // PKCS#1 RSAPublicKey
      encode_public(ec, "PEM", "SubjectPublicKeyInfo"),
      encode_public(ec, "DER", "SubjectPublicKeyInfo"),
      encode_public(ed, "DER", "SubjectPublicKeyInfo") + std::string(20, '\0'),
      jot_test::certificate(rsa, false),
      "\n  " + encode_public(ec, "PEM", "SubjectPublicKeyInfo"),
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAsecretlookingbutpublicAAAAAAAAAAAAAA user@host",
      "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7publickeymaterialpublickeymaterial user@host",
      "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBA== x",
      R"({"kty":"RSA","n":"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp","e":"AQAB"})",
  };
  for (const auto& bytes : disguised) {
    INFO(bytes.substr(0, 30));
    CHECK(jot::signing_key::hs256(jot::secret_bytes(bytes)).error() ==
          jot::errc::public_key_as_secret);
    CHECK(jot::verification_key::hs512(jot::secret_bytes(bytes + std::string(64, 'x'))).error() ==
          jot::errc::public_key_as_secret);
  }
}

namespace {

std::string standard_base64(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int size = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                   reinterpret_cast<const unsigned char*>(bytes.data()),
                                   static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(size));
  return out;
}

// base64url with the padding standard base64 would have.
std::string padded_base64url(const std::string& bytes) {
  std::string out = jot::base64url_encode(bytes);
  out.append((4 - out.size() % 4) % 4, '=');
  return out;
}

std::string wrapped(const std::string& text, std::size_t width) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += width) out += text.substr(i, width) + "\n";
  return out;
}

}  // namespace

TEST_CASE("public keys as bare base64 or base64url text are refused as HMAC secrets",
          "[keys][confusion]") {
  EVP_PKEY* rsa = jot_test::test_key("rsa2048");
  EVP_PKEY* ec = jot_test::test_key("p256");
  EVP_PKEY* ed = jot_test::test_key("ed25519");
  EVP_PKEY* ed448 = jot_test::test_key("ed448");
  const auto spki = [](EVP_PKEY* key) {
    return jot_test::encode_key(key, EVP_PKEY_PUBLIC_KEY, "DER", "SubjectPublicKeyInfo");
  };
  const std::string pkcs1 = jot_test::encode_key(rsa, EVP_PKEY_PUBLIC_KEY, "DER", "type-specific");
  const std::string certificate = jot_test::certificate(rsa, false);
  REQUIRE(standard_base64(spki(ed)).size() == 60);  // under the old 64-character threshold
  const struct {
    const char* name;
    std::string text;
  } forms[] = {
      {"Ed25519 SPKI, base64", standard_base64(spki(ed))},
      {"Ed25519 SPKI, base64 and a newline", standard_base64(spki(ed)) + "\n"},
      {"Ed25519 SPKI, base64url", jot::base64url_encode(spki(ed))},
      {"Ed448 SPKI, base64", standard_base64(spki(ed448))},
      {"RSA SPKI, base64url", jot::base64url_encode(spki(rsa))},
      {"RSA SPKI, base64url with padding", padded_base64url(spki(rsa))},
      {"RSA SPKI, base64url and a newline", jot::base64url_encode(spki(rsa)) + "\n"},
      {"RSA SPKI, base64url in 64-character lines", wrapped(jot::base64url_encode(spki(rsa)), 64)},
      {"RSA PKCS#1, base64url", jot::base64url_encode(pkcs1)},
      {"RSA PKCS#1, base64url with padding and a CRLF", padded_base64url(pkcs1) + "\r\n"},
      {"P-256 SPKI, base64url", jot::base64url_encode(spki(ec))},
      {"certificate, base64url", jot::base64url_encode(certificate)},
      {"certificate, base64url with padding and a newline", padded_base64url(certificate) + "\n"},
  };
  for (const auto& form : forms) {
    INFO(form.name);
    CHECK(jot::signing_key::hs256(jot::secret_bytes(form.text)).error() ==
          jot::errc::public_key_as_secret);
    CHECK(jot::verification_key::hs512(jot::secret_bytes(form.text)).error() ==
          jot::errc::public_key_as_secret);
  }
}

TEST_CASE("JWKs and JWK sets with escaped member names are refused as HMAC secrets",
          "[keys][confusion]") {
  const std::string x = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
  const std::string n = "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp";
  const std::string forms[] = {
      R"({"k\u0074y":"OKP","crv":"Ed25519","x":")" + x + R"("})",
      R"({"\u006b\u0074\u0079":"RSA","n":")" + n + R"(","e":"AQAB"})",
      R"({"k\u0065ys":[{"k\u0074y":"OKP","crv":"Ed25519","x":")" + x + R"("}]})",
      R"({"keys":[{"use":"sig","kt\u0079":"RSA","n":")" + n + R"(","e":"AQAB"}]})",
      R"([{"k\u0074y":"OKP","crv":"Ed25519","x":")" + x + R"("}])",
      // Pretty-printed, with the key member after a nested one.
      "{\n  \"use\": \"sig\",\n  \"key_ops\": [\"verify\"],\n  \"k\\u0074y\": \"OKP\",\n  \"x\": "
      "\"" +
          x + "\"\n}\n",
  };
  for (const auto& text : forms) {
    INFO(text);
    CHECK(jot::signing_key::hs256(jot::secret_bytes(text)).error() ==
          jot::errc::public_key_as_secret);
  }
  // JSON that is not a key stays a (strange but possible) secret.
  CHECK(jot::signing_key::hs256(
      jot::secret_bytes(R"({"note":"kty is only mentioned here","value":"0123456789abcdef"})")));
  CHECK(jot::signing_key::hs256(
      jot::secret_bytes(R"({"nested":{"kty":"RSA"},"padding":"0123456789abcdef0123"})")));
}

TEST_CASE("ordinary random secrets and passphrases are still accepted", "[keys][confusion]") {
  for (int i = 0; i < 200; ++i) {
    const auto secret = jot::generate_secret(64).value();
    const std::string bytes(secret.unsafe_bytes());
    INFO("round " << i);
    CHECK(jot::signing_key::hs512(secret.clone()));
    CHECK(jot::signing_key::hs512(jot::secret_bytes(jot::base64url_encode(bytes))));
    CHECK(jot::signing_key::hs512(jot::secret_bytes(standard_base64(bytes))));
    CHECK(jot::signing_key::hs256(jot::generate_secret(jot::algorithm::hs256).value()));
  }
  CHECK(jot::signing_key::hs256(jot::secret_bytes(
      "correct horse battery staple, then seven more words nobody will ever guess")));
  CHECK(jot::signing_key::hs256(
      jot::secret_bytes("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA is not a key at all")));
}

TEST_CASE("random secrets that start like DER are still accepted", "[keys]") {
  // 0x30 is the first byte of any DER SEQUENCE; a real secret may start with it.
  std::string bytes(64, '\x30');
  bytes[1] = '\x82';
  CHECK(jot::signing_key::hs256(jot::secret_bytes(bytes)));
}

TEST_CASE("a key id is attached to a copy and must not be empty", "[keys]") {
  auto key = jot_test::hs256_key();
  CHECK_FALSE(key.key_id());
  auto with_id = key.with_key_id("2026-11");
  REQUIRE(with_id);
  CHECK(*with_id->key_id() == "2026-11");
  CHECK(*with_id->verification_key().value().key_id() == "2026-11");
  CHECK_FALSE(key.key_id());
  CHECK(key.with_key_id("").error() == jot::errc::invalid_argument);
  CHECK(key.verification_key().value().with_key_id("").error() == jot::errc::invalid_argument);
}

TEST_CASE("an HMAC key rejects empty, truncated and extended MACs", "[keys]") {
  auto key = jot_test::hs256_key();
  const std::string input = "header.payload";
  const std::string mac = key.implementation().sign(input).value();
  REQUIRE(mac.size() == 32);
  const auto& check = key.verification_key().value().implementation();
  CHECK(check.verify(input, mac));
  CHECK(check.verify(input, "").error() == jot::errc::invalid_signature);
  CHECK(check.verify(input, mac.substr(0, 16)).error() == jot::errc::invalid_signature);
  CHECK(check.verify(input, mac + "x").error() == jot::errc::invalid_signature);
  CHECK(check.verify(input + "x", mac).error() == jot::errc::invalid_signature);
  std::string flipped = mac;
  flipped[31] ^= 1;
  CHECK(check.verify(input, flipped).error() == jot::errc::invalid_signature);
}

namespace {
std::string hex_of(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string hex;
  for (const char c : bytes) {
    hex.push_back(digits[static_cast<unsigned char>(c) >> 4]);
    hex.push_back(digits[static_cast<unsigned char>(c) & 0x0f]);
  }
  return hex;
}

// HMAC by OpenSSL's one-shot EVP_Q_mac, independently of jot's resumed digest states.
std::string openssl_hmac(jot::algorithm alg, std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  std::size_t size = 0;
  const char* digest = alg == jot::algorithm::hs256   ? "SHA256"
                       : alg == jot::algorithm::hs384 ? "SHA384"
                                                      : "SHA512";
  REQUIRE(EVP_Q_mac(nullptr, "HMAC", nullptr, digest, nullptr, key.data(), key.size(),
                    reinterpret_cast<const unsigned char*>(data.data()), data.size(), out,
                    sizeof out, &size) != nullptr);
  return std::string(reinterpret_cast<const char*>(out), size);
}
}  // namespace

TEST_CASE("HMAC keys sign RFC 4231's MACs, a key longer than the hash block hashed first",
          "[keys]") {
  // RFC 4231 §4.7 (test case 6): a 131-byte key, longer than every SHA-2 block (RFC 2104 §2).
  const std::string key(131, '\xaa');
  const std::string data = "Test Using Larger Than Block-Size Key - Hash Key First";
  struct row {
    jot::algorithm alg;
    const char* mac;
  };
  const row rows[] = {
      {jot::algorithm::hs256, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
      {jot::algorithm::hs384,
       "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163"
       "f44952"},
      {jot::algorithm::hs512,
       "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d"
       "6a1e5295e64f73f63f0aec8b915a985d786598"}};
  for (const auto& r : rows) {
    INFO(jot::algorithm_name(r.alg));
    const auto signing = jot::signing_key::hmac(r.alg, jot::secret_bytes(key)).value();
    CHECK(hex_of(signing.implementation().sign(data).value()) == r.mac);
  }
}

TEST_CASE("HMAC keys of every size around the hash block sign as OpenSSL's HMAC does", "[keys]") {
  // Keys shorter than, as long as and longer than the block (64 bytes for SHA-256, 128 for
  // SHA-384 and SHA-512), each signing inputs of several lengths, twice (the second time from
  // the key's pooled context).
  for (auto alg : {jot::algorithm::hs256, jot::algorithm::hs384, jot::algorithm::hs512}) {
    for (std::size_t size = jot::min_secret_size(alg); size <= 200; ++size) {
      INFO(jot::algorithm_name(alg) << " with a key of " << size << " bytes");
      std::string key(size, '\0');
      for (std::size_t i = 0; i < size; ++i) key[i] = static_cast<char>((i * 31 + 11) & 0xff);
      const auto signing = jot::signing_key::hmac(alg, jot::secret_bytes(key)).value();
      const auto& check = signing.verification_key().value().implementation();
      for (const std::string& data :
           {std::string(), std::string("header.payload"), std::string(300, 'x')}) {
        const std::string expected = openssl_hmac(alg, key, data);
        CHECK(signing.implementation().sign(data).value() == expected);
        CHECK(signing.implementation().sign(data).value() == expected);
        CHECK(check.verify(data, expected));
      }
    }
  }
}

namespace {
// An "HSM" stand-in: signs through a separate object holding the key and counts its calls.
class counting_signer final : public jot::signer {
 public:
  explicit counting_signer(jot::signing_key inner) : inner_(std::move(inner)) {}
  jot::algorithm alg() const noexcept override { return inner_.alg(); }
  jot::result<std::string> sign(std::string_view input) const override {
    ++calls;
    return inner_.implementation().sign(input);
  }
  mutable std::atomic<int> calls{0};

 private:
  jot::signing_key inner_;
};

class hs384_rejecting_verifier final : public jot::signature_verifier {
 public:
  jot::algorithm alg() const noexcept override { return jot::algorithm::hs384; }
  jot::result<void> verify(std::string_view, std::string_view) const override {
    return jot::errc::invalid_signature;
  }
};
}  // namespace

TEST_CASE("a custom signer plugs into the encoder and its tokens verify", "[keys][signer]") {
  auto inner = jot_test::hs256_key();
  auto hsm = std::make_shared<counting_signer>(inner);
  auto key = jot::signing_key::from_signer(hsm);
  REQUIRE(key);
  CHECK(key->verification_key().error() == jot::errc::invalid_key);
  auto claims = jot::claims::builder{}.subject("s").expires_in(std::chrono::minutes(1)).build();
  auto token = jot::encoder{*key}.sign(*claims);
  REQUIRE(token);
  CHECK(hsm->calls == 1);
  auto verifier = jot::verifier::builder{}.add_key(*inner.verification_key()).build();
  CHECK(verifier->verify(*token));

  CHECK(jot::signing_key::from_signer(nullptr).error() == jot::errc::invalid_argument);
  // A verifier for another algorithm cannot be paired with the signer.
  CHECK(jot::signing_key::from_signer(hsm, std::make_shared<hs384_rejecting_verifier>()).error() ==
        jot::errc::invalid_argument);
}

#ifndef JOT_NO_EXCEPTIONS  // a backend that throws needs exceptions
namespace {
// An application-defined key whose backend throws: jot must turn that into an error code.
class throwing_backend final : public jot::signer, public jot::signature_verifier {
 public:
  jot::algorithm alg() const noexcept override { return jot::algorithm::hs256; }
  jot::result<std::string> sign(std::string_view) const override {
    throw std::runtime_error("KMS unreachable");
  }
  jot::result<void> verify(std::string_view, std::string_view) const override {
    throw std::runtime_error("verification service unreachable");
  }
};
}  // namespace

TEST_CASE("an exception from a custom signer or verifier becomes crypto_failure",
          "[keys][signer]") {
  auto backend = std::make_shared<throwing_backend>();
  auto signing = jot::signing_key::from_signer(backend, backend).value();
  auto claims = jot::claims::builder{}.expires_in(std::chrono::minutes(1)).build().value();
  CHECK(jot::encoder{signing}.sign(claims).error() == jot::errc::crypto_failure);

  const auto token =
      jot_test::sign_raw(R"({"alg":"HS256"})", R"({"exp":4102444800})", jot_test::hs256_key());
  auto verifier = jot::verifier::builder{}.add_key(signing.verification_key().value()).build();
  REQUIRE(verifier);
  CHECK(verifier->verify(token).error() == jot::errc::crypto_failure);
}
#endif

namespace {
// A remote verification service that is down: it can say neither yes nor no.
class unavailable_verifier final : public jot::signature_verifier {
 public:
  jot::algorithm alg() const noexcept override { return jot::algorithm::hs256; }
  jot::result<void> verify(std::string_view, std::string_view) const override {
    return jot::errc::crypto_failure;
  }
};
}  // namespace

TEST_CASE("without a kid, a key that cannot check the signature is not taken for a no",
          "[keys][signer]") {
  const auto known = jot_test::hs256_key();
  auto verifier =
      jot::verifier::builder{}
          .add_key(jot::verification_key::from_verifier(std::make_shared<unavailable_verifier>())
                       .value())
          .add_key(known.verification_key().value())
          .allow_missing_kid()
          .build();
  REQUIRE(verifier);
  const std::string payload = R"({"exp":4102444800})";
  // The other key says yes: the token is accepted.
  CHECK(verifier->verify(jot_test::sign_raw(R"({"alg":"HS256"})", payload, known)));
  // No key says yes and one could not answer: a retry may succeed, so not invalid_signature.
  const auto stranger = jot::signing_key::hs256(jot_test::fixed_secret(32, 'z')).value();
  CHECK(verifier->verify(jot_test::sign_raw(R"({"alg":"HS256"})", payload, stranger)).error() ==
        jot::errc::crypto_failure);
}
