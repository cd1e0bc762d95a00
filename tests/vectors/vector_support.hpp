#pragma once

// Helpers shared by the conformance-vector tests: loading a vector file from JOT_VECTORS_DIR
// (skipping cleanly when this checkout has none), hex and base64url decoding of vector fields,
// and readable Catch2 output for jot's error codes.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include <nlohmann/json.hpp>

#include <jot/jot.hpp>

#include "catch.hpp"
#include "test_support.hpp"

// Print error codes by their stable jot name ("token_expired") rather than "jot:40", so a failing
// CHECK says at a glance which rejection jot chose.
namespace Catch {
template <>
struct StringMaker<jot::errc> {
  static std::string convert(jot::errc code) { return jot::errc_name(code); }
};
template <>
struct StringMaker<std::error_code> {
  static std::string convert(const std::error_code& code) {
    if (!code) return "success";
    if (code.category() != jot::error_category())
      return code.category().name() + (":" + code.message());
    return jot::errc_name(static_cast<jot::errc>(code.value()));
  }
};
}  // namespace Catch

namespace jot_vectors {

// The parsed vector file at `relative` (below JOT_VECTORS_DIR), or nullopt after a WARN when the
// vectors folder is absent, as in a user's clone: the test then returns without failing. When the
// folder exists, a missing or unreadable file is a failure, never a silent skip.
inline std::optional<nlohmann::json> load(std::string_view relative) {
  const auto dir = jot_test::vectors_dir();
  if (!dir) {
    WARN("JOT_VECTORS_DIR (" JOT_VECTORS_DIR ") is not a folder; skipping " << relative);
    return std::nullopt;
  }
  const std::filesystem::path path = *dir / std::filesystem::path(std::string(relative));
  INFO("vector file: " << path.string());
  REQUIRE(std::filesystem::is_regular_file(path));
  const auto text = jot_test::read_file(path);
  auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  REQUIRE_FALSE(doc.is_discarded());
  return doc;
}

// "accepted" or the errc name of a verification result, for INFO lines.
template <typename Result>
std::string outcome(const Result& result) {
  return result ? "accepted" : Catch::StringMaker<std::error_code>::convert(result.error());
}

inline std::string hex_decode(std::string_view hex) {
  REQUIRE(hex.size() % 2 == 0);
  const auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(hex.size() / 2);
  bool valid = true;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int high = nibble(hex[i]);
    const int low = nibble(hex[i + 1]);
    valid = valid && high >= 0 && low >= 0;
    out.push_back(static_cast<char>(high * 16 + low));
  }
  REQUIRE(valid);
  return out;
}

// Decodes a base64url field of a vector file; such fields are canonical by construction, so a
// decoding failure means the file is not what the test expects.
inline std::string b64u(std::string_view text) {
  auto decoded = jot::base64url_decode(text);
  REQUIRE(decoded.has_value());
  return std::move(*decoded);
}

// The JWS signing input (RFC 7515 §5.1) and the encoded signature of a compact token: the text
// before and after its last dot. Only used on tokens known to have exactly three segments.
inline std::string_view signing_input_of(std::string_view token) {
  return token.substr(0, token.rfind('.'));
}
inline std::string_view signature_segment_of(std::string_view token) {
  return token.substr(token.rfind('.') + 1);
}

}  // namespace jot_vectors
