// Algorithm selection and key material: ATK-ALG-NONE, ATK-KEY-CONFUSION, ATK-WEAK-KEY and
// ATK-KEY-IMPORT. The rule under test is RFC 8725 §3.1 / §2.1: the application binds one
// algorithm to each key; the token's `alg` is only compared with it, never obeyed; and a public
// key can never act as an HMAC secret, whatever its encoding.

#include <string>
#include <vector>

#include "attack_support.hpp"

using jot::algorithm;
using jot::errc;
using namespace jot_attack;

namespace {

// ---------------------------------------------------------------------------------------------
// ATK-ALG-NONE: unsecured JWS (RFC 7518 §3.6) and malformed `alg` values. `none` is not an
// algorithm jot knows, so no spelling of it can be in a verifier's allowlist; `alg` is compared
// exactly (RFC 7515 §4.1.1: case-sensitive), so look-alikes fail the same way. A missing or
// non-string `alg` is a malformed header (RFC 7515 §4.1.1: it is a string and it is required).
std::vector<attack_case> alg_none_table() {
  EVP_PKEY* rsa = test_key("rsa");
  const auto hs = verifier_for(secret_key(algorithm::hs256));
  const auto rs = verifier_for(public_key(algorithm::rs256, rsa));
  const std::string p = payload();
  const std::string genuine_hs = hmac_token(R"({"alg":"HS256","typ":"JWT"})", p);
  const std::string genuine_rs =
      signed_token(rsa, algorithm::rs256, R"({"alg":"RS256","typ":"JWT"})", p);

  std::vector<attack_case> cases{
      verify_case("control: the HS256 verifier accepts a genuine token", hs, genuine_hs, accepted),
      verify_case("control: the RS256 verifier accepts a genuine token", rs, genuine_rs, accepted),
  };
  struct spelling {
    const char* name;
    std::string alg_json;
    errc expected;
  };
  const spelling spellings[] = {
      {"none", R"("none")", errc::algorithm_not_allowed},
      {"None", R"("None")", errc::algorithm_not_allowed},
      {"NONE", R"("NONE")", errc::algorithm_not_allowed},
      {"nOnE", R"("nOnE")", errc::algorithm_not_allowed},
      {"leading space", R"(" none")", errc::algorithm_not_allowed},
      {"trailing space", R"("none ")", errc::algorithm_not_allowed},
      // A C-string comparison would stop at the NUL and see "none" (or "HS256").
      {"none and an escaped NUL", R"("none\u0000")", errc::algorithm_not_allowed},
      {"HS256 and an escaped NUL", R"("HS256\u0000")", errc::algorithm_not_allowed},
      {"empty string", R"("")", errc::algorithm_not_allowed},
      {"lower-case hs256", R"("hs256")", errc::algorithm_not_allowed},
      {"lower-case rs256", R"("rs256")", errc::algorithm_not_allowed},
      {"HS256 and a zero-width space", R"("HS256\u200b")", errc::algorithm_not_allowed},
      {"null", "null", errc::invalid_header},
      {"false", "false", errc::invalid_header},
      {"a number", "256", errc::invalid_header},
      {"an array", R"(["none"])", errc::invalid_header},
      {"an array holding the right name", R"(["HS256"])", errc::invalid_header},
      {"an object", R"({"name":"none"})", errc::invalid_header},
  };
  const struct {
    const char* name;
    const jot::verifier* verifier;
    std::string genuine;
  } targets[] = {{"HS256 verifier", &hs, genuine_hs}, {"RS256 verifier", &rs, genuine_rs}};
  for (const auto& target : targets) {
    const std::string kept_signature = segments_of(target.genuine)[2];
    for (const auto& s : spellings) {
      const std::string header = R"({"alg":)" + s.alg_json + R"(,"typ":"JWT"})";
      cases.push_back(
          verify_case(std::string(target.name) + ": alg " + s.name + ", empty signature",
                      *target.verifier, sign_raw(header, p, no_signature{}), s.expected));
      cases.push_back(verify_case(
          std::string(target.name) + ": alg " + s.name + ", the genuine token's signature kept",
          *target.verifier, signing_input(header, p) + "." + kept_signature, s.expected));
    }
    cases.push_back(verify_case(std::string(target.name) + ": no alg member at all",
                                *target.verifier, sign_raw(R"({"typ":"JWT"})", p, no_signature{}),
                                errc::invalid_header));
    // Some libraries read "none" plus an empty key as "no check needed" (CVE-2022-23540).
    cases.push_back(verify_case(std::string(target.name) + ": alg none with an empty-key MAC",
                                *target.verifier, hmac_token(R"({"alg":"none"})", p, ""),
                                errc::algorithm_not_allowed));
    // RFC 7519 §6.1's unsecured JWT, verbatim: "{"alg":"none"}" and an empty third segment.
    cases.push_back(verify_case(
        std::string(target.name) + ": the RFC 7519 §6.1 unsecured JWT", *target.verifier,
        "eyJhbGciOiJub25lIn0.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxl"
        "LmNvbS9pc19yb290Ijp0cnVlfQ.",
        errc::algorithm_not_allowed));
    // Dropping the third segment entirely is not a JWS at all (RFC 7515 §7.1).
    cases.push_back(verify_case(std::string(target.name) + ": alg none in two segments",
                                *target.verifier, signing_input(R"({"alg":"none"})", p),
                                errc::malformed_token));
  }
  return cases;
}
JOT_ATTACK_TABLE("ATK-ALG-NONE", alg_none_table,
                 "alg none in every spelling, case and type is refused before any key is used")

// ---------------------------------------------------------------------------------------------
// ATK-KEY-CONFUSION (token level): the attacker MACs admin claims with the victim's public key,
// in every encoding a library has ever been fooled by (CVE-2015-9235, CVE-2016-10555,
// CVE-2017-11424, CVE-2022-29217, CVE-2024-33663, CVE-2026-48526 ...), computed here with raw
// OpenSSL because jot refuses to make such a key. The verifier holds only the asymmetric key,
// so HS* is not in its allowlist and no HMAC is ever computed: errc::algorithm_not_allowed.

struct public_form {
  std::string name;
  std::string bytes;
};

std::vector<public_form> public_forms(EVP_PKEY* key) {
  std::vector<public_form> forms{
      {"PEM SubjectPublicKeyInfo", pem_spki(key)}, {"DER SubjectPublicKeyInfo", der_spki(key)},
      {"certificate PEM", certificate(key, true)}, {"certificate DER", certificate(key, false)},
      {"JWK JSON text", public_jwk(key).dump()},   {"OpenSSH line", openssh_line(key)},
  };
  const std::string pem = pem_spki(key);
  forms.push_back({"PEM without its trailing newline", pem.substr(0, pem.size() - 1)});
  std::string crlf;
  for (char c : pem) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  forms.push_back({"PEM with CRLF line ends", crlf});
  forms.push_back({"PEM after a leading space", " " + pem});
  forms.push_back({"PEM after a comment line", "# issuer key\n" + pem});
  if (EVP_PKEY_is_a(key, "RSA")) {
    forms.push_back({"PKCS#1 PEM (BEGIN RSA PUBLIC KEY)", pem_pkcs1(key)});
    forms.push_back({"PKCS#1 DER", der_pkcs1(key)});
  }
  return forms;
}

std::vector<attack_case> key_confusion_token_table() {
  std::vector<attack_case> cases;
  const std::string p = payload();
  const struct {
    const char* name;
    const char* kind;
    algorithm alg;
  } victims[] = {{"RS256", "rsa", algorithm::rs256},
                 {"PS256", "rsa", algorithm::ps256},
                 {"ES256", "p256", algorithm::es256},
                 {"EdDSA", "ed25519", algorithm::ed25519}};
  for (const auto& victim : victims) {
    EVP_PKEY* key = test_key(victim.kind);
    const auto verifier = verifier_for(public_key(victim.alg, key));
    const std::string header = std::string(R"({"alg":")") +
                               std::string(jot::algorithm_name(victim.alg)) + R"(","typ":"JWT"})";
    cases.push_back(verify_case(
        std::string("control: the ") + victim.name + " verifier accepts a genuine token", verifier,
        signed_token(key, victim.alg, header, p), accepted));
    auto forms = public_forms(key);
    forms.push_back({"raw public key octets", raw_public_key(key)});
    for (const auto& form : forms) {
      for (const char* hs : {"HS256", "HS384", "HS512"}) {
        const std::string digest = std::string("SHA") + (hs + 2);
        cases.push_back(verify_case(
            std::string(victim.name) + " verifier: " + hs + " MACed with the " + form.name,
            verifier,
            hmac_token(std::string(R"({"alg":")") + hs + R"(","typ":"JWT"})", p, form.bytes,
                       digest.c_str()),
            errc::algorithm_not_allowed, {form.bytes}));
      }
    }
  }

  // Each key admits exactly one algorithm: same key material, other scheme or curve.
  EVP_PKEY* rsa = test_key("rsa");
  const auto rs = verifier_for(public_key(algorithm::rs256, rsa));
  const auto ps = verifier_for(public_key(algorithm::ps256, rsa));
  const auto es256 = verifier_for(public_key(algorithm::es256, test_key("p256")));
  const auto es384 = verifier_for(public_key(algorithm::es384, test_key("p384")));
  const auto ed448 = verifier_for(public_key(algorithm::ed448, test_key("ed448")));
  cases.push_back(verify_case("an RS256 token for the same RSA key bound to PS256", ps,
                              signed_token(rsa, algorithm::rs256, R"({"alg":"RS256"})", p),
                              errc::algorithm_not_allowed));
  cases.push_back(verify_case("a PS256 token for the same RSA key bound to RS256", rs,
                              signed_token(rsa, algorithm::ps256, R"({"alg":"PS256"})", p),
                              errc::algorithm_not_allowed));
  cases.push_back(
      verify_case("an ES384 token (P-384) for an ES256 verifier", es256,
                  signed_token(test_key("p384"), algorithm::es384, R"({"alg":"ES384"})", p),
                  errc::algorithm_not_allowed));
  cases.push_back(
      verify_case("an ES256 token (P-256) for an ES384 verifier", es384,
                  signed_token(test_key("p256"), algorithm::es256, R"({"alg":"ES256"})", p),
                  errc::algorithm_not_allowed));
  cases.push_back(
      verify_case("an ES256K token (secp256k1) for an ES256 verifier", es256,
                  signed_token(test_key("secp256k1"), algorithm::es256k, R"({"alg":"ES256K"})", p),
                  errc::algorithm_not_allowed));
  // "EdDSA" names both curves (RFC 8037 §3.1), so it passes the allowlist of an Ed448 key; the
  // key's curve then decides, and an Ed25519 signature is not an Ed448 one (RFC 8032 §5.2.7).
  cases.push_back(
      verify_case("an Ed25519 signature under alg EdDSA for an Ed448 key", ed448,
                  signed_token(test_key("ed25519"), algorithm::ed25519, R"({"alg":"EdDSA"})", p),
                  errc::invalid_signature));
  cases.push_back(
      verify_case("alg Ed25519 (RFC 9864) for an Ed448 key", ed448,
                  signed_token(test_key("ed25519"), algorithm::ed25519, R"({"alg":"Ed25519"})", p),
                  errc::algorithm_not_allowed));

  // A verifier that holds an HMAC key too (php-jwt CVE-2021-46743): HS256 is allowed here, so
  // the kid decides, and the key it names must be an HS256 key.
  jot_test::verifier_setup mixed = policy();
  mixed.add_key(secret_key(algorithm::hs256, victim_secret, "hmac-1"))
      .add_key(public_key(algorithm::rs256, rsa, "rsa-1"));
  const auto both = build(mixed);
  const std::string pem = pem_spki(rsa);
  cases.push_back(verify_case("HS256 MACed with the RSA PEM, kid naming the RSA key", both,
                              hmac_token(R"({"alg":"HS256","kid":"rsa-1"})", p, pem),
                              errc::key_algorithm_mismatch, {pem}));
  cases.push_back(verify_case("HS256 MACed with the RSA PEM, kid naming the HMAC key", both,
                              hmac_token(R"({"alg":"HS256","kid":"hmac-1"})", p, pem),
                              errc::invalid_signature, {pem}));
  cases.push_back(verify_case("HS256 MACed with the RSA PEM, no kid among two keys", both,
                              hmac_token(R"({"alg":"HS256"})", p, pem), errc::missing_key_id,
                              {pem}));
  return cases;
}
JOT_ATTACK_TABLE("ATK-KEY-CONFUSION", key_confusion_token_table,
                 "an HMAC made with the public key in any encoding never passes an asymmetric "
                 "verifier")

// ATK-KEY-CONFUSION (key construction): the same bytes are refused as an HMAC secret
// (errc::public_key_as_secret), before the length check, so even the misconfigured application
// that tries cannot build the key. Raw key octets carry no marker and stay indistinguishable
// from random secrets: those rows document that limit (the typed keys above are the defence).
std::vector<attack_case> key_confusion_construction_table() {
  std::vector<attack_case> cases;
  for (const char* kind : {"rsa", "p256", "ed25519"}) {
    EVP_PKEY* key = test_key(kind);
    for (const auto& form : public_forms(key)) {
      const std::string label = std::string(kind) + " " + form.name;
      const std::string bytes = form.bytes;
      for (algorithm alg : {algorithm::hs256, algorithm::hs384, algorithm::hs512}) {
        cases.push_back(call_case(
            label + " as a " + std::string(jot::algorithm_name(alg)) + " verification secret",
            [alg, bytes] { return jot::verification_key::hmac(alg, jot::secret_bytes(bytes)); },
            errc::public_key_as_secret, {bytes}));
      }
      cases.push_back(
          call_case(label + " as an HS256 signing secret",
                    [bytes] { return jot::signing_key::hs256(jot::secret_bytes(bytes)); },
                    errc::public_key_as_secret, {bytes}));
      const json oct = {{"kty", "oct"}, {"alg", "HS256"}, {"k", b64(bytes)}};
      cases.push_back(call_case(label + " wrapped as the k of an oct JWK",
                                [oct] { return jot::verification_key::from_jwk(oct); },
                                errc::public_key_as_secret, {bytes, b64(bytes)}));
    }
  }
  const struct {
    const char* name;
    std::string bytes;
  } raw[] = {{"the raw 256-octet RSA modulus", raw_public_key(test_key("rsa"))},
             {"the raw 65-octet P-256 point", raw_public_key(test_key("p256"))},
             {"the raw 32-octet Ed25519 key", raw_public_key(test_key("ed25519"))}};
  for (const auto& r : raw) {
    const std::string bytes = r.bytes;
    cases.push_back(call_case(
        std::string("documented limit: ") + r.name + " is accepted as an HS256 secret",
        [bytes] { return jot::verification_key::hs256(jot::secret_bytes(bytes)); }, accepted));
  }
  return cases;
}
JOT_ATTACK_TABLE("ATK-KEY-CONFUSION", key_confusion_construction_table,
                 "a public key in any common encoding is refused as an HMAC secret")

// The same refusal for public-key text in less common shapes. Each is text a deployment can
// plausibly hold: a JWK saved by an editor that adds a byte order mark, a JWKS key array, the
// base64 body of a PEM kept in an environment variable without its armour lines (also in the
// base64url alphabet, and the 60 characters of an Ed25519 key), a JWK whose member names are
// escaped, an authorized_keys line with options. The check parses (DER, JSON); it does not look
// for substrings or lengths.
std::vector<attack_case> key_confusion_unrecognised_forms_table() {
  EVP_PKEY* rsa = test_key("rsa");
  const std::string jwk = public_jwk(rsa).dump();
  const std::string pem = pem_spki(rsa);
  const std::size_t body_start = pem.find('\n') + 1;
  const std::string pem_body = pem.substr(body_start, pem.find("-----END") - body_start);
  const std::string ed25519_der = der_spki(test_key("ed25519"));
  const std::string ed25519_x = b64(raw_public_key(test_key("ed25519")));
  const struct {
    const char* name;
    std::string bytes;
  } forms[] = {
      {"a JWK after a UTF-8 byte order mark", "\xEF\xBB\xBF" + jwk},
      {"a JWK inside a JSON array", "[" + jwk + "]"},
      {"the base64 body of a PEM without its armour lines", pem_body},
      {"an authorized_keys line with options", "from=\"10.0.0.0/8\" " + openssh_line(rsa)},
      {"the base64 body of an Ed25519 SPKI (60 characters)", standard_base64(ed25519_der)},
      {"the base64url body of an RSA SPKI", b64(der_spki(rsa))},
      {"the base64url body of an RSA SPKI with a newline", b64(der_spki(rsa)) + "\n"},
      {"the base64url body of a PKCS#1 RSA key", b64(der_pkcs1(rsa))},
      {"the base64url body of a certificate", b64(certificate(rsa, false))},
      {"a JWK with an escaped kty",
       R"({"k\u0074y":"OKP","crv":"Ed25519","x":")" + ed25519_x + "\"}"},
      {"a JWKS with escaped member names",
       R"({"k\u0065ys":[{"\u006bty":"OKP","crv":"Ed25519","x":")" + ed25519_x + "\"}]}"},
  };
  std::vector<attack_case> cases;
  for (const auto& form : forms) {
    const std::string bytes = form.bytes;
    cases.push_back(
        call_case(std::string(form.name) + " as an HS256 secret",
                  [bytes] { return jot::verification_key::hs256(jot::secret_bytes(bytes)); },
                  errc::public_key_as_secret, {bytes}));
  }
  return cases;
}
JOT_ATTACK_TABLE("ATK-KEY-CONFUSION", key_confusion_unrecognised_forms_table,
                 "public-key text with a prefix, a wrapper or no armour is refused as an HMAC "
                 "secret too")

// ATK-KEY-CONFUSION (kid across key types): a key set with one key per family. Every token is
// signed by the genuine key of its own algorithm, so only the kid is wrong; the key the kid
// selects must be of exactly the token's algorithm (RFC 8725 §3.1), or nothing is computed.
std::vector<attack_case> kid_across_key_types_table() {
  const std::string p = payload();
  struct member {
    const char* kid;
    algorithm alg;
    const char* kind;  // nullptr: the HMAC secret
  };
  const member members[] = {{"hmac-1", algorithm::hs256, nullptr},
                            {"rsa-1", algorithm::rs256, "rsa"},
                            {"ec-1", algorithm::es256, "p256"},
                            {"ed-1", algorithm::ed25519, "ed25519"}};
  jot_test::verifier_setup builder = policy();
  for (const auto& m : members) {
    builder.add_key(m.kind ? public_key(m.alg, test_key(m.kind), m.kid)
                           : secret_key(m.alg, victim_secret, m.kid));
  }
  const auto verifier = build(builder);
  std::vector<attack_case> cases;
  for (const auto& signer : members) {
    for (const auto& named : members) {
      const std::string header = std::string(R"({"alg":")") +
                                 std::string(jot::algorithm_name(signer.alg)) + R"(","kid":")" +
                                 named.kid + R"("})";
      std::string token;
      std::vector<std::string> secrets;
      if (signer.kind != nullptr) {
        token = signed_token(test_key(signer.kind), signer.alg, header, p);
      } else if (named.kind != nullptr) {
        // The classic: HS256 with the named asymmetric key's PEM as the MAC key.
        const std::string pem = pem_spki(test_key(named.kind));
        token = hmac_token(header, p, pem);
        secrets.push_back(pem);
      } else {
        token = hmac_token(header, p);
      }
      const bool same = signer.kid == named.kid;
      cases.push_back(verify_case(
          std::string(same ? "control: " : "") + std::string(jot::algorithm_name(signer.alg)) +
              " token with kid " + named.kid,
          verifier, token, same ? accepted : std::optional(errc::key_algorithm_mismatch), secrets));
    }
  }
  return cases;
}
JOT_ATTACK_TABLE("ATK-KEY-CONFUSION", kid_across_key_types_table,
                 "a kid that names a key of another type is refused before any crypto")

// ---------------------------------------------------------------------------------------------
// ATK-WEAK-KEY: keys jot refuses to make at all. HMAC secrets shorter than the hash (RFC 7518
// §3.2; empty secrets: CVE-2019-20933, CVE-2020-28637), RSA below 2048 bits (RFC 7518 §3.3),
// degenerate exponents (e = 1 makes the padded digest its own signature), oversized moduli (a
// verification-cost bomb), and EC or Edwards keys on another curve than the algorithm's.
std::vector<attack_case> weak_key_table() {
  std::vector<attack_case> cases;
  const struct {
    algorithm alg;
    std::size_t size;
    std::optional<errc> expected;
  } secrets[] = {{algorithm::hs256, 0, errc::weak_key},  {algorithm::hs256, 1, errc::weak_key},
                 {algorithm::hs256, 16, errc::weak_key}, {algorithm::hs256, 31, errc::weak_key},
                 {algorithm::hs256, 32, accepted},       {algorithm::hs384, 32, errc::weak_key},
                 {algorithm::hs384, 47, errc::weak_key}, {algorithm::hs384, 48, accepted},
                 {algorithm::hs512, 48, errc::weak_key}, {algorithm::hs512, 63, errc::weak_key},
                 {algorithm::hs512, 64, accepted}};
  for (const auto& s : secrets) {
    const std::string secret = victim_secret.substr(0, s.size);
    const algorithm alg = s.alg;
    const std::string label =
        std::string(jot::algorithm_name(alg)) + " secret of " + std::to_string(s.size) + " bytes";
    cases.push_back(call_case(
        label + " (verification)",
        [alg, secret] { return jot::verification_key::hmac(alg, jot::secret_bytes(secret)); },
        s.expected, {secret}));
    cases.push_back(
        call_case(label + " (signing)",
                  [alg, secret] { return jot::signing_key::hmac(alg, jot::secret_bytes(secret)); },
                  s.expected, {secret}));
  }
  const json short_oct = {
      {"kty", "oct"}, {"alg", "HS256"}, {"k", b64(victim_secret.substr(0, 16))}};
  cases.push_back(call_case("a 16-byte oct JWK for HS256",
                            [short_oct] { return jot::verification_key::from_jwk(short_oct); },
                            errc::weak_key, {victim_secret.substr(0, 16)}));
  const json empty_oct = {{"kty", "oct"}, {"alg", "HS256"}, {"k", ""}};
  cases.push_back(call_case(
      "an empty oct JWK for HS256",
      [empty_oct] { return jot::verification_key::from_jwk(empty_oct); }, errc::weak_key));

  const std::string rsa1024 = pem_spki(test_key("rsa1024"));
  for (algorithm alg : {algorithm::rs256, algorithm::ps256}) {
    cases.push_back(
        call_case("an RSA-1024 PEM for " + std::string(jot::algorithm_name(alg)),
                  [alg, rsa1024] { return jot::verification_key::from_pem(alg, rsa1024); },
                  errc::weak_key, {rsa1024}));
  }
  json jwk1024 = public_jwk(test_key("rsa1024"));
  jwk1024["alg"] = "RS256";
  cases.push_back(call_case(
      "an RSA-1024 JWK", [jwk1024] { return jot::verification_key::from_jwk(jwk1024); },
      errc::weak_key));
  cases.push_back(call_case(
      "generating an RSA-1024 signing key",
      [] { return jot::signing_key::generate(algorithm::rs256, 1024); }, errc::invalid_argument));

  const json victim_rsa = public_jwk(test_key("rsa"));
  const struct {
    const char* name;
    std::string e;
    std::optional<errc> expected;
  } exponents[] = {
      {"e = 1", std::string("\x01", 1), errc::invalid_key},
      {"e = 2", std::string("\x02", 1), errc::invalid_key},
      {"e = 4 (even)", std::string("\x04", 1), errc::invalid_key},
      {"e = 65536 (even)", std::string("\x01\x00\x00", 3), errc::invalid_key},
      {"e of 264 bits", "\x01" + std::string(32, '\x01'), errc::invalid_key},
      // Documented decision: e = 3 is a valid RSA exponent; the PKCS#1 forgeries it enables
      // need a lenient verifier, and jot's is strict (ATK-RSA-PKCS1-PARSE shows it).
      {"e = 3", std::string("\x03", 1), accepted},
      {"e = 65537 (control)", std::string("\x01\x00\x01", 3), accepted},
  };
  for (const auto& e : exponents) {
    json jwk = victim_rsa;
    jwk["alg"] = "RS256";
    jwk["e"] = b64(e.e);
    cases.push_back(call_case(
        std::string("an RSA JWK with ") + e.name,
        [jwk] { return jot::verification_key::from_jwk(jwk); }, e.expected));
  }
  json huge = victim_rsa;
  huge["alg"] = "RS256";
  huge["n"] = b64("\xC3" + std::string(2050, '\x5A'));  // 16 408 bits: a verification-cost bomb
  cases.push_back(call_case(
      "an RSA JWK with a 16 408-bit modulus",
      [huge] { return jot::verification_key::from_jwk(huge); }, errc::invalid_key));

  const struct {
    const char* name;
    algorithm alg;
    const char* kind;
    errc expected;
  } curves[] = {
      {"a P-384 key for ES256", algorithm::es256, "p384", errc::curve_mismatch},
      {"a P-521 key for ES256", algorithm::es256, "p521", errc::curve_mismatch},
      {"a secp256k1 key for ES256", algorithm::es256, "secp256k1", errc::curve_mismatch},
      {"a P-256 key for ES256K", algorithm::es256k, "p256", errc::curve_mismatch},
      {"a P-256 key for ES512", algorithm::es512, "p256", errc::curve_mismatch},
      {"an Ed448 key for Ed25519", algorithm::ed25519, "ed448", errc::curve_mismatch},
      {"an Ed25519 key for Ed448", algorithm::ed448, "ed25519", errc::curve_mismatch},
      {"an X25519 (key agreement) key for Ed25519", algorithm::ed25519, "x25519",
       errc::key_type_mismatch},
      {"an RSA key for ES256", algorithm::es256, "rsa", errc::key_type_mismatch},
      {"a P-256 key for RS256", algorithm::rs256, "p256", errc::key_type_mismatch},
      {"an Ed25519 key for PS256", algorithm::ps256, "ed25519", errc::key_type_mismatch},
  };
  for (const auto& c : curves) {
    const std::string pem = pem_spki(test_key(c.kind));
    const algorithm alg = c.alg;
    cases.push_back(call_case(c.name,
                              [alg, pem] { return jot::verification_key::from_pem(alg, pem); },
                              c.expected, {pem}));
  }
  json p384 = public_jwk(test_key("p384"));
  p384["alg"] = "ES256";
  cases.push_back(call_case(
      "a P-384 JWK that claims ES256", [p384] { return jot::verification_key::from_jwk(p384); },
      errc::curve_mismatch));
  return cases;
}
JOT_ATTACK_TABLE("ATK-WEAK-KEY", weak_key_table,
                 "short secrets, small or degenerate RSA keys and wrong curves cannot become keys")

// ---------------------------------------------------------------------------------------------
// ATK-KEY-IMPORT: JWK and JWKS validation (RFC 7517 §4, §5; RFC 7518 §6; RFC 8037 §2). Every
// member is checked: required members, canonical base64url, minimal integers, exact coordinate
// sizes, the point on the curve, `use` and `key_ops`, `alg` against the key, the kid.
std::vector<attack_case> key_import_table() {
  std::vector<attack_case> cases;
  const auto import = [&cases](std::string name, json jwk, std::optional<errc> expected,
                               std::optional<algorithm> wanted = std::nullopt) {
    cases.push_back(call_case(
        std::move(name), [jwk, wanted] { return jot::verification_key::from_jwk(jwk, wanted); },
        expected));
  };
  json rsa = public_jwk(test_key("rsa"));
  rsa["alg"] = "RS256";
  rsa["use"] = "sig";
  rsa["kid"] = "rsa-1";
  const auto with = jot_test::json_with;
  import("control: the RSA JWK", rsa, accepted);
  import("RSA: no kty", with(rsa, {{ "kty", nullptr }}), errc::invalid_key);
  import("RSA: kty not a string", with(rsa, {{ "kty", 1 }}), errc::invalid_key);
  import("RSA: unknown kty", with(rsa, {{ "kty", "RSA2" }}), errc::invalid_key);
  import("RSA members under kty EC", with(rsa, {{ "kty", "EC" }}), errc::key_type_mismatch);
  import("RSA: no n", with(rsa, {{ "n", nullptr }}), errc::invalid_key);
  import("RSA: no e", with(rsa, {{ "e", nullptr }}), errc::invalid_key);
  import("RSA: n not a string", with(rsa, {{ "n", 12345 }}), errc::invalid_key);
  import("RSA: empty e", with(rsa, {{ "e", "" }}), errc::invalid_key);
  const std::string n = rsa["n"].get<std::string>();
  import("RSA: padded n",
         with(rsa,
              {{ "n",
                 n + (n.size() % 4 ? std::string(4 - n.size() % 4, '=') : "====") }}),
         errc::invalid_key);
  std::string standard = n;
  const auto url_char = standard.find_first_of("-_");
  REQUIRE(url_char != std::string::npos);
  standard[url_char] = standard[url_char] == '-' ? '+' : '/';
  import("RSA: n in the standard base64 alphabet",
         with(rsa,
              {{ "n",
                 standard }}),
         errc::invalid_key);
  import("RSA: n with a leading zero octet (RFC 7518 §6.3.1.1)",
         with(rsa,
              {{ "n",
                 b64(std::string(1, '\0') + jot::base64url_decode(n).value()) }}),
         errc::invalid_key);
  import("RSA: multi-prime oth member", with(rsa, {{ "oth", json::array() }}), errc::invalid_key);
  import("RSA: d with only one CRT member",
         with(rsa, {{"d", n},
                    { "p",
                      "AQAB" }}),
         errc::invalid_key);
  import("RSA: use enc", with(rsa, {{ "use", "enc" }}), errc::key_use_mismatch);
  import("RSA: use not a string", with(rsa, {{ "use", 1 }}), errc::invalid_key);
  import("RSA: key_ops without verify",
         with(rsa,
              {{ "key_ops",
                 { "sign" } }}),
         errc::key_use_mismatch);
  import("RSA: key_ops encrypt only",
         with(rsa,
              {{ "key_ops",
                 { "encrypt" } }}),
         errc::key_use_mismatch);
  import("RSA: key_ops a string", with(rsa, {{ "key_ops", "verify" }}), errc::invalid_key);
  import("RSA: key_ops with a duplicate (RFC 7517 §4.3)",
         with(rsa,
              {{ "key_ops",
                 { "verify",
                   "verify" } }}),
         errc::invalid_key);
  import("control: RSA key_ops [verify]", with(rsa, {{ "key_ops", { "verify" } }}), accepted);
  import("RSA: JWK alg PS256 where the application wants RS256",
         with(rsa,
              {{ "alg",
                 "PS256" }}),
         errc::jwk_algorithm_mismatch, algorithm::rs256);
  // `none`, or an encryption algorithm, makes the key no JWS signature key at all.
  import("RSA: JWK alg none", with(rsa, {{ "alg", "none" }}), errc::key_use_mismatch);
  import("RSA: JWK alg RSA-OAEP (encryption)",
         with(rsa,
              {{ "alg",
                 "RSA-OAEP" }}),
         errc::key_use_mismatch);
  import("RSA: JWK alg not a string", with(rsa, {{ "alg", 256 }}), errc::invalid_key);
  import("RSA: no alg and none given by the application",
         with(rsa,
              {{ "alg",
                 nullptr }}),
         errc::missing_algorithm);
  import("RSA: empty kid", with(rsa, {{ "kid", "" }}), errc::invalid_key);
  import("RSA: kid not a string", with(rsa, {{ "kid", 7 }}), errc::invalid_key);

  json ec = public_jwk(test_key("p256"));
  ec["alg"] = "ES256";
  import("control: the P-256 JWK", ec, accepted);
  std::string y = jot::base64url_decode(ec["y"].get<std::string>()).value();
  y.back() = static_cast<char>(y.back() ^ 1);
  import("EC: a point off the curve (y altered)", with(ec, {{ "y", b64(y) }}), errc::invalid_key);
  import("EC: the point (0, 0)",
         with(ec, {{"x", b64(std::string(32, '\0'))},
                   { "y",
                     b64(std::string(32, '\0')) }}),
         errc::invalid_key);
  const std::string x = jot::base64url_decode(ec["x"].get<std::string>()).value();
  import("EC: a 31-octet x", with(ec, {{ "x", b64(x.substr(1)) }}), errc::invalid_key);
  import("EC: a 33-octet x", with(ec, {{ "x", b64(std::string(1, '\0') + x) }}), errc::invalid_key);
  import("EC: no y", with(ec, {{ "y", nullptr }}), errc::invalid_key);
  import("EC: no crv", with(ec, {{ "crv", nullptr }}), errc::invalid_key);
  import("EC: unknown crv", with(ec, {{ "crv", "P-257" }}), errc::invalid_key);
  import("EC: crv P-384 for alg ES256", with(ec, {{ "crv", "P-384" }}), errc::curve_mismatch);

  json okp = public_jwk(test_key("ed25519"));
  okp["alg"] = "EdDSA";
  import("control: the Ed25519 JWK", okp, accepted);
  import("OKP: crv X25519", with(okp, {{ "crv", "X25519" }}), errc::key_type_mismatch);
  import("OKP: a 31-octet x",
         with(okp,
              {{ "x",
                 b64(jot::base64url_decode(okp["x"].get<std::string>()).value().substr(1)) }}),
         errc::invalid_key);
  import("OKP: an Ed448 JWK where Ed25519 is wanted", public_jwk(test_key("ed448")),
         errc::curve_mismatch, algorithm::ed25519);
  // The public value must be the one derived from d (else the "public" key is an attacker's).
  import("OKP: a private JWK whose x is another key's",
         with(okp,
              {{ "d",
                 b64(std::string(32, '\x11')) }}),
         errc::invalid_key);

  const json oct = {{"kty", "oct"}, {"alg", "HS256"}, {"k", b64(victim_secret)}};
  import("control: the oct JWK", oct, accepted);
  import("oct: no k", with(oct, {{ "k", nullptr }}), errc::invalid_key);
  import("oct: k padded", with(oct, {{ "k", b64(victim_secret) + "==" }}), errc::invalid_key);
  import("oct: k of kty oct under alg RS256",
         with(oct,
              {{ "alg",
                 "RS256" }}),
         errc::key_type_mismatch);

  // JWKS (RFC 7517 §5) through key_set::from_jwks.
  const auto load = [&cases](std::string name, json jwks, std::optional<errc> expected) {
    cases.push_back(call_case(
        std::move(name), [jwks] { return jot::key_set::from_jwks(jwks); }, expected));
  };
  // The same for a JWKS the caller keeps private, which may hold HMAC secrets.
  const auto load_private = [&cases](std::string name, json jwks, std::optional<errc> expected) {
    cases.push_back(call_case(
        std::move(name),
        [jwks] {
          jot::jwks_options options;
          options.allow_symmetric_keys = true;
          return jot::key_set::from_jwks(jwks, options);
        },
        expected));
  };
  const auto load_text = [&cases](std::string name, std::string text,
                                  std::optional<errc> expected) {
    cases.push_back(call_case(std::move(name),
                              [text] { return jot::key_set::from_jwks(std::string_view(text)); },
                              expected, {text}));
  };
  const auto oct_key = [](const std::string& kid, char fill) {
    return json{{"kty", "oct"}, {"alg", "HS256"}, {"kid", kid}, {"k", b64(std::string(32, fill))}};
  };
  load("control: a JWKS of an RSA and an EC key", {{"keys", {rsa, with(ec, {{"kid", "ec-1"}})}}},
       accepted);
  load_private("JWKS: two keys share a kid", {{"keys", {oct_key("k1", 'a'), oct_key("k1", 'b')}}},
               errc::duplicate_key_id);
  json many = {{"keys", json::array()}};
  for (int i = 0; i < 101; ++i) many["keys"].push_back(oct_key("k" + std::to_string(i), 'a'));
  load_private("JWKS: 101 keys (the cap is 100)", many, errc::invalid_argument);
  many["keys"].erase(many["keys"].begin());
  load_private("control: JWKS of 100 keys", many, accepted);
  // A JWKS is usually public: an HMAC secret in it lets anyone who reads it forge tokens, so
  // it is refused unless the caller allows symmetric keys, in whatever form it comes.
  load("JWKS: an HMAC secret (the default refuses it)", {{"keys", {oct_key("hmac-1", 'c')}}},
       errc::symmetric_key_in_jwks);
  load("JWKS: an HMAC secret after an RSA key", {{"keys", {rsa, oct_key("hmac-1", 'c')}}},
       errc::symmetric_key_in_jwks);
  load("JWKS: an HMAC secret without alg",
       {{"keys", {with(oct_key("hmac-1", 'c'), {{"alg", nullptr}})}}}, errc::missing_algorithm);
  cases.push_back(call_case(
      "JWKS: an HMAC secret without alg, HS256 by default",
      [jwks = json{{"keys", {with(oct_key("hmac-1", 'c'), {{"alg", nullptr}})}}}] {
        return jot::key_set::from_jwks(jwks, algorithm::hs256);
      },
      errc::symmetric_key_in_jwks));
  load_text("JWKS text: an HMAC secret", json{{"keys", {oct_key("hmac-1", 'c')}}}.dump(),
            errc::symmetric_key_in_jwks);
  load("JWKS: not an object", json::array({rsa}), errc::invalid_key);
  load("JWKS: keys not an array", {{"keys", rsa}}, errc::invalid_key);
  load("JWKS: no keys member", {{"key", {rsa}}}, errc::invalid_key);
  load("JWKS: only encryption keys", {{"keys", {with(rsa, {{"use", "enc"}})}}}, errc::no_keys);
  load("JWKS: a malformed signing key fails the whole set",
       {{"keys", {rsa, with(ec, {{"kid", "ec-1"}, {"y", b64(y)}})}}}, errc::invalid_key);
  // Documented decision (Wycheproof json_web_key tcId 1): a private JWKS, whose caller allows
  // symmetric keys, may mix oct and asymmetric keys, because each key is bound to its own alg;
  // kid_across_key_types_table shows that a kid cannot make one key's bytes serve another
  // algorithm.
  load_private("documented decision: a private JWKS mixing an oct and an RSA key",
               {{"keys", {rsa, oct_key("hmac-1", 'c')}}}, accepted);
  const std::string text = json{{"keys", {rsa}}}.dump();
  load_text("JWKS text: a duplicate member", R"({"keys":[],"keys":)" + text.substr(8),
            errc::duplicate_member);
  load_text("JWKS text: a byte order mark", "\xEF\xBB\xBF" + text, errc::invalid_json);
  load_text("JWKS text: trailing data", text + "{}", errc::invalid_json);
  load_text("JWKS text: 100 000 nested arrays",
            R"({"keys":)" + std::string(100000, '[') + std::string(100000, ']') + "}",
            errc::json_too_deep);

  // The verifier builder's own key rules.
  cases.push_back(call_case(
      "a verifier with two keys and no kids",
      [] {
        jot_test::verifier_setup builder = policy();
        builder.add_key(secret_key(algorithm::hs256)).add_key(secret_key(algorithm::hs512));
        return builder.build();
      },
      errc::missing_key_id));
  cases.push_back(call_case(
      "a verifier with two keys under one kid for one alg",
      [] {
        jot_test::verifier_setup builder = policy();
        builder.add_key(secret_key(algorithm::hs256, victim_secret, "k"))
            .add_key(secret_key(algorithm::hs256, std::string(victim_secret) + "!", "k"));
        return builder.build();
      },
      errc::duplicate_key_id));
  cases.push_back(call_case(
      "a verifier with an Ed25519 and an Ed448 key under one kid (both answer to EdDSA)",
      [] {
        jot_test::verifier_setup builder = policy();
        builder.add_key(public_key(algorithm::ed25519, test_key("ed25519"), "k"))
            .add_key(public_key(algorithm::ed448, test_key("ed448"), "k"));
        return builder.build();
      },
      errc::duplicate_key_id));
  cases.push_back(call_case(
      "control: one RSA key under one kid for RS256 and for PS256 (RFC 7517 §4.5)",
      [] {
        jot_test::verifier_setup builder = policy();
        builder.add_key(public_key(algorithm::rs256, test_key("rsa"), "k"))
            .add_key(public_key(algorithm::ps256, test_key("rsa"), "k"));
        return builder.build();
      },
      accepted));
  cases.push_back(call_case(
      "a verifier with no keys", [] { return policy().build(); }, errc::no_keys));
  return cases;
}
JOT_ATTACK_TABLE("ATK-KEY-IMPORT", key_import_table,
                 "JWKs and JWKS documents are imported only when every member is valid")

}  // namespace
