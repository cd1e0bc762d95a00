// Wycheproof JOSE vectors for compact JWS: data/wycheproof/testvectors_v1/
// json_web_signature_test.json and the JWS part of json_web_crypto_test.json, with symmetric
// (kty "oct", HS*) keys and with RSA and EC keys (RS*, PS*, ES*). These vectors test the JWS
// layer, so the verifier relaxes every claim rule (no exp required, aud and typ ignored) and
// allows large tokens.
//
// jot verifies JWTs: after the signature holds, the payload must be a JSON object (RFC 7519
// §7.2 step 10). Every valid vector here has a non-JSON payload ("foo", "Test", "", binary
// octets, the RFC 7520 text), so for those "accepted at the JWS layer" is asserted as: the
// verifier got past the signature and stopped at the payload with errc::invalid_json, and the
// key's own verify() accepts the signature over the signing input. A valid vector with a JSON
// object payload must verify.
//
// Keys come from the group's JWK through jot::verification_key::from_jwk, bound to the JWK's
// `alg`: the public JWK where the group gives one, else the private one (oct keys). Where jot
// refuses the key, every case of the group must name that refusal as its expected errc.

#include <algorithm>
#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <jot/jot.hpp>

#include "catch.hpp"
#include "vector_support.hpp"

namespace {

constexpr std::string_view signature_file =
    "wycheproof/testvectors_v1/json_web_signature_test.json";
constexpr std::string_view crypto_file = "wycheproof/testvectors_v1/json_web_crypto_test.json";

// The errc for an invalid case, chosen by its tcId first (per file, see file_rules), then by a
// Wycheproof flag, then by its comment. Every invalid case must find an entry, so a new
// upstream case cannot pass unexamined.
const std::map<std::string_view, jot::errc> expected_by_flag = {
    // A JSON-serialized JWS has no dots at all: not a compact JWS (RFC 7515 §7.1).
    {"JsonSerialization", jot::errc::malformed_token},
    // `none` in any spelling is never in a verifier's allowlist (RFC 7518 §3.6, RFC 8725 §3.1).
    {"AlgIsNone", jot::errc::algorithm_not_allowed},
    // Signatures whose RSA padding (PKCS#1 v1.5 DigestInfo, PSS encoding) or octets were
    // altered: RFC 8017 §8.2.2, §8.1.2; a wrong length fails the length check of RFC 7518 §3.3.
    {"ModifiedPadding", jot::errc::invalid_signature},
    {"ModifiedSignature", jot::errc::invalid_signature},
};

const std::map<std::string_view, jot::errc> expected_by_comment = {
    // Structure (RFC 7515 §7.1: exactly three segments).
    {"rejectsMissingSignatureAndSeparator", jot::errc::malformed_token},
    {"rejectsMissingPayloadAndSeparator", jot::errc::malformed_token},
    {"rejectsMissingHeaderAndSeparator", jot::errc::malformed_token},
    {"rejectsMissingHeaderSignatureAndSeparators", jot::errc::malformed_token},
    {"rejectsMissingHeaderSignatureAndSeparator", jot::errc::malformed_token},  // RSA groups
    {"rejectsEmptyString", jot::errc::malformed_token},
    {"rejectsExtraEmptyComponent", jot::errc::malformed_token},
    {"rejectsExtraComponent", jot::errc::malformed_token},
    // An empty header segment decodes to no JSON object at all (RFC 7515 §5.2 step 3).
    {"rejectsMissingHeader", jot::errc::invalid_json},
    {"rejectsMissingHeaderAndSignature", jot::errc::invalid_json},
    {"rejectsNoneAlgorithmAndMissingSignature", jot::errc::algorithm_not_allowed},
    // The upstream modification turns kid "kid-…-sign" into "Xid-…-sign": a kid that names
    // no key is an error before any signature is checked, never a fallback to another key.
    {"rejectsModifiedHeader", jot::errc::unknown_key_id},
    // Signature mismatches (RFC 7515 §5.2 step 8); an empty signature has the wrong length
    // (RFC 7518 §3.2 to §3.5).
    {"rejectsModifiedSignature", jot::errc::invalid_signature},
    {"rejectsMissingSignature", jot::errc::invalid_signature},
    {"rejectsModifiedPayload", jot::errc::invalid_signature},
    {"rejectsMissingPayload", jot::errc::invalid_signature},
    // Non-canonical base64url anywhere in the token (RFC 7515 §2: no padding, whitespace or
    // other characters; RFC 4648 §3.5: unused bits must be zero).
    {"rejectsSpacesInMac", jot::errc::invalid_base64},
    {"rejectsInvalidCharacterInsertedInMac", jot::errc::invalid_base64},
    {"rejects0ReplacedbyInvalidCharacter", jot::errc::invalid_base64},
    {"rejectsInvalidCharacters", jot::errc::invalid_base64},
    {"spacesInHeader", jot::errc::invalid_base64},
    {"invalidCharactersInHeader", jot::errc::invalid_base64},
    {"spacesInPayload", jot::errc::invalid_base64},
    {"invalidCharactersInPayload", jot::errc::invalid_base64},
    {"InvalidCharacterInPayload", jot::errc::invalid_base64},
    {"InvalidCharacterInsertedInHeader", jot::errc::invalid_base64},   // tcId 372, see errata
    {"InvalidCharacterInsertedInPayload", jot::errc::invalid_base64},  // tcId 373, see errata
    {"ModifiedUnusedBitsInPayload", jot::errc::invalid_base64},
    {"MacOfIncorrectlyEncodedMessage", jot::errc::invalid_base64},
    // An HS256 token MACed with the EC key's bytes, sent to the ES256 verifier: HS256 is not in
    // its allowlist (RFC 8725 §3.1); no HMAC code path exists for an EC key.
    {"rejectsSymmetryConfusionAttacks_aesKeyFromEcVerificationKeyBytes",
     jot::errc::algorithm_not_allowed},
    // The header's jwk is never a key source (RFC 8725 §3.10): the configured key finds the
    // attacker's signature invalid.
    {"rejectsAttackerProvidedEmbeddedJwk", jot::errc::invalid_signature},
    // The key itself is refused (RFC 7517 §4.2, §4.3: use "enc", key_ops without "verify").
    {"rejectWrongUse", jot::errc::key_use_mismatch},
    {"rejectWrongKeyOps", jot::errc::key_use_mismatch},
    // A modulus with the ROCA structure (CVE-2017-15361) can be factored: the key must be
    // refused as weak (docs/security.md, ATK-WEAK-KEY).
    {"rejectsKeyWithRocaVulnerability", jot::errc::weak_key},
    // SpecialCaseEs256: an ES256 signature is exactly 64 octets (RFC 7518 §3.4), and r and s
    // must lie in [1, n-1] (SEC 1 §4.1.4 step 1; CVE-2022-21449 for r = s = 0).
    {"SignatureTooLong", jot::errc::invalid_signature},
    {"TrailingZeros", jot::errc::invalid_signature},
    {"RisTooBig", jot::errc::invalid_signature},
    {"SisTooBig", jot::errc::invalid_signature},
    {"IntegerOverflow", jot::errc::invalid_signature},
    {"BufferOverflow", jot::errc::invalid_signature},
    {"rIsZero_sIsZero", jot::errc::invalid_signature},
    {"rIsZero_sIsOne", jot::errc::invalid_signature},
    {"rIsZero_sIsNminus1", jot::errc::invalid_signature},
    {"rIsZero_sIsN", jot::errc::invalid_signature},
    {"rIsOne_sIsZero", jot::errc::invalid_signature},
    {"rIsOne_sIsOne", jot::errc::invalid_signature},
    {"rIsOne_sIsNminus1", jot::errc::invalid_signature},
    {"rIsOne_sIsN", jot::errc::invalid_signature},
    {"rIsNminus1_sIsZero", jot::errc::invalid_signature},
    {"rIsNminus1_sIsOne", jot::errc::invalid_signature},
    {"rIsNminus1_sIsNminus1", jot::errc::invalid_signature},
    {"rIsNminus1_sIsN", jot::errc::invalid_signature},
    {"rIsN_sIsZero", jot::errc::invalid_signature},
    {"rIsN_sIsOne", jot::errc::invalid_signature},
    {"rIsN_sIsNminus1", jot::errc::invalid_signature},
    {"rIsN_sIsN", jot::errc::invalid_signature},
};

// What is particular to one vector file: upstream data errors (data/README.md, "Upstream
// errata") and cases that only their tcId tells apart.
struct file_rules {
  // Labelled invalid (missing padding) but byte-identical to the valid tcId 357: skipped, after
  // checking that they still are identical, so an upstream fix makes this test ask for review.
  std::set<int> skipped;
  int identical_to = 0;
  // Labelled valid but carry a '?' inside a segment and the MAC does not cover the literal
  // signing input: a strict verifier rejects them, so they are expected invalid.
  std::set<int> treated_as_invalid;
  // The group key of these cases carries the wrong `alg`; the one the token and RFC 7520 use
  // replaces it in the JWK.
  std::map<int, jot::algorithm> key_algorithm_overrides;
  std::map<int, jot::errc> expected_by_id;
};

const file_rules signature_file_rules = {
    {367, 370},
    357,
    {372, 373},
    // RFC 7520 Figure 20 is PS384 (§4.2) but its group key says "PS256"; Figure 27 is ES512
    // (§4.3) but its group key says "ES521", which is no registered algorithm (RFC 7518 §3.1).
    {{346, jot::algorithm::ps384},
     {350, jot::algorithm::ps384},
     {347, jot::algorithm::es512},
     {351, jot::algorithm::es512}},
    // The ps512 group's "UsingRS256" ... "UsingPS384" cases come in pairs: a signature made with
    // the other primitive under the honest header "PS512" (odd tcIds: the PSS/SHA-512
    // verification fails), and the same signature under that primitive's own alg (even tcIds:
    // not in the PS512 key's allowlist, RFC 8725 §3.1, refused before any arithmetic).
    {{331, jot::errc::invalid_signature},
     {332, jot::errc::algorithm_not_allowed},
     {333, jot::errc::invalid_signature},
     {334, jot::errc::algorithm_not_allowed},
     {335, jot::errc::invalid_signature},
     {336, jot::errc::algorithm_not_allowed},
     {337, jot::errc::invalid_signature},
     {338, jot::errc::algorithm_not_allowed},
     {339, jot::errc::invalid_signature},
     {340, jot::errc::algorithm_not_allowed}},
};

// The errata of data/README.md concern the signature file only.
const file_rules crypto_file_rules = {};

// JWKs without `alg` (RFC 7517 §4.4 makes it optional). An application importing one names
// the algorithm it expects; these groups are encryption keys offered for the RS256 and ES256
// tokens they carry.
const std::map<std::string_view, jot::algorithm> algorithm_for_alg_less_keys = {
    {"rsa_encryption", jot::algorithm::rs256},
    {"ec_key_for_encryption", jot::algorithm::es256},
};

enum class key_kind { symmetric, asymmetric };

struct jws_tally {
  int valid = 0;
  int valid_non_json_payload = 0;
  int invalid = 0;
  int refused_keys = 0;  // invalid cases whose key jot refused (counted in invalid too)
  int overridden = 0;    // valid cases run with a corrected key alg (counted in valid too)
  int skipped = 0;
};

bool is_oct_key(const nlohmann::json& jwk) { return jwk.value("kty", "") == "oct"; }

// The JWKs of a test group: its public key where given (asymmetric groups), else its private
// key, or each member of a keyset ({"keys": [...]}). The public JWK is what a verifier holds;
// for tcId 349 it also differs: its private JWK has the malformed key_ops ["sign, verify"].
std::vector<nlohmann::json> group_keys(const nlohmann::json& group) {
  const auto& jwk = group.contains("public") ? group.at("public") : group.at("private");
  if (jwk.contains("keys")) return jwk.at("keys").get<std::vector<nlohmann::json>>();
  return {jwk};
}

bool all_of_kind(const std::vector<nlohmann::json>& keys, key_kind kind) {
  for (const auto& jwk : keys) {
    if (is_oct_key(jwk) != (kind == key_kind::symmetric)) return false;
  }
  return !keys.empty();
}

bool any_oct(const std::vector<nlohmann::json>& keys) {
  for (const auto& jwk : keys) {
    if (is_oct_key(jwk)) return true;
  }
  return false;
}

bool is_jws_group(const nlohmann::json& group) {
  for (const auto& test : group.at("tests")) {
    if (!test.contains("jws")) return false;
  }
  return true;
}

// The algorithm the application binds the group's key to: a corrected one for the errata
// groups, else the JWK's own `alg`, else the one the application expects for an alg-less key.
jot::algorithm configured_algorithm(const nlohmann::json& group, const nlohmann::json& jwk,
                                    const file_rules& rules, bool& overridden) {
  for (const auto& test : group.at("tests")) {
    const auto it = rules.key_algorithm_overrides.find(test.at("tcId").get<int>());
    if (it == rules.key_algorithm_overrides.end()) continue;
    REQUIRE(group.at("tests").size() == 1);
    overridden = true;
    return it->second;
  }
  if (jwk.contains("alg")) {
    const auto alg =
        jot_vectors::algorithm_named(jwk.at("alg").get<std::string>(), jwk.value("crv", ""));
    INFO("JWK alg " << jwk.at("alg").get<std::string>());
    REQUIRE(alg.has_value());
    return *alg;
  }
  // Without `alg` and without the application's choice, jot cannot bind the key.
  CHECK(jot::verification_key::from_jwk(jwk).error() == jot::errc::missing_algorithm);
  const auto it = algorithm_for_alg_less_keys.find(group.at("comment").get<std::string>());
  if (it == algorithm_for_alg_less_keys.end()) FAIL("an alg-less JWK in an unexpected group");
  return it->second;
}

// The token size cap of this file's verifiers (jot_vectors::jws_layer_verifier): large tokens are
// allowed, see the file comment.
constexpr std::size_t jws_vector_max_token_bytes = 1 << 20;

std::string token_text(const nlohmann::json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

std::optional<jot::errc> expected_error(const nlohmann::json& test, const file_rules& rules) {
  const auto by_id = rules.expected_by_id.find(test.at("tcId").get<int>());
  if (by_id != rules.expected_by_id.end()) return by_id->second;
  for (const auto& flag : test.at("flags")) {
    const auto it = expected_by_flag.find(flag.get<std::string>());
    if (it != expected_by_flag.end()) return it->second;
  }
  const auto it = expected_by_comment.find(test.at("comment").get<std::string>());
  if (it != expected_by_comment.end()) return it->second;
  return std::nullopt;
}

// A valid compact JWS must be accepted; see the file comment for non-JSON payloads.
void check_accepted(const std::string& token, const jot::verifier& verifier,
                    const std::vector<jot::verification_key>& keys, jws_tally& seen) {
  ++seen.valid;
  if (jot_vectors::is_json_object(jot_vectors::payload_of(token))) {
    const auto result = verifier.verify(token);
    INFO("jot: " << jot_vectors::outcome(result));
    CHECK(result.has_value());
    return;
  }
  ++seen.valid_non_json_payload;
  // The signature holds under the key the token's kid names.
  const auto header = nlohmann::json::parse(jot_vectors::b64u(token.substr(0, token.find('.'))));
  REQUIRE(header.is_object());
  const auto kid = header.value("kid", "");
  int matching_keys = 0;
  for (const auto& key : keys) {
    if (key.key_id().value_or("") != kid) continue;
    ++matching_keys;
    jot_vectors::check_authentic_non_jwt(token, verifier, key);
  }
  CHECK(matching_keys == 1);
}

// Runs every JWS group of a vector file whose keys are all of `kind`; returns what it saw.
// Keysets that mix oct and other keys are counted as skipped by the symmetric run: the
// vector is about refusing such a keyset as a JWKS (see the JWS-API test below).
jws_tally run_groups(const nlohmann::json& doc, const file_rules& rules, key_kind kind) {
  jws_tally seen;
  for (const auto& group : doc.at("testGroups")) {
    const auto keys_json = group_keys(group);
    if (!all_of_kind(keys_json, kind) || !is_jws_group(group)) {
      if (kind == key_kind::symmetric && any_oct(keys_json) && is_jws_group(group)) {
        seen.skipped += static_cast<int>(group.at("tests").size());
      }
      continue;
    }
    INFO("group: " << group.value("comment", ""));

    std::vector<jot::verification_key> keys;
    std::optional<jot::errc> refused;
    bool overridden = false;
    for (auto jwk : keys_json) {
      const auto alg = configured_algorithm(group, jwk, rules, overridden);
      // The erratum is in the JWK itself, so it is corrected there: jot checks the JWK's alg
      // against the one the application asks for.
      if (overridden) jwk["alg"] = std::string(jot::algorithm_name(alg));
      auto key = jot::verification_key::from_jwk(jwk, alg);
      INFO("key as " << jot::algorithm_name(alg) << ": " << jot_vectors::outcome(key));
      if (!key) {
        refused = static_cast<jot::errc>(key.error().value());
        continue;
      }
      CHECK(key->key_id() == jwk.value("kid", ""));
      keys.push_back(*key);
    }

    for (const auto& test : group.at("tests")) {
      const auto id = test.at("tcId").get<int>();
      const auto label = test.at("result").get<std::string>();
      const auto comment = test.at("comment").get<std::string>();
      const auto token = token_text(test.at("jws"));
      INFO("tcId " << id << " " << comment << " (labelled " << label << ")");

      if (rules.skipped.count(id) != 0) {
        bool found = false;
        for (const auto& other : group.at("tests")) {
          if (other.at("tcId") != rules.identical_to) continue;
          found = true;
          CHECK(token == token_text(other.at("jws")));
        }
        CHECK(found);
        ++seen.skipped;
        continue;
      }
      const bool treated_as_invalid = rules.treated_as_invalid.count(id) != 0;
      if (label == "valid" && !treated_as_invalid) {
        REQUIRE_FALSE(refused.has_value());
        if (overridden) ++seen.overridden;
        check_accepted(token, jot_vectors::jws_layer_verifier(keys, jws_vector_max_token_bytes),
                       keys, seen);
        continue;
      }
      REQUIRE((label == "invalid" || treated_as_invalid));
      const auto expected = expected_error(test, rules);
      if (!expected) FAIL("no expected errc for this invalid case; add it to the table");
      ++seen.invalid;
      if (refused) {
        // The key never loads, so no token of this group can be checked at all.
        CHECK(*refused == *expected);
        ++seen.refused_keys;
        continue;
      }
      const auto result =
          jot_vectors::jws_layer_verifier(keys, jws_vector_max_token_bytes).verify(token);
      INFO("jot: " << jot_vectors::outcome(result));
      CHECK(result.error() == *expected);
    }
  }
  return seen;
}

}  // namespace

TEST_CASE("Wycheproof JWS vectors with HMAC keys are accepted or rejected with the right errc",
          "[vectors][wycheproof][jws]") {
  const auto doc = jot_vectors::load(signature_file);
  const auto seen = run_groups(doc, signature_file_rules, key_kind::symmetric);

  // Counted independently from the file: HS groups hs256 (17 cases), rfc7520 (1 + 1, Figure 35)
  // and base64 (21). Valid: tcId 1, 348, 352, 357, 358, 359, 376, 377 (all non-JSON payloads).
  CHECK(seen.valid == 8);
  CHECK(seen.valid_non_json_payload == 8);
  CHECK(seen.invalid == 30);  // 16 + 14, including 372/373
  CHECK(seen.refused_keys == 0);
  CHECK(seen.skipped == 2);  // 367, 370
}

TEST_CASE(
    "Wycheproof JWS vectors with RSA and EC keys are accepted or rejected with the right errc",
    "[vectors][wycheproof][jws]") {
  const auto doc = jot_vectors::load(signature_file);
  const auto seen = run_groups(doc, signature_file_rules, key_kind::asymmetric);

  // Counted independently from the file (Python): 19 groups with RSA or EC keys, 361 cases.
  // Valid (36, all non-JSON payloads): es256 1, rs256 1, RS256/384/512 5 + 4 + 4, PS256 6,
  // PS384 4, PS512 4, rfc7520 and rfc7520WithKeyOps 3 + 3 (4 of them with the corrected key
  // alg: tcId 346, 347, 350, 351), SpecialCaseEs256 1.
  CHECK(seen.valid == 36);
  CHECK(seen.valid_non_json_payload == 36);
  CHECK(seen.overridden == 4);
  // Invalid (325): es256 14, rs256 225, PS256 42, PS384 1, PS512 16, wrong use / key_ops 4
  // (tcId 353 to 356, refused keys), SpecialCaseEs256 23.
  CHECK(seen.invalid == 325);
  CHECK(seen.refused_keys == 4);
  CHECK(seen.skipped == 0);
}

TEST_CASE("Wycheproof JWS errata: the uncorrected RFC 7520 group keys do not verify their tokens",
          "[vectors][wycheproof][jws]") {
  const auto doc = jot_vectors::load(signature_file);
  // Guards the key_algorithm_overrides above: if upstream fixes the keys, this fails and the
  // overrides can go. A key bound to its (wrong) alg must not verify the other alg's token.
  int checked = 0;
  for (const auto& group : doc.at("testGroups")) {
    for (const auto& test : group.at("tests")) {
      const auto id = test.at("tcId").get<int>();
      if (signature_file_rules.key_algorithm_overrides.count(id) == 0) continue;
      INFO("tcId " << id);
      const auto& jwk = group.at("public");
      const auto name = jwk.at("alg").get<std::string>();
      const auto token = token_text(test.at("jws"));
      if (name == "PS256") {
        // A PS256 key: the PS384 token's alg is not in the verifier's allowlist.
        const auto key = jot::verification_key::from_jwk(jwk);
        REQUIRE(key.has_value());
        CHECK(jot_vectors::jws_layer_verifier({*key}, jws_vector_max_token_bytes)
                  .verify(token)
                  .error() == jot::errc::algorithm_not_allowed);
      } else {
        // "ES521" names no signature algorithm, with or without ES512 asked for.
        REQUIRE(name == "ES521");
        CHECK(jot::verification_key::from_jwk(jwk).error() == jot::errc::key_use_mismatch);
        CHECK(jot::verification_key::from_jwk(jwk, jot::algorithm::es512).error() ==
              jot::errc::key_use_mismatch);
      }
      ++checked;
    }
  }
  CHECK(checked == 4);
}

TEST_CASE("Wycheproof JWS-API vectors with HMAC keys and keysets verify as labelled",
          "[vectors][wycheproof][jws]") {
  const auto doc = jot_vectors::load(crypto_file);
  const auto seen = run_groups(doc, crypto_file_rules, key_kind::symmetric);

  // jws_aes (17 cases) and jws_keyset (two HS256 keys, 2 cases). Skipped: jws_mixedSymmetryKeyset
  // (tcId 47), whose keyset mixes the HS256 key with an EC key: the vector asks a JWKS loader
  // to refuse such a keyset. The same keyset is json_web_key_test.json tcId 1, where
  // wycheproof_jwk_test.cpp records that jot's key_set accepts it by design, each key bound to
  // its own alg.
  CHECK(seen.valid == 2);
  CHECK(seen.valid_non_json_payload == 2);
  CHECK(seen.invalid == 17);
  CHECK(seen.refused_keys == 0);
  CHECK(seen.skipped == 1);
}

TEST_CASE("Wycheproof JWS-API vectors with RSA and EC keys verify as labelled",
          "[vectors][wycheproof][jws]") {
  const auto doc = jot_vectors::load(crypto_file);
  const auto seen = run_groups(doc, crypto_file_rules, key_kind::asymmetric);

  // jws_ec (15 cases, tcId 18 to 32), jws_rsa (13, tcId 33 to 45) and jws_rsa_roca_key (tcId
  // 46), whose key must be refused as weak.
  CHECK(seen.valid == 2);
  CHECK(seen.valid_non_json_payload == 2);
  CHECK(seen.invalid == 27);
  CHECK(seen.refused_keys == 1);  // tcId 46: the ROCA key
  CHECK(seen.skipped == 0);
}

TEST_CASE("Wycheproof JWE inputs are never taken for a JWS", "[vectors][wycheproof][jws]") {
  const auto doc = jot_vectors::load(crypto_file);

  // The jwe_aes and jwe_ec groups' keys are for A256KW (RFC 7518 §4.4) and ECDH-ES+A128KW
  // (§4.6), encryption algorithms: jot has no name for them, and as a signing algorithm's key
  // the JWK contradicts its own alg. Their tokens, handed to a verifier of the same key type,
  // must fail on structure before any key or signature is involved: a JWE compact
  // serialization has five segments (RFC 7516 §7.1), these mutations four or five, and the
  // JSON form none. jot_jwe_tests decrypts them (wycheproof_jwe_test.cpp).
  int checked = 0;
  for (const auto& group : doc.at("testGroups")) {
    if (is_jws_group(group)) continue;
    const auto keys_json = group_keys(group);
    REQUIRE(keys_json.size() == 1);
    const auto& jwk = keys_json.front();
    INFO("group " << group.at("comment").get<std::string>() << ", JWK alg "
                  << jwk.at("alg").get<std::string>());
    CHECK_FALSE(jot::algorithm_from_name(jwk.at("alg").get<std::string>()).has_value());
    const auto alg = is_oct_key(jwk) ? jot::algorithm::hs256 : jot::algorithm::es256;
    CHECK(jot::verification_key::from_jwk(jwk, alg).error() == jot::errc::key_use_mismatch);

    const auto key = jot::signing_key::generate(alg);
    REQUIRE(key.has_value());
    const auto verifier = jot_vectors::jws_layer_verifier({key->verification_key().value()},
                                                          jws_vector_max_token_bytes);
    for (const auto& test : group.at("tests")) {
      INFO("tcId " << test.at("tcId").get<int>() << " " << test.at("comment").get<std::string>());
      REQUIRE(test.contains("jwe"));
      // Five segments are a JWE (encrypted_token); four, or the JSON form, no token at all.
      const std::string token = token_text(test.at("jwe"));
      CHECK(verifier.verify(token).error() == (std::count(token.begin(), token.end(), '.') == 4
                                                   ? jot::errc::encrypted_token
                                                   : jot::errc::malformed_token));
      ++checked;
    }
  }
  CHECK(checked == 34);  // tcId 50 to 83
}
