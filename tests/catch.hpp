#pragma once

// One include for Catch2 v2 (Debian 12) and v3.
#if __has_include(<catch2/catch_all.hpp>)
#include <catch2/catch_all.hpp>
#else
#include <catch2/catch.hpp>
#endif

#include <string>
#include <system_error>

#include <jot/error.hpp>

// Failing checks print jot's error codes by their stable names ("token_expired", "success")
// rather than "jot:40", so a failure says at a glance which rejection jot chose.
namespace Catch {
template <>
struct StringMaker<jot::errc> {
  static std::string convert(jot::errc code) { return jot::errc_name(code); }
};
template <>
struct StringMaker<std::error_code> {
  static std::string convert(const std::error_code& code) {
    if (code && code.category() != jot::error_category()) {
      return code.category().name() + (":" + code.message());
    }
    return jot::errc_name(code);  // "success" for no error
  }
};
}  // namespace Catch
