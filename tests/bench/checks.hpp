#pragma once

// The checks every implementation passes before anything is timed, so that no number in the
// report comes from code that accepts what it must reject. Each returns what went wrong, one line
// per failure; empty when the implementation behaves.

#include <string>
#include <vector>

#include "bench.hpp"
#include "fixture.hpp"
#include "floor.hpp"

namespace jot_bench {

// Verify accepts `tokens.valid` (reading the expected sub and roles) and rejects the flipped
// signature, the swapped payload, the expired token and the token of another alg; a token from
// sign() is accepted by `reference`, an implementation written apart from it.
std::vector<std::string> check_implementation(const token_implementation& implementation,
                                              const token_variants& tokens,
                                              const token_implementation& reference);

// `revoked` is an implementation whose blocklist holds the jti of `tokens.valid`: it must reject
// that token. Run with check_implementation on its twin, the same verifier on a blocklist without
// that jti, which must accept it: then the blocklist alone tells the two answers apart.
std::vector<std::string> check_revoked(const token_implementation& revoked,
                                       const token_variants& tokens);

// The signature alone: a signature from `signing` verifies, the canonical token's signature
// verifies over its signing input, and neither a flipped signature nor a swapped payload does.
// (An expired token carries a valid signature: expiry is not the signature's business.)
std::vector<std::string> check_signature(const strict_floor::prekeyed_signature& signing,
                                         const strict_floor::prekeyed_signature& verification,
                                         const token_variants& tokens);

}  // namespace jot_bench
