#pragma once

// Small text helpers shared by the JSON readers, the header checks, the key checks and the HTTP
// helpers (http.hpp, cookies.hpp).

#include <algorithm>
#include <cctype>
#include <string_view>

#include "jot/config.hpp"

JOT_BEGIN_NAMESPACE
namespace detail {

inline bool equals_ignoring_case(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Whether two member names are equal. Header and claim names are short and mostly differ in
// length or in their first bytes: compared here byte by byte, not through a call to memcmp per
// pair (such calls were 6 % of verifying an HMAC token, whose scan and checks compare names
// some fifty times).
inline bool same_name(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

inline bool starts_with(std::string_view text, std::string_view prefix) noexcept {
  return text.substr(0, prefix.size()) == prefix;
}

inline bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// RFC 9110 §5.6.2: tchar, the characters of a token (a cookie name, an auth scheme).
inline bool is_tchar(char c) noexcept {
  return is_alpha(c) || is_digit(c) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// Visible ASCII and space: what may stand in a quoted-string or an attribute value that jot
// writes into a header. CR, LF and every other control character are refused, so no value can end a
// header line or start another (response splitting).
inline bool is_printable_ascii(std::string_view text) noexcept {
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7E) return false;
  }
  return true;
}

inline bool all_of(std::string_view text, bool (*accepts)(char) noexcept) noexcept {
  for (const char c : text) {
    if (!accepts(c)) return false;
  }
  return true;
}

// RFC 9110 §5.6.3: a field value has no leading or trailing whitespace (SP / HTAB).
inline std::string_view trim_whitespace(std::string_view text) noexcept {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// RFC 3629 §4: well-formed UTF-8, so no overlong forms, no surrogates (U+D800..U+DFFF) and
// nothing above U+10FFFF. JSON text must be UTF-8 (RFC 8259 §8.1); a string that is not cannot
// be written without changing it.
inline bool is_valid_utf8(std::string_view text) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* const end = p + text.size();
  while (p < end) {
    const unsigned char lead = *p;
    if (lead < 0x80) {
      ++p;
      continue;
    }
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;  // the range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) low = 0xA0;   // overlong
      if (lead == 0xED) high = 0x9F;  // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) low = 0x90;   // overlong
      if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
    } else {
      return false;
    }
    if (static_cast<std::size_t>(end - p) < length) return false;
    if (p[1] < low || p[1] > high) return false;
    for (std::size_t i = 2; i < length; ++i) {
      if (p[i] < 0x80 || p[i] > 0xBF) return false;
    }
    p += length;
  }
  return true;
}

}  // namespace detail
JOT_END_NAMESPACE
