// The generated attack vectors (data/generated/jwt_attack_vectors.json): each must get a
// verdict within the vector's acceptable_results, and each rejection must be the errc jot owes
// it. The tables below were written from each vector's description and reference_reason and
// from the order of checks jot documents (docs/security.md, verifier.hpp): size -> three segments
// -> base64url -> header JSON -> crit, b64, cty, enc, zip -> alg allowlist -> kid -> key's alg
// -> signature -> payload JSON -> claim types -> exp, nbf, iat -> iss -> aud -> sub -> typ ->
// required claims. Where a token breaks several rules, the first check in that order names the
// error; such rows say so. A key the verifier's configuration names but jot refuses (weak,
// invalid, wrong curve) means no token can be checked at all: the row names that refusal.
//
// Keys come from the file's JWKs through jot::verification_key::from_jwk, bound to the
// configuration's alg (never to the token's); a keyset's entries are each published under their
// kid. The forged-HMAC-secret vectors also have their secret checked against jot's key factory.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <openssl/evp.h>

#include <nlohmann/json.hpp>

#include <jot/jot.hpp>

#include "catch.hpp"
#include "test_support.hpp"
#include "vector_support.hpp"
#include "verifier_setup.hpp"

namespace {

constexpr std::string_view attack_file = "generated/jwt_attack_vectors.json";

constexpr std::optional<jot::errc> accepted = std::nullopt;

struct expectation {
  std::string_view id;
  std::optional<jot::errc> outcome;  // nullopt: the token must verify
};

// Vectors whose verifier holds HMAC keys (alg HS256, possibly with the keyset's RS256 key).
// clang-format off
const expectation hmac_verifier_outcomes[] = {
    // BASELINE
    {"baseline-hs256", accepted},
    {"kid-keyset-valid-hmac", accepted},
    {"rfc7515-a1-expired", jot::errc::token_expired},
    {"rfc7515-a1-clock-pinned", accepted},
    // ATK-ALG-NONE: `none` and look-alikes are never in the allowlist (RFC 8725 §3.1).
    {"alg-none-hs-config", jot::errc::algorithm_not_allowed},
    {"alg-zero-width", jot::errc::algorithm_not_allowed},  // "HS256\u200b" is not "HS256"
    // ATK-KEY-CONFUSION
    {"key-confusion-hs-verifier-gets-rs256", jot::errc::algorithm_not_allowed},
    // kid "rsa-1" selects the keyset's RS256 key, and the token's HS256 is not that key's alg:
    // refused before any MAC is computed with the RSA key's bytes (RFC 8725 §3.1, php-jwt
    // CVE-2021-46743). HS256 itself is allowed here, by the keyset's hmac-1 entry.
    {"kid-keyset-alg-confusion", jot::errc::key_algorithm_mismatch},
    // ATK-WEAK-KEY: the key factory refuses the verifier's own secret (RFC 7518 §3.2).
    {"weak-hmac-16", jot::errc::weak_key},
    {"weak-hmac-empty", jot::errc::weak_key},
    // ATK-EMPTY-SIG: a MAC of any length but the hash's is wrong (RFC 7518 §3.2).
    {"hmac-empty-signature", jot::errc::invalid_signature},
    {"hmac-truncated-signature", jot::errc::invalid_signature},
    {"hmac-one-octet-signature", jot::errc::invalid_signature},
    // ATK-EMBEDDED-JWK: the header's jwk is never a key source (RFC 8725 §3.10).
    {"embedded-jwk-oct", jot::errc::invalid_signature},
    // ATK-KID: kid is an opaque, byte-exact lookup key; a non-string kid is a malformed header.
    {"kid-path-traversal-dev-null", jot::errc::unknown_key_id},
    {"kid-path-traversal-known-file", jot::errc::unknown_key_id},
    {"kid-sqli", jot::errc::unknown_key_id},
    {"kid-command-injection", jot::errc::unknown_key_id},
    {"kid-nul-truncation", jot::errc::unknown_key_id},
    {"kid-very-long", jot::errc::unknown_key_id},
    {"kid-type-number", jot::errc::invalid_header},
    {"kid-type-null", jot::errc::invalid_header},
    {"kid-type-object", jot::errc::invalid_header},
    {"kid-type-array", jot::errc::invalid_header},
    // ATK-CRIT (RFC 7515 §4.1.11): an extension not understood is unsupported; a crit that is
    // not a non-empty list of distinct unregistered names is a malformed header.
    {"crit-unknown-ext", jot::errc::unsupported_critical_header},
    {"crit-empty-list", jot::errc::invalid_header},
    {"crit-registered-name", jot::errc::invalid_header},
    {"crit-absent-name", jot::errc::unsupported_critical_header},  // "foo": not understood
    {"crit-not-array", jot::errc::invalid_header},
    {"crit-duplicate", jot::errc::invalid_header},
    {"crit-b64-unsupported", jot::errc::unsupported_critical_header},
    {"crit-understood-ext", accepted},
    // ATK-B64 (RFC 7797): jot does not implement unencoded payloads. All three segments are
    // decoded before the header is read, so an unencoded payload that is not itself canonical
    // base64url fails there, before crit or b64 are looked at: the claims text (braces, quotes)
    // in the first, "eyJ" (non-zero unused bits) in the second.
    {"b64-false-compact", jot::errc::invalid_base64},
    {"b64-false-without-crit", jot::errc::invalid_base64},
    {"b64-false-payload-with-dot", jot::errc::malformed_token},
    // ATK-DUP-JSON: duplicate names, escaped or not, in header or claims (RFC 8725 §3.7).
    {"dup-header-alg-hs-then-none", jot::errc::duplicate_member},
    {"dup-header-alg-none-then-hs", jot::errc::duplicate_member},
    {"dup-header-alg-escaped-duplicate", jot::errc::duplicate_member},
    {"dup-header-kid", jot::errc::duplicate_member},
    {"dup-claim-sub", jot::errc::duplicate_member},
    {"dup-claim-role", jot::errc::duplicate_member},
    {"dup-claim-exp-expired-then-future", jot::errc::duplicate_member},
    {"dup-claim-aud", jot::errc::duplicate_member},
    {"dup-claim-escaped-role", jot::errc::duplicate_member},
    // ATK-JSON-SYNTAX: header and claims must each be one strict JSON object (RFC 8259).
    {"json-header-trailing-garbage", jot::errc::invalid_json},
    {"json-header-two-objects", jot::errc::invalid_json},
    {"json-header-bom", jot::errc::invalid_json},
    {"json-header-array", jot::errc::invalid_json},
    {"json-header-string", jot::errc::invalid_json},
    {"json-header-null", jot::errc::invalid_json},
    {"json-header-number", jot::errc::invalid_json},
    {"json-header-empty", jot::errc::invalid_json},
    {"json-header-single-quotes", jot::errc::invalid_json},
    {"json-header-comment", jot::errc::invalid_json},
    {"json-header-trailing-comma", jot::errc::invalid_json},
    {"json-header-nan", jot::errc::invalid_json},
    {"json-header-unquoted-key", jot::errc::invalid_json},
    {"json-header-invalid-utf8", jot::errc::invalid_json},
    {"json-header-overlong-utf8", jot::errc::invalid_json},
    // "\ud800" names no character and has no UTF-8 form (RFC 8259 §8.2); the vector allows
    // either verdict and the strict parser rejects it.
    {"json-header-lone-surrogate-escape", jot::errc::invalid_json},
    {"json-header-nul-in-key", accepted},
    {"json-payload-array", jot::errc::invalid_json},
    {"json-payload-string", jot::errc::invalid_json},
    {"json-payload-null", jot::errc::invalid_json},
    {"json-payload-empty", jot::errc::invalid_json},
    {"json-payload-trailing-garbage", jot::errc::invalid_json},
    {"json-payload-number-overflow-1e400", jot::errc::invalid_json},
    {"json-header-escaped-alg-value", accepted},
    {"json-header-whitespace", accepted},
    // ATK-B64URL: one byte string, one spelling (RFC 7515 §2, RFC 4648 §3.5); jot has no separate
    // code for whitespace or a Bearer prefix: they are simply not base64url.
    {"b64url-sig-padding", jot::errc::invalid_base64},
    {"b64url-sig-standard-alphabet", jot::errc::invalid_base64},
    {"b64url-sig-trailing-bits", jot::errc::invalid_base64},
    {"b64url-sig-inner-space", jot::errc::invalid_base64},
    {"b64url-sig-inner-newline", jot::errc::invalid_base64},
    {"b64url-sig-invalid-char", jot::errc::invalid_base64},
    {"b64url-sig-length-mod4-1", jot::errc::invalid_base64},
    {"b64url-token-leading-space", jot::errc::invalid_base64},
    {"b64url-token-trailing-newline", jot::errc::invalid_base64},
    {"b64url-token-trailing-crlf", jot::errc::invalid_base64},
    {"b64url-token-bearer-prefix", jot::errc::invalid_base64},
    {"b64url-token-nul-appended", jot::errc::invalid_base64},
    {"b64url-token-nul-inside", jot::errc::invalid_base64},
    {"b64url-token-non-ascii", jot::errc::invalid_base64},
    {"b64url-mac-over-payload-padded", jot::errc::invalid_base64},
    {"b64url-mac-over-payload-trailing-bits", jot::errc::invalid_base64},
    // ATK-SEGMENTS (RFC 7515 §7.1)
    {"segments-empty-string", jot::errc::malformed_token},
    {"segments-one-dot", jot::errc::malformed_token},
    {"segments-two-dots", jot::errc::invalid_json},  // three empty segments: empty header
    {"segments-three-dots", jot::errc::malformed_token},
    {"segments-four-segments", jot::errc::malformed_token},
    {"segments-four-segments-empty-tail", jot::errc::malformed_token},
    {"segments-jwe-5-segments-cookbook", jot::errc::encrypted_token},
    {"segments-jwe-header-3-segments", jot::errc::invalid_header},  // enc is JWE-only
    {"segments-json-serialization", jot::errc::malformed_token},
    {"segments-many-dots-100k", jot::errc::token_too_large},  // size is checked first
    // ATK-DOS
    {"dos-huge-token-100k", jot::errc::token_too_large},
    {"dos-deep-json-10k", jot::errc::json_too_deep},
    {"dos-deep-json-100k", jot::errc::json_too_deep},
    {"dos-deep-json-header", jot::errc::json_too_deep},
    // ATK-CLAIM-TYPES: NumericDate is a number in [0, 253402300799] (RFC 7519 §2); anything else
    // is a wrong type, never "absent". exp is expired from the second it names (RFC 7519 §4.1.4).
    {"claim-exp-string", jot::errc::invalid_claim_type},
    {"claim-exp-bool-true", jot::errc::invalid_claim_type},
    {"claim-exp-null", jot::errc::invalid_claim_type},
    {"claim-exp-array", jot::errc::invalid_claim_type},
    {"claim-exp-object", jot::errc::invalid_claim_type},
    {"claim-exp-float-future", accepted},
    {"claim-exp-float-integral", accepted},
    {"claim-exp-exponent-form", accepted},
    {"claim-exp-float-expired", jot::errc::token_expired},
    {"claim-exp-negative", jot::errc::invalid_claim_type},
    {"claim-exp-zero", jot::errc::token_expired},  // 0 is in range, and long past
    {"claim-exp-expired", jot::errc::token_expired},
    {"claim-exp-int64-max", jot::errc::invalid_claim_type},
    {"claim-exp-int64-max-plus-1", jot::errc::invalid_claim_type},
    {"claim-exp-uint64-max", jot::errc::invalid_claim_type},
    {"claim-exp-two-pow-64", jot::errc::invalid_claim_type},
    {"claim-exp-1e308", jot::errc::invalid_claim_type},
    {"claim-exp-1e400", jot::errc::invalid_json},  // overflows a double: not parsed at all
    {"claim-exp-int64-min", jot::errc::invalid_claim_type},
    {"claim-exp-year-9999", accepted},
    {"claim-exp-year-10000", jot::errc::invalid_claim_type},
    {"claim-nbf-string", jot::errc::invalid_claim_type},
    {"claim-nbf-future", jot::errc::token_not_yet_valid},
    {"claim-nbf-uint64-max-wraps-to-minus-1", jot::errc::invalid_claim_type},
    {"claim-nbf-two-pow-63", jot::errc::invalid_claim_type},
    {"claim-nbf-float-past", accepted},
    {"claim-nbf-bool", jot::errc::invalid_claim_type},
    {"claim-nbf-within-leeway", accepted},
    {"claim-nbf-beyond-leeway", jot::errc::token_not_yet_valid},
    {"claim-iat-string", jot::errc::invalid_claim_type},
    {"claim-iat-future", jot::errc::issued_in_future},
    {"claim-iat-negative", jot::errc::invalid_claim_type},
    {"claim-exp-missing-required", jot::errc::missing_claim},
    {"claim-exp-boundary-now", jot::errc::token_expired},  // exp == now - leeway
    {"claim-exp-boundary-now-plus-1", accepted},
    {"claim-sub-number", jot::errc::invalid_claim_type},
    // ATK-AUD (RFC 7519 §4.1.3): exact, case-sensitive, any-of; wrong shapes are type errors.
    {"claim-aud-string-match", accepted},
    {"claim-aud-array-match", accepted},
    {"claim-aud-array-no-match", jot::errc::audience_mismatch},
    {"claim-aud-case-mismatch", jot::errc::audience_mismatch},
    {"claim-aud-trailing-slash", jot::errc::audience_mismatch},
    {"claim-aud-trailing-space", jot::errc::audience_mismatch},
    // [] is a (vacuous) array of strings: well-typed, but it names no audience of ours.
    {"claim-aud-empty-array", jot::errc::audience_mismatch},
    {"claim-aud-null", jot::errc::invalid_claim_type},
    {"claim-aud-number", jot::errc::invalid_claim_type},
    {"claim-aud-array-with-non-string", jot::errc::invalid_claim_type},
    {"claim-aud-nested-array", jot::errc::invalid_claim_type},
    {"claim-aud-object", jot::errc::invalid_claim_type},
    {"claim-aud-empty-string", jot::errc::audience_mismatch},
    {"claim-aud-prefix", jot::errc::audience_mismatch},
    {"claim-aud-missing", jot::errc::missing_claim},
    // ATK-ISS (RFC 7519 §4.1.1)
    {"claim-iss-array", jot::errc::invalid_claim_type},
    {"claim-iss-mismatch", jot::errc::issuer_mismatch},
    {"claim-iss-case", jot::errc::issuer_mismatch},
    {"claim-iss-number", jot::errc::invalid_claim_type},
    {"claim-iss-missing", jot::errc::missing_claim},
    // ATK-TYP (RFC 8725 §3.11, RFC 9068 §2.1): media types compare case-insensitively with the
    // "application/" prefix optional; a non-string typ is a malformed header.
    {"typ-at+jwt", accepted},
    {"typ-application-prefix", accepted},
    {"typ-uppercase", accepted},
    {"typ-plain-jwt", jot::errc::type_mismatch},
    {"typ-missing", jot::errc::type_mismatch},
    {"typ-id-token-shape", jot::errc::type_mismatch},
    {"typ-number", jot::errc::invalid_header},
    // Wrong typ AND an aud of another client: the type, a header member, is checked with the
    // header, before the signature and so before any claim.
    {"cross-jwt-id-token-as-access-token", jot::errc::type_mismatch},
    // ATK-NESTED (RFC 7519 §5.2, §7.2): cty JWT is refused while reading the header, before
    // the alg allowlist, so the unsigned outer token below is refused as nested too.
    {"nested-cty-jwt-inner-none", jot::errc::nested_token},
    {"nested-unsigned-outer-wrapping-valid-inner", jot::errc::nested_token},
    // zip is JWE-only (RFC 7516 §4.1.3); the vector allows either verdict, jot refuses it.
    {"zip-in-jws-header", jot::errc::invalid_header},
};

// Vectors whose verifier holds one RS256, PS256, ES256/384/512 or EdDSA (Ed25519) key.
const expectation asymmetric_verifier_outcomes[] = {
    // BASELINE: one well-formed token per algorithm, signed with the configured key.
    {"baseline-rs256", accepted},
    {"baseline-ps256", accepted},
    {"baseline-es256", accepted},
    {"baseline-es384", accepted},
    {"baseline-es512", accepted},
    {"baseline-eddsa", accepted},  // header "EdDSA", key Ed25519 (RFC 8037 §3.1)
    {"ecdsa-valid-admin-control", accepted},
    // ATK-ALG-NONE: `none` in any spelling or padding is not the key's alg (RFC 8725 §3.1) ...
    {"alg-none-none", jot::errc::algorithm_not_allowed},
    {"alg-none-None", jot::errc::algorithm_not_allowed},
    {"alg-none-NONE", jot::errc::algorithm_not_allowed},
    {"alg-none-nOnE", jot::errc::algorithm_not_allowed},
    {"alg-none-trailing-space", jot::errc::algorithm_not_allowed},
    {"alg-none-leading-space", jot::errc::algorithm_not_allowed},
    {"alg-none-nul-suffix", jot::errc::algorithm_not_allowed},
    {"alg-none-keep-sig", jot::errc::algorithm_not_allowed},
    {"alg-none-two-segments", jot::errc::malformed_token},  // RFC 7515 §7.1: three segments
    // ... and an alg that is missing or not a string is a malformed header (RFC 7515 §4.1.1),
    // while "" and "rs256" are strings that name no allowed algorithm (names are case-sensitive).
    {"alg-malformed-missing", jot::errc::invalid_header},
    {"alg-malformed-empty", jot::errc::algorithm_not_allowed},
    {"alg-malformed-null", jot::errc::invalid_header},
    {"alg-malformed-array", jot::errc::invalid_header},
    {"alg-malformed-number", jot::errc::invalid_header},
    {"alg-malformed-object", jot::errc::invalid_header},
    {"alg-malformed-lowercase-rs256", jot::errc::algorithm_not_allowed},
    // ATK-KEY-CONFUSION: HS* tokens MACed with the public key in every encoding. The verifier's
    // only key is asymmetric, so HS* is not in its allowlist: no HMAC is ever computed.
    {"key-confusion-rsa-pem-spki-hs256", jot::errc::algorithm_not_allowed},
    {"key-confusion-rsa-pem-spki-hs384", jot::errc::algorithm_not_allowed},
    {"key-confusion-rsa-pem-spki-hs512", jot::errc::algorithm_not_allowed},
    {"key-confusion-rsa-pem-spki-no-trailing-newline-hs256", jot::errc::algorithm_not_allowed},
    {"key-confusion-rsa-pem-spki-crlf-hs256", jot::errc::algorithm_not_allowed},
    {"key-confusion-rsa-pem-spki-leading-space-hs256", jot::errc::algorithm_not_allowed},
    {"key-confusion-rsa-pem-spki-leading-comment-hs256", jot::errc::algorithm_not_allowed},
    {"key-confusion-rsa-pem-pkcs1-hs256", jot::errc::algorithm_not_allowed},
    {"key-confusion-rsa-der-spki-hs256", jot::errc::algorithm_not_allowed},
    {"key-confusion-rsa-der-pkcs1-hs256", jot::errc::algorithm_not_allowed},
    {"key-confusion-rsa-openssh-hs256", jot::errc::algorithm_not_allowed},
    {"key-confusion-rsa-jwk-json-hs256", jot::errc::algorithm_not_allowed},
    {"key-confusion-rsa-jwk-thumbprint-canonical-json-hs256", jot::errc::algorithm_not_allowed},
    {"key-confusion-rsa-raw-modulus-bytes-hs256", jot::errc::algorithm_not_allowed},
    {"key-confusion-rsa-modulus-b64url-text-hs256", jot::errc::algorithm_not_allowed},
    {"key-confusion-rsa-x509-cert-pem-hs256", jot::errc::algorithm_not_allowed},
    {"key-confusion-rsa-x509-cert-der-hs256", jot::errc::algorithm_not_allowed},
    {"key-confusion-ec-pem-spki", jot::errc::algorithm_not_allowed},
    {"key-confusion-ec-der-spki", jot::errc::algorithm_not_allowed},
    {"key-confusion-ec-uncompressed-point", jot::errc::algorithm_not_allowed},
    {"key-confusion-ec-openssh", jot::errc::algorithm_not_allowed},
    {"key-confusion-ec-jwk-json", jot::errc::algorithm_not_allowed},
    {"key-confusion-ed25519-raw", jot::errc::algorithm_not_allowed},  // CVE-2022-29217 shape
    {"key-confusion-ed25519-pem-spki", jot::errc::algorithm_not_allowed},
    {"key-confusion-ed25519-openssh", jot::errc::algorithm_not_allowed},
    // The same RSA key under the other RSA scheme, or another curve's token: each key admits
    // exactly one alg (RFC 8725 §3.1).
    {"key-confusion-rs-token-ps-config", jot::errc::algorithm_not_allowed},
    {"key-confusion-ps-token-rs-config", jot::errc::algorithm_not_allowed},
    {"key-confusion-es384-token-es256-config", jot::errc::algorithm_not_allowed},
    // A P-384 key configured for ES256 is refused when the key is made (RFC 7518 §3.4).
    {"key-confusion-es256-header-p384-key", jot::errc::curve_mismatch},
    // ATK-ECDSA-PSYCHIC (CVE-2022-21449): r = s = 0 in the JWS form, and a DER signature of
    // the wrong length (RFC 7518 §3.4: exactly 2 x the coordinate size).
    {"ecdsa-psychic-es256", jot::errc::invalid_signature},
    {"ecdsa-psychic-es384", jot::errc::invalid_signature},
    {"ecdsa-psychic-es512", jot::errc::invalid_signature},
    {"ecdsa-psychic-der", jot::errc::invalid_signature},
    // ATK-ECDSA-MALFORMED: r, s outside [1, n-1] (SEC 1 §4.1.4), any length but 64 octets, DER
    // instead of R || S, swapped halves: all invalid signatures. High-S is still a valid ECDSA
    // signature (JWS does not require low-S), and a fixed-width r with a leading zero octet is
    // the correct form.
    {"ecdsa-der-instead-of-raw", jot::errc::invalid_signature},
    {"ecdsa-r-zero", jot::errc::invalid_signature},
    {"ecdsa-s-zero", jot::errc::invalid_signature},
    {"ecdsa-r-eq-n", jot::errc::invalid_signature},
    {"ecdsa-s-eq-n", jot::errc::invalid_signature},
    {"ecdsa-r-s-swapped", jot::errc::invalid_signature},
    {"ecdsa-truncated-63", jot::errc::invalid_signature},
    {"ecdsa-extra-zero-65", jot::errc::invalid_signature},
    {"ecdsa-trailing-zero-65", jot::errc::invalid_signature},
    {"ecdsa-r-s-33-octets-each", jot::errc::invalid_signature},
    {"ecdsa-empty", jot::errc::invalid_signature},
    {"ecdsa-r-eq-s-eq-n", jot::errc::invalid_signature},
    {"ecdsa-r-one-s-one", jot::errc::invalid_signature},
    {"ecdsa-high-s", accepted},
    {"ecdsa-r-leading-zero-valid", accepted},
    {"ecdsa-r-leading-zero-stripped", jot::errc::invalid_signature},
    // ATK-RSA-SIGLEN: an RSA signature is exactly k octets (RFC 8017 §8.2.2 step 1), and
    // values 0, 1 and n are no signatures of anything.
    {"rsa-sig-leading-zero-valid", accepted},
    {"rsa-sig-leading-zero-stripped", jot::errc::invalid_signature},
    {"rsa-sig-short-3-octets", jot::errc::invalid_signature},
    {"rsa-sig-empty", jot::errc::invalid_signature},
    {"rsa-sig-prepended-zero-257", jot::errc::invalid_signature},
    {"rsa-sig-all-zero-256", jot::errc::invalid_signature},
    {"rsa-sig-modulus-as-signature", jot::errc::invalid_signature},
    {"rsa-sig-one", jot::errc::invalid_signature},
    // ATK-WEAK-KEY: the configured key itself is refused: e = 1 is no RSA key, and 1024 bits
    // are below RFC 7518 §3.3's floor.
    {"rsa-e1-forgery", jot::errc::invalid_key},
    {"weak-rsa-1024", jot::errc::weak_key},
    // ATK-EMPTY-SIG, ATK-EDDSA-MALLEABLE: an Ed25519 signature is 64 octets with S < L
    // (RFC 8032 §5.1.7).
    {"eddsa-sig-63", jot::errc::invalid_signature},
    {"eddsa-noncanonical-s", jot::errc::invalid_signature},
    // ATK-EMBEDDED-JWK, ATK-JKU-X5U, ATK-X5C: key material or URLs in the header are never
    // used (RFC 8725 §3.10), so the attacker's signature meets the configured key. The kid
    // "attacker-key" selects the single key, which is published without a kid.
    {"embedded-jwk-attacker-rsa", jot::errc::invalid_signature},
    {"embedded-jwk-victim-key-but-attacker-sig", jot::errc::invalid_signature},
    {"remote-key-jku", jot::errc::invalid_signature},
    {"remote-key-x5u", jot::errc::invalid_signature},
    {"remote-key-jku-ssrf", jot::errc::invalid_signature},
    {"remote-key-jku-file", jot::errc::invalid_signature},
    {"x5c-attacker-self-signed", jot::errc::invalid_signature},
    // Correctly signed by the configured key; jku is simply ignored (either verdict allowed).
    {"jku-present-legit-signature", accepted},
};
// clang-format on

// What the forged-HMAC-secret vectors carry, and what jot's key factory must say about it.
enum class secret_form {
  public_key,  // PEM, DER, JWK, OpenSSH or certificate: errc::public_key_as_secret
  raw_bytes,   // bare modulus, point or Ed25519 key: indistinguishable from a random secret
};

// clang-format off
const std::map<std::string_view, secret_form> forged_secret_forms = {
    {"key-confusion-rsa-pem-spki-hs256", secret_form::public_key},
    {"key-confusion-rsa-pem-spki-hs384", secret_form::public_key},
    {"key-confusion-rsa-pem-spki-hs512", secret_form::public_key},
    {"key-confusion-rsa-pem-spki-no-trailing-newline-hs256", secret_form::public_key},
    {"key-confusion-rsa-pem-spki-crlf-hs256", secret_form::public_key},
    {"key-confusion-rsa-pem-spki-leading-space-hs256", secret_form::public_key},
    {"key-confusion-rsa-pem-spki-leading-comment-hs256", secret_form::public_key},
    {"key-confusion-rsa-pem-pkcs1-hs256", secret_form::public_key},
    {"key-confusion-rsa-der-spki-hs256", secret_form::public_key},
    {"key-confusion-rsa-der-pkcs1-hs256", secret_form::public_key},
    {"key-confusion-rsa-openssh-hs256", secret_form::public_key},
    {"key-confusion-rsa-jwk-json-hs256", secret_form::public_key},
    {"key-confusion-rsa-jwk-thumbprint-canonical-json-hs256", secret_form::public_key},
    {"key-confusion-rsa-raw-modulus-bytes-hs256", secret_form::raw_bytes},
    {"key-confusion-rsa-modulus-b64url-text-hs256", secret_form::raw_bytes},
    {"key-confusion-rsa-x509-cert-pem-hs256", secret_form::public_key},
    {"key-confusion-rsa-x509-cert-der-hs256", secret_form::public_key},
    {"key-confusion-ec-pem-spki", secret_form::public_key},
    {"key-confusion-ec-der-spki", secret_form::public_key},
    {"key-confusion-ec-uncompressed-point", secret_form::raw_bytes},
    {"key-confusion-ec-openssh", secret_form::public_key},
    {"key-confusion-ec-jwk-json", secret_form::public_key},
    {"key-confusion-ed25519-raw", secret_form::raw_bytes},
    {"key-confusion-ed25519-pem-spki", secret_form::public_key},
    {"key-confusion-ed25519-openssh", secret_form::public_key},
};
// clang-format on

// default_verifier with the vector's own settings laid over it. A plain member-wise overlay
// (update), not jot_test::json_with: a merge patch would delete the members a vector sets to null
// (expected_aud: null).
nlohmann::json verifier_config(const nlohmann::json& doc, const nlohmann::json& vector) {
  nlohmann::json config = doc.at("default_verifier");
  config.update(vector.at("verifier"));
  return config;
}

std::optional<jot::algorithm> hmac_algorithm(const nlohmann::json& name) {
  if (!name.is_string()) return std::nullopt;
  const auto alg = jot::algorithm_from_name(name.get<std::string>());
  if (!alg || !jot::is_hmac(*alg)) return std::nullopt;
  return alg;
}

bool has_hmac_verifier(const nlohmann::json& config) {
  return hmac_algorithm(config.at("alg")).has_value();
}

// The named JWK bound to the configured alg `name`. "EdDSA" is polymorphic (RFC 8037 §3.1): the
// JWK's curve picks Ed25519. The file's JWKs carry no alg of their own; private members (kept
// for re-signing) are ignored by a verification key.
jot::result<jot::verification_key> configured_key(const nlohmann::json& doc,
                                                  const std::string& name,
                                                  const std::string& key_name) {
  const auto& jwk = doc.at("keys").at(key_name);
  REQUIRE_FALSE(jwk.contains("alg"));
  const auto alg = jot_vectors::algorithm_named(name, jwk.value("crv", ""));
  INFO("configured alg " << name << " for key " << key_name);
  REQUIRE(alg.has_value());
  return jot::verification_key::from_jwk(jwk, *alg);
}

// The keys of a configuration, or the error with which jot refused one of them. A keyset's
// entries (the file's keysets: KEYSET = {hmac-1: HS256, rsa-1: RS256}) are each bound to their
// own alg and published under their kid.
jot::result<std::vector<jot::verification_key>> keys_of(const nlohmann::json& doc,
                                                        const nlohmann::json& config) {
  std::vector<jot::verification_key> keys;
  if (!config.at("key").is_null()) {
    auto key = configured_key(doc, config.at("alg").get<std::string>(),
                              config.at("key").get<std::string>());
    if (!key) return key.error();
    keys.push_back(std::move(*key));
  }
  if (!config.at("keyset").is_null()) {
    const auto& keyset = config.at("keyset").is_string()
                             ? doc.at("keysets").at(config.at("keyset").get<std::string>())
                             : config.at("keyset");
    for (const auto& [kid, entry] : keyset.items()) {
      auto key = configured_key(doc, entry.at("alg").get<std::string>(),
                                entry.at("key").get<std::string>());
      if (!key) return key.error();
      auto with_kid = key->with_key_id(kid);
      REQUIRE(with_kid.has_value());
      keys.push_back(std::move(*with_kid));
    }
  }
  REQUIRE_FALSE(keys.empty());
  return keys;
}

// The vector's verifier configuration in jot's terms.
jot::verifier build_verifier(const nlohmann::json& config,
                             const std::vector<jot::verification_key>& keys) {
  jot_test::verifier_setup builder;
  for (const auto& key : keys) builder.add_key(key);

  // Vectors that need the pinned clock get it, as does every other vector.
  const auto now = config.at("now").get<std::int64_t>();
  builder.allow_custom_clock([now] { return jot_test::at(now); });
  builder.allow_clock_skew(std::chrono::seconds(config.at("leeway").get<std::int64_t>()));

  if (!config.at("expected_iss").is_null()) {
    builder.expect_issuer(config.at("expected_iss").get<std::string>());
  }
  const auto& audience = config.at("expected_aud");
  if (audience.is_null()) {
    builder.ignore_audience();
  } else if (audience.is_array()) {
    for (const auto& item : audience) builder.expect_audience(item.get<std::string>());
  } else {
    builder.expect_audience(audience.get<std::string>());
  }
  if (!config.at("expected_typ").is_null()) {
    builder.expect_type(config.at("expected_typ").get<std::string>());
  }
  bool requires_exp = false;
  for (const auto& claim : config.at("required_claims")) {
    if (claim == "exp") {
      requires_exp = true;  // jot's default
    } else {
      builder.expect_claim(claim.get<std::string>());
    }
  }
  if (!requires_exp) builder.allow_missing_expiration();
  builder.allow_token_size(config.at("max_token_bytes").get<std::size_t>());
  builder.allow_json_depth(config.at("max_json_depth").get<std::size_t>());
  for (const auto& name : config.at("understood_crit")) {
    builder.allow_critical_header(name.get<std::string>());
  }
  // allow_b64_false and allow_nested_jwt have no jot counterpart: jot never processes either
  // (a vector that sets allow_b64_false is a 4-segment token, refused on structure alone).
  // min_rsa_bits is jot's fixed floor (RFC 7518 §3.3). The NumericDate range must be jot's.
  REQUIRE_FALSE(config.at("allow_nested_jwt").get<bool>());
  REQUIRE(config.at("min_rsa_bits").get<int>() == 2048);
  REQUIRE(config.at("numericdate_max").get<std::int64_t>() == jot::max_numeric_date);

  auto verifier = builder.build();
  INFO("verifier_builder: " << jot_vectors::outcome(verifier));
  REQUIRE(verifier.has_value());
  return *verifier;
}

std::string verdict_of(bool accepted_token) { return accepted_token ? "valid" : "invalid"; }

bool acceptable(const nlohmann::json& vector, const std::string& verdict) {
  for (const auto& result : vector.at("acceptable_results")) {
    if (result == verdict) return true;
  }
  return false;
}

// HMAC computed by OpenSSL directly, not by jot, to confirm a vector's premise.
std::string openssl_hmac(const char* digest, std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  std::size_t size = 0;
  const auto* computed = EVP_Q_mac(nullptr, "HMAC", nullptr, digest, nullptr, key.data(),
                                   key.size(), reinterpret_cast<const unsigned char*>(data.data()),
                                   data.size(), out, sizeof out, &size);
  REQUIRE(computed != nullptr);
  return std::string(reinterpret_cast<const char*>(out), size);
}

struct run_totals {
  int checked = 0;
  int accepted = 0;
  int rejected = 0;
  int refused_keys = 0;  // rejected because the configured key was refused (counted above too)
  int pinned = 0;
  int other_verifiers = 0;  // vectors of the other table
};

// Runs every vector whose verifier is (or is not, per `hmac`) an HMAC verifier against the
// expectations of `rows`, each of which must be used exactly once.
template <std::size_t N>
run_totals run_vectors(const nlohmann::json& doc, const expectation (&rows)[N], bool hmac) {
  std::map<std::string_view, std::optional<jot::errc>> table;
  for (const auto& row : rows) REQUIRE(table.emplace(row.id, row.outcome).second);

  run_totals totals;
  std::map<std::string_view, int> used;
  for (const auto& vector : doc.at("vectors")) {
    const auto id = vector.at("id").get<std::string>();
    const auto config = verifier_config(doc, vector);
    if (has_hmac_verifier(config) != hmac) {
      ++totals.other_verifiers;
      continue;
    }
    INFO("vector " << id << " (" << vector.at("catalog_id").get<std::string>()
                   << "): " << vector.at("description").get<std::string>());
    const auto row = table.find(id);
    if (row == table.end()) FAIL("no expected outcome for this vector; add it to the table");
    ++used[row->first];
    ++totals.checked;
    if (vector.at("requires_pinned_clock") == true) ++totals.pinned;
    const auto& expected = row->second;
    REQUIRE(acceptable(vector, verdict_of(!expected.has_value())));

    const auto keys = keys_of(doc, config);
    if (!keys) {
      // The verifier's own key is refused: the token can never be checked.
      INFO("key factory: " << jot_vectors::outcome(keys));
      REQUIRE(expected.has_value());
      CHECK(keys.error() == *expected);
      ++totals.refused_keys;
      ++totals.rejected;
      continue;
    }

    const auto result = build_verifier(config, *keys).verify(vector.at("token").get<std::string>());
    INFO("jot: " << jot_vectors::outcome(result)
                 << "; reference verifier: " << vector.at("reference_reason").get<std::string>());
    CHECK(acceptable(vector, verdict_of(result.has_value())));
    if (expected) {
      CHECK(result.error() == *expected);
      ++totals.rejected;
    } else {
      CHECK(result.has_value());
      ++totals.accepted;
    }
  }

  CHECK(used.size() == table.size());  // no stale rows
  for (const auto& [id, count] : used) {
    INFO(id);
    CHECK(count == 1);
  }
  return totals;
}

}  // namespace

TEST_CASE("Generated attack vectors for HMAC verifiers get the verdict and errc jot owes them",
          "[vectors][attacks]") {
  const auto doc = jot_vectors::load(attack_file);
  const auto totals = run_vectors(doc, hmac_verifier_outcomes, /*hmac=*/true);

  // Counted independently from the file: 258 vectors, 166 with an HS verifier (19 expected to
  // verify), 92 with an RS/PS/ES/EdDSA verifier; 5 need the pinned clock, all of them HS. The
  // 2 refused keys are the 16-octet and the empty HMAC secret.
  CHECK(totals.checked == 166);
  CHECK(totals.accepted == 19);
  CHECK(totals.rejected == 147);
  CHECK(totals.refused_keys == 2);
  CHECK(totals.pinned == 5);
  CHECK(totals.other_verifiers == 92);
}

TEST_CASE("Generated attack vectors for RSA, ECDSA and EdDSA verifiers get the errc jot owes them",
          "[vectors][attacks]") {
  const auto doc = jot_vectors::load(attack_file);
  const auto totals = run_vectors(doc, asymmetric_verifier_outcomes, /*hmac=*/false);

  // Counted independently from the file: 92 vectors with an RS256 (53), PS256 (2), ES256 (27),
  // ES384 (2), ES512 (2) or EdDSA (6) verifier; 11 expected to verify (six baselines, the ECDSA
  // control, high-S, fixed-width r with a leading zero, an RSA signature with a leading zero
  // octet, and the ignored jku). Refused keys: RSA e = 1, RSA-1024, P-384 for ES256.
  CHECK(totals.checked == 92);
  CHECK(totals.accepted == 11);
  CHECK(totals.rejected == 81);
  CHECK(totals.refused_keys == 3);
  CHECK(totals.pinned == 0);
  CHECK(totals.other_verifiers == 166);
}

TEST_CASE("Public keys forged into HMAC secrets are refused by jot's key factory",
          "[vectors][attacks]") {
  const auto doc = jot_vectors::load(attack_file);

  int public_keys = 0, raw_bytes = 0;
  for (const auto& vector : doc.at("vectors")) {
    if (!vector.contains("hmac_secret_b64u")) continue;
    const auto id = vector.at("id").get<std::string>();
    INFO("vector " << id);
    const auto form = forged_secret_forms.find(id);
    if (form == forged_secret_forms.end()) FAIL("no expected form for this forged secret");
    const auto forged = jot_vectors::b64u(vector.at("hmac_secret_b64u").get<std::string>());

    // The premise: the token really is MACed with these bytes (checked with OpenSSL, not jot).
    const auto token = vector.at("token").get<std::string>();
    const auto header = nlohmann::json::parse(jot_vectors::b64u(token.substr(0, token.find('.'))));
    const auto alg = hmac_algorithm(header.at("alg"));
    REQUIRE(alg.has_value());
    const char* digest = *alg == jot::algorithm::hs256   ? "SHA256"
                         : *alg == jot::algorithm::hs384 ? "SHA384"
                                                         : "SHA512";
    CHECK(openssl_hmac(digest, forged, jot_vectors::signing_input_of(token)) ==
          jot_vectors::b64u(jot_vectors::signature_segment_of(token)));

    const auto signing = jot::signing_key::hs256(jot::secret_bytes(forged));
    const auto verification = jot::verification_key::hmac(*alg, jot::secret_bytes(forged));
    if (form->second == secret_form::public_key) {
      // RFC 8725 §2.1, §3.1: public key material can never become an HMAC secret, whatever
      // its encoding (PEM with any framing, DER, JWK JSON, OpenSSH, X.509).
      CHECK(signing.error() == jot::errc::public_key_as_secret);
      CHECK(verification.error() == jot::errc::public_key_as_secret);
      ++public_keys;
    } else {
      // High-entropy bytes of the right length carry no marker that could tell them from a
      // random secret. jot's defence here is the typed key: the RS/ES/EdDSA verifier that
      // holds this public key has no HMAC code path for the token to reach.
      CHECK(signing.has_value());
      CHECK(verification.has_value());
      ++raw_bytes;
    }
  }
  CHECK(public_keys == 21);
  CHECK(raw_bytes == 4);
  CHECK(public_keys + raw_bytes == static_cast<int>(forged_secret_forms.size()));
}
