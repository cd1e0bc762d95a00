#include <algorithm>
#include <string>
#include <vector>

#include <openssl/hmac.h>
#include <openssl/rsa.h>

#include "catch.hpp"
#include "edwards_points.hpp"
#include "pem_support.hpp"
#include "test_support.hpp"
#include "unit_support.hpp"

#include <jot/jot.hpp>
#include <jot/unverified.hpp>

using namespace std::chrono_literals;
using jot::algorithm;

namespace {

const algorithm asymmetric[] = {algorithm::rs256,  algorithm::rs384,   algorithm::rs512,
                                algorithm::ps256,  algorithm::ps384,   algorithm::ps512,
                                algorithm::es256,  algorithm::es384,   algorithm::es512,
                                algorithm::es256k, algorithm::ed25519, algorithm::ed448};

// The key kind that fits each algorithm.
std::string fitting_kind(algorithm alg) {
  if (jot::is_rsa(alg)) return "rsa2048";
  switch (alg) {
    case algorithm::es256:
      return "p256";
    case algorithm::es384:
      return "p384";
    case algorithm::es512:
      return "p521";
    case algorithm::es256k:
      return "secp256k1";
    case algorithm::ed25519:
      return "ed25519";
    default:
      return "ed448";
  }
}

jot::claims some_claims() {
  return jot::claims::builder{}.subject("user-1").expires_in(5min).build().value();
}

jot::signing_key signing(algorithm alg) {
  return jot::signing_key::from_pem(alg,
                                    jot_test::private_pem(jot_test::test_key(fitting_kind(alg))))
      .value();
}

jot::verifier verifier_for(const jot::verification_key& key) {
  return jot::verifier::builder{}.add_key(key).build().value();
}

std::string with_signature(const std::string& token, const std::string& signature) {
  return token.substr(0, token.rfind('.') + 1) + jot::base64url_encode(signature);
}

std::string signature_of(const std::string& token) {
  return jot::base64url_decode(token.substr(token.rfind('.') + 1)).value();
}

}  // namespace

TEST_CASE("every asymmetric algorithm signs and verifies with loaded and generated keys",
          "[asymmetric]") {
  for (algorithm alg : asymmetric) {
    INFO(jot::fully_specified_name(alg));
    EVP_PKEY* material = jot_test::test_key(fitting_kind(alg));
    auto key = signing(alg);
    auto token = jot::encoder{key}.sign(some_claims()).value();
    CHECK(jot::unverified::decode(token).value().header["alg"] ==
          std::string(jot::algorithm_name(alg)));
    auto from_public = jot::verification_key::from_pem(alg, jot_test::public_pem(material));
    REQUIRE(from_public);
    CHECK(verifier_for(*from_public).verify(token).value().alg() == alg);
    CHECK(verifier_for(key.verification_key().value()).verify(token));

    auto generated = jot::signing_key::generate(alg).value();
    auto other = jot::encoder{generated}.sign(some_claims()).value();
    CHECK(verifier_for(generated.verification_key().value()).verify(other));
    // A different key of the same algorithm does not verify it.
    CHECK(verifier_for(*from_public).verify(other).error() == jot::errc::invalid_signature);
  }
}

TEST_CASE("every algorithm refuses every key that does not fit it", "[asymmetric][matrix]") {
  const char* kinds[] = {"rsa1024", "rsa2048",   "p256",    "p384",
                         "p521",    "secp256k1", "ed25519", "ed448"};
  const auto expected = [](algorithm alg, const std::string& kind) -> std::error_code {
    const bool rsa_key = kind.rfind("rsa", 0) == 0;
    const bool ec_key = kind[0] == 'p' || kind == "secp256k1";
    if (jot::is_hmac(alg)) return jot::errc::key_type_mismatch;
    if (jot::is_rsa(alg)) {
      if (!rsa_key) return jot::errc::key_type_mismatch;
      return kind == "rsa1024" ? std::error_code(jot::errc::weak_key) : std::error_code();
    }
    if (jot::is_ecdsa(alg)) {
      if (!ec_key) return jot::errc::key_type_mismatch;
      return kind == fitting_kind(alg) ? std::error_code() : jot::errc::curve_mismatch;
    }
    if (rsa_key || ec_key) return jot::errc::key_type_mismatch;
    return kind == fitting_kind(alg) ? std::error_code() : jot::errc::curve_mismatch;
  };
  int checked = 0;
  for (algorithm alg : jot::all_algorithms) {
    for (const std::string kind : kinds) {
      INFO(jot::fully_specified_name(alg) << " with " << kind);
      EVP_PKEY* material = jot_test::test_key(kind);
      const auto want = expected(alg, kind);
      CHECK(jot::verification_key::from_pem(alg, jot_test::public_pem(material)).error() == want);
      CHECK(jot::signing_key::from_pem(alg, jot_test::private_pem(material)).error() == want);
      CHECK(jot::verification_key::from_der(
                alg,
                jot_test::encode_key(material, EVP_PKEY_PUBLIC_KEY, "DER", "SubjectPublicKeyInfo"))
                .error() == want);
      ++checked;
    }
  }
  CHECK(checked == 15 * 8);
}

TEST_CASE("keys load from every common PEM and DER form", "[asymmetric][pem]") {
  EVP_PKEY* rsa = jot_test::test_key("rsa2048");
  EVP_PKEY* ec = jot_test::test_key("p256");
  EVP_PKEY* ed = jot_test::test_key("ed25519");
  const auto pkcs1_public = jot_test::encode_key(rsa, EVP_PKEY_PUBLIC_KEY, "PEM", "type-specific");
  CHECK(pkcs1_public.find("BEGIN RSA PUBLIC KEY") != std::string::npos);
  CHECK(jot::verification_key::from_pem(algorithm::rs256, pkcs1_public));
  CHECK(jot::verification_key::from_der(
      algorithm::rs256, jot_test::encode_key(rsa, EVP_PKEY_PUBLIC_KEY, "DER", "type-specific")));
  for (auto [alg, key] : {std::pair{algorithm::ps256, rsa}, std::pair{algorithm::es256, ec},
                          std::pair{algorithm::ed25519, ed}}) {
    INFO(jot::fully_specified_name(alg));
    CHECK(jot::verification_key::from_pem(alg, jot_test::certificate(key, true)));
    CHECK(jot::verification_key::from_der(alg, jot_test::certificate(key, false)));
    // A private key PEM given for verification keeps only the public half.
    CHECK(jot::verification_key::from_pem(alg, jot_test::private_pem(key)));
  }
  const auto traditional_rsa = jot_test::encode_key(rsa, EVP_PKEY_KEYPAIR, "PEM", "type-specific");
  CHECK(traditional_rsa.find("BEGIN RSA PRIVATE KEY") != std::string::npos);
  CHECK(jot::signing_key::from_pem(algorithm::rs256, traditional_rsa));
  const auto traditional_ec = jot_test::encode_key(ec, EVP_PKEY_KEYPAIR, "PEM", "type-specific");
  CHECK(traditional_ec.find("BEGIN EC PRIVATE KEY") != std::string::npos);
  CHECK(jot::signing_key::from_pem(algorithm::es256, traditional_ec));
  CHECK(jot::signing_key::from_der(
      algorithm::es256, jot_test::encode_key(ec, EVP_PKEY_KEYPAIR, "DER", "PrivateKeyInfo")));
}

TEST_CASE("an encrypted private key needs its password and never prompts", "[asymmetric][pem]") {
  EVP_PKEY* ec = jot_test::test_key("p384");
  const auto pem =
      jot_test::encode_key(ec, EVP_PKEY_KEYPAIR, "PEM", "PrivateKeyInfo", "correct horse");
  CHECK(pem.find("BEGIN ENCRYPTED PRIVATE KEY") != std::string::npos);
  CHECK(jot::signing_key::from_pem(algorithm::es384, pem, "correct horse"));
  CHECK(jot::signing_key::from_pem(algorithm::es384, pem, "wrong").error() ==
        jot::errc::invalid_key);
  CHECK(jot::signing_key::from_pem(algorithm::es384, pem).error() == jot::errc::invalid_key);
}

TEST_CASE("garbage and public-only input cannot become keys", "[asymmetric][pem]") {
  for (const std::string& junk :
       {std::string(), std::string("not a key"),
        std::string("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"),
        std::string(300, '\x30')}) {
    CHECK(jot::verification_key::from_pem(algorithm::rs256, junk).error() ==
          jot::errc::invalid_key);
    CHECK(jot::verification_key::from_der(algorithm::es256, junk).error() ==
          jot::errc::invalid_key);
    CHECK(jot::signing_key::from_pem(algorithm::ed25519, junk).error() == jot::errc::invalid_key);
  }
  // A public key can verify but never sign.
  CHECK(
      jot::signing_key::from_pem(algorithm::es256, jot_test::public_pem(jot_test::test_key("p256")))
          .error() == jot::errc::invalid_key);
  CHECK(jot::signing_key::generate(algorithm::rs256, 1024).error() == jot::errc::invalid_argument);
}

TEST_CASE("signatures must have exactly the JWS length", "[asymmetric][encoding]") {
  for (algorithm alg : asymmetric) {
    INFO(jot::fully_specified_name(alg));
    auto key = signing(alg);
    const auto token = jot::encoder{key}.sign(some_claims()).value();
    const auto signature = signature_of(token);
    const std::size_t expected_size = jot::is_rsa(alg)          ? 256
                                      : alg == algorithm::es384 ? 96
                                      : alg == algorithm::es512 ? 132
                                      : alg == algorithm::ed448 ? 114
                                                                : 64;
    CHECK(signature.size() == expected_size);
    auto verifier = verifier_for(key.verification_key().value());
    for (const auto& bad :
         {std::string(), signature.substr(1), signature + std::string(1, '\0'),
          std::string(1, '\0') + signature, signature.substr(0, signature.size() - 1)}) {
      CHECK(verifier.verify(with_signature(token, bad)).error() == jot::errc::invalid_signature);
    }
  }
}

TEST_CASE("ECDSA accepts only R || S with 1 <= r, s < n", "[asymmetric][ecdsa]") {
  // P-256 group order n (SEC 2 §2.4.2).
  const std::string n =
      jot::base64url_decode("_____wAAAAD__________7zm-q2nF56E87nKwvxjJVE").value();
  REQUIRE(n.size() == 32);
  auto key = signing(algorithm::es256);
  auto verifier = verifier_for(key.verification_key().value());
  const auto token = jot::encoder{key}.sign(some_claims()).value();
  const auto signature = signature_of(token);
  const std::string zero(32, '\0');
  std::string one(32, '\0');
  one[31] = 1;
  const std::string r = signature.substr(0, 32), s = signature.substr(32);
  // The DER form of the same signature (what OpenSSL itself would accept).
  const auto der_integer = [](std::string v) {
    while (v.size() > 1 && v[0] == '\0') v.erase(0, 1);
    if (static_cast<unsigned char>(v[0]) & 0x80) v.insert(0, 1, '\0');
    return std::string{'\x02', static_cast<char>(v.size())} + v;
  };
  const std::string body = der_integer(r) + der_integer(s);
  const std::string der = std::string{'\x30', static_cast<char>(body.size())} + body;
  struct row {
    const char* name;
    std::string signature;
  };
  const row rows[] = {
      {"psychic r = s = 0 (CVE-2022-21449)", zero + zero},
      {"r = 0", zero + s},
      {"s = 0", r + zero},
      {"r = n", n + s},
      {"s = n", r + n},
      {"r = s = n", n + n},
      {"r = 1, s = 1", one + one},
      {"DER instead of R || S", der},
      {"zero-padded halves", std::string(1, '\0') + r + std::string(1, '\0') + s},
      {"swapped halves", s + r},
  };
  for (const auto& bad : rows) {
    INFO(bad.name);
    CHECK(verifier.verify(with_signature(token, bad.signature)).error() ==
          jot::errc::invalid_signature);
  }
  CHECK(verifier.verify(token));
}

TEST_CASE("EdDSA keys say their curve; both alg spellings verify", "[asymmetric][eddsa]") {
  auto ed25519 = signing(algorithm::ed25519).with_key_id("a").value();
  auto ed448 = signing(algorithm::ed448).with_key_id("b").value();
  auto both = jot::verifier::builder{}
                  .add_key(ed25519.verification_key().value())
                  .add_key(ed448.verification_key().value())
                  .build()
                  .value();
  const auto payload = some_claims().json().dump();
  const auto sign = [&payload](const std::string& header, const jot::signing_key& key) {
    return jot_test::sign_raw(header, payload, key);
  };
  CHECK(both.verify(sign(R"({"alg":"EdDSA","kid":"a"})", ed25519)).value().alg() ==
        algorithm::ed25519);
  CHECK(both.verify(sign(R"({"alg":"Ed25519","kid":"a"})", ed25519)).value().alg() ==
        algorithm::ed25519);
  CHECK(both.verify(sign(R"({"alg":"EdDSA","kid":"b"})", ed448)).value().alg() == algorithm::ed448);
  CHECK(both.verify(sign(R"({"alg":"Ed448","kid":"b"})", ed448)).value().alg() == algorithm::ed448);
  // The fully-specified name must match the key's curve; the kid cannot bridge them.
  CHECK(both.verify(sign(R"({"alg":"Ed448","kid":"a"})", ed25519)).error() ==
        jot::errc::key_algorithm_mismatch);
  CHECK(both.verify(sign(R"({"alg":"EdDSA","kid":"a"})", ed448)).error() ==
        jot::errc::invalid_signature);
  CHECK(both.verify(sign(R"({"alg":"eddsa","kid":"a"})", ed25519)).error() ==
        jot::errc::algorithm_not_allowed);
  CHECK(jot::algorithm_from_name("EdDSA") == std::nullopt);
  CHECK(jot::algorithm_from_name("Ed448") == algorithm::ed448);
}

TEST_CASE("a token signed with RS256 can never pass as HS256 with the public key",
          "[asymmetric][confusion]") {
  EVP_PKEY* rsa = jot_test::test_key("rsa2048");
  const auto pem = jot_test::public_pem(rsa);
  auto verifier = verifier_for(jot::verification_key::from_pem(algorithm::rs256, pem).value());
  // The attacker MACs with the public key bytes, the classic RS256 -> HS256 confusion.
  // jot itself refuses to make that MAC key; compute it with raw OpenSSL instead.
  const std::string forged = jot_test::sign_raw(
      R"({"alg":"HS256"})", some_claims().json().dump(), [&pem](std::string_view input) {
        unsigned char mac[32];
        unsigned int mac_size = 0;
        HMAC(EVP_sha256(), pem.data(), static_cast<int>(pem.size()),
             reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &mac_size);
        return std::string(reinterpret_cast<char*>(mac), mac_size);
      });
  CHECK(verifier.verify(forged).error() == jot::errc::algorithm_not_allowed);
  CHECK(jot::signing_key::hs256(jot::secret_bytes(pem)).error() == jot::errc::public_key_as_secret);
  CHECK(jot::verification_key::from_pem(algorithm::hs256, pem).error() ==
        jot::errc::key_type_mismatch);
}

TEST_CASE("a PS256 signature does not pass as RS256 and vice versa", "[asymmetric]") {
  EVP_PKEY* rsa = jot_test::test_key("rsa2048");
  auto rs = jot::signing_key::from_pem(algorithm::rs256, jot_test::private_pem(rsa)).value();
  auto ps = jot::signing_key::from_pem(algorithm::ps256, jot_test::private_pem(rsa)).value();
  const auto payload = some_claims().json().dump();
  // Same RSA key, the header claims the other padding.
  const auto pss_as_pkcs1 = jot_test::sign_raw(R"({"alg":"RS256"})", payload, ps);
  const auto pkcs1_as_pss = jot_test::sign_raw(R"({"alg":"PS256"})", payload, rs);
  CHECK(verifier_for(rs.verification_key().value()).verify(pss_as_pkcs1).error() ==
        jot::errc::invalid_signature);
  CHECK(verifier_for(ps.verification_key().value()).verify(pkcs1_as_pss).error() ==
        jot::errc::invalid_signature);
}

TEST_CASE("asymmetric keys export to PEM and load back", "[asymmetric][pem]") {
  for (algorithm alg : asymmetric) {
    INFO(jot::fully_specified_name(alg));
    auto key = jot::signing_key::generate(alg).value();
    auto private_pem = jot::unsafe_to_private_pem(key);
    auto public_pem = jot::to_public_pem(key);
    REQUIRE(private_pem);
    REQUIRE(public_pem);
    CHECK(private_pem->find("-----BEGIN PRIVATE KEY-----") == 0);
    CHECK(public_pem->find("-----BEGIN PUBLIC KEY-----") == 0);
    auto reloaded = jot::signing_key::from_pem(alg, *private_pem).value();
    auto token = jot::encoder{reloaded}.sign(some_claims()).value();
    CHECK(verifier_for(jot::verification_key::from_pem(alg, *public_pem).value()).verify(token));
    // The verification key exports the same public PEM.
    CHECK(jot::to_public_pem(key.verification_key().value()).value() == *public_pem);
  }
  auto hmac = jot::signing_key::generate(algorithm::hs256).value();
  CHECK(jot::unsafe_to_private_pem(hmac).error() == jot::errc::invalid_key);
  CHECK(jot::to_public_pem(hmac).error() == jot::errc::invalid_key);
}

// ---- Edwards keys of small order (RFC 8032 §5.1.7: [S]B = R + [k]A holds for R = identity,
// S = 0 whatever the message when A is the identity).

namespace {

std::string pem_of_der(const std::string& der, const char* label) {
  std::string body(4 * ((der.size() + 2) / 3) + 1, '\0');
  const int size = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(body.data()),
                                   reinterpret_cast<const unsigned char*>(der.data()),
                                   static_cast<int>(der.size()));
  body.resize(static_cast<std::size_t>(size));
  std::string pem = std::string("-----BEGIN ") + label + "-----\n";
  for (std::size_t i = 0; i < body.size(); i += 64) pem += body.substr(i, 64) + "\n";
  return pem + "-----END " + label + "-----\n";
}

jot_test::pkey raw_edwards_key(const jot_test::edwards_encoding& key) {
  return jot_test::pkey(EVP_PKEY_new_raw_public_key_ex(
      nullptr, key.ed448 ? "ED448" : "ED25519", nullptr,
      reinterpret_cast<const unsigned char*>(key.bytes.data()), key.bytes.size()));
}

}  // namespace

TEST_CASE("Edwards keys of small order or with y >= p are refused in every form",
          "[asymmetric][eddsa][small-order]") {
  const auto encodings = jot_test::refused_edwards_encodings();
  CHECK(encodings.size() == 2 * (8 + 5));
  for (const auto& key : encodings) {
    INFO(key.name);
    const algorithm alg = key.ed448 ? algorithm::ed448 : algorithm::ed25519;
    const nlohmann::json jwk = {{"kty", "OKP"},
                                {"crv", key.ed448 ? "Ed448" : "Ed25519"},
                                {"x", jot::base64url_encode(key.bytes)}};
    CHECK(jot::verification_key::from_jwk(jwk, alg).error() == jot::errc::invalid_key);
    const std::string der = jot_test::edwards_spki(key);
    CHECK(jot::verification_key::from_der(alg, der).error() == jot::errc::invalid_key);
    CHECK(jot::verification_key::from_pem(alg, pem_of_der(der, "PUBLIC KEY")).error() ==
          jot::errc::invalid_key);
    // In a certificate (signed by a genuine key: the subject key cannot sign).
    const auto subject = raw_edwards_key(key);
    REQUIRE(subject);
    EVP_PKEY* issuer = jot_test::test_key("ed25519");
    CHECK(jot::verification_key::from_der(
              alg, jot_test::certificate(subject.get(), false, "jot test", issuer))
              .error() == jot::errc::invalid_key);
    CHECK(jot::verification_key::from_pem(
              alg, jot_test::certificate(subject.get(), true, "jot test", issuer))
              .error() == jot::errc::invalid_key);
  }
  // An Ed448 encoding may set only the sign bit in its last octet (RFC 8032 §5.2.2).
  jot_test::edwards_encoding stray{"Ed448 stray bit in the last octet", true, {}};
  {
    EVP_PKEY* genuine = jot_test::test_key("ed448");
    std::size_t size = 57;
    stray.bytes.resize(size);
    REQUIRE(EVP_PKEY_get_raw_public_key(
                genuine, reinterpret_cast<unsigned char*>(stray.bytes.data()), &size) == 1);
    CHECK(jot::verification_key::from_der(algorithm::ed448, jot_test::edwards_spki(stray)));
    stray.bytes[56] = static_cast<char>(stray.bytes[56] | 0x01);
    CHECK(
        jot::verification_key::from_der(algorithm::ed448, jot_test::edwards_spki(stray)).error() ==
        jot::errc::invalid_key);
  }
  // Controls: genuine keys in the same forms, and private keys (whose public half is derived).
  for (const char* kind : {"ed25519", "ed448"}) {
    INFO(kind);
    const algorithm alg = std::string(kind) == "ed448" ? algorithm::ed448 : algorithm::ed25519;
    EVP_PKEY* genuine = jot_test::test_key(kind);
    CHECK(jot::verification_key::from_pem(alg, jot_test::public_pem(genuine)));
    CHECK(jot::verification_key::from_pem(alg, jot_test::certificate(genuine, true)));
    CHECK(jot::signing_key::from_pem(alg, jot_test::private_pem(genuine)));
  }
}

TEST_CASE("the identity key's forgery R = identity, S = 0 cannot reach a verifier",
          "[asymmetric][eddsa][small-order]") {
  const auto encodings = jot_test::refused_edwards_encodings();
  const auto identity = std::find_if(encodings.begin(), encodings.end(), [](const auto& e) {
    return e.name == "Ed25519 identity (0, 1), x positive";
  });
  REQUIRE(identity != encodings.end());
  const std::string input =
      jot_test::signing_input(R"({"alg":"EdDSA"})", some_claims().json().dump());
  const std::string forged_signature = identity->bytes + std::string(32, '\0');
  // The attack is real: OpenSSL verifies the forgery under the identity key, for any message.
  const auto key = raw_edwards_key(*identity);
  REQUIRE(key);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  REQUIRE(EVP_DigestVerifyInit_ex(ctx, nullptr, nullptr, nullptr, nullptr, key.get(), nullptr) ==
          1);
  CHECK(EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(forged_signature.data()),
                         forged_signature.size(),
                         reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1);
  EVP_MD_CTX_free(ctx);
  // jot refuses the key in every form, so no verifier can hold it.
  const nlohmann::json jwk = {
      {"kty", "OKP"}, {"crv", "Ed25519"}, {"x", jot::base64url_encode(identity->bytes)}};
  CHECK(jot::verification_key::from_jwk(jwk, algorithm::ed25519).error() == jot::errc::invalid_key);
  CHECK(jot::verification_key::from_der(algorithm::ed25519, jot_test::edwards_spki(*identity))
            .error() == jot::errc::invalid_key);
  auto jwks = jot::key_set::from_jwks(nlohmann::json{{"keys", nlohmann::json::array({jwk})}},
                                      algorithm::ed25519);
  CHECK(jwks.error() == jot::errc::invalid_key);
}

// ---- RSASSA-PSS keys (RFC 4055 §3.1, RFC 7518 §3.5).

namespace {

// An RSA-PSS key as `openssl genpkey -algorithm RSA-PSS` makes it; `digest` (with `mgf1` and
// `salt` when given) restricts it, empty leaves it unrestricted.
jot_test::pkey rsa_pss_key(const char* digest = "", const char* mgf1 = "", int salt = -1) {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA-PSS", nullptr);
  REQUIRE(ctx != nullptr);
  REQUIRE(EVP_PKEY_keygen_init(ctx) == 1);
  REQUIRE(EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, 2048) == 1);
  if (*digest != '\0') {
    REQUIRE(EVP_PKEY_CTX_set_rsa_pss_keygen_md_name(ctx, digest, nullptr) == 1);
  }
  if (*mgf1 != '\0') REQUIRE(EVP_PKEY_CTX_set_rsa_pss_keygen_mgf1_md_name(ctx, mgf1) == 1);
  if (salt >= 0) REQUIRE(EVP_PKEY_CTX_set_rsa_pss_keygen_saltlen(ctx, salt) == 1);
  EVP_PKEY* key = nullptr;
  REQUIRE(EVP_PKEY_generate(ctx, &key) == 1);
  EVP_PKEY_CTX_free(ctx);
  return jot_test::pkey(key);
}

}  // namespace

namespace {
// One row of the RSA-PSS tables: an OpenSSL key and the algorithm it is offered for.
struct pss_case {
  const char* name;
  EVP_PKEY* key;
  algorithm alg;
};
}  // namespace

TEST_CASE("RSA-PSS keys sign and verify PS* when their restrictions allow it",
          "[asymmetric][rsa-pss]") {
  const auto unrestricted = rsa_pss_key();
  const auto ps256_only = rsa_pss_key("SHA256", "SHA256", 32);
  const auto ps256_short_salt = rsa_pss_key("SHA256", "SHA256", 20);
  const auto ps512_only = rsa_pss_key("SHA512", "SHA512", 64);
  REQUIRE(jot_test::public_pem(unrestricted.get()).find("-----BEGIN PUBLIC KEY-----") == 0);
  const pss_case fitting[] = {
      {"unrestricted, PS256", unrestricted.get(), algorithm::ps256},
      {"unrestricted, PS384", unrestricted.get(), algorithm::ps384},
      {"unrestricted, PS512", unrestricted.get(), algorithm::ps512},
      {"SHA-256, MGF1 SHA-256, salt 32: PS256", ps256_only.get(), algorithm::ps256},
      {"SHA-256, MGF1 SHA-256, minimum salt 20: PS256", ps256_short_salt.get(), algorithm::ps256},
      {"SHA-512, MGF1 SHA-512, salt 64: PS512", ps512_only.get(), algorithm::ps512},
  };
  for (const auto& row : fitting) {
    INFO(row.name);
    auto signer = jot::signing_key::from_pem(row.alg, jot_test::private_pem(row.key));
    REQUIRE(signer);
    auto verifier = jot::verification_key::from_pem(row.alg, jot_test::public_pem(row.key));
    REQUIRE(verifier);
    CHECK(jot::verification_key::from_der(
        row.alg,
        jot_test::encode_key(row.key, EVP_PKEY_PUBLIC_KEY, "DER", "SubjectPublicKeyInfo")));
    const auto token = jot::encoder{*signer}.sign(some_claims()).value();
    CHECK(verifier_for(*verifier).verify(token).value().alg() == row.alg);
    // A JWK has no PSS form: the key exports as kty RSA, and that plain RSA key verifies tokens
    // the RSA-PSS key signed.
    const auto jwk = jot::to_public_jwk(*verifier).value();
    CHECK(jwk["kty"] == "RSA");
    const auto plain = jot::verification_key::from_jwk(jwk).value();
    CHECK(verifier_for(plain).verify(token).value().alg() == row.alg);
    CHECK(jot::unsafe_to_private_jwk(*signer).value()["kty"] == "RSA");
  }
}

TEST_CASE("RSA-PSS keys are refused for RS* and for a PS* their restrictions forbid",
          "[asymmetric][rsa-pss]") {
  const auto unrestricted = rsa_pss_key();
  const auto ps256_only = rsa_pss_key("SHA256", "SHA256", 32);
  const auto sha1_mgf1 = rsa_pss_key("SHA256", "SHA1", 32);
  const auto long_salt = rsa_pss_key("SHA256", "SHA256", 33);
  const pss_case refused[] = {
      {"unrestricted, RS256", unrestricted.get(), algorithm::rs256},
      {"unrestricted, RS512", unrestricted.get(), algorithm::rs512},
      {"SHA-256 only, RS256", ps256_only.get(), algorithm::rs256},
      {"SHA-256 only, PS384", ps256_only.get(), algorithm::ps384},
      {"SHA-256 only, PS512", ps256_only.get(), algorithm::ps512},
      {"MGF1 with SHA-1, PS256", sha1_mgf1.get(), algorithm::ps256},
      {"minimum salt 33, PS256", long_salt.get(), algorithm::ps256},
  };
  for (const auto& row : refused) {
    INFO(row.name);
    CHECK(jot::verification_key::from_pem(row.alg, jot_test::public_pem(row.key)).error() ==
          jot::errc::key_type_mismatch);
    CHECK(jot::signing_key::from_pem(row.alg, jot_test::private_pem(row.key)).error() ==
          jot::errc::key_type_mismatch);
  }
}
