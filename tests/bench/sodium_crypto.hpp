#pragma once

// The Ed25519 signature alone on libsodium, the floor of jot's EdDSA rows when jot runs Ed25519
// on libsodium (JOT_ED25519_LIBSODIUM): sign/EdDSA/sodium and verify/EdDSA/sodium, beside the
// `crypto` rows, which are the same signature on OpenSSL. Compiled in only in such a build.

#include <functional>
#include <optional>
#include <string>

#include "bench.hpp"

namespace jot_bench {

struct sodium_signature {
  std::function<bool()> sign;    // signs the token's signing input
  std::function<bool()> verify;  // verifies the token's signature over it
};

// For an EdDSA key and a token it signed; nullopt when this build has no libsodium, or the key or
// token does not load, or libsodium does not verify the token.
std::optional<sodium_signature> make_sodium_signature(const key_material& key,
                                                      const std::string& token);

}  // namespace jot_bench
