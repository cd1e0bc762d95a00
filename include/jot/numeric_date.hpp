#pragma once

// NumericDate (RFC 7519 §2), read as whole seconds on the system clock. Integers and finite
// non-integer numbers in [0, 253402300799] (up to 9999-12-31T23:59:59Z) are accepted; booleans,
// strings, negative values and anything larger are not dates. The range is checked in the JSON
// number's own domain before any conversion, so 2^64-1 can never wrap to -1.

#include <chrono>
#include <cmath>
#include <cstdint>
#include <optional>

#include "jot/config.hpp"

JOT_BEGIN_NAMESPACE

// A time in whole seconds since 1970, as JWT dates are (RFC 7519 §2 NumericDate). Unlike
// system_clock::time_point it reaches the year 9999, the last date jot reads or writes.
using sys_seconds = std::chrono::time_point<std::chrono::system_clock, std::chrono::seconds>;

inline constexpr std::int64_t max_numeric_date = 253402300799;  // 9999-12-31T23:59:59Z

namespace detail {

enum class rounding { down, up };

// Seconds since the epoch, or nullopt when `value` is not a NumericDate in range. Fractions are
// rounded in the direction the caller asks for: down for `exp`, up for `nbf` and `iat`, so that
// rounding never extends a token's validity.
template <typename Json>
std::optional<std::int64_t> numeric_date_seconds(const Json& value, rounding direction) noexcept {
  if (value.is_number_unsigned()) {
    const auto v = value.template get<typename Json::number_unsigned_t>();
    if (v > static_cast<std::uint64_t>(max_numeric_date)) return std::nullopt;
    return static_cast<std::int64_t>(v);
  }
  if (value.is_number_integer()) {
    const auto v = value.template get<typename Json::number_integer_t>();
    if (v < 0 || v > max_numeric_date) return std::nullopt;
    return static_cast<std::int64_t>(v);
  }
  if (value.is_number_float()) {
    const double v = value.template get<typename Json::number_float_t>();
    if (!std::isfinite(v) || v < 0.0 || v > static_cast<double>(max_numeric_date)) {
      return std::nullopt;
    }
    return static_cast<std::int64_t>(direction == rounding::down ? std::floor(v) : std::ceil(v));
  }
  return std::nullopt;
}

}  // namespace detail

// A NumericDate (RFC 7519 §2) as jot reads one, in whole seconds rounded down; nullopt when
// `value` is not one (see the rules above). For code that inspects claims itself, as `jot audit`
// does, so that it reads dates exactly as the library does.
template <typename Json>
std::optional<sys_seconds> numeric_date(const Json& value) noexcept {
  const auto seconds = detail::numeric_date_seconds(value, detail::rounding::down);
  if (!seconds) return std::nullopt;
  return sys_seconds(std::chrono::seconds(*seconds));
}

JOT_END_NAMESPACE
