// Fault injection: every OpenSSL call each jot operation makes is made to fail in turn (see
// openssl_faults.hpp). For each fault the operation must return the right errc, throw nothing,
// and work again once the fault is gone. Leaks on the error paths are caught by LeakSanitizer
// when this suite runs in the asan preset.
//
// The calls are not listed by hand: a clean run of the operation records which interposed calls
// it makes and how often, then each one (call n of function f) fails in a run of its own. So a
// new OpenSSL call in jot is covered as soon as it is interposed.
//
// The rule for the expected errc: when OpenSSL itself fails (allocation, context set-up, copying,
// computing, encoding) the operation reports errc::crypto_failure, because the input was fine
// and a retry may work. When the failing call is OpenSSL's verdict on the input (does it decode,
// is the point on the curve) the operation reports what a bad input gets, since jot cannot tell
// the two apart. The few rows where reading a member fails and jot carries on without it are
// listed with the operation, each with its reason.

#include <chrono>
#include <cstddef>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include <openssl/rsa.h>

#include "catch.hpp"
#include "fixed_keys.hpp"
#include "openssl_faults.hpp"
#include "pem_support.hpp"

#include <jot/jot.hpp>
#include <jot/jwe/detail/ecdh_es.hpp>

namespace {

using jot::algorithm;
using jot::errc;
using jot_fault::call;
using namespace std::chrono_literals;

// Outcomes are error codes; an empty one means the operation succeeds.

struct operation {
  std::string name;
  std::function<std::error_code()> run;
  std::error_code baseline = {};                // the outcome without a fault
  std::error_code verdict = errc::invalid_key;  // what a "no" from an OpenSSL verdict means here
  // Exceptions to the rule for this operation, by call and occurrence.
  std::function<std::optional<std::error_code>(call, std::size_t)> special = nullptr;
  // False for Ed25519 signing and verifying on libsodium (JOT_ED25519_BACKEND): they make no
  // OpenSSL call then, and the matrix checks that they make none.
  bool reaches_openssl = true;
};

template <typename T>
std::error_code outcome_of(const jot::result<T>& result) {
  return result.error();
}

std::string name_of(const std::error_code& code) { return jot::errc_name(code); }

// OpenSSL's verdicts on its input: a failure of these reads as "the input is bad".
bool is_verdict(call c) {
  switch (c) {
    case call::OSSL_DECODER_from_data:
    case call::PEM_read_bio_X509:
    case call::d2i_X509:
    case call::X509_get_pubkey:
    case call::EVP_PKEY_public_check:
    case call::EVP_PKEY_public_check_quick:
    case call::EVP_PKEY_pairwise_check:
    case call::EVP_PKEY_get_utf8_string_param:  // no group name: explicit curve parameters
    case call::EVP_PKEY_fromdata:
    case call::EVP_PKEY_new_raw_private_key_ex:
    case call::EVP_PKEY_new_raw_public_key_ex:
    // A negative result is also OpenSSL's answer to some invalid signatures (see
    // evp_signature.hpp), so jot reads every failure of it as "does not verify".
    case call::EVP_DigestVerify:
      return true;
    default:
      return false;
  }
}

std::error_code expected(const operation& op, call c, std::size_t nth) {
  if (op.special) {
    if (auto special = op.special(c, nth)) return *special;
  }
  if (is_verdict(c)) return op.verdict;
  return errc::crypto_failure;
}

// --- The operations ------------------------------------------------------------------------

const jot::claims& some_claims() {
  static const jot::claims claims =
      jot::claims::builder{}.subject("user-1").expires_in(10min).build().value();
  return claims;
}

std::string public_pem(algorithm alg) {
  return jot::to_public_pem(jot_test::fixed_keys().verifier(alg)).value();
}

// DER from PEM: the base64 body, read with the base64url decoder after mapping the alphabet.
std::string der_of(const std::string& pem) {
  std::string body;
  const auto start = pem.find('\n') + 1, end = pem.find("-----END");
  for (char c : pem.substr(start, end - start)) {
    if (c == '+')
      body.push_back('-');
    else if (c == '/')
      body.push_back('_');
    else if (c != '\n' && c != '=')
      body.push_back(c);
  }
  return jot::base64url_decode(body).value();
}

// Making an RSA private key reads e, n, d, then p, q, dp, dq, qi to check them against each other.
// A key given by d alone has no p; when reading p fails the key is taken for one, and d has been
// checked already: the key is made.
std::optional<std::error_code> rsa_private_creation(call c, std::size_t nth) {
  if (c == call::EVP_PKEY_get_bn_param && nth == 4) return std::error_code();
  return std::nullopt;
}

std::vector<operation> hmac_operations() {
  const auto& key = jot_test::fixed_keys().signer(algorithm::hs256);
  const auto token = jot::encoder{key}.sign(some_claims()).value();
  const auto verifier =
      jot::verifier::builder{}.add_key(key.verification_key().value()).build().value();
  const auto oct_jwk = jot::unsafe_to_private_jwk(key).value();
  // A DER SubjectPublicKeyInfo: public bytes that must never become an HMAC secret.
  const auto spki = der_of(public_pem(algorithm::es256));

  std::vector<operation> ops;
  ops.push_back(
      {"HS256 signs a token", [=] { return outcome_of(jot::encoder{key}.sign(some_claims())); }});
  ops.push_back({"HS256 verifies a token", [=] { return outcome_of(verifier.verify(token)); }});
  ops.push_back({"an HMAC key is made from a secret", [] {
                   return outcome_of(
                       jot::signing_key::hs256(jot::secret_bytes(std::string(32, 's'))));
                 }});
  ops.push_back({"an HS256 key is generated",
                 [] { return outcome_of(jot::signing_key::generate(algorithm::hs256)); }});
  ops.push_back({"a secret is generated", [] { return outcome_of(jot::generate_secret(64)); }});
  ops.push_back(
      {"an oct JWK is imported", [=] { return outcome_of(jot::signing_key::from_jwk(oct_jwk)); }});
  operation refused{"a DER public key is refused as an HMAC secret",
                    [=] { return outcome_of(jot::signing_key::hs256(jot::secret_bytes(spki))); },
                    errc::public_key_as_secret};
  refused.special = [](call c, std::size_t) -> std::optional<std::error_code> {
    // "Not a certificate" is true of this key, so that verdict changes nothing; the decoder's
    // "not a key" is believed, and the bytes then make an HMAC key like any others.
    if (c == call::d2i_X509) return std::error_code(errc::public_key_as_secret);
    if (c == call::OSSL_DECODER_from_data) return std::error_code();
    return std::nullopt;
  };
  ops.push_back(refused);
  return ops;
}

std::vector<operation> asymmetric_operations(algorithm alg) {
  const std::string label(jot::fully_specified_name(alg));
  // "an RS256 key", "a PS256 key": the article goes by the sound of the first letter.
  const std::string a_label =
      (std::string("AEFHILMNORSX").find(label.front()) != std::string::npos ? "an " : "a ") + label;
  const auto& key = jot_test::fixed_keys().signer(alg);
  const auto& verification = jot_test::fixed_keys().verifier(alg);
  const auto token = jot::encoder{key}.sign(some_claims()).value();
  const auto verifier = jot::verifier::builder{}.add_key(verification).build().value();
  const auto pem = public_pem(alg);
  const auto der = der_of(pem);
  const std::string private_pem = jot_test::fixed_pem(alg);
  const auto public_jwk = jot::to_public_jwk(verification).value();
  const auto private_jwk = jot::unsafe_to_private_jwk(key).value();
  const auto private_created = jot::is_rsa(alg) ? std::function(rsa_private_creation) : nullptr;

#ifdef JOT_ED25519_LIBSODIUM
  const bool signs_on_openssl = alg != algorithm::ed25519;
#else
  const bool signs_on_openssl = true;
#endif

  std::vector<operation> ops;
  ops.push_back({label + " signs a token",
                 [=] { return outcome_of(jot::encoder{key}.sign(some_claims())); },
                 {},
                 errc::invalid_key,
                 nullptr,
                 signs_on_openssl});
  ops.push_back({label + " verifies a token",
                 [=] { return outcome_of(verifier.verify(token)); },
                 {},
                 errc::invalid_signature,
                 nullptr,
                 signs_on_openssl});
  ops.push_back({a_label + " key is generated",
                 [=] { return outcome_of(jot::signing_key::generate(alg)); },
                 {},
                 errc::invalid_key,
                 private_created});
  ops.push_back({a_label + " public key is imported from PEM",
                 [=] { return outcome_of(jot::verification_key::from_pem(alg, pem)); }});
  ops.push_back({a_label + " public key is imported from DER",
                 [=] { return outcome_of(jot::verification_key::from_der(alg, der)); }});
  ops.push_back({a_label + " private key is imported from PEM",
                 [=] { return outcome_of(jot::signing_key::from_pem(alg, private_pem)); },
                 {},
                 errc::invalid_key,
                 private_created});
  ops.push_back({a_label + " public key is imported from a JWK",
                 [=] { return outcome_of(jot::verification_key::from_jwk(public_jwk)); }});
  ops.push_back({a_label + " private key is imported from a JWK",
                 [=] { return outcome_of(jot::signing_key::from_jwk(private_jwk)); },
                 {},
                 errc::invalid_key,
                 private_created});
  ops.push_back({a_label + " public JWK is exported",
                 [=] { return outcome_of(jot::to_public_jwk(verification)); }});
  operation private_export{a_label + " private JWK is exported",
                           [=] { return outcome_of(jot::unsafe_to_private_jwk(key)); }};
  if (jot::is_rsa(alg)) {
    // n, e and d come first, then p, q, dp, dq and qi. Without p the JWK is written with d
    // alone, which is a complete private JWK (RFC 7518 §6.3.2); without a later one it is not
    // written at all, as a JWK with some CRT members but not all would be invalid.
    private_export.special = [](call c, std::size_t nth) -> std::optional<std::error_code> {
      if ((c == call::EVP_PKEY_get_bn_param || c == call::BN_bn2binpad) && nth == 4) {
        return std::error_code();
      }
      return std::nullopt;
    };
  }
  ops.push_back(private_export);
  ops.push_back({a_label + " public PEM is exported",
                 [=] { return outcome_of(jot::to_public_pem(verification)); }});
  ops.push_back({a_label + " private PEM is exported",
                 [=] { return outcome_of(jot::unsafe_to_private_pem(key)); }});
  ops.push_back({a_label + " key's thumbprint is computed",
                 [=] { return outcome_of(jot::jwk_thumbprint(verification)); }});
  return ops;
}

std::vector<operation> composite_operations() {
  std::vector<operation> ops;
  const auto jwk = jot::to_public_jwk(jot_test::fixed_keys().verifier(algorithm::es256)).value();
  ops.push_back(
      {"a JWK's thumbprint is computed", [=] { return outcome_of(jot::jwk_thumbprint(jwk)); }});

  nlohmann::json keys = nlohmann::json::array();
  for (algorithm alg : {algorithm::rs256, algorithm::es256, algorithm::ed25519}) {
    keys.push_back(jot::to_public_jwk(jot_test::fixed_keys().verifier(alg)).value());
  }
  const std::string jwks = nlohmann::json{{"keys", keys}}.dump();
  ops.push_back({"a JWKS is imported",
                 [=] { return outcome_of(jot::key_set::from_jwks(std::string_view(jwks))); }});

  const std::string certificate = jot_test::pem::p256_certificate_pem;
  operation from_certificate{
      "a certificate's key is imported",
      [=] { return outcome_of(jot::verification_key::from_pem(algorithm::es256, certificate)); }};
  from_certificate.special = [](call c, std::size_t nth) -> std::optional<std::error_code> {
    // The first decoder looks for a bare public key and says no: that verdict failing changes
    // nothing.
    if (c == call::OSSL_DECODER_from_data && nth == 1) return std::error_code();
    return std::nullopt;
  };
  ops.push_back(from_certificate);

  // An RSASSA-PSS key restricted to PS256's parameters (RFC 4055 §3.1). OpenSSL leaves out the
  // restrictions that have their default value, so jot reads a member it cannot get as the
  // default: MGF1 with SHA-1 (which PS256 does not allow: key_type_mismatch, failing closed) and
  // a minimum salt of 20 (which PS256's 32 satisfies: the key is made).
  const std::string pss_pem = [] {
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA-PSS", nullptr);
    EVP_PKEY* key = nullptr;
    REQUIRE(ctx != nullptr);
    REQUIRE(EVP_PKEY_keygen_init(ctx) == 1);
    REQUIRE(EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, 2048) == 1);
    REQUIRE(EVP_PKEY_CTX_set_rsa_pss_keygen_md_name(ctx, "SHA256", nullptr) == 1);
    REQUIRE(EVP_PKEY_CTX_set_rsa_pss_keygen_mgf1_md_name(ctx, "SHA256") == 1);
    REQUIRE(EVP_PKEY_CTX_set_rsa_pss_keygen_saltlen(ctx, 32) == 1);
    REQUIRE(EVP_PKEY_generate(ctx, &key) == 1);
    EVP_PKEY_CTX_free(ctx);
    const std::string pem =
        jot_test::encode_key(key, EVP_PKEY_PUBLIC_KEY, "PEM", "SubjectPublicKeyInfo");
    EVP_PKEY_free(key);
    return pem;
  }();
  operation from_pss{
      "a restricted RSA-PSS public key is imported for PS256",
      [=] { return outcome_of(jot::verification_key::from_pem(algorithm::ps256, pss_pem)); }};
  from_pss.special = [](call c, std::size_t) -> std::optional<std::error_code> {
    if (c == call::EVP_PKEY_get_utf8_string_param) {
      return std::error_code(errc::key_type_mismatch);
    }
    if (c == call::EVP_PKEY_get_int_param) return std::error_code();
    return std::nullopt;
  };
  ops.push_back(from_pss);

  // Two keys, no kid in the token, allow_missing_kid: the verifier tries the ES256 key.
  const auto signer = jot::signing_key::from_pem(algorithm::es256, jot_test::pem::p256_pem).value();
  const auto token = jot::encoder{signer}.sign(some_claims()).value();
  const auto verifier = jot::verifier::builder{}
                            .add_key(jot_test::fixed_keys().verifier(algorithm::es256))
                            .add_key(jot_test::fixed_keys().verifier(algorithm::rs256))
                            .allow_missing_kid()
                            .build()
                            .value();
  ops.push_back({"a token without kid is verified among several keys",
                 [=] { return outcome_of(verifier.verify(token)); },
                 {},
                 errc::invalid_signature});
  return ops;
}

// ECDH-ES (jot/jwe/detail/ecdh_es.hpp) on every curve, sender and recipient, and the Concat KDF.
// The recipient's verdict on a bad epk is invalid_ephemeral_key. Reading a configured key's group
// name is the verdict "explicit curve parameters" (curve_mismatch), as for signing keys.
std::vector<operation> ecdh_operations() {
  namespace ecdh = jot::jwe::detail;
  std::vector<operation> ops;
  const auto group_name = [](call c, std::size_t) -> std::optional<std::error_code> {
    if (c == call::EVP_PKEY_get_utf8_string_param) return std::error_code(errc::curve_mismatch);
    return std::nullopt;
  };
  for (const auto& curve : ecdh::agreement_curves) {
    const bool ec = curve.kty == "EC";
    const std::shared_ptr<EVP_PKEY> recipient(
        ec ? EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve.group)
           : EVP_PKEY_Q_keygen(nullptr, nullptr, curve.group),
        EVP_PKEY_free);
    REQUIRE(recipient);
    const auto epk = ecdh::agree_as_sender(recipient.get()).value().epk;
    const std::string crv(curve.crv);
    ops.push_back({"ECDH-ES on " + crv + ": the sender agrees",
                   [=] { return outcome_of(ecdh::agree_as_sender(recipient.get())); },
                   {},
                   errc::invalid_key,
                   group_name});
    ops.push_back({"ECDH-ES on " + crv + ": the recipient validates the epk and agrees",
                   [=] { return outcome_of(ecdh::agree_as_recipient(recipient.get(), epk)); },
                   {},
                   errc::invalid_ephemeral_key,
                   group_name});
  }
  const auto z = std::make_shared<const jot::secret_bytes>(std::string(32, 'z'));
  ops.push_back({"the Concat KDF derives a 512-bit key", [z] {
                   return outcome_of(ecdh::concat_kdf(*z, "A256CBC-HS512", 64, "Alice", "Bob"));
                 }});
  return ops;
}

const std::vector<operation>& all_operations() {
  static const std::vector<operation> ops = [] {
    std::vector<operation> out = hmac_operations();
    for (algorithm alg : {algorithm::rs256, algorithm::ps256, algorithm::es256, algorithm::es256k,
                          algorithm::ed25519, algorithm::ed448}) {
      for (auto& op : asymmetric_operations(alg)) out.push_back(std::move(op));
    }
    for (auto& op : composite_operations()) out.push_back(std::move(op));
    for (auto& op : ecdh_operations()) out.push_back(std::move(op));
    return out;
  }();
  return ops;
}

// --- The matrix ----------------------------------------------------------------------------

struct row {
  call c;
  std::size_t nth;
  std::error_code expect;
};

// The calls a clean run makes, one row per occurrence.
std::vector<row> record_rows(const operation& op) {
  jot_fault::reset_counts();
  const std::error_code clean = op.run();
  INFO(op.name);
  REQUIRE(name_of(clean) == name_of(op.baseline));
  const jot_fault::counts counts = jot_fault::current_counts();
  std::vector<row> rows;
  for (std::size_t i = 0; i < jot_fault::call_count; ++i) {
    const auto c = static_cast<call>(i);
    for (std::size_t nth = 1; nth <= counts[i]; ++nth)
      rows.push_back({c, nth, expected(op, c, nth)});
  }
  return rows;
}

// Runs `op` with the fault of `r` armed: the expected outcome, nothing thrown, and the operation
// works again once the fault is gone.
void check_row(const operation& op, const row& r) {
  INFO(op.name << ", when call " << r.nth << " of " << jot_fault::name(r.c) << " fails");
  jot_fault::arm(r.c, r.nth);
  std::error_code outcome;
  bool threw = false;
  try {
    outcome = op.run();
  } catch (...) {
    threw = true;
  }
  jot_fault::disarm();
  CHECK_FALSE(threw);
  CHECK(jot_fault::fired());
  CHECK(name_of(outcome) == name_of(r.expect));
  CHECK(name_of(op.run()) == name_of(op.baseline));
}

}  // namespace

TEST_CASE("every OpenSSL failure is reported with its errc and the operation recovers", "[fault]") {
  for (const auto& op : all_operations()) {
    const auto rows = record_rows(op);
    INFO(op.name);
    CHECK(rows.empty() == !op.reaches_openssl);  // OpenSSL is reached through interposed calls
    for (const auto& r : rows) check_row(op, r);
  }
}

// Lists the matrix: for each operation, each interposed call a clean run makes, and the outcome
// its failure must have. Hidden; run it with jot_fault_tests "[.matrix]" when adding an operation
// or an interposed function.
TEST_CASE("the fault matrix is listed", "[.matrix]") {
  for (const auto& op : all_operations()) {
    std::cout << op.name << "\n";
    for (const auto& r : record_rows(op)) {
      std::cout << "  " << jot_fault::name(r.c) << " #" << r.nth << " -> " << name_of(r.expect)
                << "\n";
    }
  }
}
