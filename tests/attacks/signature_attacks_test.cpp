// Signature encodings and checks: ATK-ECDSA-PSYCHIC, ATK-ECDSA-MALFORMED, ATK-RSA-SIGLEN,
// ATK-RSA-PKCS1-PARSE, ATK-EDDSA-MALLEABLE, ATK-EMPTY-SIG, ATK-TIMING and ATK-CANONICAL, and
// Edwards public keys of small order (ATK-KEY-IMPORT). Every signature here is a real one, made
// with raw OpenSSL, then bent into the shape under test, so that only jot's strictness about the
// JWS signature form (RFC 7518 §3.2 to §3.5, RFC 8037 §3.1) stands between the attacker and an
// accepted token.

#include <cstring>
#include <string>
#include <vector>

#include <openssl/crypto.h>

#include "attack_support.hpp"
#include "edwards_points.hpp"
#include "test_support.hpp"

using jot::algorithm;
using jot::errc;
using namespace jot_attack;

namespace {

// Big-endian arithmetic on signature halves, `width` bytes in and out.
std::string add_or_subtract(std::string_view a, std::string_view b, bool add, std::size_t width) {
  bn_ptr x(BN_bin2bn(bytes_of(a), static_cast<int>(a.size()), nullptr));
  bn_ptr y(BN_bin2bn(bytes_of(b), static_cast<int>(b.size()), nullptr));
  bn_ptr out(BN_new());
  REQUIRE((add ? BN_add(out.get(), x.get(), y.get()) : BN_sub(out.get(), x.get(), y.get())) == 1);
  REQUIRE(!BN_is_negative(out.get()));
  REQUIRE(static_cast<std::size_t>(BN_num_bytes(out.get())) <= width);
  std::string bytes(width, '\0');
  REQUIRE(BN_bn2binpad(out.get(), reinterpret_cast<unsigned char*>(bytes.data()),
                       static_cast<int>(width)) == static_cast<int>(width));
  return bytes;
}

std::string small_number(std::size_t width, unsigned char value) {
  std::string out(width, '\0');
  out.back() = static_cast<char>(value);
  return out;
}

// ---------------------------------------------------------------------------------------------
// ATK-ECDSA-PSYCHIC (CVE-2022-21449): r = s = 0 verifies every message under a verifier that
// skips the 1 <= r, s <= n-1 check (SEC 1 §4.1.4 step 1).
std::vector<attack_case> ecdsa_psychic_table() {
  std::vector<attack_case> cases;
  const std::string p = payload();
  const struct {
    algorithm alg;
    const char* kind;
  } curves[] = {{algorithm::es256, "p256"},
                {algorithm::es384, "p384"},
                {algorithm::es512, "p521"},
                {algorithm::es256k, "secp256k1"}};
  for (const auto& curve : curves) {
    EVP_PKEY* key = test_key(curve.kind);
    const auto verifier = verifier_for(public_key(curve.alg, key));
    const std::string name(jot::algorithm_name(curve.alg));
    const std::string input = signing_input(R"({"alg":")" + name + R"("})", p);
    cases.push_back(verify_case("control: a genuine " + name + " token", verifier,
                                input + "." + b64(sign_jws(key, curve.alg, input)), accepted));
    cases.push_back(verify_case(name + ": r = s = 0 in the JWS form", verifier,
                                input + "." + b64(std::string(2 * ec_width(key), '\0')),
                                errc::invalid_signature));
  }
  EVP_PKEY* p256 = test_key("p256");
  const auto es256 = verifier_for(public_key(algorithm::es256, p256));
  const std::string input = signing_input(R"({"alg":"ES256"})", p);
  // "MAYCAQACAQA": DER SEQUENCE { INTEGER 0, INTEGER 0 }, the form Java accepted.
  cases.push_back(verify_case("ES256: r = s = 0 in DER (MAYCAQACAQA)", es256,
                              input + ".MAYCAQACAQA", errc::invalid_signature));
  return cases;
}
JOT_ATTACK_TABLE("ATK-ECDSA-PSYCHIC", ecdsa_psychic_table,
                 "the all-zero psychic ECDSA signature is refused on every curve")

// OpenSSL 3 refuses r = 0 too, so the table above would pass without jot's own check; this pins
// the check itself, which keeps jot safe on a backend that forgets it (the CVE-2022-21449 case).
TEST_CASE("jot's own scalar check refuses r or s outside [1, n-1] before OpenSSL sees them",
          "[attacks][ATK-ECDSA-PSYCHIC]") {
  for (const char* kind : {"p256", "p384", "p521", "secp256k1"}) {
    INFO("curve " << kind);
    EVP_PKEY* key = test_key(kind);
    const std::size_t width = ec_width(key);
    const std::string n = ec_order(key);
    const auto in_range = [&](const std::string& value) {
      REQUIRE(value.size() == width);
      return jot::detail::in_scalar_range(bytes_of(value), bytes_of(n), width);
    };
    CHECK_FALSE(in_range(std::string(width, '\0')));
    CHECK_FALSE(in_range(n));
    CHECK_FALSE(in_range(add_or_subtract(n, small_number(width, 1), true, width)));
    CHECK_FALSE(in_range(std::string(width, '\xff')));
    CHECK(in_range(small_number(width, 1)));
    CHECK(in_range(add_or_subtract(n, small_number(width, 1), false, width)));
  }
}

// ---------------------------------------------------------------------------------------------
// ATK-ECDSA-MALFORMED: JWS ECDSA signatures are R || S, each exactly the coordinate size
// (RFC 7518 §3.4), with 1 <= r, s < n. DER, stripped or added zero octets, out-of-range halves
// and values congruent to a valid one modulo n are all refused. High-S is a documented decision:
// (r, n - s) is a valid ECDSA signature and JWS has no low-S rule, so it is accepted; a
// signature is therefore not a unique token id (use jti).

// A genuine ES256 token whose r starts with a zero octet (about 1 in 256 signatures), found
// once per run. Signers that strip it (vapor/jwt #104, ruby-jwt #155) emit 63 octets.
const std::string& es256_token_with_leading_zero_r() {
  static const std::string token = [] {
    EVP_PKEY* key = test_key("p256");
    const std::string input = signing_input(R"({"alg":"ES256"})", payload());
    for (int attempt = 0; attempt < 20000; ++attempt) {
      const std::string sig = sign_jws(key, algorithm::es256, input);
      if (sig[0] == '\0') return input + "." + b64(sig);
    }
    FAIL("no ES256 signature with a leading zero octet in r after 20000 tries");
    return std::string();
  }();
  return token;
}

std::vector<attack_case> ecdsa_malformed_table() {
  std::vector<attack_case> cases;
  EVP_PKEY* p256 = test_key("p256");
  const auto es256 = verifier_for(public_key(algorithm::es256, p256));
  const std::string input = signing_input(R"({"alg":"ES256","typ":"JWT"})", payload());
  const std::string der = sign_native(p256, algorithm::es256, input);
  const std::string raw = der_to_raw(der, 32);
  const std::string r = raw.substr(0, 32), s = raw.substr(32);
  const std::string n = ec_order(p256);
  const std::string zero(32, '\0'), one = small_number(32, 1);
  const std::string n_plus_1 = add_or_subtract(n, one, true, 32);
  const auto with = [&](const std::string& sig) { return input + "." + b64(sig); };
  const struct {
    const char* name;
    std::string signature;
    std::optional<errc> expected;
  } rows[] = {
      {"control: the genuine R || S", raw, accepted},
      {"DER instead of R || S (CVE-2020-14966 class)", der, errc::invalid_signature},
      {"truncated to 63 octets", raw.substr(0, 63), errc::invalid_signature},
      {"65 octets: a leading zero octet", std::string(1, '\0') + raw, errc::invalid_signature},
      {"65 octets: a trailing zero octet", raw + std::string(1, '\0'), errc::invalid_signature},
      {"66 octets: each half zero-padded to 33",
       std::string(1, '\0') + r + std::string(1, '\0') + s, errc::invalid_signature},
      {"r = 0", zero + s, errc::invalid_signature},
      {"s = 0", r + zero, errc::invalid_signature},
      {"r = n", n + s, errc::invalid_signature},
      {"s = n", r + n, errc::invalid_signature},
      {"r = n + 1", n_plus_1 + s, errc::invalid_signature},
      {"s = n + 1", r + n_plus_1, errc::invalid_signature},
      {"r = s = n", n + n, errc::invalid_signature},
      {"r = s = 1", one + one, errc::invalid_signature},
      {"r and s swapped", s + r, errc::invalid_signature},
      {"all 0xff (both halves above n)", std::string(64, '\xff'), errc::invalid_signature},
      {"empty", "", errc::invalid_signature},
      {"documented decision: high-S (r, n - s) is accepted", r + add_or_subtract(n, s, false, 32),
       accepted},
  };
  for (const auto& row : rows) {
    cases.push_back(
        verify_case(std::string("ES256: ") + row.name, es256, with(row.signature), row.expected));
  }
  const std::string& leading_zero = es256_token_with_leading_zero_r();
  cases.push_back(verify_case("control: a genuine signature whose r starts with a zero octet",
                              es256, leading_zero, accepted));
  const auto parts = segments_of(leading_zero);
  const std::string stripped = jot::base64url_decode(parts[2]).value().substr(1);
  cases.push_back(verify_case("the same signature with that zero octet stripped (63 octets)", es256,
                              parts[0] + "." + parts[1] + "." + b64(stripped),
                              errc::invalid_signature));

  // P-521: the halves are 66 octets (528 bits) and n has 521 bits, so s + n and r + n still fit.
  // They are congruent to the genuine values modulo n: a verifier that reduces first accepts them.
  EVP_PKEY* p521 = test_key("p521");
  const auto es512 = verifier_for(public_key(algorithm::es512, p521));
  const std::string input512 = signing_input(R"({"alg":"ES512"})", payload());
  const std::string raw512 = sign_jws(p521, algorithm::es512, input512);
  const std::string r512 = raw512.substr(0, 66), s512 = raw512.substr(66);
  const std::string n512 = ec_order(p521);
  cases.push_back(verify_case("control: a genuine ES512 signature", es512,
                              input512 + "." + b64(raw512), accepted));
  cases.push_back(verify_case("ES512: s + n, congruent to s", es512,
                              input512 + "." + b64(r512 + add_or_subtract(s512, n512, true, 66)),
                              errc::invalid_signature));
  cases.push_back(verify_case("ES512: r + n, congruent to r", es512,
                              input512 + "." + b64(add_or_subtract(r512, n512, true, 66) + s512),
                              errc::invalid_signature));
  cases.push_back(verify_case("ES512: DER instead of R || S", es512,
                              input512 + "." + b64(sign_native(p521, algorithm::es512, input512)),
                              errc::invalid_signature));
  return cases;
}
JOT_ATTACK_TABLE("ATK-ECDSA-MALFORMED", ecdsa_malformed_table,
                 "ECDSA signatures are accepted only as fixed-width R || S with r and s in range")

// ---------------------------------------------------------------------------------------------
// ATK-RSA-SIGLEN: an RSA signature is exactly k octets (RFC 8017 §8.2.2 step 1); libjwt read k
// bytes from a 3-octet buffer (libjwt #281). A genuine signature may start with a zero octet
// and must keep it.

// A genuine RS256 token whose signature starts with a zero octet, found once per run by varying
// jti (RSASSA-PKCS1-v1_5 is deterministic).
const std::string& rs256_token_with_leading_zero() {
  static const std::string token = [] {
    EVP_PKEY* key = test_key("rsa");
    for (int attempt = 0; attempt < 20000; ++attempt) {
      const std::string input = signing_input(
          R"({"alg":"RS256"})", payload({{"jti", "search-" + std::to_string(attempt)}}));
      const std::string sig = sign_jws(key, algorithm::rs256, input);
      if (sig[0] == '\0') return input + "." + b64(sig);
    }
    FAIL("no RS256 signature with a leading zero octet after 20000 tries");
    return std::string();
  }();
  return token;
}

std::vector<attack_case> rsa_signature_length_table() {
  std::vector<attack_case> cases;
  EVP_PKEY* rsa = test_key("rsa");
  const std::string modulus = big_endian(rsa, OSSL_PKEY_PARAM_RSA_N);
  REQUIRE(modulus.size() == 256);
  for (algorithm alg : {algorithm::rs256, algorithm::ps256}) {
    const std::string name(jot::algorithm_name(alg));
    const auto verifier = verifier_for(public_key(alg, rsa));
    const std::string input = signing_input(R"({"alg":")" + name + R"("})", payload());
    const std::string sig = sign_jws(rsa, alg, input);
    const struct {
      const char* label;
      std::string signature;
      std::optional<errc> expected;
    } rows[] = {
        {"control: the genuine 256 octets", sig, accepted},
        {"3 octets", sig.substr(0, 3), errc::invalid_signature},
        {"empty", "", errc::invalid_signature},
        {"255 octets (last one dropped)", sig.substr(0, 255), errc::invalid_signature},
        {"257 octets (a zero prepended)", std::string(1, '\0') + sig, errc::invalid_signature},
        {"257 octets (a zero appended)", sig + std::string(1, '\0'), errc::invalid_signature},
        {"512 octets (signature twice)", sig + sig, errc::invalid_signature},
        {"256 zero octets", std::string(256, '\0'), errc::invalid_signature},
        {"the modulus itself", modulus, errc::invalid_signature},
        {"the value 1", small_number(256, 1), errc::invalid_signature},
    };
    for (const auto& row : rows) {
      cases.push_back(verify_case(name + ": " + row.label, verifier,
                                  input + "." + b64(row.signature), row.expected));
    }
  }
  const auto rs256 = verifier_for(public_key(algorithm::rs256, rsa));
  const std::string& leading_zero = rs256_token_with_leading_zero();
  cases.push_back(verify_case("control: a genuine RS256 signature that starts with a zero octet",
                              rs256, leading_zero, accepted));
  const auto parts = segments_of(leading_zero);
  const std::string stripped = jot::base64url_decode(parts[2]).value().substr(1);
  cases.push_back(verify_case("the same signature with its zero octet stripped (255 octets)", rs256,
                              parts[0] + "." + parts[1] + "." + b64(stripped),
                              errc::invalid_signature));
  return cases;
}
JOT_ATTACK_TABLE("ATK-RSA-SIGLEN", rsa_signature_length_table,
                 "RSA signatures are accepted only at exactly the modulus length")

// ---------------------------------------------------------------------------------------------
// ATK-RSA-PKCS1-PARSE (Bleichenbacher 2006; node-forge CVE-2022-24771/24772/24773): a verifier
// that parses the recovered block instead of rebuilding it accepts garbage around the digest,
// which with e = 3 lets anyone forge. The key here has e = 3 (jot accepts it, see ATK-WEAK-KEY)
// and every block is genuinely RSA-signed with the private key, so each row is a real signature
// over a malformed EMSA-PKCS1-v1_5 encoding (RFC 8017 §9.2); only the control is well-formed.
std::vector<attack_case> rsa_pkcs1_parse_table() {
  EVP_PKEY* key = test_key("rsa-e3");
  const auto verifier = verifier_for(public_key(algorithm::rs256, key));
  const std::string input = signing_input(R"({"alg":"RS256"})", payload());
  unsigned char digest_bytes[32];
  REQUIRE(EVP_Digest(input.data(), input.size(), digest_bytes, nullptr, EVP_sha256(), nullptr) ==
          1);
  const std::string digest(reinterpret_cast<char*>(digest_bytes), 32);
  // DigestInfo prefixes (RFC 8017 §9.2 note 1).
  const std::string sha256_info(
      "\x30\x31\x30\x0d\x06\x09\x60\x86\x48\x01\x65\x03\x04\x02\x01"
      "\x05\x00\x04\x20",
      19);
  const std::string sha256_info_no_null(
      "\x30\x2f\x30\x0b\x06\x09\x60\x86\x48\x01\x65\x03\x04\x02\x01\x04\x20", 17);
  const std::string sha512_oid_info(
      "\x30\x31\x30\x0d\x06\x09\x60\x86\x48\x01\x65\x03\x04\x02\x03"
      "\x05\x00\x04\x20",
      19);
  const std::string long_form_info(
      "\x30\x81\x31\x30\x0d\x06\x09\x60\x86\x48\x01\x65\x03\x04\x02"
      "\x01\x05\x00\x04\x20",
      20);
  // 0x00 || type || padding || separator || body, to exactly 256 octets.
  const auto block = [](char type, std::string padding, std::string separator,
                        const std::string& body) {
    std::string out = std::string(1, '\0') + type + padding + separator + body;
    REQUIRE(out.size() == 256);
    return out;
  };
  const std::string zero(1, '\0');
  const std::string t = sha256_info + digest;  // 51 octets: padding of 202
  std::string odd_padding(202, '\xff');
  odd_padding[100] = '\xfe';
  std::string other_digest = digest;
  other_digest.back() = static_cast<char>(other_digest.back() ^ 0x01);
  const struct {
    const char* name;
    std::string em;
    std::optional<errc> expected;
  } rows[] = {
      {"control: the well-formed block", block('\x01', std::string(202, '\xff'), zero, t),
       accepted},
      // Wycheproof labels this "acceptable"; jot (OpenSSL 3 rebuilds and compares) rejects it.
      {"DigestInfo without the NULL parameter",
       block('\x01', std::string(204, '\xff'), zero, sha256_info_no_null + digest),
       errc::invalid_signature},
      {"4 octets of garbage after the digest (CVE-2022-24772)",
       block('\x01', std::string(198, '\xff'), zero, t + "GARB"), errc::invalid_signature},
      {"Bleichenbacher 2006: 8 octets of padding, then 194 octets of garbage",
       block('\x01', std::string(8, '\xff'), zero, t + std::string(194, '\x42')),
       errc::invalid_signature},
      {"a padding octet other than 0xff", block('\x01', odd_padding, zero, t),
       errc::invalid_signature},
      {"block type 2 (encryption padding)", block('\x02', std::string(202, '\x5a'), zero, t),
       errc::invalid_signature},
      {"block type 0", block('\x00', std::string(202, '\x00'), zero, t), errc::invalid_signature},
      {"no zero separator", block('\x01', std::string(203, '\xff'), "", t),
       errc::invalid_signature},
      {"the SHA-512 OID around a SHA-256 digest",
       block('\x01', std::string(202, '\xff'), zero, sha512_oid_info + digest),
       errc::invalid_signature},
      {"a BER long-form length in DigestInfo (CVE-2022-24771 class)",
       block('\x01', std::string(201, '\xff'), zero, long_form_info + digest),
       errc::invalid_signature},
      {"the digest of another message",
       block('\x01', std::string(202, '\xff'), zero, sha256_info + other_digest),
       errc::invalid_signature},
  };
  std::vector<attack_case> cases;
  for (const auto& row : rows) {
    cases.push_back(verify_case(std::string("RS256, e = 3: ") + row.name, verifier,
                                input + "." + b64(rsa_private_raw(key, row.em)), row.expected));
  }
  return cases;
}
JOT_ATTACK_TABLE("ATK-RSA-PKCS1-PARSE", rsa_pkcs1_parse_table,
                 "RSA signatures over malformed PKCS#1 v1.5 blocks are refused even with e = 3")

// An Ed25519 signature of `input` whose R is the identity (0, 1), made from the key's seed:
// S = k * a mod L, k = SHA-512(R || A || M), so that [S]B = R + [k]A holds (RFC 8032 §5.1.6-7).
// Only the key's holder can make one. OpenSSL 3 accepts it, libsodium 1.0.18 refuses an R of
// small order; jot refuses it on either backend.
std::string ed25519_identity_r_signature(EVP_PKEY* key, std::string_view input) {
  unsigned char seed[32], public_key[32];
  std::size_t seed_size = sizeof seed, public_size = sizeof public_key;
  REQUIRE(EVP_PKEY_get_raw_private_key(key, seed, &seed_size) == 1);
  REQUIRE(EVP_PKEY_get_raw_public_key(key, public_key, &public_size) == 1);
  unsigned char h[64];
  REQUIRE(EVP_Digest(seed, sizeof seed, h, nullptr, EVP_sha512(), nullptr) == 1);
  h[0] &= 248;  // the clamped scalar a (RFC 8032 §5.1.5 step 2)
  h[31] &= 127;
  h[31] |= 64;
  std::string r(32, '\0');
  r[0] = 1;  // y = 1, x positive: the identity
  const std::string hashed =
      r + std::string(reinterpret_cast<const char*>(public_key), 32) + std::string(input);
  unsigned char k[64];
  REQUIRE(EVP_Digest(hashed.data(), hashed.size(), k, nullptr, EVP_sha512(), nullptr) == 1);
  bn_ptr a(BN_lebin2bn(h, 32, nullptr)), k_number(BN_lebin2bn(k, 64, nullptr)), order(nullptr);
  BIGNUM* raw_order = nullptr;
  REQUIRE(BN_dec2bn(
              &raw_order,
              "7237005577332262213973186563042994240857116359379907606001950938285454250989") > 0);
  order.reset(raw_order);
  bn_ptr s(BN_new());
  std::unique_ptr<BN_CTX, decltype(&BN_CTX_free)> ctx(BN_CTX_new(), &BN_CTX_free);
  REQUIRE(BN_mod_mul(s.get(), k_number.get(), a.get(), order.get(), ctx.get()) == 1);
  std::string s_bytes(32, '\0');
  REQUIRE(BN_bn2lebinpad(s.get(), reinterpret_cast<unsigned char*>(s_bytes.data()), 32) == 32);
  OPENSSL_cleanse(h, sizeof h);
  OPENSSL_cleanse(seed, sizeof seed);
  return r + s_bytes;
}

// ---------------------------------------------------------------------------------------------
// ATK-EDDSA-MALLEABLE: an Ed25519 signature is R || S, 64 octets, with S < L (RFC 8032 §5.1.7);
// S + L is the same scalar modulo L and must be refused. R of small order is refused too, whatever
// the backend. Ed448 signatures are 114 octets.
std::vector<attack_case> eddsa_table() {
  std::vector<attack_case> cases;
  EVP_PKEY* ed25519 = test_key("ed25519");
  const auto verifier = verifier_for(public_key(algorithm::ed25519, ed25519));
  const std::string input = signing_input(R"({"alg":"EdDSA"})", payload());
  const std::string sig = sign_jws(ed25519, algorithm::ed25519, input);
  REQUIRE(sig.size() == 64);
  // L = 2^252 + 27742317777372353535851937790883648493, little-endian (RFC 8032 §5.1).
  const unsigned char group_order[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58,
                                         0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
                                         0,    0,    0,    0,    0,    0,    0,    0,
                                         0,    0,    0,    0,    0,    0,    0,    0x10};
  std::string s_plus_l = sig;
  unsigned carry = 0;
  for (std::size_t i = 0; i < 32; ++i) {
    const unsigned sum = static_cast<unsigned char>(sig[32 + i]) + group_order[i] + carry;
    s_plus_l[32 + i] = static_cast<char>(sum & 0xff);
    carry = sum >> 8;
  }
  REQUIRE(carry == 0);  // S < L < 2^253, so S + L < 2^256
  const std::string l_as_s =
      sig.substr(0, 32) + std::string(reinterpret_cast<const char*>(group_order), 32);
  const struct {
    const char* name;
    std::string signature;
    std::optional<errc> expected;
  } rows[] = {
      {"control: the genuine signature", sig, accepted},
      {"S + L (non-canonical, same scalar mod L)", s_plus_l, errc::invalid_signature},
      {"S = L", l_as_s, errc::invalid_signature},
      {"63 octets", sig.substr(0, 63), errc::invalid_signature},
      {"65 octets (a zero appended)", sig + std::string(1, '\0'), errc::invalid_signature},
      {"64 zero octets", std::string(64, '\0'), errc::invalid_signature},
      {"R and S swapped", sig.substr(32) + sig.substr(0, 32), errc::invalid_signature},
      {"R the identity, S = k * a (the equation holds)",
       ed25519_identity_r_signature(ed25519, input), errc::invalid_signature},
  };
  for (const auto& row : rows) {
    cases.push_back(verify_case(std::string("Ed25519: ") + row.name, verifier,
                                input + "." + b64(row.signature), row.expected));
  }
  cases.push_back(verify_case(
      "control: alg Ed25519 (RFC 9864) for the same key", verifier,
      signed_token(ed25519, algorithm::ed25519, R"({"alg":"Ed25519"})", payload()), accepted));
  EVP_PKEY* ed448 = test_key("ed448");
  const auto verifier448 = verifier_for(public_key(algorithm::ed448, ed448));
  const std::string sig448 = sign_jws(ed448, algorithm::ed448, input);
  REQUIRE(sig448.size() == 114);
  cases.push_back(verify_case("control: a genuine Ed448 signature", verifier448,
                              input + "." + b64(sig448), accepted));
  cases.push_back(verify_case("Ed448: 113 octets", verifier448, input + "." + b64(sig448.substr(1)),
                              errc::invalid_signature));
  cases.push_back(verify_case("Ed448: 115 octets", verifier448,
                              input + "." + b64(sig448 + std::string(1, '\0')),
                              errc::invalid_signature));
  return cases;
}
JOT_ATTACK_TABLE("ATK-EDDSA-MALLEABLE", eddsa_table,
                 "EdDSA signatures with a non-canonical S, an R of small order or the wrong "
                 "length are refused")

// ATK-KEY-IMPORT, Edwards keys of small order: an Edwards public key of small order makes [k]A take
// at most 8 values, so R = identity, S = 0 verifies any payload under the identity key (RFC 8032
// §5.1.7 does not forbid such keys, and OpenSSL imports them). Every such point, in every encoding,
// and every y >= p is refused when the key is made, as a JWK, an SPKI in DER and PEM, and in a
// JWKS.
std::vector<attack_case> eddsa_small_order_table() {
  std::vector<attack_case> cases;
  for (const auto& key : jot_test::refused_edwards_encodings()) {
    const algorithm alg = key.ed448 ? algorithm::ed448 : algorithm::ed25519;
    const json jwk = {
        {"kty", "OKP"}, {"crv", key.ed448 ? "Ed448" : "Ed25519"}, {"x", b64(key.bytes)}};
    const std::string der = jot_test::edwards_spki(key);
    const std::string body = standard_base64(der);
    std::string pem = "-----BEGIN PUBLIC KEY-----\n";
    for (std::size_t i = 0; i < body.size(); i += 64) pem += body.substr(i, 64) + "\n";
    pem += "-----END PUBLIC KEY-----\n";
    cases.push_back(call_case(
        key.name + " as a JWK", [jwk, alg] { return jot::verification_key::from_jwk(jwk, alg); },
        errc::invalid_key));
    cases.push_back(call_case(
        key.name + " as an SPKI (DER)",
        [der, alg] { return jot::verification_key::from_der(alg, der); }, errc::invalid_key));
    cases.push_back(call_case(
        key.name + " as an SPKI (PEM)",
        [pem, alg] { return jot::verification_key::from_pem(alg, pem); }, errc::invalid_key));
    const json jwks = {{"keys", json::array({jwk})}};
    cases.push_back(call_case(
        key.name + " in a JWKS", [jwks, alg] { return jot::key_set::from_jwks(jwks, alg); },
        errc::invalid_key));
  }
  for (const char* kind : {"ed25519", "ed448"}) {
    const algorithm alg = std::string(kind) == "ed448" ? algorithm::ed448 : algorithm::ed25519;
    const json jwk = public_jwk(test_key(kind));
    cases.push_back(call_case(
        std::string("control: a genuine ") + kind + " JWK",
        [jwk, alg] { return jot::verification_key::from_jwk(jwk, alg); }, accepted));
  }
  return cases;
}
JOT_ATTACK_TABLE("ATK-KEY-IMPORT", eddsa_small_order_table,
                 "Edwards keys of small order or with a non-canonical encoding cannot become keys")

// ---------------------------------------------------------------------------------------------
// ATK-EMPTY-SIG (CVE-2020-28042, CVE-2018-1000531): a MAC compared over the attacker's length
// accepts an empty or one-octet prefix. JOSE never truncates an HMAC (RFC 7518 §3.2), so any
// length but the hash's is wrong, and so is an extended one.
std::vector<attack_case> empty_signature_table() {
  std::vector<attack_case> cases;
  const struct {
    algorithm alg;
    const char* digest;
  } hs[] = {
      {algorithm::hs256, "SHA256"}, {algorithm::hs384, "SHA384"}, {algorithm::hs512, "SHA512"}};
  for (const auto& h : hs) {
    const std::string name(jot::algorithm_name(h.alg));
    const auto verifier = verifier_for(secret_key(h.alg));
    const std::string input = signing_input(R"({"alg":")" + name + R"("})", payload());
    const std::string mac = hmac(h.digest, victim_secret, input);
    const struct {
      const char* label;
      std::string signature;
      std::optional<errc> expected;
    } rows[] = {
        {"control: the full MAC", mac, accepted},
        {"empty (an unsigned token)", "", errc::invalid_signature},
        {"one octet of the MAC", mac.substr(0, 1), errc::invalid_signature},
        {"the first 16 octets", mac.substr(0, 16), errc::invalid_signature},
        {"all but the last octet", mac.substr(0, mac.size() - 1), errc::invalid_signature},
        // A compare over the expected length only would accept these two.
        {"the MAC and one extra octet", mac + std::string(1, '\0'), errc::invalid_signature},
        {"the MAC twice", mac + mac, errc::invalid_signature},
        {"the attacker's MAC", hmac(h.digest, attacker_secret, input), errc::invalid_signature},
        {"the MAC of the header alone", hmac(h.digest, victim_secret, segments_of(input)[0]),
         errc::invalid_signature},
    };
    for (const auto& row : rows) {
      cases.push_back(verify_case(name + ": " + row.label, verifier,
                                  input + "." + b64(row.signature), row.expected));
    }
  }
  return cases;
}
JOT_ATTACK_TABLE("ATK-EMPTY-SIG", empty_signature_table,
                 "empty, truncated and extended MACs are refused")

// ---------------------------------------------------------------------------------------------
// ATK-TIMING (CVE-2024-25190, cpp-jwt #101): timing cannot be asserted in a unit test, so this
// pins what can be: the verdict does not depend on where the MAC differs (first, any middle or
// last octet), and the comparison in jot's source is CRYPTO_memcmp over the fixed hash length.
std::vector<attack_case> mac_position_table() {
  const auto verifier = verifier_for(secret_key(algorithm::hs256));
  const std::string input = signing_input(R"({"alg":"HS256"})", payload());
  const std::string mac = hmac("SHA256", victim_secret, input);
  std::vector<attack_case> cases{
      verify_case("control: the genuine MAC", verifier, input + "." + b64(mac), accepted)};
  for (std::size_t i = 0; i < mac.size(); ++i) {
    std::string flipped = mac;
    flipped[i] = static_cast<char>(flipped[i] ^ 0x80);
    cases.push_back(verify_case("a MAC that differs in octet " + std::to_string(i), verifier,
                                input + "." + b64(flipped), errc::invalid_signature));
  }
  return cases;
}
JOT_ATTACK_TABLE("ATK-TIMING", mac_position_table,
                 "a MAC differing in its first, middle or last octet gets the same verdict")

// The body of the first function in `source` whose signature contains `signature`.
std::string function_body(const std::string& source, std::string_view signature) {
  const std::size_t start = source.find(signature);
  REQUIRE(start != std::string::npos);
  const std::size_t open = source.find('{', start);
  REQUIRE(open != std::string::npos);
  int depth = 0;
  for (std::size_t i = open; i < source.size(); ++i) {
    if (source[i] == '{') ++depth;
    if (source[i] == '}' && --depth == 0) return source.substr(open, i - open + 1);
  }
  FAIL("unbalanced braces after " << signature);
  return {};
}

std::size_t count(const std::string& text, std::string_view needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

TEST_CASE("the HMAC tag and secret comparisons in jot's source are CRYPTO_memcmp",
          "[attacks][ATK-TIMING]") {
  const std::string root = JOT_SOURCE_DIR;
  const std::string hmac_source = jot_test::read_file(root + "/include/jot/detail/hmac.hpp");
  const std::string verify = function_body(hmac_source, "result<void> verify(");
  INFO("hmac_key::verify:\n" << verify);
  // The length is compared first (it is public), then the content in constant time.
  CHECK(verify.find("signature.size() != mac_size_") != std::string::npos);
  CHECK(count(verify, "CRYPTO_memcmp(") == 1);
  CHECK(count(verify, "memcmp(") == count(verify, "CRYPTO_memcmp("));
  CHECK(verify.find("std::equal") == std::string::npos);
  CHECK(verify.find(".compare(") == std::string::npos);
  CHECK(verify.find("signature ==") == std::string::npos);

  const std::string secret_source = jot_test::read_file(root + "/include/jot/secret.hpp");
  const std::string equals = function_body(secret_source, "friend bool operator==(");
  INFO("secret_bytes::operator==:\n" << equals);
  CHECK(count(equals, "CRYPTO_memcmp(") == 1);
  CHECK(count(equals, "memcmp(") == 1);
}

// ---------------------------------------------------------------------------------------------
// ATK-CANONICAL: the signing input is the received ASCII text (RFC 7515 §5.2 step 8), never a
// re-serialization. The same claims in other bytes must not inherit the signature, and a header
// with CRLF and spaces (RFC 7515 A.1 itself has them) must verify as sent.
std::vector<attack_case> canonical_table() {
  std::vector<attack_case> cases;
  const auto hs = verifier_for(secret_key(algorithm::hs256));
  EVP_PKEY* rsa = test_key("rsa");
  const auto rs = verifier_for(public_key(algorithm::rs256, rsa));
  // The original payload, in an order and spelling of our choosing.
  const std::string original = R"({"sub":"user-42-mallory","iss":"https://issuer.example",)"
                               R"("aud":"https://api.example","exp":1750003600,"role":"user"})";
  const std::string respellings[][2] = {
      {"members reordered", claims({{"role", "user"}, {"iat", nullptr}, {"jti", nullptr}}).dump()},
      {"spaces after colons", R"({"sub": "user-42-mallory","iss": "https://issuer.example",)"
                              R"("aud": "https://api.example","exp": 1750003600,"role": "user"})"},
      {"a trailing newline", original + "\n"},
      {"an escaped character", R"({"sub":"\u0075ser-42-mallory","iss":"https://issuer.example",)"
                               R"("aud":"https://api.example","exp":1750003600,"role":"user"})"},
      {"escaped slashes", R"({"sub":"user-42-mallory","iss":"https:\/\/issuer.example",)"
                          R"("aud":"https:\/\/api.example","exp":1750003600,"role":"user"})"},
      {"exp written as 1750003600.0",
       R"({"sub":"user-42-mallory","iss":"https://issuer.example",)"
       R"("aud":"https://api.example","exp":1750003600.0,"role":"user"})"},
      {"exp written as 1.7500036e9",
       R"({"sub":"user-42-mallory","iss":"https://issuer.example",)"
       R"("aud":"https://api.example","exp":1.7500036e9,"role":"user"})"},
  };
  const struct {
    const char* name;
    const jot::verifier* verifier;
    std::string header;
    std::string token;
  } targets[] = {
      {"HS256", &hs, R"({"alg":"HS256","typ":"JWT"})",
       hmac_token(R"({"alg":"HS256","typ":"JWT"})", original)},
      {"RS256", &rs, R"({"alg":"RS256","typ":"JWT"})",
       signed_token(rsa, algorithm::rs256, R"({"alg":"RS256","typ":"JWT"})", original)},
  };
  for (const auto& target : targets) {
    const auto parts = segments_of(target.token);
    cases.push_back(verify_case(std::string("control: the ") + target.name + " token as signed",
                                *target.verifier, target.token, accepted));
    for (const auto& r : respellings) {
      cases.push_back(verify_case(std::string(target.name) + ": payload re-serialized, " + r[0],
                                  *target.verifier, parts[0] + "." + b64(r[1]) + "." + parts[2],
                                  errc::invalid_signature));
    }
    std::string header = target.header;
    const std::string reordered = header.substr(header.find(",\"typ\"") + 1);
    header = "{" + reordered.substr(0, reordered.size() - 1) + "," +
             target.header.substr(1, target.header.find(',') - 1) + "}";
    cases.push_back(verify_case(
        std::string(target.name) + ": header re-serialized (" + header + ")", *target.verifier,
        b64(header) + "." + parts[1] + "." + parts[2], errc::invalid_signature));
  }
  // RFC 7515 A.1's header shape: CRLF and a space inside the JSON, MACed as sent.
  cases.push_back(verify_case("control: a header with CRLF and spaces verifies over its bytes", hs,
                              hmac_token("{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}", original),
                              accepted));
  cases.push_back(verify_case("control: a payload with CRLF and spaces verifies over its bytes", hs,
                              hmac_token(R"({"alg":"HS256"})",
                                         "{\"iss\":\"https://issuer.example\",\r\n \"exp\":"
                                         "1750003600,\r\n \"aud\":\"https://api.example\"}"),
                              accepted));
  return cases;
}
JOT_ATTACK_TABLE("ATK-CANONICAL", canonical_table,
                 "the signature covers the bytes received, not a re-serialization of the claims")

}  // namespace
