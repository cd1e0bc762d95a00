#pragma once

// Small ASCII text helpers shared by the header checks, the key checks and the HTTP helpers.

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

inline bool starts_with(std::string_view text, std::string_view prefix) noexcept {
  return text.substr(0, prefix.size()) == prefix;
}

}  // namespace detail
JOT_END_NAMESPACE
