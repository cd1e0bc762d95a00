#pragma once

// The data every implementation is checked and measured on: one key per algorithm (parsed by each
// implementation once), the claims, and the tokens. "Same token for all": the canonical token of
// an algorithm is made once, by the strict floor, and every implementation verifies exactly it.

#include <optional>
#include <string>

#include "bench.hpp"

namespace jot_bench {

// A token and the ways it must be rejected.
struct token_variants {
  std::string valid;
  std::string flipped_signature;  // one character of the signature changed
  std::string swapped_payload;    // another payload (same sub and roles, exp later), same signature
  std::string expired;            // correctly signed, `exp` an hour ago
};

struct algorithm_fixture {
  const jws_algorithm* alg = nullptr;
  key_material key;
  token_variants tokens;      // header {"alg", "typ"}
  token_variants kid_tokens;  // header {"alg", "kid": jwks_token_kid, "typ"}
  token_variants jti_tokens;  // header {"alg", "typ"}; the claims plus "jti": canonical_jti
};

// sub, roles, iat now and exp in an hour, fixed when first called.
const token_claims& canonical_claims();

// The jti of the fixture's jti tokens: shaped like the UUIDs applications put there, so that a
// blocklist lookup compares strings of the usual length.
inline constexpr const char* canonical_jti = "6f1c2b9e-4d7a-4c1e-9b3f-2a8d5e0c7f41";

// nullopt when the fixed key does not load or a token cannot be signed (an OpenSSL failure).
std::optional<algorithm_fixture> make_fixture(const jws_algorithm& alg);

}  // namespace jot_bench
