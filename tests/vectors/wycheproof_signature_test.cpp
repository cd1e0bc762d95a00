// Wycheproof signature primitives (data/wycheproof/primitives_v1/) run through jot's
// asymmetric verification keys: ECDSA in the IEEE P1363 form (raw R || S, exactly the JWS form of
// RFC 7518 §3.4) for ES256/384/512, Ed25519 for EdDSA (RFC 8037 §3.1), RSASSA-PKCS1-v1_5 for
// RS256 (RFC 7518 §3.3) and RSASSA-PSS for PS256/384/512 (RFC 7518 §3.5).
//
// Every group's public key is loaded in each encoding the file offers (DER SubjectPublicKeyInfo,
// PEM and, where present, JWK) and every case is checked through each of them with
// key.implementation().verify(msg, sig): "valid" must verify, "invalid" must give
// errc::invalid_signature, and the few "acceptable" cases have a decision each (see below).
// JOSE fixes the parameters of each algorithm (curve and hash; PSS: MGF1 with the same hash and a
// salt as long as the hash), so a group with other parameters would not be a test of a JOSE
// algorithm: such groups are counted as skipped, and the expected count of those is zero for
// these files (a future upstream file with, say, another salt length asks for review).

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <jot/jot.hpp>

#include "catch.hpp"
#include "vector_support.hpp"

namespace {

struct expected_counts {
  int groups;
  int groups_with_jwk;
  int valid;
  int invalid;
  int acceptable;
};

struct primitive_file {
  const char* path;
  jot::algorithm alg;
  const char* curve;  // Wycheproof's curve name; nullptr for RSA
  const char* sha;    // the hash; nullptr for EdDSA, which has its own (RFC 8032)
  int salt_length;    // PSS only: the hash length in octets (RFC 7518 §3.5)
  expected_counts counts;
};

// Counted from the files with Python (json + collections): groups, groups with a JWK and the
// per-result totals of the "tests" arrays.
const primitive_file files[] = {
    {"wycheproof/primitives_v1/ecdsa_secp256r1_sha256_p1363_test.json",
     jot::algorithm::es256,
     "secp256r1",
     "SHA-256",
     0,
     {112, 103, 173, 89, 0}},
    {"wycheproof/primitives_v1/ecdsa_secp384r1_sha384_p1363_test.json",
     jot::algorithm::es384,
     "secp384r1",
     "SHA-384",
     0,
     {104, 95, 193, 87, 0}},
    {"wycheproof/primitives_v1/ecdsa_secp521r1_sha512_p1363_test.json",
     jot::algorithm::es512,
     "secp521r1",
     "SHA-512",
     0,
     {107, 98, 231, 87, 0}},
    {"wycheproof/primitives_v1/ed25519_test.json",
     jot::algorithm::ed25519,
     "edwards25519",
     nullptr,
     0,
     {78, 78, 88, 63, 0}},
    {"wycheproof/primitives_v1/rsa_signature_2048_sha256_test.json",
     jot::algorithm::rs256,
     nullptr,
     "SHA-256",
     0,
     {3, 3, 9, 249, 1}},
    {"wycheproof/primitives_v1/rsa_pss_2048_sha256_mgf1_32_test.json",
     jot::algorithm::ps256,
     nullptr,
     "SHA-256",
     32,
     {1, 1, 63, 45, 0}},
    {"wycheproof/primitives_v1/rsa_pss_2048_sha384_mgf1_48_test.json",
     jot::algorithm::ps384,
     nullptr,
     "SHA-384",
     48,
     {1, 1, 95, 46, 0}},
    {"wycheproof/primitives_v1/rsa_pss_4096_sha512_mgf1_64_test.json",
     jot::algorithm::ps512,
     nullptr,
     "SHA-512",
     64,
     {1, 1, 132, 47, 0}},
};

// Decisions for the cases Wycheproof labels "acceptable", keyed by file and tcId. Each must be
// listed, so a new acceptable case cannot pass unexamined.
struct acceptable_decision {
  std::string_view path;
  int tc_id;
  bool verifies;
};

const acceptable_decision acceptable_decisions[] = {
    // tcId 8, "Missing NULL in the ASN encoding": the DigestInfo's AlgorithmIdentifier omits the
    // NULL parameters. RSASSA-PKCS1-v1_5 verification (RFC 8017 §8.2.2 steps 3-4) re-encodes
    // EMSA-PKCS1-v1_5 with the DER DigestInfo of §9.2 note 1, which has the NULL, and compares
    // octet strings: this signature does not match. Rejecting it also keeps one accepted
    // encoding per signature, as JWS wants of every input (RFC 7515 §10.13 spirit).
    {"wycheproof/primitives_v1/rsa_signature_2048_sha256_test.json", 8, false},
};

// Does the group test the JOSE algorithm, with the parameters RFC 7518 / RFC 8037 fix?
bool fits_jose_algorithm(const nlohmann::json& group, const primitive_file& file) {
  if (file.curve && group.at("publicKey").value("curve", "") != file.curve) return false;
  if (file.sha && group.value("sha", "") != file.sha) return false;
  if (jot::is_rsa_pss(file.alg)) {
    return group.value("mgf", "") == "MGF1" && group.value("mgfSha", "") == file.sha &&
           group.value("sLen", -1) == file.salt_length;
  }
  return true;
}

// The group's public key in each encoding the file offers. jot must load every one of them.
std::vector<std::pair<std::string, jot::verification_key>> load_group_keys(
    const nlohmann::json& group, jot::algorithm alg, int& jwk_count) {
  std::vector<std::pair<std::string, jot::verification_key>> keys;
  const auto der = jot::verification_key::from_der(
      alg, jot_vectors::hex_decode(group.at("publicKeyDer").get<std::string>()));
  INFO("publicKeyDer: " << jot_vectors::outcome(der));
  REQUIRE(der.has_value());
  keys.emplace_back("DER", *der);

  const auto pem =
      jot::verification_key::from_pem(alg, group.at("publicKeyPem").get<std::string>());
  INFO("publicKeyPem: " << jot_vectors::outcome(pem));
  REQUIRE(pem.has_value());
  keys.emplace_back("PEM", *pem);

  // The RSA files call the member keyJwk, the others publicKeyJwk; nine ECDSA groups per file
  // (the r/x edge cases) give none.
  const char* jwk_member = group.contains("keyJwk") ? "keyJwk" : "publicKeyJwk";
  if (group.contains(jwk_member)) {
    const auto jwk = jot::verification_key::from_jwk(group.at(jwk_member), alg);
    INFO(jwk_member << ": " << jot_vectors::outcome(jwk));
    REQUIRE(jwk.has_value());
    keys.emplace_back("JWK", *jwk);
    ++jwk_count;
  }
  return keys;
}

}  // namespace

TEST_CASE("Wycheproof ECDSA, Ed25519, RSA and RSA-PSS vectors verify as labelled under jot's keys",
          "[vectors][wycheproof][signature]") {
  std::map<std::pair<std::string_view, int>, bool> decisions;
  for (const auto& decision : acceptable_decisions) {
    REQUIRE(
        decisions.emplace(std::make_pair(decision.path, decision.tc_id), decision.verifies).second);
  }
  std::size_t decisions_used = 0;

  for (const auto& file : files) {
    const auto doc = jot_vectors::load(file.path);
    INFO("file: " << file.path << " as " << jot::fully_specified_name(file.alg));

    expected_counts seen{0, 0, 0, 0, 0};
    int skipped_groups = 0, skipped_cases = 0;
    for (const auto& group : doc.at("testGroups")) {
      ++seen.groups;
      if (!fits_jose_algorithm(group, file)) {
        ++skipped_groups;
        skipped_cases += static_cast<int>(group.at("tests").size());
        continue;
      }
      const auto keys = load_group_keys(group, file.alg, seen.groups_with_jwk);

      for (const auto& test : group.at("tests")) {
        const auto id = test.at("tcId").get<int>();
        const auto label = test.at("result").get<std::string>();
        const auto msg = jot_vectors::hex_decode(test.at("msg").get<std::string>());
        const auto sig = jot_vectors::hex_decode(test.at("sig").get<std::string>());
        INFO("tcId " << id << " (" << label << "): " << test.at("comment").get<std::string>());

        bool should_verify = label == "valid";
        if (label == "acceptable") {
          const auto decision = decisions.find(std::make_pair(std::string_view(file.path), id));
          if (decision == decisions.end()) FAIL("no decision for this acceptable case");
          should_verify = decision->second;
          ++decisions_used;
          ++seen.acceptable;
        } else if (label == "valid") {
          ++seen.valid;
        } else {
          REQUIRE(label == "invalid");
          ++seen.invalid;
        }

        for (const auto& [encoding, key] : keys) {
          INFO("key from " << encoding);
          const auto verdict = key.implementation().verify(msg, sig);
          if (should_verify) {
            CHECK(verdict.has_value());
          } else {
            CHECK(verdict.error() == jot::errc::invalid_signature);
          }
        }
      }
    }

    CHECK(seen.valid + seen.invalid + seen.acceptable + skipped_cases ==
          doc.at("numberOfTests").get<int>());
    CHECK(seen.groups == file.counts.groups);
    CHECK(seen.groups_with_jwk == file.counts.groups_with_jwk);
    CHECK(seen.valid == file.counts.valid);
    CHECK(seen.invalid == file.counts.invalid);
    CHECK(seen.acceptable == file.counts.acceptable);
    CHECK(skipped_groups == 0);
    CHECK(skipped_cases == 0);
  }
  CHECK(decisions_used == decisions.size());
}
