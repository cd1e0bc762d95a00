#pragma once

// Strict base64url (RFC 4648 §5) as JWS uses it (RFC 7515 §2): the URL-safe alphabet, no
// padding, no whitespace, no line breaks, and only the canonical encoding of each byte string
// (a length of 4n+1 and non-zero unused trailing bits are rejected). One byte string therefore
// has exactly one accepted text, so a token cannot be re-spelled while keeping its signature.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE

namespace detail {

inline constexpr char base64url_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

inline constexpr std::uint8_t base64url_invalid = 0xff;

constexpr std::array<std::uint8_t, 256> make_base64url_table() {
  std::array<std::uint8_t, 256> table{};
  for (auto& entry : table) entry = base64url_invalid;
  for (std::uint8_t i = 0; i < 64; ++i) {
    table[static_cast<unsigned char>(base64url_alphabet[i])] = i;
  }
  return table;
}

inline constexpr std::array<std::uint8_t, 256> base64url_table = make_base64url_table();

// Appends the decoding of `text` to `out`. Returns false (and leaves `out` with unspecified
// content) when `text` is not canonical base64url. Reuses `out`'s capacity.
inline bool base64url_decode_append(std::string_view text, std::string& out) {
  if (text.size() % 4 == 1) return false;
  const std::size_t full_groups = text.size() / 4;
  const std::size_t start = out.size();
  out.resize(start + full_groups * 3 + (text.size() % 4 == 0 ? 0 : text.size() % 4 - 1));
  char* dest = out.data() + start;
  const auto* src = reinterpret_cast<const unsigned char*>(text.data());
  std::uint32_t bad = 0;
  for (std::size_t group = 0; group < full_groups; ++group, src += 4) {
    const std::uint32_t a = base64url_table[src[0]], b = base64url_table[src[1]],
                        c = base64url_table[src[2]], d = base64url_table[src[3]];
    bad |= a | b | c | d;
    const std::uint32_t bits = (a << 18) | (b << 12) | (c << 6) | d;
    *dest++ = static_cast<char>(bits >> 16);
    *dest++ = static_cast<char>(bits >> 8);
    *dest++ = static_cast<char>(bits);
  }
  switch (text.size() % 4) {
    case 2: {
      const std::uint32_t a = base64url_table[src[0]], b = base64url_table[src[1]];
      bad |= a | b;
      if ((b & 0x0f) != 0) return false;  // unused low bits must be zero
      *dest = static_cast<char>((a << 2) | (b >> 4));
      break;
    }
    case 3: {
      const std::uint32_t a = base64url_table[src[0]], b = base64url_table[src[1]],
                          c = base64url_table[src[2]];
      bad |= a | b | c;
      if ((c & 0x03) != 0) return false;
      const std::uint32_t bits = (a << 10) | (b << 4) | (c >> 2);
      *dest++ = static_cast<char>(bits >> 8);
      *dest = static_cast<char>(bits);
      break;
    }
    default:
      break;
  }
  // Any invalid character sets bits above 0x3f in `bad`.
  return (bad & ~std::uint32_t{0x3f}) == 0;
}

inline void base64url_encode_append(std::string_view bytes, std::string& out) {
  const auto* src = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  const std::size_t start = out.size();
  out.resize(start + (n * 4 + 2) / 3);
  char* dest = out.data() + start;
  const auto sextet = [](std::uint32_t bits, int shift) {
    return base64url_alphabet[(bits >> shift) & 0x3f];
  };
  std::size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    const std::uint32_t bits = (std::uint32_t{src[i]} << 16) | (std::uint32_t{src[i + 1]} << 8) |
                               std::uint32_t{src[i + 2]};
    *dest++ = sextet(bits, 18);
    *dest++ = sextet(bits, 12);
    *dest++ = sextet(bits, 6);
    *dest++ = sextet(bits, 0);
  }
  // One or two bytes left: two or three characters, no padding (RFC 7515 §2).
  if (n - i >= 1) {
    const std::uint32_t bits =
        (std::uint32_t{src[i]} << 16) | (n - i == 2 ? std::uint32_t{src[i + 1]} << 8 : 0);
    *dest++ = sextet(bits, 18);
    *dest++ = sextet(bits, 12);
    if (n - i == 2) *dest = sextet(bits, 6);
  }
}

// Encodes the bytes of `text` from `start` to its end in place, as base64url_encode_append would
// append them. From the last group to the first: a group's four characters only overwrite the
// bytes of itself and of groups after it, which are already encoded.
inline void base64url_encode_in_place(std::string& text, std::size_t start) {
  const std::size_t n = text.size() - start;
  text.resize(start + (n * 4 + 2) / 3);
  auto* const bytes = reinterpret_cast<unsigned char*>(text.data() + start);
  const auto sextet = [](std::uint32_t bits, int shift) {
    return static_cast<unsigned char>(base64url_alphabet[(bits >> shift) & 0x3f]);
  };
  std::size_t group = n / 3;
  const std::size_t left = n - group * 3;
  // One or two bytes left: two or three characters, no padding (RFC 7515 §2).
  if (left != 0) {
    const unsigned char* src = bytes + group * 3;
    const std::uint32_t bits =
        (std::uint32_t{src[0]} << 16) | (left == 2 ? std::uint32_t{src[1]} << 8 : 0);
    unsigned char* dest = bytes + group * 4;
    dest[0] = sextet(bits, 18);
    dest[1] = sextet(bits, 12);
    if (left == 2) dest[2] = sextet(bits, 6);
  }
  while (group-- != 0) {
    const unsigned char* src = bytes + group * 3;
    const std::uint32_t bits =
        (std::uint32_t{src[0]} << 16) | (std::uint32_t{src[1]} << 8) | std::uint32_t{src[2]};
    unsigned char* dest = bytes + group * 4;
    dest[0] = sextet(bits, 18);
    dest[1] = sextet(bits, 12);
    dest[2] = sextet(bits, 6);
    dest[3] = sextet(bits, 0);
  }
}

}  // namespace detail

// Encodes bytes as unpadded base64url.
inline std::string base64url_encode(std::string_view bytes) {
  std::string out;
  detail::base64url_encode_append(bytes, out);
  return out;
}

// Decodes canonical unpadded base64url; anything else is errc::invalid_base64.
inline result<std::string> base64url_decode(std::string_view text) {
  std::string out;
  if (!detail::base64url_decode_append(text, out)) return errc::invalid_base64;
  return out;
}

JOT_END_NAMESPACE
