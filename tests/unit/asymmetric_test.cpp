#include <string>
#include <vector>

#include <openssl/hmac.h>

#include "catch.hpp"
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
  return jot::claims_builder{}.subject("user-1").expires_in(5min).build().value();
}

jot::signing_key signing(algorithm alg) {
  return jot::signing_key::from_pem(alg,
                                    jot_test::private_pem(jot_test::test_key(fitting_kind(alg))))
      .value();
}

jot::verifier verifier_for(const jot::verification_key& key) {
  return jot::verifier_builder{}.add_key(key).build().value();
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
    CHECK(jot::unverified::decode_without_verifying(token).value().header["alg"] ==
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
  auto both = jot::verifier_builder{}
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
  std::string forged = jot::base64url_encode(R"({"alg":"HS256"})") + "." +
                       jot::base64url_encode(some_claims().json().dump());
  // jot itself refuses to make that MAC key; compute it with raw OpenSSL instead.
  unsigned char mac[32];
  unsigned int mac_size = 0;
  HMAC(EVP_sha256(), pem.data(), static_cast<int>(pem.size()),
       reinterpret_cast<const unsigned char*>(forged.data()), forged.size(), mac, &mac_size);
  forged += "." + jot::base64url_encode(std::string(reinterpret_cast<char*>(mac), mac_size));
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
