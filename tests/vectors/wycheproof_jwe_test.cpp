// Wycheproof's json_web_encryption_test.json (139 cases) and the JWE cases of
// json_web_crypto_test.json (34), every verdict accounted for. Each
// group's private JWK is imported as published; a token whose key jot refuses by design (RSA1_5,
// A192KW, A*GCMKW) is also offered to the same key material bound to an algorithm jot implements
// (RSA-OAEP-256, A128KW / A256KW), so the verdict on the token itself is checked too. Tokens are
// opened through the decrypter's own steps (jwe/detail/open.hpp), since the plaintexts are bytes,
// not JWTs, and compared with the published plaintext.
//
// The ECDH-ES cases (42 of them, P-256 and P-384 keys; Wycheproof has no X25519 JWE case) are
// listed apart, in ecdh_verdicts, since their refusals include the checks of the ephemeral key.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <jot/jot.hpp>
#include <jot/jwe.hpp>

#include "catch.hpp"
#include "vector_support.hpp"

namespace {

using jot::jwe::key_management;

// The verdict jot owes each case: "accepted" (decrypts to the published plaintext), an errc
// name, or "refused key: <errc name>" then " / <token verdict>" when the token was also offered
// to the key bound to an implemented algorithm. Why, by range:
std::map<int, std::string> expected_verdicts() {
  std::map<int, std::string> out;
  auto set = [&out](std::initializer_list<int> ids, const std::string& verdict) {
    for (int id : ids) out[id] = verdict;
  };
  // Valid, and within jot's set.
  set({1, 23, 29, 30, 32, 69, 82, 84, 85, 87, 88, 90, 91, 93, 121, 129, 132, 134}, "accepted");
  // Valid upstream, but enc A192GCM / A192CBC-HS384: refused by design.
  set({28, 31, 83, 86, 89, 92}, "encryption_not_allowed");
  // A changed tag, IV, ciphertext or encrypted key: authentication fails (RFC 7516 §11.5: one
  // error whichever step failed; the empty ciphertext of tcId 11 too).
  set({2, 10, 11, 13, 16}, "decryption_failed");
  // The change to the last character leaves non-zero unused bits: not canonical base64url.
  set({3, 24}, "invalid_base64");
  // Tags or IVs of the wrong length, an empty IV or encrypted key: the sizes enc and alg fix.
  set({4, 5, 6, 7, 8, 14, 17, 25, 26, 27}, "invalid_jwe_segment");
  // A segment and its dot removed (four segments), or the JSON serialization.
  set({9, 12, 15, 18, 21, 22}, "malformed_jwe");
  // The modification is in the kid ("Xid-aes-encrypt"): it names no key.
  set({19}, "unknown_key_id");
  // The header segment is empty: not a JSON object.
  set({20}, "invalid_json");
  // A192KW and ECDH-ES+A192KW keys: refused by design, and 24 bytes fit no AES-KW jot has.
  set({70, 60, 61}, "refused key: key_not_for_encryption");
  // A*GCMKW keys: not implemented. Bound to A128KW / A256KW (16 / 32 bytes), their tokens are
  // refused for their alg; 24-byte A192GCMKW keys fit nothing.
  set({71, 73, 74, 75, 133, 136, 137, 138, 139},
      "refused key: key_not_for_encryption / encryption_not_allowed");
  // GcmKeyUsedWithKw: an A*GCMKW key used for A*KW. The key as published is refused, which is
  // what stops the token; rebound by this test to A*KW, the token is a genuine A*KW token.
  set({106, 108}, "refused key: key_not_for_encryption / accepted");
  set({72}, "refused key: key_not_for_encryption");
  // A*GCMKW tokens to an AES-KW key (Wycheproof's WrongCipher).
  set({107, 109}, "encryption_not_allowed");
  // RSA1_5 keys: refused by design (Bleichenbacher). Bound to RSA-OAEP-256, their tokens are
  // refused for their alg before the key is used: no padding oracle to probe.
  set({100, 101, 102, 103, 104, 105, 112, 113, 114, 115, 116, 117, 118, 119, 120, 128},
      "refused key: key_not_for_encryption / encryption_not_allowed");
  // RSA1_5 tokens to an RSA-OAEP key (Pkcs15WithOaepKey).
  set({94, 95, 96, 97, 98, 99, 110, 111, 122, 123, 124, 125, 126, 127}, "encryption_not_allowed");
  // RFC 7520 Figure 170: zip.
  set({135}, "compressed_token");
  return out;
}

// The ECDH-ES cases. Valid ones decrypt, but those whose enc is A192* (refused by design).
// The mutated tokens of tcId 36 to 51 and 63 to 65 get the verdicts the same mutations get above.
std::map<int, std::string> ecdh_verdicts() {
  std::map<int, std::string> out;
  for (int id : {33, 34, 35, 52, 54, 55, 57, 58, 59, 62, 66, 67, 68, 76, 78, 79, 81, 130, 131}) {
    out[id] = "accepted";
  }
  for (int id : {53, 56, 77, 80}) out[id] = "encryption_not_allowed";
  // A changed tag, ciphertext, IV or encrypted key (an AES-KW integrity failure after the
  // agreement, RFC 7516 §11.5), or an empty ciphertext: authentication fails.
  for (int id : {36, 39, 40, 42, 45}) out[id] = "decryption_failed";
  // An empty tag, IV or encrypted key, tags truncated by 1, 4 or 8 bytes: lengths enc and alg fix.
  for (int id : {37, 43, 46, 63, 64, 65}) out[id] = "invalid_jwe_segment";
  // A segment and its dot removed: four segments.
  for (int id : {38, 41, 44, 47, 50}) out[id] = "malformed_jwe";
  out[48] = "invalid_header";  // "Alg" for "alg": the header names no alg
  out[49] = "invalid_json";    // an empty header segment
  // The invalid-curve attack: the epk is not on P-256, refused before any derivation.
  out[51] = "invalid_ephemeral_key";
  return out;
}

std::string hex_of(const std::string& bytes) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 15]);
  }
  return out;
}

// What jot makes of `token` under `key`, accepting every enc jot implements; "accepted" only with
// the published plaintext, where the case publishes one.
std::string token_verdict(const jot::jwe::decryption_key& key, const std::string& token,
                          const std::optional<std::string>& expected_hex) {
  const std::vector<jot::jwe::detail::decrypter_entry> entries{{key, 0xF}};
  auto opened = jot::jwe::detail::open_token(entries, jot::jwe::default_max_encrypted_token_size,
                                             jot::default_max_json_depth, token);
  if (!opened) return jot::errc_name(opened.error());
  if (expected_hex && hex_of(opened->plaintext) != *expected_hex) return "wrong plaintext";
  return "accepted";
}

// The compact token of a case, or the JSON serialization's text.
std::string token_of(const nlohmann::json& test) {
  return test.at("jwe").is_string() ? test.at("jwe").get<std::string>() : test.at("jwe").dump();
}

// The same key material bound to an algorithm jot implements, for keys refused by design.
std::optional<jot::jwe::decryption_key> rebound(nlohmann::json jwk) {
  const std::string kty = jwk.at("kty");
  jwk.erase("alg");
  if (kty == "RSA") {
    return jot::jwe::decryption_key::from_jwk(jwk, key_management::rsa_oaep_256).value();
  }
  if (kty != "oct") return std::nullopt;
  const std::size_t size = jot_vectors::b64u(jwk.at("k").get<std::string>()).size();
  if (size == 16) return jot::jwe::decryption_key::from_jwk(jwk, key_management::a128kw).value();
  if (size == 32) return jot::jwe::decryption_key::from_jwk(jwk, key_management::a256kw).value();
  return std::nullopt;
}

}  // namespace

TEST_CASE("Wycheproof JWE vectors get the verdicts jot owes them", "[vectors][wycheproof][jwe]") {
  const auto doc = jot_vectors::load("wycheproof/testvectors_v1/json_web_encryption_test.json");
  const auto expected = expected_verdicts();
  const auto ecdh = ecdh_verdicts();
  std::set<int> seen;
  for (const auto& group : doc.at("testGroups")) {
    const auto& jwk = group.at("private");
    const auto key = jot::jwe::decryption_key::from_jwk(jwk);
    for (const auto& test : group.at("tests")) {
      const int id = test.at("tcId");
      INFO("tcId " << id << " " << test.at("comment").get<std::string>() << " ("
                   << test.at("result").get<std::string>() << ")");
      seen.insert(id);
      const std::string token = token_of(test);
      const auto pt = test.contains("pt") ? std::optional<std::string>(test.at("pt"))
                                          : std::nullopt;  // invalid cases have none
      std::string verdict;
      if (key) {
        verdict = token_verdict(*key, token, pt);
      } else {
        verdict = std::string("refused key: ") + jot::errc_name(key.error());
        if (const auto other = rebound(jwk)) verdict += " / " + token_verdict(*other, token, pt);
      }
      if (const auto it = ecdh.find(id); it != ecdh.end()) {
        CHECK(verdict == it->second);
        continue;
      }
      const auto it = expected.find(id);
      REQUIRE(it != expected.end());
      CHECK(verdict == it->second);
    }
  }
  CHECK(seen.size() == 139);
  CHECK(expected.size() + ecdh.size() == 139);
}

TEST_CASE("Wycheproof's JWE API cases (json_web_crypto_test.json) get their verdicts",
          "[vectors][wycheproof][jwe]") {
  // The jwe_aes and jwe_ec groups (tcId 50 to 83), the same mutations as above on other tokens.
  // These cases publish no plaintext: a valid one must open, whatever it holds.
  std::map<int, std::string> expected;
  for (int id : {51, 54, 55, 57, 60}) expected[id] = "decryption_failed";
  for (int id : {52, 58, 61}) expected[id] = "invalid_jwe_segment";
  for (int id : {53, 56, 59, 62, 65, 66}) expected[id] = "malformed_jwe";
  expected[50] = "accepted";
  expected[63] = "unknown_key_id";  // "kid-aes-encrypt" altered
  expected[64] = "invalid_json";    // empty header segment
  // The jwe_ec group: 67 decrypts; 68 to 83 are the same mutations again (83, a point off the
  // curve, is invalid_ephemeral_key).
  for (int id : {68, 71, 72, 74, 77}) expected[id] = "decryption_failed";
  for (int id : {69, 75, 78}) expected[id] = "invalid_jwe_segment";
  for (int id : {70, 73, 76, 79, 82}) expected[id] = "malformed_jwe";
  expected[67] = "accepted";
  expected[80] = "invalid_header";
  expected[81] = "invalid_json";
  expected[83] = "invalid_ephemeral_key";
  const auto doc = jot_vectors::load("wycheproof/testvectors_v1/json_web_crypto_test.json");
  int checked = 0;
  for (const auto& group : doc.at("testGroups")) {
    const std::string comment = group.at("comment");
    if (comment.rfind("jwe_", 0) != 0) continue;
    const auto key = jot::jwe::decryption_key::from_jwk(group.at("private"));
    for (const auto& test : group.at("tests")) {
      const int id = test.at("tcId");
      INFO("tcId " << id << " " << test.at("comment").get<std::string>());
      ++checked;
      REQUIRE(key);
      CHECK(token_verdict(*key, token_of(test), std::nullopt) == expected.at(id));
    }
  }
  CHECK(checked == 34);
}
