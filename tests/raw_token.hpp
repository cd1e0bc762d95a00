#pragma once

// Tokens made by hand, over exactly the header and payload bytes a test writes: what jot's
// encoder would refuse to make (duplicate members, crit, alg none, wrongly typed claims...), and
// what must not depend on jot's own signing (the attack suite signs with OpenSSL directly).
// sign_raw is the one forger of the test suites; flip_signature_byte spoils a token's signature.

#include <string>
#include <string_view>
#include <type_traits>

#include <jot/jot.hpp>

namespace jot_test {

// The JWS signing input of RFC 7515 §5.1: BASE64URL(header) '.' BASE64URL(payload).
inline std::string signing_input(std::string_view header_json, std::string_view payload_json) {
  return jot::base64url_encode(header_json) + "." + jot::base64url_encode(payload_json);
}

// sign_raw's signer for an unsecured token (RFC 7519 §6): an empty third segment.
struct no_signature {};

// header.payload.signature over exactly these bytes. `signer` makes the signature from the
// signing input: a jot::signing_key (jot's signer for the key's algorithm), no_signature{}, or
// any callable taking the signing input (std::string_view) and returning the signature bytes.
template <typename Signer>
std::string sign_raw(std::string_view header_json, std::string_view payload_json,
                     const Signer& signer) {
  std::string token = signing_input(header_json, payload_json);
  std::string signature;
  if constexpr (std::is_same_v<Signer, jot::signing_key>) {
    signature = signer.implementation().sign(token).value();
  } else if constexpr (!std::is_same_v<Signer, no_signature>) {
    signature = signer(std::string_view(token));
  }
  return token + "." + jot::base64url_encode(signature);
}

// The token with the middle byte of its signature XORed with 0x01 and re-encoded canonically, so
// that a verifier sees a well-formed token whose signature is simply wrong. A token without a
// signature has no byte to flip: at() throws, and the test fails.
inline std::string flip_signature_byte(std::string_view token) {
  const std::size_t dot = token.rfind('.');
  std::string signature;
  if (dot != std::string_view::npos)
    signature = jot::base64url_decode(token.substr(dot + 1)).value();
  char& middle = signature.at(signature.size() / 2);
  middle = static_cast<char>(middle ^ 0x01);
  return std::string(token.substr(0, dot + 1)) + jot::base64url_encode(signature);
}

}  // namespace jot_test
