#pragma once

// The JWS Compact Serialization (RFC 7515 §7.1): BASE64URL(header) '.' BASE64URL(payload) '.'
// BASE64URL(signature), exactly three segments. One splitter for the verifier, unverified
// inspection and the command-line tool, so they cannot disagree about what a token is: a JWE
// (five segments, RFC 7516 §7.1) or the JSON serialization is never read as a JWS.

#include <cstddef>
#include <optional>
#include <string_view>

#include "jot/config.hpp"

JOT_BEGIN_NAMESPACE

// The size cap of a compact token, checked before any byte of it is read (bounded time and
// memory): validators use it unless raised with allow_token_size, and so do unverified
// inspection and the `jot` tool.
inline constexpr std::size_t default_max_token_size = 8 * 1024;

namespace detail {

struct compact_segments {
  std::string_view header;
  std::string_view payload;
  std::string_view signature;
  std::string_view signing_input;  // header '.' payload: the bytes the signature covers
};

// The three segments, still base64url-encoded; nullopt unless there are exactly two dots.
inline std::optional<compact_segments> split_compact(std::string_view token) noexcept {
  const std::size_t first = token.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  const std::size_t second = token.find('.', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  if (token.find('.', second + 1) != std::string_view::npos) return std::nullopt;
  return compact_segments{token.substr(0, first), token.substr(first + 1, second - first - 1),
                          token.substr(second + 1), token.substr(0, second)};
}

// True when `token` has the shape of a compact JWE: five segments, four dots (RFC 7516 §7.1).
constexpr bool is_compact_jwe(std::string_view token) noexcept {
  std::size_t dots = 0;
  for (const char c : token) dots += c == '.' ? 1 : 0;
  return dots == 4;
}

}  // namespace detail
JOT_END_NAMESPACE
