#include "checks.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jot_bench {
namespace {

// The signing input and decoded signature of a token made by the fixture.
struct signed_input {
  std::string input;
  std::string signature;
};

signed_input signed_input_of(const std::string& token) {
  const auto segments = strict_floor::split(token);
  if (!segments) return {};
  return {std::string(segments->signing_input),
          strict_floor::base64url_decode(segments->signature).value_or(std::string())};
}

}  // namespace

std::vector<std::string> check_implementation(const token_implementation& implementation,
                                              const token_variants& tokens,
                                              const token_implementation& reference) {
  const token_claims& claims = canonical_claims();
  std::vector<std::string> failures;
  if (!implementation.verify(tokens.valid, claims)) {
    failures.push_back("rejects the canonical token (or reads other claims from it)");
  }
  if (implementation.verify(tokens.flipped_signature, claims)) {
    failures.push_back("accepts a flipped signature");
  }
  if (implementation.verify(tokens.swapped_payload, claims)) {
    failures.push_back("accepts a swapped payload");
  }
  if (implementation.verify(tokens.expired, claims)) {
    failures.push_back("accepts an expired token");
  }
  if (implementation.verify(tokens.other_alg, claims)) {
    failures.push_back("accepts a token of another alg");
  }
  const std::string own = implementation.sign(claims);
  if (own.empty()) {
    failures.push_back("fails to sign");
  } else if (!reference.verify(own, claims)) {
    failures.push_back("signs a token the reference rejects");
  }
  return failures;
}

std::vector<std::string> check_revoked(const token_implementation& revoked,
                                       const token_variants& tokens) {
  if (!revoked.verify(tokens.valid, canonical_claims())) return {};
  return {"accepts the token once its jti is revoked"};
}

std::vector<std::string> check_signature(const strict_floor::prekeyed_signature& signing,
                                         const strict_floor::prekeyed_signature& verification,
                                         const token_variants& tokens) {
  const signed_input valid = signed_input_of(tokens.valid);
  const signed_input flipped = signed_input_of(tokens.flipped_signature);
  const signed_input swapped = signed_input_of(tokens.swapped_payload);
  std::vector<std::string> failures;
  if (!verification.verify(valid.input, valid.signature)) {
    failures.push_back("rejects the canonical signature");
  }
  if (verification.verify(flipped.input, flipped.signature)) {
    failures.push_back("accepts a flipped signature");
  }
  if (verification.verify(swapped.input, swapped.signature)) {
    failures.push_back("accepts a swapped payload");
  }
  const auto own = signing.sign(valid.input);
  if (!own || !verification.verify(valid.input, *own)) {
    failures.push_back("signs a signature that does not verify");
  }
  return failures;
}

}  // namespace jot_bench
