#pragma once

// The data every implementation is checked and measured on: one key per algorithm (parsed by each
// implementation once), the claims, and the tokens. "Same token for all": the canonical token of
// an algorithm is made once, by the strict floor, and every implementation verifies exactly it,
// the cross-language harnesses (tests/bench/<language>/) included, which read it from the fixture
// file below.

#include <optional>
#include <string>
#include <vector>

#include "bench.hpp"

namespace jot_bench {

// A token and the ways it must be rejected.
struct token_variants {
  std::string valid;
  std::string flipped_signature;  // one character of the signature changed
  std::string swapped_payload;    // another payload (same sub and roles, exp later), same signature
  std::string expired;            // correctly signed, `exp` an hour ago
  // Correctly signed under another algorithm with key material the verifier holds, which a
  // library that let the header choose the algorithm would accept (RFC 8725 §2.1, §3.1): for
  // HS256, HS384 with the same secret; for the others, HS256 keyed with the public key's PEM (the
  // RS256-to-HS256 confusion).
  std::string other_alg;
};

struct algorithm_fixture {
  const jws_algorithm* alg = nullptr;
  key_material key;
  token_variants tokens;      // header {"alg", "typ"}
  token_variants kid_tokens;  // header {"alg", "kid": jwks_token_kid, "typ"}
  token_variants jti_tokens;  // header {"alg", "typ"}; the claims plus "jti": canonical_jti
};

// sub, roles, iat now and exp a day later (longer than any run, so that a fixture file written
// at the start of one stays valid throughout), fixed when first called; or those of the fixture
// file in use.
const token_claims& canonical_claims();

// The jti of the fixture's jti tokens: shaped like the UUIDs applications put there, so that a
// blocklist lookup compares strings of the usual length.
inline constexpr const char* canonical_jti = "6f1c2b9e-4d7a-4c1e-9b3f-2a8d5e0c7f41";

// nullopt when the fixed key does not load or a token cannot be signed (an OpenSSL failure), or
// when the fixture file in use lacks `alg`. With a fixture file, its key and tokens; the kid and
// jti tokens, which only jot_bench uses, are made with that key.
std::optional<algorithm_fixture> make_fixture(const jws_algorithm& alg);

// The fixture file (`jot_bench --write-fixture=PATH`, read by `--fixture=PATH` and by every
// cross-language harness), so that one run checks and times every implementation on the same keys
// and tokens. JSON:
//   {"claims": {"sub", "roles", "iat", "exp", "type"},
//    "algorithms": {"<ALG>": {"secret"  (HMAC)  |  "private_pem" (PKCS#8), "public_pem" (SPKI),
//                             "tokens": {"valid", "flipped_signature", "swapped_payload",
//                                        "expired", "other_alg"}}}}
// False, having said why on stderr, when it cannot be written.
bool write_fixture_file(const std::string& path,
                        const std::vector<const algorithm_fixture*>& fixtures);

// The JSON in the file at `path`; nullopt, having said why on stderr, when it cannot be read or
// parsed.
std::optional<nlohmann::json> read_json_file(const std::string& path);

// Reads a fixture file: from then on canonical_claims() are its claims and make_fixture() takes
// each algorithm's key and tokens from it. Call before anything reads canonical_claims(). False,
// having said why on stderr, when the file cannot be read or lacks a member.
bool use_fixture_file(const std::string& path);

}  // namespace jot_bench
