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
};

// sub, roles, iat now and exp in an hour, fixed when first called.
const token_claims& canonical_claims();

// nullopt when the fixed key does not load or a token cannot be signed (an OpenSSL failure).
std::optional<algorithm_fixture> make_fixture(const jws_algorithm& alg);

}  // namespace jot_bench
