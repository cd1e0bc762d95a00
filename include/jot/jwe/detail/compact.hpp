#pragma once

// The JWE Compact Serialization (RFC 7516 §7.1): five base64url segments, four dots. A token of
// three segments is a JWS and is told apart, so that neither side ever reads the other's tokens.

#include <cstddef>
#include <optional>
#include <string_view>

#include "jot/config.hpp"
#include "jot/detail/compact.hpp"

JOT_BEGIN_NAMESPACE
namespace jwe {

// The size cap of an encrypted token unless the decrypter is told otherwise: a nested token
// carries a whole JWS, base64url-encoded a second time, plus the JWE's own segments.
inline constexpr std::size_t default_max_encrypted_token_size = 16 * 1024;

namespace detail {

// The five segments, still base64url-encoded, in the order of RFC 7516 §7.1.
struct compact_jwe {
  std::string_view header;  // BASE64URL(UTF8(JWE Protected Header)): also the AAD (§5.1 step 14)
  std::string_view encrypted_key;
  std::string_view iv;
  std::string_view ciphertext;
  std::string_view tag;
};

// The segments; nullopt unless there are exactly four dots.
inline std::optional<compact_jwe> split_jwe(std::string_view token) noexcept {
  if (!jot::detail::is_compact_jwe(token)) return std::nullopt;
  std::string_view parts[5];
  for (std::size_t i = 0; i < 4; ++i) {
    const std::size_t dot = token.find('.');
    parts[i] = token.substr(0, dot);
    token.remove_prefix(dot + 1);
  }
  parts[4] = token;
  return compact_jwe{parts[0], parts[1], parts[2], parts[3], parts[4]};
}

}  // namespace detail
}  // namespace jwe
JOT_END_NAMESPACE
