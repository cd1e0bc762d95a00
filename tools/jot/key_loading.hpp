#pragma once

// Loading the keys named on the command line, always through jot's checked factories: a key is
// bound to an algorithm only when the material fits it (type, curve, RSA size, secret length), so
// the tool can never be talked into "key bytes plus an alg string".
//
// Each failure is a key failure (exit 2) naming the option and the path, with jot's errc.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <jot/jot.hpp>
#include <nlohmann/json.hpp>

#include "args.hpp"

namespace jot_cli {

// --alg values: comma-separated and repeatable. JOSE names (HS256 ... ES256K), "EdDSA" for both
// Edwards curves (RFC 8037), or the fully-specified "Ed25519" / "Ed448" (RFC 9864). Unknown
// names, "none" included, are usage failures. Duplicates collapse; the order is kept.
std::vector<jot::algorithm> parse_algorithms(std::string_view command,
                                             const std::vector<std::string>& values);

// Every name --alg takes, in the order of jot::all_algorithms: "HS256, ..., EdDSA, Ed25519 or
// Ed448" with (", ", " or "). Without `polymorphic`, only the names of single algorithms.
std::string algorithm_names(std::string_view separator, std::string_view last_separator,
                            bool polymorphic = true);

// What a key that names no algorithm (PEM, DER, a JWK without alg) is taken for by jwks and
// thumbprint: the first algorithm of jot's table for each kind of key (RSA -> RS256, each curve
// -> its algorithm, oct -> HS256).
const std::vector<jot::algorithm>& default_algorithms();
// "oct -> HS256, RSA -> RS256, P-256 -> ES256, ...": default_algorithms() for help texts.
std::string default_algorithm_text();

// "RS256, PS256": the fully-specified names, for messages.
std::string algorithm_list(const std::vector<jot::algorithm>& algorithms);

// One key the user configured (a PEM, DER or JWK file, one entry of a JWKS, or a secret file),
// bound to each allowed algorithm it fits: an RSA key with --alg RS256,PS256 gives two keys. All
// bindings share the material and the kid; a key set holds them side by side, since one kid may
// name one key per `alg` value (RFC 7517 §4.5), and the token's alg picks the binding.
struct key_slot {
  std::string origin;  // "--key jwks.json" (for messages)
  std::vector<jot::verification_key> keys;
};

// The slots of every --key and --secret-file, in command-line order. --key takes PEM (public key,
// private key or certificate), DER, a JWK or a JWKS (one slot per usable key of the set; keys of
// algorithms not allowed are left out); --secret-file takes the exact bytes of an HMAC secret.
// A file none of whose keys fits an allowed algorithm is a key failure.
std::vector<key_slot> load_verification_slots(const arguments& args,
                                              const std::vector<jot::algorithm>& allowed);

// The key of `jot sign`: --key (private PEM or DER, or a private JWK) or --secret-file, for the
// first of `candidates` it fits (EdDSA: the key's curve decides).
jot::signing_key load_signing_key(std::string_view command, const arguments& args,
                                  const std::vector<jot::algorithm>& candidates);

// A key file for `jot jwks` and `jot thumbprint`: PEM or DER (public, private or certificate), a
// JWK, or (when `allow_set`) a JWKS. Without `user_algorithms` the algorithm comes from the JWK's
// `alg` or else from the key itself: RSA -> RS256, EC -> the ES algorithm of its curve, Edwards ->
// Ed25519 / Ed448, oct -> HS256.
struct public_key_file {
  std::vector<jot::verification_key> keys;
  std::optional<nlohmann::json> jwk;  // the file's JWK, when it is one
};
public_key_file load_public_key_file(
    std::string_view command, const std::string& path,
    const std::optional<std::vector<jot::algorithm>>& user_algorithms, bool allow_set);

}  // namespace jot_cli
